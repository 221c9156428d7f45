"""Enrich validated papers: fill missing tags, find mentions, backlinks and related papers."""

from __future__ import annotations

from dataclasses import replace

from .mentions import find_mentions
from .model import Atlas, EnrichedPaper, Paper, Taxonomy
from .neighbours import TaggedCorpus
from .related import related_papers
from .tagger import suggest_tags


def apply_suggested_tags(papers: list[Paper], taxonomy: Taxonomy) -> tuple[list[Paper], dict]:
    """Entries without `tags:` get the tagger's suggestions; evidence is kept for the page.

    The curated entries are the neighbours: their tags back up the rules' near misses.
    """
    result, evidence = [], {}
    corpus = TaggedCorpus.from_papers(papers) if any(p.tags_suggested for p in papers) else None
    for paper in papers:
        if paper.tags_suggested:
            neighbours = corpus.nearest(paper.title, paper.abstract)
            suggestions = suggest_tags(paper.title, paper.abstract, taxonomy, neighbours)
            paper = replace(paper, tags=tuple(s.tag for s in suggestions))
            evidence[paper.id] = {s.tag: s.evidence for s in suggestions}
        result.append(paper)
    return result, evidence


def enrich(papers: list[Paper], taxonomy: Taxonomy) -> Atlas:
    """The whole cross-linked atlas, deterministic for the same input."""
    papers, evidence = apply_suggested_tags(sorted(papers, key=lambda p: p.id), taxonomy)
    mentions = find_mentions(papers)
    mentioned_by: dict[str, set[str]] = {p.id: set() for p in papers}
    for source, found in mentions.items():
        for mention in found:
            mentioned_by[mention.target].add(source)
    related = related_papers(papers, taxonomy)
    return Atlas(
        papers=tuple(
            EnrichedPaper(paper=p, related=related.get(p.id, ()), mentions=mentions[p.id],
                          mentioned_by=tuple(sorted(mentioned_by[p.id])), tag_evidence=evidence.get(p.id, {}))
            for p in papers
        ),
        taxonomy=taxonomy,
    )
