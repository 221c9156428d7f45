"""Key numbers: the quantitative claims of an abstract as data ("22.4× faster prefill speed").

Readers skim an efficiency paper for its headline numbers; this finds them in the cleaned
abstract (textclean has already turned `6.0times` and `\\times` into `×`) with one regular
expression per kind and a few context words for what each number measures. It never
computes or rounds a number for display: `text` is always the literal span
`abstract[start:end]`, so a number that is shown is a number the authors wrote.

Kinds: `speedup` (a factor, ×), `reduction` (a factor or a percentage that lowers something),
`improvement` (a percentage gain), `score` (a percentage result such as accuracy or MFU),
`overhead` (a percentage loss or degradation), `memory` (GB), `precision` (bit widths),
`model-size` (parameters) and `context` (tokens). `value`/`high` are in the kind's unit so a
table can sort them: ×, %, GB, bits, parameters, tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_RANGE_SEP = r"\s*[-–~]\s*"

_FACTOR = re.compile(rf"(?=\d)(?<![\w.,])(?P<a>{NUM})(?:{_RANGE_SEP}(?P<b>{NUM}))?\s?(?:×|[xX](?![\w]))")
_PERCENT = re.compile(rf"(?=\d)(?<![\w.,])(?P<a>{NUM})(?:%?\s*[-–]\s*(?P<b>{NUM}))?%(?![\w])")
_MEMORY = re.compile(rf"(?=\d)(?<![\w.,])(?P<a>{NUM})\s?(?P<u>GB|MB|TB)\b")
_BITS = re.compile(rf"(?<![\w.])(?:(?P<a>{NUM})(?:\s*[-–]\s*(?P<b>{NUM}))?[- ]bits?\b"
                   r"|(?P<fmt>INT|FP|BF)(?P<w>\d{1,2})\b|W(?P<wa>\d{1,2})A(?P<wb>\d{1,2})\b)")
_SIZE = re.compile(rf"(?=\d)(?<![\w.,])(?P<a>{NUM})(?:\s*[-–]\s*(?P<b>{NUM}))?\s?(?P<u>[BM])\b")
_SIZE_WORDS = re.compile(rf"(?=\d)(?<![\w.,])(?P<a>{NUM})[\s-](?P<u>million|billion|trillion)[\s-]param", re.I)
_CONTEXT = re.compile(rf"(?=\d)(?<![\w.,])(?P<a>{NUM})\s?K\b")

SIZE_SCALE = {"M": 1e6, "B": 1e9, "million": 1e6, "billion": 1e9, "trillion": 1e12}
MEMORY_SCALE = {"MB": 1 / 1024, "GB": 1.0, "TB": 1024.0}

REDUCTION_CUES = ("reduc", "lower", "less", "fewer", "saving", "decreas", "cut", "shrink", "smaller", "compress")
IMPROVEMENT_CUES = ("improv", "increas", "outperform", "faster", "higher", "gain", "boost", "speedup", "accelerat", "better", "+")
OVERHEAD_CUES = ("degradation", "loss", "overhead", "drop")
# "2-19x longer contexts", "4.48x more requests": more of something, not a speed.
SCALE_CUES = ("more", "longer", "larger", "bigger", "tighter", "wider", "greater")
SCORE_CUES = ("accuracy", "mfu", "flops utilization", "map", "pass@", "efficienc", "throughput", "utilization", "score")
# A number of thousands that is a count of things, not a context length.
NOT_CONTEXT = ("resolution", "image", "sample", "problem", "question", "pixel")
# Words that end the phrase saying what a number measures.
STOP_WORDS = frozenset("compared than over against while with and or on at when versus vs respectively across "
                       "relative from to via using under for as which that by thereby thus making without "
                       "leading paving showing highlighting further".split())
VERB_CUES = ("improv", "reduc", "accelerat", "outperform", "increas", "lower", "speed", "boost", "decreas", "cut")
QUALIFIERS = (("up to", "up to"), ("an average of", "average"), ("on average", "average"), ("average", "average"),
              ("more than", "more than"), ("over", "more than"), ("less than", "less than"), ("~", "about"),
              (">", "more than"))


@dataclass(frozen=True)
class KeyNumber:
    """One claim: `text` is `abstract[start:end]`; `sentence` is the sentence's (start, end)."""

    kind: str
    value: float
    high: float
    unit: str
    text: str
    measures: str
    qualifier: str
    start: int
    end: int
    sentence: tuple[int, int]

    def as_dict(self) -> dict:
        """The fields in declaration order, as `dataclasses.asdict` would give them (it deep-copies: slow)."""
        return {"kind": self.kind, "value": self.value, "high": self.high, "unit": self.unit, "text": self.text,
                "measures": self.measures, "qualifier": self.qualifier, "start": self.start, "end": self.end,
                "sentence": list(self.sentence)}


