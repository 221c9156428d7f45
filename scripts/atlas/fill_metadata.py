"""`atlas enrich`: fill in missing authors, dates and categories of entries from arXiv records.

Humans own the entries: a field that is present is never changed, only absent ones are
added. An entry whose file is exactly what `dump_entry` writes is rewritten with it;
a hand-formatted file (comments, other quoting) keeps every byte, and only the new
fields' lines are inserted where the field order puts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .entry_yaml import FIELD_ORDER, dump_entry
from .importer import Candidate
from .model import Paper

FILLABLE = ("authors", "year", "published", "categories")


@dataclass(frozen=True)
class Filled:
    """What enrichment added to one entry, and the entry's new text."""

    paper: Paper
    added: tuple[tuple[str, str], ...]  # (field, value as shown to the user)
    text: str


def wants_metadata(paper: Paper) -> bool:
    """An entry with an arXiv id and at least one fillable field still empty."""
    return bool(paper.arxiv) and any(not getattr(paper, name) for name in FILLABLE)


def fill_paper(paper: Paper, record: Candidate) -> tuple[Paper, list[tuple[str, str]]]:
    """`paper` with its empty fillable fields taken from `record`; present fields untouched."""
    values: dict = {}
    if not paper.authors and record.authors:
        values["authors"] = tuple(record.authors)
    if not paper.published and record.published:
        values["published"] = record.published
    published = paper.published or record.published
    if paper.year is None and published:
        values["year"] = int(published[:4])
    if not paper.categories and record.categories:
        values["categories"] = tuple(record.categories)
    shown = []
    for name in FILLABLE:
        if name in values:
            value = values[name]
            shown.append((name, ", ".join(value) if isinstance(value, tuple) else str(value)))
    return replace(paper, **values), shown


def _field_block(text: str, name: str) -> list[str]:
    """The lines of top-level field `name` in an entry text (its key line and continuation)."""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith(f"{name}:"):
            block = [line]
            for following in lines[index + 1:]:
                if not following.startswith((" ", "\t")):
                    break
                block.append(following)
            return block
    return []


def rewrite_entry(original: str, old: Paper, new: Paper, names: list[str]) -> str:
    """The entry text with fields `names` added, every other byte kept."""
    if dump_entry(old) == original:
        return dump_entry(new)
    generated = dump_entry(new)
    lines = original.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for name in sorted(names, key=FIELD_ORDER.index):
        block = _field_block(generated, name)
        later = set(FIELD_ORDER[FIELD_ORDER.index(name) + 1:])
        position = next((i for i, line in enumerate(lines)
                         if (m := re.match(r"^([a-z]+):", line)) and m.group(1) in later), len(lines))
        lines[position:position] = block
    return "".join(lines)


def fill_entries(papers: list[Paper], texts: dict[str, str], records: dict[str, Candidate]) -> list[Filled]:
    """Every entry that gains at least one field from `records` (keyed by arXiv id), sorted by id."""
    filled = []
    for paper in sorted(papers, key=lambda p: p.id):
        record = records.get(paper.arxiv or "")
        if record is None or not wants_metadata(paper):
            continue
        new, added = fill_paper(paper, record)
        if added:
            text = rewrite_entry(texts[paper.source_path], paper, new, [name for name, _ in added])
            filled.append(Filled(new, tuple(added), text))
    return filled
