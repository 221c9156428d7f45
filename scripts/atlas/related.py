"""Related papers: text similarity blended with taxonomy overlap, each link with its reasons.

Each paper becomes one sparse vector: its TF-IDF terms scaled by √TEXT_WEIGHT and its tags
scaled by √TAG_WEIGHT, each part L2-normalised. The dot product of two such vectors is
exactly `TEXT_WEIGHT·text cosine + TAG_WEIGHT·tag cosine`, so one inverted-index search
(`textindex.top_k_similar`) finds the best blended neighbours; the work grows with N, not N².

Semantic similarity from a static embedding model (`embed.py`) then re-scores those
candidates only: `EMBED_WEIGHT` × how far their cosine rises above EMBED_FLOOR, the cosine
of two unrelated abstracts. Measured with `atlas eval-links` on the 41 tuning pairs: TF-IDF +
tags alone linked at best 34 (with 325 links in all); with the embedding 37 are linked with
fewer links (302), 99% of them sharing a meaningful tag. Holdout: 7/8 either way.

A tag's weight is its facet's weight (an expert weighs a shared technique more than a shared
stage) times its IDF (sharing `3d` says more than sharing `inference`). The contribution
types `method` and `system` are shared by most papers and say nothing about the topic: they
weigh nothing. The score is symmetric; a pair is listed on both pages unless one of them has
MAX_RELATED stronger links (every pair scoring STRONG_SCORE or more on the seed is listed
both ways), and nothing below MIN_SCORE, or below MIN_SHARE_OF_BEST of a paper's strongest
link, is listed at all: a paper with nothing close gets fewer links, not padding.

The weights were tuned on the non-holdout pairs of tests/data/expected_links.yaml only.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import partial

from .embed import Embeddings
from .model import Paper, RelatedLink, Taxonomy
from .parallel import worth_forking
from .textindex import TextIndex, top_k_similar

MAX_RELATED = 5
CANDIDATES = 30
TEXT_WEIGHT = 0.3
TAG_WEIGHT = 0.5
EMBED_WEIGHT = 0.6
EMBED_FLOOR = 0.5
MIN_SCORE = 0.3
# A link much weaker than the paper's best one is padding, whatever its absolute score.
MIN_SHARE_OF_BEST = 0.4
# A pair this close should be listed on both pages; `atlas eval-links` reports how many are.
STRONG_SCORE = 0.5
# A single common word ("training", "system") is no reason to read a paper; rarer ones are.
SHOWN_TERM_MAX_DF_SHARE = 0.25
# How much a shared tag of each facet says about two papers being related.
FACET_WEIGHTS = {"technique": 2.0, "model": 1.5, "domain": 1.5, "hardware": 1.5, "stage": 1.0,
                 "contribution": 1.0}
# Contribution types shared by most papers say nothing about the topic.
GENERIC_TAGS = frozenset({"method", "system"})
_TAG_PREFIX = "tag:"


def paper_text(paper: Paper) -> str:
    """Title counts twice: it is the densest statement of what a paper is about."""
    return f"{paper.title}. {paper.title}. {paper.abstract}"


def meaningful_tags(paper: Paper) -> set[str]:
    """The paper's tags minus the generic contribution types."""
    return set(paper.tags) - GENERIC_TAGS


def tag_vectors(papers: list[Paper], taxonomy: Taxonomy) -> dict[str, dict[str, float]]:
    """Facet weight × IDF per meaningful tag, L2-normalised; unknown tags weigh nothing."""
    tags = taxonomy.tags
    df = Counter(t for p in papers for t in meaningful_tags(p))
    n = len(papers)
    vectors = {}
    for paper in papers:
        weights = {t: FACET_WEIGHTS.get(tags[t].facet, 1.0) * (math.log((1 + n) / (1 + df[t])) + 1.0)
                   for t in sorted(meaningful_tags(paper)) if t in tags}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        vectors[paper.id] = {t: w / norm for t, w in weights.items()}
    return vectors