def _number(text: str | None) -> float | None:
    return float(text.replace(",", "")) if text else None


def _sentences(abstract: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"(?<=[.!?])\s+(?=[A-Z(])", abstract):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(abstract)))
    return spans


def _clause_before(abstract: str, sentence_start: int, position: int) -> str:
    """The text from the start of the clause up to `position`."""
    before = abstract[sentence_start:position]
    cut = max(before.rfind(","), before.rfind(";"), before.rfind(":"), before.rfind("("))
    return before[cut + 1:]


def _words_after(abstract: str, position: int, sentence_end: int, limit: int = 6) -> list[str]:
    words = []
    for word in abstract[position:sentence_end].split():
        bare = word.strip(",;:.")
        if bare.lower() in STOP_WORDS or not bare or bare.startswith("(e.g") or (words and bare[0].isdigit()):
            break
        words.append(bare)
        if word[-1] in ",;:." or len(words) >= limit:
            break
    if words and words[-1].count("(") < words[-1].count(")"):
        words[-1] = words[-1].rstrip(")")
    return words


def _qualifier(abstract: str, sentence_start: int, start: int) -> str:
    before = abstract[sentence_start:start].lower().rstrip()
    for phrase, name in QUALIFIERS:
        if before.endswith(phrase) and (not phrase[0].isalpha() or before[: -len(phrase)][-1:] in ("", " ")):
            return name
    return ""


# "by" (and a qualifier) right before a number: "reduces memory by up to 65.5%".
_BY_AT_END = re.compile(r"\bby(?: up to| an average of| more than| over| about| ~)?\s*$")


def _after_by(abstract: str, sentence_start: int, start: int) -> bool:
    """Is the number the amount of a change: "... by (up to) 41%"?"""
    return _BY_AT_END.search(abstract[sentence_start:start]) is not None


def _before_by(abstract: str, sentence_start: int, start: int) -> str:
    """For "reduces memory usage by up to 65.5%": the words before "by", from the verb on.

    The "by" is found on its own and the text before it sliced off: a pattern `(.*)by…$`
    was retried from every position of the sentence (~1 s of a 10,000-paper build)."""
    before = abstract[sentence_start:start]
    match = _BY_AT_END.search(before)
    if not match:
        return ""
    # From the start of the line the "by" is on (as far back as `.*` reached) up to the "by".
    segment = before[before.rfind("\n", 0, match.start()) + 1:match.start()]
    earlier = list(re.finditer(r"\bby [^,;]*?\d[^ ]*(?: and)? ", segment))
    if earlier:
        segment = segment[earlier[-1].end():]
    else:
        lowered = segment.lower()
        verbs = [m.start() for m in re.finditer(r"\b(?:%s)\w*" % "|".join(VERB_CUES), lowered)]
        segment = segment[verbs[-1]:] if verbs else " ".join(segment.split()[-4:])
    words = []
    for word in segment.split()[:8]:
        words.append(word.rstrip(",;:"))
        if word[-1] in ",;:":
            break
    return " ".join(words)


def _measures(abstract: str, span: tuple[int, int], end: int, start: int) -> str:
    after = " ".join(_words_after(abstract, end, span[1]))
    if after.startswith("in ") and _after_by(abstract, span[0], start):
        return f"{_before_by(abstract, span[0], start)} {after}".strip()
    if after and after.lower() not in ("speedup", "improvement", "improvements", "increase", "reduction"):
        return after
    before = _before_by(abstract, span[0], start)
    return " ".join(x for x in (before, after) if x) or after


def _has(text: str, cues) -> str | None:
    """The cue nearest the end of `text`, if any."""
    found = [(text.rfind(c), c) for c in cues if c in text]
    return max(found)[1] if found else None


def _change_kind(text: str, default: str | None) -> str | None:
    """The kind of change the cue nearest the end of `text` says."""
    cues = {"reduction": _has(text, REDUCTION_CUES), "improvement": _has(text, IMPROVEMENT_CUES),
            "overhead": _has(text, OVERHEAD_CUES)}
    found = [(text.rfind(c), kind) for kind, c in cues.items() if c]
    return max(found)[1] if found else default


