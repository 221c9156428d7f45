"""How papers are named and recognised: ids from titles, normalised titles, system names.

The same paper must be recognised however it arrives (another digest, another casing,
composed or decomposed accents), so duplicates are matched on a normalised title or
the arXiv id.
"""

from __future__ import annotations

import re
import unicodedata

_EDGE_WORDS = {"a", "an", "the", "of", "for", "and", "to", "in", "on", "with", "via", "by", "from",
               "is", "at", "as"}
ID_WORDS = 5
# Phrases that introduce a paper's own system name in an abstract.
_INTRO = re.compile(
    r"\b(?:we\s+(?:propose|present|introduce|develop|design|build|name|call|release)|"
    r"(?:called|dubbed|named|termed|coined)|our\s+(?:method|system|framework|model|approach)s?,?)"
    r"\s+(?:a\s+|an\s+|the\s+)?(?:novel\s+|new\s+|simple\s+)?"
    r"(?P<name>[A-Z][A-Za-z0-9]*(?:[-+][A-Za-z0-9]+)*\+*|[a-z]+[A-Z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)")
# A coined name has a capital inside a word ("DistServe", "HLLM", "GReaTer"); a capitalised
# phrase ("Self-Controlled") or a compound adjective ("LLM-based") is not a name.
_SYSTEM_NAME = re.compile(r"[a-z0-9][A-Z]|[A-Z]{2}")
_DESCRIPTIVE = re.compile(r"-(?:based|aware|free|level|style|like|specific)$")
_GENERIC = {"LLM", "LLMs", "SLM", "SLMs", "MLLM", "MLLMs", "GPU", "GPUs", "AI", "NLP", "API", "SOTA",
            "LoRA", "MoE", "KV", "VQA", "NER", "CPU", "FPGA", "SSD", "TPU", "PRISMA", "SLR", "SLRs"}


def ascii_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return [w for w in re.split(r"[^a-z0-9]+", text.lower()) if w]


def make_id(title: str) -> str:
    """A short kebab-case id: the name before the title's colon, else its first words."""
    match = re.search(r":| -- ", title)
    head, sep = (title[: match.start()], match.group(0)) if match else (title, "")
    words = ascii_words(head)
    if not (sep and len(words) <= 6):
        words = ascii_words(title)[:ID_WORDS]
    while words and words[0] in {"a", "an", "the"}:
        words.pop(0)
    while len(words) > 1 and words[-1] in _EDGE_WORDS:
        words.pop()
    return "-".join(words) or "paper"


def unique_id(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`... when another paper already has it."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def normalize_title(title: str) -> str:
    """NFC, case-folded, punctuation-insensitive, whitespace-collapsed: equal for the same paper."""
    text = unicodedata.normalize("NFC", title).casefold()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def find_aliases(title: str, abstract: str) -> list[str]:
    """Names the paper's own system goes by: the title's short name and "we propose X" names."""
    names: list[str] = []
    head, sep, _ = title.partition(":")
    head = head.strip()
    if sep and len(head.split()) == 1 and len(head) >= 3:
        names.append(head)
    for match in _INTRO.finditer(abstract):
        name = match.group("name").rstrip(".-")
        if _SYSTEM_NAME.search(name) and not _DESCRIPTIVE.search(name) and name not in _GENERIC:
            names.append(name)
    seen, result = set(), []
    for name in names:
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result
