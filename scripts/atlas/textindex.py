"""Terms and TF-IDF vectors for titles and abstracts, as sparse dicts (no N×N matrix).

Tokenisation keeps the terms of this field whole: `Q-GaLore`, `W4A8`, `FP8`, `INT4` and
`4-bit` are single terms, `KV cache`, `KV-cache`, `KVCache` and `key-value cache` are the
same term, and adjacent content words also form bigrams ("speculative decoding") so phrases
outweigh their common parts. A coined compound also counts its parts (`Q-GaLore` says
`GaLore`), which is how a follow-up paper's text finds the paper it builds on.

Words are reduced to a light stem (`quantized`, `quantization` -> `quant`) so that the
same idea in different grammar matches; `surface_forms` remembers how each term was
written, so readers see "KV cache" and "quantization", never a stem.
"""

from __future__ import annotations

import functools
import math
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import partial

from .parallel import run_all

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-+.][A-Za-z0-9]+)*\+*")
STOPWORDS = frozenset("""
a about above across after again against all also although among an and any are as at be because been
before being below between both but by can could did do does doing during each either et etc few for
from further had has have having here how however i if in into is it its itself just large language
languages model models llm llms lm lms may more most much must new no nor not of off on once one only or
other our ours out over own paper propose proposed present show shows such than that the their them then
there these they this those through to too under until up upon use used uses using various very via was
we well were what when where which while who whose why will with within without would yet approach
approaches method methods results result work based existing significantly significant different
furthermore moreover specifically achieve achieves achieving compared performance efficient
efficiency demonstrate demonstrates experiments extensive including improve improves address
addresses challenge challenges novel state art e.g i.e e g via across like even many often
up to x times up while key value presents presented two three four first second several provide provides
enable enables make makes aware
""".split())
# Spellings of one term, after lower-casing; the value is how the term is written canonically.
_SYNONYMS = {"kvcache": "kv-cache", "kvcaches": "kv-cache", "kv-caches": "kv-cache", "key-value": "kv",
             "finetuning": "fine-tuning", "fine-tune": "fine-tuning", "fine-tuned": "fine-tuning",
             "finetuned": "fine-tuning", "finetune": "fine-tuning", "pretraining": "pre-training",
             "pre-trained": "pre-training", "pretrained": "pre-training", "pretrain": "pre-training",
             "gpus": "gpu", "fpgas": "fpga", "slms": "slm", "mllms": "mllm", "npus": "npu"}
# Suffixes stripped by the light stemmer, longest first; the stem keeps at least 4 letters.
_SUFFIXES = ("izations", "ization", "isation", "ations", "ation", "ments", "ment", "ities", "ity", "ness",
             "ings", "ing", "ized", "ised", "izes", "ises", "ize", "ise", "ers", "er", "ed", "es", "s", "e")
_MIN_STEM = 4


