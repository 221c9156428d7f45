"""Dot products of many sparse dict vectors at once, bit for bit as a Python loop would sum them.

Related-paper search and the tagger's neighbour search score one paper against thousands.
A Python loop over postings costs microseconds per product; here the products are numpy
arrays, and sums are accumulated with `np.bincount`, which adds its weights strictly in
array order. The arrays are laid out so that each sum receives its terms in the order the
original loop added them (`for term in query: for other in postings[term]: s[other] += w * w'`),
so every float is the same as the loop's: the pages stay byte-identical.
"""

from __future__ import annotations

import numpy as np


class Postings:
    """The columns of a set of sparse vectors: for each term, which rows hold it and with what weight.

    `rows` are numbered in the order given; a term's postings keep that order too (or the
    order of `postings`, when a caller trims them, as `top_k_similar` does).
    """

    def __init__(self, n_rows: int, postings: dict[str, list[tuple[int, float]]]):
        self.n_rows = n_rows
        self.term_id = {term: i for i, term in enumerate(postings)}
        lengths = np.fromiter((len(p) for p in postings.values()), dtype=np.int64, count=len(postings))
        self.start = np.zeros(len(postings) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.start[1:])
        flat = [entry for posting in postings.values() for entry in posting]
        self.row = np.fromiter((r for r, _ in flat), dtype=np.int64, count=len(flat))
        self.weight = np.fromiter((w for _, w in flat), dtype=np.float64, count=len(flat))

    @classmethod
    def of(cls, vectors: list[dict[str, float]]) -> "Postings":
        """Full postings of `vectors` (row i is vectors[i])."""
        postings: dict[str, list[tuple[int, float]]] = {}
        for row, vector in enumerate(vectors):
            for term, weight in vector.items():
                postings.setdefault(term, []).append((row, weight))
        return cls(len(vectors), postings)

    def dot_rows(self, queries: list[dict[str, float]]) -> np.ndarray:
        """A len(queries) × n_rows matrix of partial dot products, each summed in query-term order.

        Only terms present here contribute; a row no posting reached is exactly 0.0.
        """
        query_row, term_ids, query_weight = [], [], []
        for q, query in enumerate(queries):
            for term, weight in query.items():
                tid = self.term_id.get(term)
                if tid is not None:
                    query_row.append(q)
                    term_ids.append(tid)
                    query_weight.append(weight)
        out_len = len(queries) * self.n_rows
        if not term_ids:
            return np.zeros((len(queries), self.n_rows))
        tids = np.asarray(term_ids, dtype=np.int64)
        lengths = self.start[tids + 1] - self.start[tids]
        total = int(lengths.sum())
        # Flat indices of every (query term, posting) pair, query terms in order, postings in order.
        offsets = np.repeat(self.start[tids] - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        products = np.repeat(np.asarray(query_weight), lengths) * self.weight[offsets]
        bins = np.repeat(np.asarray(query_row, dtype=np.int64) * self.n_rows, lengths) + self.row[offsets]
        sums = np.bincount(bins, weights=products, minlength=out_len)
        return sums.reshape(len(queries), self.n_rows)
