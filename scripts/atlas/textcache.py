"""Remember each entry text's terms and embedding across builds, in `.atlas-cache/texts.npz`.

Tokenising a title and abstract and embedding it cost about a millisecond each, and both
depend only on the text: after a one-entry edit, every other entry's results are the same
as last time. So a build starts from the remembered results (`textindex.TOKENISED`,
`embed.EMBEDDED`), computes only texts it has not seen, and saves the results of the texts
it used (stale ones are dropped). The cache is keyed by the exact text and stamped with
everything that could change a result (the tokeniser's and embedder's code, the library
and Python versions); any mismatch, or a file that cannot be read, means an empty cache.
It is plain arrays (`allow_pickle=False`): loading a cache never runs code.
"""

from __future__ import annotations

import hashlib
import operator
import sys
from importlib import metadata
from itertools import accumulate, chain
from pathlib import Path

import numpy as np

from . import embed, textindex
from .output import replacing

CACHE_PATH = ".atlas-cache/texts.npz"
_STAMPED_MODULES = (textindex, embed)
_STAMPED_PACKAGES = ("numpy", "wordllama", "tokenizers")
DIM = 256
# The texts each cache file holds, as this process last read or wrote it: an unchanged set is not
# written again, and a file already read is not read again (`mkdocs serve` builds many times).
_ON_DISK: dict[Path, frozenset[str]] = {}


def forget() -> None:
    """Drop what this process knows of the cache files (a process that builds only once)."""
    _ON_DISK.clear()


def stamp() -> str:
    """What the cached results depend on, besides the text itself."""
    digest = hashlib.sha256(sys.version.encode())
    for module in _STAMPED_MODULES:
        digest.update(Path(module.__file__).read_bytes())
    for package in _STAMPED_PACKAGES:
        try:
            digest.update(f"{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{package}=none".encode())
    return digest.hexdigest()


def _pack(strings: list[str]) -> dict[str, np.ndarray]:
    joined = "".join(strings)
    ends = np.cumsum([len(s) for s in strings], dtype=np.int64) if strings else np.zeros(0, dtype=np.int64)
    return {"chars": np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32), "ends": ends}


def _unpack(chars: np.ndarray, ends: np.ndarray) -> list[str]:
    joined = chars.astype(np.uint32).tobytes().decode("utf-32-le")
    starts = [0, *ends[:-1].tolist()]
    return [joined[a:b] for a, b in zip(starts, ends.tolist())]


def load(root: Path) -> int:
    """Fill the in-process memos from the cache; how many texts it held (0 if none or unusable)."""
    if root in _ON_DISK:
        return len(_ON_DISK[root])
    try:
        with np.load(root / CACHE_PATH, allow_pickle=False) as data:
            if str(data["stamp"]) != stamp():
                return 0
            texts = _unpack(data["text_chars"], data["text_ends"])
            vocabulary = [sys.intern(s) for s in _unpack(data["vocab_chars"], data["vocab_ends"])]
            token_ends = data["token_ends"].tolist()
            terms, surfaces = data["terms"].tolist(), data["surfaces"].tolist()
            has_vector, vectors = data["has_vector"], data["vectors"]
            if not (len(texts) == len(token_ends) == len(has_vector) == len(vectors)) or \
                    vectors.shape[1:] != (DIM,) or vectors.dtype != np.float32:
                return 0
            tokens, embedded = {}, {}
            start = 0
            for i, text in enumerate(texts):
                end = token_ends[i]
                tokens[text] = (_pick(vocabulary, terms[start:end]), _pick(vocabulary, surfaces[start:end]))
                if has_vector[i]:
                    embedded[text] = vectors[i].copy()
                start = end
    except Exception:  # noqa: BLE001 - truncated zip, wrong arrays, bad text: all mean "no cache"
        return 0
    _ON_DISK[root] = frozenset(texts)
    for text, value in tokens.items():
        textindex.TOKENISED.setdefault(text, value)
    for text, vector in embedded.items():
        embed.EMBEDDED.setdefault(text, vector)
    return len(texts)


def _pick(vocabulary: list[str], ids: list[int]) -> tuple[str, ...]:
    if not ids:
        return ()
    if len(ids) == 1:
        return (vocabulary[ids[0]],)
    return operator.itemgetter(*ids)(vocabulary)


def save(root: Path, texts: list[str]) -> bool:
    """Remember the results of `texts` (those the memos hold); best effort, like the build cache."""
    texts = sorted({t for t in texts if t in textindex.TOKENISED})
    if _ON_DISK.get(root) == frozenset(texts) and all(t in embed.EMBEDDED for t in texts):
        return False
    tokenised = [textindex.TOKENISED[text] for text in texts]
    # Strings numbered in order of first appearance (each text's terms, then its surfaces), and
    # every text's terms and surfaces as those numbers, one after the other: the loops run in
    # C (dict.fromkeys, map), as millions of `setdefault` calls took ~1 s at 10,000 papers.
    vocabulary = {s: i for i, s in enumerate(dict.fromkeys(chain.from_iterable(chain.from_iterable(tokenised))))}
    number = vocabulary.__getitem__
    terms = list(map(number, chain.from_iterable(text_terms for text_terms, _ in tokenised)))
    surfaces = list(map(number, chain.from_iterable(text_surfaces for _, text_surfaces in tokenised)))
    token_ends = list(accumulate(len(text_terms) for text_terms, _ in tokenised))
    vectors = np.zeros((len(texts), DIM), dtype=np.float32)
    has_vector = np.zeros(len(texts), dtype=bool)
    for i, text in enumerate(texts):
        vector = embed.EMBEDDED.get(text)
        if vector is not None and vector.shape == (DIM,):
            vectors[i], has_vector[i] = vector, True
    text_arrays, vocab_arrays = _pack(texts), _pack(list(vocabulary))
    path = root / CACHE_PATH
    try:
        with replacing(path) as out:
            np.savez(out, stamp=np.array(stamp()), text_chars=text_arrays["chars"], text_ends=text_arrays["ends"],
                     vocab_chars=vocab_arrays["chars"], vocab_ends=vocab_arrays["ends"],
                     token_ends=np.array(token_ends, dtype=np.int64), terms=np.array(terms, dtype=np.int32),
                     surfaces=np.array(surfaces, dtype=np.int32), has_vector=has_vector, vectors=vectors)
    except OSError:
        return False
    _ON_DISK[root] = frozenset(texts)
    return True
