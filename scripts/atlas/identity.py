"""How papers are named and recognised: ids from titles, normalised titles, system names.

The same paper must be recognised however it arrives (another digest, another casing,
composed or decomposed accents), so duplicates are matched on a normalised title or
the arXiv id.
"""

from __future__ import annotations

import re
import unicodedata

from .urls import find_urls

_EDGE_WORDS = {"a", "an", "the", "of", "for", "and", "to", "in", "on", "with", "via", "by", "from",
               "is", "at", "as"}
ID_WORDS = 5
# A name as written: "GaLore", "Q-GaLore", "FlashDecoding++", "mllm-NPU", "mmMamba", "DC²".
_NAME = r"(?:[A-Z][\w²³]*(?:[-+][\w²³]+)*\+*|[a-z]+[A-Z][\w²³]*(?:-[\w²³]+)*|[a-z][a-z0-9]*(?:-[\w²³]+)+)"
# Phrases that introduce a paper's own system name in an abstract. The phrase is matched
# case-insensitively ("We propose", "Our method,"); the name itself is case-sensitive.
_INTRO = re.compile(
    r"(?i:\b(?:(?:we|this\s+(?:work|paper))\s+(?:propose|present|introduce|develop|design|build|name|call|release)s?"
    r"|(?:called|dubbed|named|termed|coined)"
    r"|(?:our|the|an?)\s+(?:[a-z-]+\s+){0,2}(?:method|system|framework|model|approach|tool|technique|algorithm"
    r"|library|benchmark|engine)s?,)"
    r"\s+(?:(?:a|an|the)\s+(?:[a-z-]+\s+){0,3}(?:method|system|framework|model|approach|tool|technique"
    r"|algorithm|library|benchmark|engine)s?,?\s+)?(?:a\s+|an\s+|the\s+)?(?:novel\s+|new\s+|simple\s+)?)"
    rf"(?P<name>{_NAME})"
    # "we present Weight Low-Rank Projection (WeLore)": the short name in parentheses.
    rf"(?:(?:,?\s+[A-Z][\w-]*|\s+(?:and|of|for|with)){{0,6}},?\s+\((?P<short>{_NAME})\))?"
    # What follows the name: "bipolar-INT data format" uses a term as an adjective.
    r"(?P<next>\s+[a-z]+)?")
# Variants of a found name that the same abstract uses: "mmMamba-linear", "MiniCPM-MoE".
_VARIANT_SUFFIX = r"-[\w²³]+(?:-[\w²³]+)*"
# A coined name has a capital inside a word ("DistServe", "HLLM", "GReaTer"); a capitalised
# phrase ("Self-Controlled") or a compound adjective ("LLM-based") is not a name.
_SYSTEM_NAME = re.compile(r"[a-z0-9][A-Z]|[A-Z]{2}|[²³]")
_DESCRIPTIVE = re.compile(r"-(?:based|aware|free|level|style|like|specific|only|scale|wise|efficient|optimized"
                         r"|tuned|enabled|powered|driven|centric|oriented|agnostic|generated|enhanced|page)$")
# Two- and three-letter acronyms ("RT", "SCM", "PO") collide with too many other things.
_SHORT_ACRONYM = re.compile(r"^[A-Z]{2,3}$")
_GENERIC = {"LLM", "LLMs", "SLM", "SLMs", "MLLM", "MLLMs", "GPU", "GPUs", "AI", "NLP", "API", "SOTA",
            "LoRA", "MoE", "KV", "VQA", "NER", "CPU", "FPGA", "SSD", "TPU", "PRISMA", "SLR", "SLRs",
            "LLaMA", "GPT-4", "GPT-4V", "ChatGPT", "NVIDIA", "LLVM", "LLVMs", "MLLM-based"}


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


def _is_system_name(name: str) -> bool:
    return (bool(_SYSTEM_NAME.search(name)) and not _DESCRIPTIVE.search(name) and name not in _GENERIC
            and not _SHORT_ACRONYM.match(name))


def find_aliases(title: str, abstract: str) -> list[str]:
    """Names the paper's own system goes by, in order of appearance.

    The title's short name ("GaLore: ..."); names after "we propose / present / introduce X",
    "this work introduces X", "our method, X", "an analytical tool, X", "called / dubbed X";
    a short name in parentheses after a long one ("Weight Low-Rank Projection (WeLore)");
    and variants of a found name in the same abstract ("mmMamba-linear"). Contributors
    correct the result in the entry's `aliases:`.
    """
    names: list[str] = []
    head, sep, _ = title.partition(":")
    head = head.strip()
    if sep and len(head.split()) == 1 and len(head) >= 3:
        names.append(head)
    position = 0
    while match := _INTRO.search(abstract, position):
        # Resume right after the name, not the whole match: "we introduce a new MLLM named
        # Cube-LLM" rejects "MLLM" and then finds "named Cube-LLM".
        position = match.end("name")
        name = match.group("name").rstrip(".-")
        # "a novel bipolar-INT data format": a lower-case term used as an adjective.
        attributive = re.match(r"[a-z0-9]+-", name) and match.group("next") and not match.group("short")
        if _is_system_name(name) and not attributive:
            names.append(name)
        if match.group("short") and _is_system_name(match.group("short")):
            names.append(match.group("short"))
    in_urls = find_urls(abstract)
    for name in list(names):
        for variant in re.finditer(rf"(?<![\w-]){re.escape(name)}{_VARIANT_SUFFIX}(?![\w-])", abstract):
            inside_url = any(a <= variant.start() < b for a, b, _ in in_urls)
            if not inside_url and not _DESCRIPTIVE.search(variant.group(0)):
                names.append(variant.group(0))
    seen, result = set(), []
    for name in names:
        if name not in seen:
            seen.add(name)
            result.append(name)
    return result
