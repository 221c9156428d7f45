"""numpy dot products that equal the Python loops they replace, bit for bit (pages must not drift)."""

from __future__ import annotations

import random
from collections import defaultdict

from atlas.sparsedot import Postings, SparseRows
from atlas.textindex import cosine


def _vectors(n: int, seed: int) -> list[dict[str, float]]:
    rng = random.Random(seed)
    vocabulary = [f"t{i}" for i in range(80)]
    return [{t: rng.random() for t in rng.sample(vocabulary, rng.randint(0, 25))} for _ in range(n)]


def test_postings_sum_each_dot_product_in_query_term_order_like_the_loop():
    corpus, queries = _vectors(60, 1), _vectors(20, 2)
    dots = Postings.of(corpus).dot_rows(queries)
    for q, query in enumerate(queries):
        loop: dict[int, float] = defaultdict(float)
        for term, weight in query.items():
            for row, vector in enumerate(corpus):
                if term in vector:
                    loop[row] += weight * vector[term]
        assert {row: dots[q, row] for row in range(len(corpus)) if dots[q, row]} == dict(loop)


def test_exact_dots_equal_cosine_bit_for_bit_whichever_vector_is_shorter():
    vectors = _vectors(50, 3)
    pairs = [(a, b) for a in range(50) for b in range(50) if a != b]
    dots = SparseRows(vectors).dots([a for a, _ in pairs], [b for _, b in pairs])
    assert dots == [cosine(vectors[a], vectors[b]) for a, b in pairs]


def test_no_pairs_and_empty_vectors():
    rows = SparseRows([{}, {"a": 1.0}])
    assert rows.dots([], []) == []
    assert rows.dots([0, 1], [1, 0]) == [0.0, 0.0]


def test_full_postings_laid_out_in_numpy_equal_postings_built_as_lists():
    vectors = _vectors(70, 4) + [{}]
    lists: dict[str, list[tuple[int, float]]] = {}
    for row, vector in enumerate(vectors):
        for term, weight in vector.items():
            lists.setdefault(term, []).append((row, weight))
    fast, slow = Postings.of(vectors), Postings(len(vectors), lists)
    assert fast.term_id == slow.term_id and fast.n_rows == slow.n_rows
    for name in ("start", "row", "weight"):
        assert getattr(fast, name).tolist() == getattr(slow, name).tolist(), name


def test_best_rows_are_the_highest_non_zero_values_ties_by_row():
    import numpy as np

    from atlas.sparsedot import best_rows

    rng = random.Random(5)
    for _ in range(200):
        values = np.array([rng.choice([0.0, 0.5, 1.0, rng.random()]) for _ in range(rng.randint(0, 40))])
        count = rng.randint(0, 12)
        expected = sorted((r for r in range(len(values)) if values[r]), key=lambda r: (-values[r], r))[:count]
        assert best_rows(values, count) == expected
