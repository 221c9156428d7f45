"""Terms and TF-IDF vectors for titles and abstracts, as sparse dicts (no N×N matrix).

Tokenisation keeps the terms of this field whole: `Q-GaLore`, `KV cache`, `W4A8`, `FP8`
and `INT4` are single terms, and adjacent content words also form bigrams ("kv cache",
"speculative decoding") so phrases outweigh their common parts.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from operator import itemgetter

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
""".split())
# Spellings that mean the same term.
_SYNONYMS = {"kvcache": "kv-cache", "kv-caches": "kv-cache", "llama": "llama", "finetuning": "fine-tuning",
             "fine-tune": "fine-tuning", "fine-tuned": "fine-tuning", "finetuned": "fine-tuning",
             "finetune": "fine-tuning", "pretraining": "pre-training", "pre-trained": "pre-training",
             "pretrained": "pre-training", "gpus": "gpu", "fpgas": "fpga", "slms": "slm", "mllms": "mllm"}


def _normal(token: str) -> str:
    token = token.lower().rstrip(".")
    token = _SYNONYMS.get(token, token)
    if len(token) > 4 and token.endswith("s") and not token.endswith(("ss", "us", "is")) and "-" not in token:
        token = token[:-1]
    return token


def terms(text: str) -> list[str]:
    """Unigrams (minus stopwords) and bigrams of adjacent content words, in order."""
    words = [_normal(t) for t in _TOKEN.findall(text)]
    result = []
    previous = None
    for word in words:
        if word in STOPWORDS or len(word) < 2 or word.isdigit():
            previous = None
            continue
        result.append(word)
        if previous:
            result.append(f"{previous} {word}")
        previous = word
    return result


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
    counts = Counter(doc_terms)
    weights = {}
    for term, count in counts.items():
        idf = math.log((1 + n_docs) / (1 + df.get(term, 0))) + 1.0
        weights[term] = (1.0 + math.log(count)) * idf
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {term: w / norm for term, w in top}


def build_vectors(texts: dict[str, str], keep: int = 60) -> dict[str, dict[str, float]]:
    """TF-IDF vector per document id, over the given documents only."""
    doc_terms = {key: terms(text) for key, text in texts.items()}
    df = document_frequencies(list(doc_terms.values()))
    return {key: tfidf(t, df, len(doc_terms), keep) for key, t in doc_terms.items()}


# Candidates are gathered from each paper's CANDIDATE_TERMS heaviest terms, reading the
# CHAMPIONS heaviest papers of each term's postings: at most 20 × 40 reads per paper,
# however large the atlas. (A share-only limit let a term in 20% of 10,000 papers make
# 2,000 candidates per paper: quadratic.) Below those sizes nothing is cut.
CANDIDATE_TERMS = 20
CHAMPIONS = 40
# Candidates (ranked by their summed weight products) whose full cosine is computed.
RESCORE = 60


def top_k_similar(vectors: dict[str, dict[str, float]], k: int, max_df_share: float = 0.2,
                  candidates_of=None) -> dict[str, list[tuple[str, float]]]:
    """For each document, the k most cosine-similar others, via an inverted index.

    Terms in more than `max_df_share` of documents are skipped when gathering candidates
    (they would make every document a candidate of every other). Candidates come from
    each document's heaviest terms and, per term, the documents that weigh it most
    ("champion lists"); the best RESCORE of them by summed weight products get the full
    cosine over all kept terms. The work per document is bounded, so the search grows
    linearly with N.
    """
    postings: dict[str, list[tuple[str, float]]] = {}
    for key in sorted(vectors):
        for term, weight in vectors[key].items():
            postings.setdefault(term, []).append((key, weight))
    limit = max(2, int(max_df_share * len(vectors)))
    champions = {term: (sorted(posting, key=lambda kv: (-kv[1], kv[0]))[:CHAMPIONS]
                        if len(posting) > CHAMPIONS else posting)
                 for term, posting in postings.items() if len(posting) <= limit}
    result = {}
    for key in sorted(vectors):
        vector = vectors[key]
        partial: dict[str, float] = {}
        for term, weight in list(vector.items())[:CANDIDATE_TERMS]:  # heaviest first
            for other, other_weight in champions.get(term, ()):
                partial[other] = partial.get(other, 0.0) + weight * other_weight
        if len(vector) > CANDIDATE_TERMS:  # the lighter terms still count, over short postings
            for term, weight in list(vector.items())[CANDIDATE_TERMS:]:
                posting = champions.get(term, ())
                if len(posting) < CHAMPIONS:
                    for other, other_weight in posting:
                        partial[other] = partial.get(other, 0.0) + weight * other_weight
        if candidates_of:
            for other in candidates_of(key):
                partial.setdefault(other, 0.0)
        partial.pop(key, None)
        if len(partial) > RESCORE:
            partial = dict(heapq.nlargest(RESCORE, partial.items(), key=itemgetter(1)))
        scores = [(other, cosine(vector, vectors[other])) for other in partial]
        result[key] = sorted(scores, key=lambda kv: (-kv[1], kv[0]))[:k]
    return result


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    shared = a.keys() & b.keys()  # in C; most pairs share a handful of terms
    if len(shared) > 1:
        # Summed in `a`'s order, as a plain loop over `a` would: the same float, bit for bit.
        return sum(a[t] * b[t] for t in a if t in shared)
    return sum(a[t] * b[t] for t in shared) + 0.0
