"""Clean abstracts copied from PDFs and LaTeX sources into readable plain text.

Digests are copy-pasted: LaTeX commands survive half-rendered (`6.0times`, `sim5%`,
`M\\'elange`). Each rule is one (pattern, replacement, reason) so that the importer can
list every change it made, and a contributor can see why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_ACCENTS = {"'": "\u0301", "`": "\u0300", "^": "\u0302", '"': "\u0308", "~": "\u0303", "c": "\u0327"}
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Change:
    """One edit the cleaner made: what was there, what replaced it, and why."""

    before: str
    after: str
    rule: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.before!r} -> {self.after!r}"


def _accent(match: re.Match) -> str:
    return unicodedata.normalize("NFC", match.group("letter") + _ACCENTS[match.group("accent")])


# Order matters: LaTeX commands first, then half-rendered remnants, then spacing.
_RULES: list[tuple[str, re.Pattern, object]] = [
    ("LaTeX \\url{} to plain URL", re.compile(r"\\url\{([^}\s]*)\}?"), r" \1 "),
    ("LaTeX accent to letter", re.compile(r"\{?\\(?P<accent>['`^\"~])\{?(?P<letter>[A-Za-z])\}?\}?"), _accent),
    ("LaTeX \\times to ×", re.compile(r"\$?\\times\$?"), "×"),
    ("LaTeX \\sim to ~", re.compile(r"\$?\\sim\$?\s?"), "~"),
    ("LaTeX \\% to %", re.compile(r"\\%"), "%"),
    ("LaTeX math dollars removed", re.compile(r"\$([^$]{1,20})\$"), r"\1"),
    ("bare 'times' after a number to ×", re.compile(r"(?<=\d)times\b"), "×"),
    ("bare 'sim' between quantities to ~", re.compile(r"(?<=\d[A-Za-z]) sim (?=\d)"), " ~ "),
    ("bare 'sim' before a number to ~", re.compile(r"(?<![A-Za-z])sim\s?(?=\d)"), "~"),
    ("caret exponent to superscript", re.compile(r"(?<=[A-Za-z])\^(\d+)\b"),
     lambda m: m.group(1).translate(_SUPERSCRIPTS)),
    ("stray ~ between sentences to a space", re.compile(r"(?<=[.!?])~(?=[A-Z])"), " "),
    ("repeated spaces collapsed", re.compile(r"[ \t]{2,}"), " "),
    ("space before punctuation removed", re.compile(r" +(?=[.,;:](?:\s|$))"), ""),
]


def clean_text(text: str) -> tuple[str, list[Change]]:
    """Return `text` cleaned of LaTeX and copy-paste remnants, with every change made."""
    changes: list[Change] = []
    text = unicodedata.normalize("NFC", text)
    for rule, pattern, replacement in _RULES:
        def record(match: re.Match, rule=rule, replacement=replacement) -> str:
            after = replacement(match) if callable(replacement) else match.expand(replacement)
            if after != match.group(0):
                changes.append(Change(match.group(0), after, rule))
            return after
        text = pattern.sub(record, text)
    stripped = text.strip()
    return stripped, changes
