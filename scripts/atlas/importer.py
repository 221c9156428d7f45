"""Turn digest items into new entries: clean, extract links, find ids, tag, deduplicate.

Pure planning: `plan_import` returns what would be written and why; the CLI writes it.
Importing the same digest twice plans nothing new, because every item is matched to an
existing entry by arXiv id or normalised title and reported as a duplicate.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from .identity import find_aliases, make_id, normalize_title, unique_id
from .model import Paper, Taxonomy
from .neighbours import TaggedCorpus
from .tagger import Suggestion, suggest_tags
from .textclean import Change, clean_text
from .urls import extract_links


@dataclass(frozen=True)
class Candidate:
    """A paper as any importer sees it, before it becomes an entry."""

    title: str
    abstract: str
    arxiv: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    categories: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    origin: str = ""  # where in the source it came from, e.g. "digest.txt:12"


@dataclass
class PlannedEntry:
    paper: Paper
    changes: list[Change] = field(default_factory=list)
    leftover_urls: list[str] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    origin: str = ""


@dataclass
class ImportPlan:
    new: list[PlannedEntry] = field(default_factory=list)
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (origin, title, existing id + how)


def read_arxiv_ids(text: str) -> dict[str, str]:
    """A `title<TAB>arxiv_id` table to {normalised title: id}; rows without an id are skipped."""
    table = {}
    for row in csv.reader(io.StringIO(text), delimiter="\t"):
        if len(row) >= 2 and row[1].strip() and row[0] != "title":
            table[normalize_title(row[0])] = row[1].strip()
    return table


def plan_import(candidates: list[Candidate], existing: list[Paper], taxonomy: Taxonomy | None, *,
                arxiv_ids: dict[str, str] | None = None, added: str | None = None,
                source: str | None = None) -> ImportPlan:
    """Decide which candidates become entries, and how each was cleaned, linked and tagged."""
    arxiv_ids = arxiv_ids or {}
    by_title = {normalize_title(p.title): p.id for p in existing}
    by_arxiv = {p.arxiv: p.id for p in existing if p.arxiv}
    taken = {p.id for p in existing}
    plan = ImportPlan()
    corpus = TaggedCorpus.from_papers(existing) if taxonomy else None
    for candidate in candidates:
        title, title_changes = clean_text(candidate.title)
        key = normalize_title(title)
        arxiv = candidate.arxiv or arxiv_ids.get(key) or arxiv_ids.get(normalize_title(candidate.title))
        if arxiv and arxiv in by_arxiv:
            plan.duplicates.append((candidate.origin, title, f"{by_arxiv[arxiv]} (same arXiv id {arxiv})"))
            continue
        if key in by_title:
            plan.duplicates.append((candidate.origin, title, f"{by_title[key]} (same title)"))
            continue
        abstract, abstract_changes = clean_text(candidate.abstract)
        aliases = find_aliases(title, abstract)
        paper_id = unique_id(make_id(title), taken)
        found_links, leftover = extract_links(abstract, aliases + [paper_id])
        links = dict(found_links)
        links.update(dict(candidate.links))
        neighbours = corpus.nearest(title, abstract) if corpus else []
        suggestions = suggest_tags(title, abstract, taxonomy, neighbours) if taxonomy else []
        paper = Paper(
            id=paper_id, title=title, abstract=abstract, arxiv=arxiv, aliases=tuple(aliases),
            links=tuple(sorted(links.items())), tags=tuple(s.tag for s in suggestions), added=added,
            source=source, authors=candidate.authors, published=candidate.published,
            categories=candidate.categories,
            year=int(candidate.published[:4]) if candidate.published else None,
            source_path=f"data/papers/{paper_id}.yaml",
        )
        plan.new.append(PlannedEntry(paper, title_changes + abstract_changes, leftover, suggestions,
                                     candidate.origin))
        taken.add(paper_id)
        by_title[key] = paper_id
        if arxiv:
            by_arxiv[arxiv] = paper_id
    return plan
