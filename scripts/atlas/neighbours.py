"""The already-tagged papers most similar to a new one: evidence for the tagger.

TF-IDF vectors over titles and abstracts (`atlas.textindex`), document frequencies from the
tagged corpus only. A query's dot products with every corpus vector come from the corpus's
postings in one numpy pass (`atlas.sparsedot`); only the few papers that can be among the
k best then get their exact cosine, so at 10,000 papers a query costs milliseconds, and the
result is the one a cosine against every paper would give.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .model import Paper
from .tagger import Neighbour
from .textindex import cosine, document_frequencies, tfidf, tfidf_all, tokenised

K_NEIGHBOURS = 5
# Summed in another order, a dot product differs from its exact cosine by far less than this.
_ROUNDING_SLACK = 1e-9


def paper_text(title: str, abstract: str) -> str:
    """Title counts twice: it is the densest statement of what a paper is about."""
    return f"{title}. {title}. {abstract}"


def _terms(text: str) -> tuple[str, ...]:
    """Terms of a text, remembered (`tokenised`): leave-one-out evaluation rebuilds the corpus once per paper."""
    return tokenised(text)[0]


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
        vectors = tfidf_all(doc_terms, df)
        return cls(vectors, {p.id: p.tags for p in tagged}, dict(df), len(doc_terms))

    def nearest(self, title: str, abstract: str, k: int = K_NEIGHBOURS) -> list[Neighbour]:
        """The k most similar tagged papers, most similar first (ties by id)."""
        if not self.vectors:
            return []
        query = tfidf(list(_terms(paper_text(title, abstract))), self.df, self.n_docs)
        scored = [(cosine(query, self.vectors[self._keys[row]]), self._keys[row]) for row in self._contenders(query, k)]
        best = sorted(((s, key) for s, key in scored if s > 0), key=lambda sk: (-sk[0], sk[1]))[:k]
        return [Neighbour(key, round(s, 4), self.tags[key]) for s, key in best]

    def prepare(self) -> None:
        """Build the search index now (it is otherwise built by the first `nearest`)."""
        if self.vectors:
            _ = self._postings

    @cached_property
    def _keys(self) -> list[str]:
        return list(self.vectors)

    @cached_property
    def _postings(self):
        from .sparsedot import Postings  # numpy: imported only when a paper needs neighbours

        return Postings.of([self.vectors[key] for key in self._keys])

    def _contenders(self, query: dict[str, float], k: int) -> list[int]:
        """Rows that share a term with the query and whose dot product may be among the k best.

        A paper sharing no term has cosine 0 and is never a neighbour.
        """
        from .sparsedot import rows_near_top

        return rows_near_top(self._postings.dot_rows([query])[0], k, _ROUNDING_SLACK)
