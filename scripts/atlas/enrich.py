"""Enrich validated papers: fill missing tags, find mentions, backlinks and related papers."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from . import keynumbers, textindex
from .embed import EMBEDDED, embed_missing
from .memo import Memo, digest
from .mentions import find_mentions
from .model import Atlas, EnrichedPaper, Paper, Taxonomy
from .neighbours import TaggedCorpus
from .parallel import chunks, run_all, run_beside, worth_forking
from .related import paper_text, related_papers
from .tagger import suggest_tags


_PAPERS_PER_JOB = 50
# From this many new texts the embedding model runs in a worker (see read_texts).
_TEXTS_IN_A_WORKER = 250
# From this many abstracts without their key numbers, they are found beside related papers.
_KEY_NUMBERS_BESIDE = 1000


def apply_suggested_tags(papers: list[Paper], taxonomy: Taxonomy, parallel: bool = False) -> tuple[list[Paper], dict]:
    """Entries without `tags:` get the tagger's suggestions; evidence is kept for the page.

    The curated entries are the neighbours: their tags back up the rules' near misses. Each
    paper is tagged on its own, so with `parallel` the papers are shared among worker processes.
    """
    untagged = [p for p in papers if p.tags_suggested]
    if not untagged:
        return list(papers), {}
    corpus = TaggedCorpus.from_papers(papers)
    corpus.prepare()  # before forking: each worker would build its own index otherwise
    parts = chunks(untagged, _PAPERS_PER_JOB)
    jobs = [partial(_suggestions_for, part, corpus, taxonomy, digest(repr(taxonomy))) for part in parts]
    suggested = {paper.id: _SUGGESTED.keep(key, found) for part, results in zip(parts, run_all(jobs, parallel))
                 for paper, (key, found) in zip(part, results)}
    result, evidence = [], {}
    for paper in papers:
        if paper.tags_suggested:
            suggestions = suggested[paper.id]
            paper = replace(paper, tags=tuple(s.tag for s in suggestions))
            evidence[paper.id] = {s.tag: s.evidence for s in suggestions}
        result.append(paper)
    return result, evidence


# Suggestions depend on the taxonomy, the paper's title and abstract and its neighbours only.
_SUGGESTED = Memo("suggested tags")


def _suggestions_for(papers: list[Paper], corpus: TaggedCorpus, taxonomy: Taxonomy, taxonomy_key: str) -> list:
    """(memo key, suggestions) per paper."""
    results = []
    for p in papers:
        neighbours = tuple(corpus.nearest(p.title, p.abstract))
        key = (taxonomy_key, p.title, p.abstract, neighbours)
        results.append((key, _SUGGESTED.get(key, partial(suggest_tags, p.title, p.abstract, taxonomy, neighbours))))
    return results


def read_texts(texts: list[str], parallel: bool) -> None:
    """Tokenise and embed each text not yet remembered, once, before anything reads them.

    The tagger's neighbours and related papers read the same texts. In a cold build of
    10,000 papers the embedding model runs in a worker process while the texts are
    tokenised here: their terms stay in this process's memory, where every later step
    reads them (tokenised in workers, 3 million terms travelled back through a pipe and
    were interned again here, and it took longer).
    """
    new = sorted(set(texts) - textindex.TOKENISED.keys())
    # A few new texts (an edit under `mkdocs serve`) are read here: a worker would load the
    # embedding model (a second) and forget it; loaded here, it stays for the next save.
    if parallel and len(new) >= _TEXTS_IN_A_WORKER:
        embedded, _ = run_beside(partial(embed_missing, texts), partial(textindex.tokenise_each, new))
    else:
        embedded = embed_missing(texts)
        textindex.tokenise_each(new)
    EMBEDDED.update(embedded)


def _related_and_key_numbers(papers: list[Paper], taxonomy: Taxonomy, parallel: bool) -> dict:
    """Related papers; in a large build the abstracts' key numbers (for the pages) are found
    meanwhile in a worker process. Most of the related-papers search runs on one core (its
    index, its candidates' postings, each link's reasons: ~8 s at 10,000 papers): the key
    numbers (~3 s of CPU there) fill the other instead of adding to the rendering's time."""
    new = keynumbers.not_found(p.abstract for p in papers)
    if not parallel or len(new) < _KEY_NUMBERS_BESIDE:
        return related_papers(papers, taxonomy)  # the few new ones are found as pages are rendered
    found, related = run_beside(partial(keynumbers.extract_each, new), partial(related_papers, papers, taxonomy))
    for abstract, numbers in zip(new, found):
        keynumbers.remember(abstract, numbers)
    return related


def enrich(papers: list[Paper], taxonomy: Taxonomy) -> Atlas:
    """The whole cross-linked atlas, deterministic for the same input."""
    parallel = worth_forking(len(papers))
    read_texts([paper_text(p) for p in papers], parallel)
    papers, evidence = apply_suggested_tags(sorted(papers, key=lambda p: p.id), taxonomy, parallel)
    mentions = find_mentions(papers, parallel)
    mentioned_by: dict[str, set[str]] = {p.id: set() for p in papers}
    for source, found in mentions.items():
        for mention in found:
            mentioned_by[mention.target].add(source)
    related = _related_and_key_numbers(papers, taxonomy, parallel)
    return Atlas(
        papers=tuple(
            EnrichedPaper(paper=p, related=related.get(p.id, ()), mentions=mentions[p.id],
                          mentioned_by=tuple(sorted(mentioned_by[p.id])), tag_evidence=evidence.get(p.id, {}))
            for p in papers
        ),
        taxonomy=taxonomy,
    )
