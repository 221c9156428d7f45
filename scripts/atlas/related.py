"""Related papers: text similarity blended with taxonomy overlap, each link with its reasons.

Text similarity finds candidates (an inverted index over each paper's heaviest terms, so
the work grows with N, not N²); the blend then prefers papers that also share technique
tags, which an expert weighs more than a shared stage or contribution type.
"""

from __future__ import annotations

from .model import Paper, RelatedLink, Taxonomy
from .textindex import build_vectors, top_k_similar

MAX_RELATED = 5
CANDIDATES = 30
TEXT_WEIGHT = 0.6
TAG_WEIGHT = 0.4
MIN_SCORE = 0.14
# How much a shared tag of each facet says about two papers being related.
FACET_WEIGHTS = {"technique": 3.0, "model": 2.0, "domain": 2.0, "hardware": 1.5, "stage": 1.0,
                 "contribution": 0.5}
# Contribution types shared by most papers say nothing about the topic.
GENERIC_TAGS = frozenset({"method", "system"})


def paper_text(paper: Paper) -> str:
    """Title counts twice: it is the densest statement of what a paper is about."""
    return f"{paper.title}. {paper.title}. {paper.abstract}"


def tag_similarity(a: Paper, b: Paper, taxonomy: Taxonomy) -> float:
    """Facet-weighted Jaccard overlap of two papers' tags, in [0, 1]."""
    tags = taxonomy.tags
    weight = lambda t: FACET_WEIGHTS.get(tags[t].facet, 1.0) if t in tags else 0.0  # noqa: E731
    sa, sb = set(a.tags), set(b.tags)
    union = sum(weight(t) for t in sa | sb)
    return sum(weight(t) for t in sa & sb) / union if union else 0.0


def _shared_terms(va: dict[str, float], vb: dict[str, float], limit: int = 3) -> tuple[str, ...]:
    shared = sorted(set(va) & set(vb), key=lambda t: (-(va[t] * vb[t]), t))
    picked: list[str] = []
    for term in shared:
        # A bigram already says what its words say; skip words covered by a picked bigram.
        if any(term in p.split(" ") for p in picked) or any(w in picked for w in term.split(" ")):
            continue
        picked.append(term)
        if len(picked) == limit:
            break
    return tuple(picked)


def related_papers(papers: list[Paper], taxonomy: Taxonomy) -> dict[str, tuple[RelatedLink, ...]]:
    """Up to MAX_RELATED related papers per paper, strongest first, none below MIN_SCORE."""
    by_id = {p.id: p for p in papers}
    vectors = build_vectors({p.id: paper_text(p) for p in papers})
    neighbours = top_k_similar(vectors, CANDIDATES)
    scored: dict[str, dict[str, float]] = {p.id: {} for p in papers}
    for pid, candidates in neighbours.items():
        for other, text_score in candidates:
            score = TEXT_WEIGHT * text_score + TAG_WEIGHT * tag_similarity(by_id[pid], by_id[other], taxonomy)
            # The blend is symmetric; record it both ways so strong pairs link both ways.
            scored[pid][other] = score
            scored[other].setdefault(pid, score)
    result = {}
    for pid in sorted(scored):
        ranked = sorted(scored[pid].items(), key=lambda kv: (-kv[1], kv[0]))
        links = []
        for other, score in ranked[:MAX_RELATED]:
            if score < MIN_SCORE:
                break
            shared = tuple(sorted(set(by_id[pid].tags) & set(by_id[other].tags),
                                  key=lambda t: (list(FACET_WEIGHTS).index(taxonomy.tags[t].facet)
                                                 if t in taxonomy.tags else 99, t)))
            links.append(RelatedLink(other, round(score, 4), shared, _shared_terms(vectors[pid], vectors[other])))
        result[pid] = tuple(links)
    return result