def _percent_kind(abstract: str, span: tuple[int, int], start: int, end: int) -> str | None:
    after = " ".join(_words_after(abstract, end, span[1], limit=3)).lower()
    # "less than 1%" is a qualifier, not a cue that something was reduced.
    clause = re.sub(r"(?:less|more|fewer) than\s*$", "", _clause_before(abstract, span[0], start).lower())
    sentence = abstract[span[0]:start].lower()
    if abstract[start - 1:start] == "+":
        return "improvement"
    if re.search(r"\bonly\s*$", clause):
        return "reduction"  # "requires only 12% of the training data"
    if _after_by(abstract, span[0], start):
        return _change_kind(clause, None) or _change_kind(sentence, "improvement")
    after_kind = _change_kind(after, None)
    if after_kind:
        return after_kind
    if _has(after, SCORE_CUES):
        return "score"
    return _change_kind(clause, None) or ("score" if _has(clause, SCORE_CUES) else None)


def _factor_kind(value: float, abstract: str, span: tuple[int, int], end: int) -> str:
    after = " ".join(_words_after(abstract, end, span[1], limit=3)).lower()
    if value < 1 or _has(after, REDUCTION_CUES):
        return "reduction"
    if after.split(" ", 1)[0] in SCALE_CUES:
        return "improvement"
    return "speedup"


