"""BibTeX for the atlas: one `@misc` entry per paper, and `.bib` files that collect them.

Entry text is untrusted and BibTeX has no quoting: an unbalanced `}` in a title ends the
field early and whatever follows becomes new fields. So every value goes through
`bibtex_text`, which makes each BibTeX/LaTeX special character literal; braces are escaped
too, so a value can never close its field.
"""

from __future__ import annotations

import re

from .dates import arxiv_month
from .model import Paper

# LaTeX specials and how to write them literally inside a braced BibTeX field.
_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL_RE = re.compile("|".join(re.escape(c) for c in _SPECIALS))


def bibtex_text(value: object) -> str:
    """A field value on one line with every special character made literal."""
    text = " ".join(str(value).split())
    return _SPECIAL_RE.sub(lambda m: _SPECIALS[m.group(0)], text)


def paper_year(paper: Paper) -> int | None:
    """The year of publication: `year`, else `published`, else the year in a new-style arXiv id."""
    if paper.year:
        return paper.year
    if paper.published:
        return int(paper.published[:4])
    month = arxiv_month(paper.arxiv)
    return int(month[:4]) if month else None


def bibtex_entry(paper: Paper, page_url: str | None = None) -> str:
    """The paper's `@misc` entry, keyed by its atlas id (ids are kebab-case: valid keys)."""
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_text(paper.title) + "}")]
    if paper.authors:
        fields.append(("author", " and ".join(bibtex_text(a) for a in paper.authors)))
    year = paper_year(paper)
    if year:
        fields.append(("year", str(year)))
    if paper.venue:
        fields.append(("howpublished", bibtex_text(paper.venue)))
    if paper.arxiv:
        fields.append(("eprint", bibtex_text(paper.arxiv)))
        fields.append(("archivePrefix", "arXiv"))
        if paper.categories:
            fields.append(("primaryClass", bibtex_text(paper.categories[0])))
        fields.append(("url", bibtex_text(f"https://arxiv.org/abs/{paper.arxiv}")))
    elif "code" in paper.link_map:
        fields.append(("url", bibtex_text(paper.link_map["code"])))
    elif page_url:
        fields.append(("url", bibtex_text(page_url)))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@misc{{{paper.id},\n{body}\n}}\n"


def bibtex_file(papers: list[Paper], heading: str, entries_by_id: dict[str, str] | None = None) -> str:
    """A `.bib` file: a comment line naming what it holds, then the entries sorted by id.

    `entries_by_id` holds `bibtex_entry(paper)` already written (a paper is in the atlas's
    file and in each of its tags' files).
    """
    known = entries_by_id or {}
    # Inside a .bib file, text outside entries is a comment; @comment keeps it explicit.
    entries = [known.get(p.id) or bibtex_entry(p) for p in sorted(papers, key=lambda p: p.id)]
    return f"@comment{{{bibtex_text(heading)}}}\n\n" + "\n".join(entries)
