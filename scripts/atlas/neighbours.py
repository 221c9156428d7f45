"""The already-tagged papers most similar to a new one: evidence for the tagger.

TF-IDF vectors over titles and abstracts (`atlas.textindex`), document frequencies from the
tagged corpus only. Cosine against every corpus vector: each vector keeps at most 60
terms, so one query costs O(N × 60) and the atlas can grow to thousands of papers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .model import Paper
from .tagger import Neighbour
from .textindex import cosine, document_frequencies, terms, tfidf

K_NEIGHBOURS = 5


def paper_text(title: str, abstract: str) -> str:
    """Title counts twice: it is the densest statement of what a paper is about."""
    return f"{title}. {title}. {abstract}"


@lru_cache(maxsize=16384)
def _terms(text: str) -> tuple[str, ...]:
    """Terms of a text, remembered: leave-one-out evaluation rebuilds the corpus once per paper."""
    return tuple(terms(text))


@dataclass(frozen=True)
class TaggedCorpus:
    """Curated papers as vectors, ready to answer "which tagged papers look like this?"."""

    vectors: dict[str, dict[str, float]]
    tags: dict[str, tuple[str, ...]]
    df: dict
    n_docs: int

    @classmethod
    def from_papers(cls, papers: list[Paper]) -> "TaggedCorpus":
        """Only papers with curated tags count: suggested tags would echo the tagger's own errors."""
        tagged = sorted((p for p in papers if p.tags and not p.tags_suggested), key=lambda p: p.id)
        doc_terms = {p.id: list(_terms(paper_text(p.title, p.abstract))) for p in tagged}
        df = document_frequencies(list(doc_terms.values()))
        vectors = {key: tfidf(t, df, len(doc_terms)) for key, t in doc_terms.items()}
        return cls(vectors, {p.id: p.tags for p in tagged}, dict(df), len(doc_terms))

    def nearest(self, title: str, abstract: str, k: int = K_NEIGHBOURS) -> list[Neighbour]:
        """The k most similar tagged papers, most similar first (ties by id)."""
        if not self.vectors:
            return []
        query = tfidf(list(_terms(paper_text(title, abstract))), self.df, self.n_docs)
        scored = [(cosine(query, vector), key) for key, vector in self.vectors.items()]
        best = sorted(((s, key) for s, key in scored if s > 0), key=lambda sk: (-sk[0], sk[1]))[:k]
        return [Neighbour(key, round(s, 4), self.tags[key]) for s, key in best]