def blended_vectors(text: dict[str, dict[str, float]], tag: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
    """One sparse vector per paper whose dot products are the blended score."""
    a, b = math.sqrt(TEXT_WEIGHT), math.sqrt(TAG_WEIGHT)
    return {pid: {**{term: a * w for term, w in text[pid].items()},
                  **{_TAG_PREFIX + t: b * w for t, w in tag[pid].items()}} for pid in text}


def _telling(term: str, surface: str, df: Counter, n_docs: int) -> bool:
    """Worth showing as a reason: a phrase, a name ("KV", "GaLore", "FP8"), or a rare word."""
    return (" " in term or "-" in term or surface != surface.lower() or any(c.isdigit() for c in term)
            or df[term] <= max(2, SHOWN_TERM_MAX_DF_SHARE * n_docs))


def _shared_terms(va: dict[str, float], vb: dict[str, float], shown=lambda term: True,
                  limit: int = 3) -> tuple[str, ...]:
    """The terms contributing most to the text similarity, a bigram standing for its words.

    A phrase says more to a reader than its words one by one ("KV cache", not "cache", "KV"),
    so bigrams count double when choosing what to show.
    """
    # (-weight, term) pairs sort heaviest first, ties by term (no key function called per term).
    shared = sorted([(-(va[t] * vb[t] * (2 if " " in t else 1)), t) for t in va.keys() & vb.keys()])
    picked: list[str] = []
    for _, term in shared:
        if not shown(term):
            continue
        if any(term in p.split(" ") for p in picked) or any(w in picked for w in term.split(" ")):
            continue
        picked.append(term)
        if len(picked) == limit:
            break
    return tuple(picked)


def _ordered_tags(tag_ids: set[str], tags: dict) -> tuple[str, ...]:
    """Tags in facet order (technique first), then by id."""
    order = list(FACET_WEIGHTS)
    facet = {t: tags[t].facet for t in tag_ids if t in tags}
    return tuple(sorted(tag_ids, key=lambda t: (order.index(facet[t]) if facet.get(t) in order else 99, t)))


def related_papers(papers: list[Paper], taxonomy: Taxonomy) -> dict[str, tuple[RelatedLink, ...]]:
    """Up to MAX_RELATED related papers per paper, strongest first, none below MIN_SCORE
    nor below MIN_SHARE_OF_BEST of the paper's strongest link."""
    by_id = {p.id: p for p in papers}
    texts = {p.id: paper_text(p) for p in papers}
    index = TextIndex.build(texts)
    text = index.vectors
    blended = blended_vectors(text, tag_vectors(papers, taxonomy))
    embeddings = Embeddings(texts)
    scored: dict[str, dict[str, float]] = {p.id: {} for p in papers}
    parallel = worth_forking(len(papers))
    # Candidates are re-scored where they are found (in the workers, at 10,000 papers: ~2 s
    # of this process's time otherwise).
    found = top_k_similar(blended, CANDIDATES, parallel=parallel, rescore=partial(_with_semantic, embeddings))
    for pid, candidates in found.items():
        for other, score in candidates:
            # The score is symmetric: a pair found from either side counts for both.
            scored[pid][other] = scored[other][pid] = score
    # Each paper's links are chosen from its own scores, here: in worker processes this took
    # longer at 10,000 papers (3.2 s against 2.8 s), forking a large process and sending
    # 50,000 links back costing more than half the work.
    return _links_of(scored, by_id, index, taxonomy.tags, len(texts))


def _with_semantic(embeddings: Embeddings, pid: str, candidates: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """A paper's candidates with their blended score raised by how semantically close they are."""
    semantic = embeddings.similarities(pid, [other for other, _ in candidates])
    return [(other, round(score + EMBED_WEIGHT * max(0.0, (cosine - EMBED_FLOOR) / (1.0 - EMBED_FLOOR)), 6))
            for (other, score), cosine in zip(candidates, semantic)]


def _links_of(scored: dict[str, dict[str, float]], by_id: dict[str, Paper], index: TextIndex,
              tags: dict, n_docs: int) -> dict[str, tuple[RelatedLink, ...]]:
    """The listed links of each paper (by id), strongest first, each with its reasons."""
    surface, text = index.surface, index.vectors
    telling: dict[str, bool] = {}  # asked for the same terms again and again: remembered

    def shown(term: str) -> bool:
        known = telling.get(term)
        if known is None:
            known = telling[term] = _telling(term, surface.get(term, term), index.df, n_docs)
        return known

    result = {}
    for pid in sorted(scored):
        ranked = sorted(scored[pid].items(), key=lambda kv: (-kv[1], kv[0]))
        links = []
        floor = max(MIN_SCORE, MIN_SHARE_OF_BEST * ranked[0][1]) if ranked else MIN_SCORE
        for other, score in ranked[:MAX_RELATED]:
            if score < floor:
                break
            shared_tags = _ordered_tags(meaningful_tags(by_id[pid]) & meaningful_tags(by_id[other]), tags)
            shared_terms = tuple(surface.get(t, t) for t in _shared_terms(text[pid], text[other], shown))
            links.append(RelatedLink(other, round(score, 4), shared_tags, shared_terms))
        result[pid] = tuple(links)
    return result