@functools.lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A deliberately light English stem: enough to meet `quantized` and `quantization`."""
    if not word.isalpha() or len(word) <= _MIN_STEM:
        return word
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                return word
            return word[: -len(suffix)]
    return word


def _is_content(word: str) -> bool:
    return len(word) >= 2 and word not in STOPWORDS and not word.replace(".", "").isdigit()


@functools.lru_cache(maxsize=1 << 16)
def _readable(surface: str) -> str:
    """Title Case and sentence-start capitals say nothing about a term: lower them.

    A capital inside a word ("GaLore", "KV", "FP8", "Q-GaLore") is part of a name: the word stays.
    """
    def name_like(part: str) -> bool:
        return len(part) == 1 or any(c.isupper() or c.isdigit() for c in part[1:])

    return " ".join(w if any(name_like(p) for p in w.split("-")) else w.lower() for w in surface.split(" "))


def terms_with_surface(text: str) -> list[tuple[str, str]]:
    """(term, as written) pairs: unigrams minus stopwords, compounds, and bigrams, in order."""
    result: list[tuple[str, str]] = []
    append = result.append
    previous: tuple[str, str] | None = None
    plans = _PLANS
    for gap, token in _GAP_AND_TOKEN.findall(text):
        # Punctuation between two words ends a phrase: no bigram across "cache. Speculative".
        if gap and gap != " " and gap.strip():
            previous = None
        plan = plans.get(token) or _plan(token)
        items, word = plan
        if word is None:
            result.extend(items)
            previous = None
            continue
        append(word)
        if previous:
            append((f"{previous[0]} {word[0]}", f"{previous[1]} {word[1]}"))
        previous = word
    return result


# What each token (as written) adds, learnt once per distinct token: abstracts repeat their
# words, and this made tokenising 10,000 of them ~8x faster than working each one out again.
_GAP_AND_TOKEN = re.compile(r"([^A-Za-z0-9]*)(" + _TOKEN.pattern + ")")
_PLANS: dict[str, tuple[tuple[tuple[str, str], ...], tuple[str, str] | None]] = {}


def _plan(token: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, str] | None]:
    """(pairs, word) for one token: a plain content word is `word`, which also pairs with the
    words either side of it into bigrams; a stopword is neither; a compound ("Q-GaLore",
    "low-rank") gives its fixed pairs and, like a stopword, ends the phrase."""
    plan = _PLANS[token] = _work_out(token)
    return plan


def _work_out(surface: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, str] | None]:
    lowered = _SYNONYMS.get(surface.lower(), surface.lower())
    if lowered == "kv":
        surface = "KV"
    parts = lowered.split("-")
    if len(parts) == 1:
        return ((), (stem(lowered), surface)) if _is_content(lowered) else ((), None)
    result: list[tuple[str, str]] = []
    previous: tuple[str, str] | None = None

    def word(term: str, surface: str) -> None:
        nonlocal previous
        if not _is_content(term):
            previous = None
            return
        term = stem(term)
        result.append((term, surface))
        if previous:
            result.append((f"{previous[0]} {term}", f"{previous[1]} {surface}"))
        previous = (term, surface)

    surface_parts = surface.split("-") if len(surface.split("-")) == len(parts) else parts
    if lowered == "kv-cache":
        surface_parts = ["KV", "cache"]
    plain_pair = len(parts) == 2 and all(p.isalpha() and len(p) >= 2 for p in parts)
    if not plain_pair:
        # A coined compound ("Q-GaLore", "4-bit", "MiniCPM-Llama3-V") is a term of its own.
        result.append((lowered, surface))
    # "low-rank" is written as it was; "pretrained" is shown as "pre-training".
    pair_surface = " ".join(surface_parts) if lowered == "kv-cache" else (
        surface if surface.lower() == lowered else lowered)
    if plain_pair and not (_is_content(parts[0]) and _is_content(parts[1])):
        # "LLM-based", "pre-training": the compound is the term, whatever its parts are.
        result.append((f"{stem(parts[0])} {stem(parts[1])}", pair_surface))
    # A compound's parts pair with each other, not with the words around it.
    for part, part_surface in zip(parts, surface_parts):
        word(part, part_surface)
    if plain_pair and _is_content(parts[0]) and _is_content(parts[1]):
        term, _ = result.pop()
        result.append((term, pair_surface))
    return tuple(result), None


# text -> (terms, surfaces): filled as texts are tokenised, and from `.atlas-cache/` by `atlas.textcache`.
TOKENISED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def forget() -> None:
    """Drop every text's terms and the word caches (a process that builds only once)."""
    TOKENISED.clear()
    _PLANS.clear()
    stem.cache_clear()
    _readable.cache_clear()


