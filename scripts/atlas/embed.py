"""Semantic similarity from a static embedding model that ships inside a PyPI wheel.

TF-IDF only sees shared words; an expert also links "serving on mixed GPU types" with
"platform requirements for inference". WordLlama's model (token embeddings averaged, 256
dimensions) lives in the `wordllama` package itself, so it loads with downloads disabled:
nothing is fetched at build time. It is used only to re-score candidate pairs that the
sparse index already found, so the cost stays linear in the number of papers.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np


@functools.lru_cache(maxsize=1)
def _model():
    import wordllama

    return wordllama.WordLlama.load(cache_dir=Path(wordllama.__file__).parent, disable_download=True, dim=256)


# text -> its embedding as the model returns it (float32): filled as texts are embedded, and
# from `.atlas-cache/` by `atlas.textcache`. The model embeds each text independently of the
# others in its batch (checked bit for bit), so a remembered vector is the one a new batch
# would give.
EMBEDDED: dict[str, np.ndarray] = {}


def embed_missing(texts: list[str]) -> dict[str, np.ndarray]:
    """The embeddings of those `texts` not in EMBEDDED; the model loads (a second) only when some text is new."""
    missing = sorted(set(texts) - EMBEDDED.keys())
    return dict(zip(missing, _model().embed(missing, norm=True))) if missing else {}


class Embeddings:
    """Unit-length embedding per key; `similarity` is their cosine."""

    def __init__(self, texts: dict[str, str]):
        self.keys = sorted(texts)
        self.row = {key: i for i, key in enumerate(self.keys)}
        EMBEDDED.update(embed_missing([texts[k] for k in self.keys]))
        if self.keys:
            self.matrix = np.asarray([EMBEDDED[texts[k]] for k in self.keys], dtype=np.float64)
        else:
            self.matrix = np.zeros((0, 256))

    def similarities(self, key: str, others: list[str]) -> list[float]:
        """Cosine of `key` with each of `others` (one small matrix-vector product)."""
        if not others:
            return []
        rows = self.matrix[[self.row[o] for o in others]]
        return [float(x) for x in rows @ self.matrix[self.row[key]]]
