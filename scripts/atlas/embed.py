"""Semantic similarity from a static embedding model that ships inside a PyPI wheel.

TF-IDF only sees shared words; an expert also links "serving on mixed GPU types" with
"platform requirements for inference". WordLlama's model (token embeddings averaged, 256
dimensions) lives in the `wordllama` package itself, so it loads with downloads disabled:
nothing is fetched at build time. It is used only to re-score candidate pairs that the
sparse index already found, so the cost stays linear in the number of papers.
"""

from __future__ import annotations

import functools
import itertools
import re
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


def forget() -> None:
    """Drop every text's embedding and word pieces (a process that builds only once)."""
    EMBEDDED.clear()
    _PIECE_IDS.clear()


def embed_missing(texts: list[str]) -> dict[str, np.ndarray]:
    """The embeddings of those `texts` not in EMBEDDED; the model loads (a second) only when some text is new."""
    missing = sorted(set(texts) - EMBEDDED.keys())
    return dict(zip(missing, embed_texts(missing))) if missing else {}


@functools.lru_cache(maxsize=1)
def _unpadded_tokenizer():
    """The model's tokenizer without the padding WordLlama turns on for its batches."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(_model().tokenizer.to_str())
    tokenizer.no_padding()
    return tokenizer


# The tokenizer normalises a text to "▁" + text with each space made "▁", then merges symbols
# pairwise by rank (BPE). No token of the model has a "▁" after any other character, so no
# merge ever joins a character to the "▁" after it: the text falls apart into independent
# pieces, each a run of "▁" and the characters up to the next "▁" (a word and the space(s)
# before it). A text's tokens are its pieces' tokens, one after the other.
_PIECE = re.compile("▁+[^▁]*")
# Token ids of each piece met so far, the piece given as the text that normalises to it.
_PIECE_IDS: dict[str, tuple[int, ...]] = {}


def token_ids(texts: list[str]) -> list[list[int]]:
    """The model tokenizer's ids of each text (no special tokens), as `encode_batch` gives them."""
    ids, lengths = _token_ids_flat(texts)
    ends = np.cumsum(lengths).tolist()
    return [ids[end - length:end].tolist() for end, length in zip(ends, lengths.tolist())]


def _token_ids_flat(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts' token ids one after the other, and how many each text has.

    Abstracts repeat their words: tokenising each distinct word once instead of every text
    whole took a cold build of 10,000 papers from ~6.5 s to well under a second of CPU (the
    ids are the same, tested against the tokenizer on whole texts). A text holding a literal
    "▁" or a special token's name, ending in a space, or for a model whose vocabulary breaks
    the rule above, is one piece: tokenised whole.
    """
    pieces_of = [_pieces(text) if _splits_into_pieces(text) else [text] for text in texts]
    new = sorted({piece for pieces in pieces_of for piece in pieces} - _PIECE_IDS.keys())
    for piece, encoding in zip(new, _unpadded_tokenizer().encode_batch(new, add_special_tokens=False)):
        _PIECE_IDS[piece] = tuple(encoding.ids)
    known = _PIECE_IDS
    per_text = [[known[piece] for piece in pieces] for pieces in pieces_of]
    lengths = np.fromiter((sum(map(len, text_ids)) for text_ids in per_text), dtype=np.int64, count=len(texts))
    ids = np.fromiter(itertools.chain.from_iterable(itertools.chain.from_iterable(per_text)), dtype=np.int64,
                      count=int(lengths.sum()))
    return ids, lengths


def _pieces(text: str) -> list[str]:
    """A text's pieces, each as the text that normalises to it (the "▁" prepended is the first)."""
    if "  " in text or text.startswith(" "):
        return [piece[1:].replace("▁", " ") for piece in _PIECE.findall("▁" + text.replace(" ", "▁"))]
    return text.split(" ")


def _splits_into_pieces(text: str) -> bool:
    # A trailing space is a piece of "▁" alone, which no text given alone normalises to.
    return (_pieces_are_independent() and "▁" not in text and not text.endswith(" ")
            and not any(name in text for name in _special_names()))


@functools.lru_cache(maxsize=1)
def _pieces_are_independent() -> bool:
    return not any("▁" in token.lstrip("▁") for token in _unpadded_tokenizer().get_vocab())


@functools.lru_cache(maxsize=1)
def _special_names() -> tuple[str, ...]:
    return tuple(token.content for token in _unpadded_tokenizer().get_added_tokens_decoder().values())


def embed_texts(texts: list[str]) -> np.ndarray:
    """What `WordLlama.embed(texts, norm=True)` returns, bit for bit, in a fraction of the time.

    WordLlama pads each batch of 64 texts to its longest and averages a (64 × longest × 256)
    array of token vectors through a mask: at 10,000 abstracts that was ~5 s of a cold
    build. Here each text's own token vectors are summed (the same float32 additions in the
    same order: the padding only ever added zeros), divided and normalised as WordLlama
    does (tested against the model's own output).
    """
    table = _model().embedding
    ids, lengths = _token_ids_flat(texts)
    np.clip(ids, 0, table.shape[0] - 1, out=ids)
    sums = np.zeros((len(texts), table.shape[1]), dtype=np.float32)
    ends = np.cumsum(lengths).tolist()
    for row, (end, length) in enumerate(zip(ends, lengths.tolist())):
        if length:
            sums[row] = np.sum(table[ids[end - length:end]][np.newaxis], axis=1, dtype=np.float32)[0]
    pooled = sums / np.maximum(lengths, 1).astype(np.float32)[:, np.newaxis]
    pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    return pooled


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