def tokenised(text: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`terms_with_surface(text)` as (terms, surfaces), remembered and interned.

    Related-paper search and the tagger's neighbour search read the same titles and
    abstracts, and tokenising is the slowest step of both: each text is tokenised once per
    process (`mkdocs serve` keeps the process, so an edit re-tokenises one entry). Interned
    strings keep 10,000 remembered texts to a few tens of MB.
    """
    known = TOKENISED.get(text)
    if known is None:
        pairs = terms_with_surface(text)
        known = TOKENISED[text] = (tuple(sys.intern(term) for term, _ in pairs),
                                   tuple(sys.intern(surface) for _, surface in pairs))
    return known


def tokenise_each(texts: list[str]) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    return [tokenised(text) for text in texts]


def terms(text: str) -> list[str]:
    """The terms of `text`, in order (see `terms_with_surface`)."""
    return list(tokenised(text)[0])


def surface_forms(texts: dict[str, str]) -> dict[str, str]:
    """How each term is most often written across `texts`, for showing terms to readers."""
    return TextIndex.build(texts).surface


# How many more candidates than asked for get an exact cosine after the partial ranking.
SHORTLIST = 3


def document_frequencies(docs: list[list[str]]) -> Counter:
    df: Counter = Counter()
    for doc in docs:
        df.update(set(doc))
    return df


def tfidf(doc_terms: list[str], df: Counter, n_docs: int, keep: int = 60) -> dict[str, float]:
    """Sublinear TF × smoothed IDF, L2-normalised, keeping the `keep` heaviest terms.

    Keeping a fixed number of terms per document bounds the work of every later
    similarity search, which is what keeps related-paper search linear in N.
    """
    frequency = df.get
    return _weighted(doc_terms, lambda term: _idf(n_docs, frequency(term, 0)), keep)


def tfidf_all(doc_terms: dict[str, list[str]], df: Counter, keep: int = 60) -> dict[str, dict[str, float]]:
    """`tfidf` of every document of a corpus (`df` counted over them): each term's IDF is computed
    once for the corpus instead of once per document it is in."""
    idf = {term: _idf(len(doc_terms), count) for term, count in df.items()}
    return {key: _weighted(terms, idf.__getitem__, keep) for key, terms in doc_terms.items()}


def _weighted(doc_terms: list[str], idf, keep: int) -> dict[str, float]:
    # (-weight, term) pairs sort heaviest first, ties by term; negating a float is exact, so
    # the weights, their order and the norm's sum are the same as with the weights themselves.
    tf = _TF
    ranked = sorted([(-((tf[count] if count < _TF_KNOWN else _tf(count)) * idf(term)), term)
                     for term, count in Counter(doc_terms).items()])[:keep]
    norm = math.sqrt(sum([w * w for w, _ in ranked])) or 1.0
    return {term: -w / norm for w, term in ranked}


@functools.lru_cache(maxsize=1 << 16)
def _idf(n_docs: int, df: int) -> float:
    """Smoothed IDF; a corpus has few distinct document frequencies, so each is computed once."""
    return math.log((1 + n_docs) / (1 + df)) + 1.0


@functools.lru_cache(maxsize=1 << 10)
def _tf(count: int) -> float:
    """Sublinear term frequency."""
    return 1.0 + math.log(count)


# `_tf` of the counts most terms have, looked up by index (count 0 never occurs).
_TF_KNOWN = 64
_TF = [0.0] + [_tf(count) for count in range(1, _TF_KNOWN)]


def build_vectors(texts: dict[str, str], keep: int = 60) -> dict[str, dict[str, float]]:
    """TF-IDF vector per document id, over the given documents only."""
    return TextIndex.build(texts, keep).vectors


@dataclass(frozen=True)
class TextIndex:
    """Everything one tokenisation pass gives: vectors, document frequencies, surface forms."""

    vectors: dict[str, dict[str, float]]
    df: Counter
    surface: dict[str, str]

    @classmethod
    def build(cls, texts: dict[str, str], keep: int = 60) -> "TextIndex":
        doc_terms: dict[str, list[str]] = {}
        written_as: Counter = Counter()  # (term, as written) -> occurrences, counted in C
        for key in sorted(texts):
            doc_terms[key], surfaces = tokenised(texts[key])
            written_as.update(zip(doc_terms[key], surfaces))
        seen: dict[str, Counter] = defaultdict(Counter)  # terms in order of first occurrence
        for (term, written), count in written_as.items():
            seen[term][written] += count
        df = document_frequencies(list(doc_terms.values()))
        vectors = tfidf_all(doc_terms, df, keep)
        surface = {}
        for term, counts in seen.items():
            readable: Counter = Counter()
            for written, count in counts.items():
                readable[_readable(written)] += count
            surface[term] = min(readable.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        return cls(vectors, df, surface)


# Of a term's postings only the CHAMPIONS heaviest papers are read when gathering
# candidates: at most (terms per paper) × 64 reads per paper, however large the atlas.
# (A share-only limit let a term in 20% of 10,000 papers make 2,000 candidates per
# paper: quadratic.) In a small atlas nothing is cut.
CHAMPIONS = 64


def top_k_similar(vectors: dict[str, dict[str, float]], k: int, max_df_share: float = 0.2,
                  candidates_of=None, min_postings: int = 32,
                  max_postings: int = 256, parallel: bool = False,
                  rescore=None) -> dict[str, list[tuple[str, float]]]:
    """For each document, the k most cosine-similar others, via an inverted index.

    Dot products are accumulated along the postings of each document's terms, skipping
    terms in more than `max_df_share` of documents (but never in more than `max_postings`,
    and never in fewer than `min_postings`, so a small atlas of similar papers still finds
    its neighbours): those would make every document a candidate of every other, and a
    fixed ceiling keeps the walk per document bounded however large the atlas grows; of a
    long posting only its CHAMPIONS heaviest documents are walked ("champion lists"). The best `SHORTLIST × k` candidates then get their
    exact cosine over all kept terms. The work is the length of the postings walked,
    not N². Both steps run in numpy (`atlas.sparsedot`), summing every float in the order
    the plain loops did, so the links are the same to the last bit. Each batch of documents
    is independent of the others: with `parallel` the batches are shared among worker
    processes (`atlas.parallel`). `rescore(key, top k)`, if given, turns each document's
    top k into what is returned, in the worker that found them: a caller's further work
    per document runs in parallel too.
    """
    from .sparsedot import Postings, SparseRows  # numpy: imported only when searching

    keys = sorted(vectors)
    postings: dict[str, list[tuple[int, float]]] = {}
    for row, key in enumerate(keys):
        for term, weight in vectors[key].items():
            postings.setdefault(term, []).append((row, weight))
    limit = max(min_postings, min(max_postings, int(max_df_share * len(vectors))))
    champions = Postings(len(keys), {
        term: (sorted(posting, key=lambda kv: (-kv[1], kv[0]))[:CHAMPIONS] if len(posting) > CHAMPIONS else posting)
        for term, posting in postings.items() if len(posting) <= limit})
    row_of = {key: row for row, key in enumerate(keys)}
    exact = SparseRows([vectors[key] for key in keys])
    jobs = [partial(_batch_top_k, champions, exact, vectors, keys, row_of, first, k, candidates_of, rescore)
            for first in range(0, len(keys), _ROWS_PER_BATCH)]
    result = {}
    for part in run_all(jobs, parallel):
        result.update(part)
    return result


def _batch_top_k(champions, exact, vectors: dict[str, dict[str, float]], keys: list[str], row_of: dict[str, int],
                 first: int, k: int, candidates_of, rescore) -> dict[str, list[tuple[str, float]]]:
    """`top_k_similar` for the documents keys[first:first + _ROWS_PER_BATCH]."""
    from .sparsedot import best_rows

    batch = keys[first:first + _ROWS_PER_BATCH]
    partials = champions.dot_rows([vectors[key] for key in batch])
    pairs: list[tuple[int, list[int]]] = []
    for offset, key in enumerate(batch):
        row = first + offset
        partial_dots = partials[offset]
        partial_dots[row] = 0.0
        # Highest partial first, ties by id (rows are in id order), as heapq.nsmallest would pick.
        shortlist = set(best_rows(partial_dots, SHORTLIST * k))
        if candidates_of:
            shortlist.update(row_of[other] for other in candidates_of(key))
        shortlist.discard(row)
        pairs.append((row, sorted(shortlist)))
    # The exact cosine over all kept terms, for the shortlists only (see `SparseRows.dots`).
    firsts = [row for row, others in pairs for _ in others]
    seconds = [other for _, others in pairs for other in others]
    scores_in_order = iter(exact.dots(firsts, seconds))
    result = {}
    for row, others in pairs:
        scores = [(keys[other], next(scores_in_order)) for other in others]
        top = sorted(scores, key=lambda kv: (-kv[1], kv[0]))[:k]
        result[keys[row]] = top if rescore is None else rescore(keys[row], top)
    return result


# Rows of partial dot products computed at once: 256 × 10,000 papers is 20 MB of floats.
_ROWS_PER_BATCH = 256


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Dot product of two L2-normalised sparse vectors, summed in the order of the shorter one.

    The order is part of the result (float addition is not associative): pages stay
    byte-identical only if every build sums the same terms in the same order.
    """
    if len(a) > len(b):
        a, b = b, a
    return sum([a[t] * b[t] for t in a if t in b], 0.0)
