"""Rules that look across entries or at the taxonomy: one rule, one function.

Each function returns a list of problems and never raises; `check_atlas` runs them all
so a contributor sees every problem at once.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from .identity import normalize_title
from .model import Paper, Taxonomy
from .problems import Problem
from .schema import ID_PATTERN
from .yamlsafe import read_yaml


def _unknown_tag(tag: str, path: str, line: int, known) -> Problem:
    close = difflib.get_close_matches(tag, list(known), n=1, cutoff=0.5)
    fix = f"did you mean '{close[0]}'?" if close else "use a tag id from data/taxonomy.yaml"
    return Problem(path, line, "tags", f"tag '{tag}' is not in the taxonomy", fix)


def check_tags_in_taxonomy(papers: list[Paper], taxonomy: Taxonomy) -> list[Problem]:
    """Every tag on an entry is a tag id of the taxonomy."""
    known = taxonomy.tags
    return [_unknown_tag(tag, paper.source_path, paper.line_of("tags"), known)
            for paper in papers for tag in paper.tags if tag not in known]


def check_tags_of_invalid_entries(files: dict[str, bytes], taxonomy: Taxonomy) -> list[Problem]:
    """Entries that failed the schema still get their tags checked, so one run shows everything."""
    known = taxonomy.tags
    problems = []
    for path in sorted(files):
        doc, _ = read_yaml(files[path], path)
        tags = doc.data.get("tags") if doc is not None and isinstance(doc.data, dict) else None
        if isinstance(tags, list):
            problems += [_unknown_tag(tag, path, doc.line("tags"), known)
                         for tag in tags if isinstance(tag, str) and tag.strip() and tag not in known]
    return problems


def _duplicates(papers: list[Paper], key, what: str, field: str) -> list[Problem]:
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        value = key(paper)
        if value:
            groups[value].append(paper)
    problems = []
    for value, group in sorted(groups.items()):
        if len(group) > 1:
            first = group[0]
            for other in group[1:]:
                problems.append(Problem(other.source_path, other.line_of(field), field,
                                        f"same {what} as {first.source_path}",
                                        "one paper, one entry: merge the two files"))
    return problems


def check_no_duplicate_papers(papers: list[Paper]) -> list[Problem]:
    """No two entries share a normalised title, an arXiv id or a code URL."""
    return (_duplicates(papers, lambda p: normalize_title(p.title), "title", "title")
            + _duplicates(papers, lambda p: p.arxiv, "arXiv id", "arxiv")
            + _duplicates(papers, lambda p: p.link_map.get("code", "").rstrip("/").lower(), "code URL",
                          "links.code"))


def check_file_names(paths: list[str]) -> list[Problem]:
    """Entry files differ in more than letter case (they would collide on macOS and Windows)."""
    by_folded: dict[str, list[str]] = defaultdict(list)
    for path in sorted(paths):
        by_folded[path.casefold()].append(path)
    problems = []
    for group in by_folded.values():
        for other in group[1:]:
            problems.append(Problem(other, 1, "file", f"name differs from {group[0]} only in letter case",
                                    "rename one; file names are lowercase ids"))
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0]
        if not name.endswith(".yaml"):
            problems.append(Problem(path, 1, "file", "entries end in .yaml", f"rename it to {stem}.yaml"))
        elif not re.match(ID_PATTERN, stem):
            slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "paper"
            problems.append(Problem(path, 1, "file", "the file name is not a kebab-case id",
                                    f"rename it to {slug}.yaml (lowercase letters, digits and '-')"))
    return problems


def check_atlas(papers: list[Paper], taxonomy: Taxonomy) -> list[Problem]:
    """All cross-entry rules."""
    return check_tags_in_taxonomy(papers, taxonomy) + check_no_duplicate_papers(papers)