def _in_sentence(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    return next(s for s in spans if s[0] <= position <= s[1])


# abstract -> its key numbers. A paper's numbers are shown on its page, in papers.json and on
# each technique tag page; a build finds them once (in worker processes, see `remember`).
_FOUND: dict[str, tuple[KeyNumber, ...]] = {}


def forget() -> None:
    """Drop every abstract's key numbers (a process that builds only once)."""
    _FOUND.clear()


def extract(abstract: str) -> tuple[KeyNumber, ...]:
    """Every key number in the abstract, in reading order; a repeated literal is listed once."""
    found = _FOUND.get(abstract)
    if found is None:
        found = _FOUND[abstract] = _extract(abstract)
    return found


def remember(abstract: str, numbers: tuple[KeyNumber, ...]) -> None:
    """Record what `extract(abstract)` gave in another process, so that it is not found again here."""
    _FOUND[abstract] = numbers


def not_found(abstracts) -> list[str]:
    """The abstracts (each once, sorted) whose numbers this process has not found yet."""
    return sorted({abstract for abstract in abstracts if abstract not in _FOUND})


def extract_each(abstracts: list[str]) -> list[tuple[KeyNumber, ...]]:
    """`extract` of each abstract: a job for a worker process (see `remember`)."""
    return [extract(abstract) for abstract in abstracts]


# Where a number starts: every pattern but _BITS can only match there (each begins with
# `(?=\d)(?<![\w.,])`), so they are tried at these few places instead of scanning the abstract.
_NUMBER_START = re.compile(r"(?<![\w.,])\d")


def _at_numbers(pattern: re.Pattern, abstract: str, starts: list[int]):
    """`pattern.finditer(abstract)` for a pattern that can only match where a number starts."""
    end = 0
    for start in starts:
        if start >= end:
            match = pattern.match(abstract, start)
            if match:
                yield match
                end = match.end()


def _extract(abstract: str) -> tuple[KeyNumber, ...]:
    spans = _sentences(abstract)
    starts = [m.start() for m in _NUMBER_START.finditer(abstract)]
    found: list[KeyNumber] = []

    def add(kind, value, high, unit, m_start, m_end, measures=None):
        span = _in_sentence(spans, m_start)
        text = abstract[m_start:m_end]
        measured = measures if measures is not None else _measures(abstract, span, m_end, m_start)
        found.append(KeyNumber(kind, value, high if high is not None else value, unit, text, measured,
                               _qualifier(abstract, span[0], m_start), m_start, m_end, span))

    for m in _at_numbers(_FACTOR, abstract, starts):
        a, b = _number(m["a"]), _number(m["b"])
        span = _in_sentence(spans, m.start())
        kind = _factor_kind(a, abstract, span, m.end()) if not _after_by(abstract, span[0], m.start()) else \
            ("reduction" if _change_kind(abstract[span[0]:m.start()].lower(), "") == "reduction" else "speedup")
        add(kind, a, b, "×", m.start(), m.end())
    for m in _at_numbers(_PERCENT, abstract, starts):
        span = _in_sentence(spans, m.start())
        kind = _percent_kind(abstract, span, m.start(), m.end())
        if kind:
            add(kind, _number(m["a"]), _number(m["b"]), "%", m.start(), m.end())
    for m in _at_numbers(_MEMORY, abstract, starts):
        scale = MEMORY_SCALE[m["u"]]
        add("memory", _number(m["a"]) * scale, None, "GB", m.start(), m.end())
    for m in _BITS.finditer(abstract):
        if m["fmt"]:
            bits = float(m["w"])
            fmt = {"INT": "integer", "FP": "floating-point", "BF": "bfloat"}[m["fmt"]]
            add("precision", bits, None, "bits", m.start(), m.end(), measures=f"{fmt} format")
        elif m["wa"]:
            add("precision", float(m["wa"]), float(m["wb"]), "bits", m.start(), m.end(),
                measures="weight / activation bits")
        else:
            span = _in_sentence(spans, m.start())
            add("precision", _number(m["a"]), _number(m["b"]), "bits", m.start(), m.end(),
                measures=" ".join(_words_after(abstract, m.end(), span[1], limit=2)))
    for m in _at_numbers(_SIZE, abstract, starts):
        m_start, low = m.start(), m["a"]
        if m["b"] and abstract[m.start() - 1:m.start()] == "-":
            m_start, low = m.start("b"), m["b"]  # "LLaMA-3.1-8B" is one size in a name, not a range
        following = abstract[m.end():m.end() + 40].lower()
        if following.lstrip().startswith("token"):
            continue  # "19.7B tokens" is a data size
        if m["u"] == "M" and abstract[m.start() - 1:m.start()] != "-" and "param" not in following[:25] \
                and "model" not in following[:12]:
            continue  # "6M descriptions", "1.8M pixel": counts, not model sizes
        scale = SIZE_SCALE[m["u"]]
        b = _number(m["b"]) if low == m["a"] else None
        token = re.search(r"[\w.\-]*$", abstract[:m_start]).group(0)
        measures = f"{token}{abstract[m_start:m.end()]}" if token.endswith("-") and token[:-1] else None
        add("model-size", _number(low) * scale, b * scale if b else None, "parameters", m_start, m.end(),
            measures=measures or "parameters")
    for m in _at_numbers(_SIZE_WORDS, abstract, starts):
        end = m.start() + len(m.group(0)) - len("param") - 1
        add("model-size", _number(m["a"]) * SIZE_SCALE[m["u"].lower()], None, "parameters", m.start(), end,
            measures="parameters")
    for m in _at_numbers(_CONTEXT, abstract, starts):
        span = _in_sentence(spans, m.start())
        following = abstract[m.end():m.end() + 20].lower()
        before = abstract[max(span[0], m.start() - 60):m.start()].lower()
        if any(w in following for w in NOT_CONTEXT):
            continue
        if following.lstrip().startswith("token") or any(w in before for w in ("context", "sequence", "length")):
            add("context", _number(m["a"]) * 1000, None, "tokens", m.start(), m.end(),
                measures="context length" if "context" in before else "sequence length")
    found = _share_measures(sorted(found, key=lambda k: (k.start, k.kind)), abstract)
    unique, seen = [], set()
    for number in sorted(found, key=lambda k: (k.start, k.kind)):
        if (number.kind, number.text) in seen or any(o.start < number.end and number.start < o.end for o in unique):
            continue
        seen.add((number.kind, number.text))
        unique.append(number)
    return tuple(unique)


def _share_measures(numbers: list[KeyNumber], abstract: str) -> list[KeyNumber]:
    """"by 33.5% and 20.1%", "3X and 1.9X, respectively": the second says what the first does."""
    out: list[KeyNumber] = []
    for number in numbers:
        previous = out[-1] if out else None
        if (not number.measures and previous and previous.kind == number.kind
                and re.fullmatch(r"\s*(?:,|and|, and)\s*", abstract[previous.end:number.start])):
            number = KeyNumber(**{**number.__dict__, "measures": previous.measures})
        out.append(number)
    return out


HEADLINE_KINDS = ("speedup", "reduction", "improvement")


def sort_key(number: KeyNumber) -> tuple:
    """Kinds in a fixed order, biggest claim first within each: the table's static order."""
    order = ("speedup", "reduction", "improvement", "score", "overhead", "memory", "precision", "model-size",
             "context")
    return (order.index(number.kind), -number.high, number.text)


def table_rows(items) -> list[tuple]:
    """(paper, key number) for a tag page's table: every paper's numbers, biggest claim first per kind."""
    rows = [(item, number) for item in items for number in extract(item.paper.abstract)]
    return sorted(rows, key=lambda row: (sort_key(row[1]), row[0].paper.id))
