"""The small HTML pieces every row of the HTML pages repeats: headings, paper links, tag links.

At 10,000 papers these pieces are written about a million times (five related papers and
their shared tags on each paper page, every paper of a tag on its tag page, every paper on
the papers index). As Jinja macros each call cost tens of microseconds of call machinery,
more than half of the time spent rendering paper pages; as Python functions they cost a
string format. They escape exactly as the templates' HTML autoescape does (markupsafe's
`escape`, Markup left alone), so the pages are the same to the byte, and they are Jinja
globals: the templates call them like the macros they replace (see templates/_html.j2).
"""

from __future__ import annotations

import functools

import jinja2
from markupsafe import Markup

from .escape import gist


def _escaped(value: object) -> str:
    """`markupsafe.escape(value)` as a plain str: no Markup object for every piece of a piece.

    A 10,000-paper build escapes millions of ids, titles and names here; building a Markup
    for each took a third of the time of rendering a tag page (tested against markupsafe).
    """
    if hasattr(value, "__html__"):
        return value.__html__()
    return (str(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


def heading(level: int, anchor: str, text: object) -> Markup:
    """A heading with its id and the permalink the theme's Markdown headings carry."""
    anchor = _escaped(anchor)
    return Markup(f'<h{level} id="{anchor}">{_escaped(text)}<a class="headerlink" href="#{anchor}" '
                  f'title="Permanent link">&para;</a></h{level}>')


def tag_url(tag_id: str, root: str) -> Markup:
    """The URL of a tag's page, relative to a page whose path to the site root is `root`."""
    if type(tag_id) is str and type(root) is str:  # a Markup equal to a str is escaped differently
        return _tag_url(tag_id, root)
    return Markup(f"{_escaped(root)}tags/{_escaped(tag_id)}/")


@functools.lru_cache(maxsize=4096)
def _tag_url(tag_id: str, root: str) -> Markup:
    """A few dozen tags, a few roots: each URL is written once per process."""
    return Markup(f"{_escaped(root)}tags/{_escaped(tag_id)}/")


def tag_chip(tag, root: str) -> Markup:
    """A tag as a chip coloured by its facet."""
    return Markup(f'<a class="atlas-chip atlas-chip--{_escaped(tag.facet)}" href="{tag_url(tag.id, root)}">'
                  f"{_escaped(tag.name)}</a>")


@jinja2.pass_context
def paper_link(context, paper, root: str = "") -> Markup:
    """A link to a paper's page, titled; `papers_root` (from the page) is the path to the paper pages."""
    return Markup(f'<a href="{_escaped(context["papers_root"])}{_escaped(paper.id)}/">{_escaped(paper.title)}</a>')


@jinja2.pass_context
def inline_tags(context, tag_ids, root: str, skip: str = "") -> Markup:
    """The paper's known tags (except `skip`) as comma-separated links."""
    tags = context["tags"]
    return Markup(", ".join(f'<a href="{tag_url(tag_id, root)}">{_escaped(tags[tag_id].name)}</a>'
                            for tag_id in tag_ids if tag_id in tags and tag_id != skip))


@jinja2.pass_context
def tag_row(context, item, root: str, tag_id: str) -> Markup:
    """A paper's row on the page of tag `tag_id`: its link, its gist and its other tags.

    One call instead of three and a filter: a tag page has a row for each of its papers,
    and at 10,000 papers the tag pages have ~50,000 rows."""
    paper = item.paper
    return Markup(f"<tr><td>{paper_link(context, paper, root)}</td><td>{_escaped(gist(paper.abstract))}</td>"
                  f"<td>{inline_tags(context, paper.tags, root, tag_id)}</td></tr>")


GLOBALS = {"heading": heading, "tag_url": tag_url, "tag_chip": tag_chip, "paper_link": paper_link,
           "inline_tags": inline_tags, "tag_row": tag_row}
