"""Suggest taxonomy tags for a paper from its title and abstract, with the evidence.

Rules live next to each tag in `data/taxonomy.yaml` so contributors can read and fix
them: `phrases` (case-insensitive, whole words, hyphen/space-insensitive), `patterns`
(regular expressions), `not` (phrases that veto the tag), `weight` and `min_score`.
A phrase in the title counts double.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .model import Taxonomy

TITLE_BONUS = 2.0
DEFAULT_MIN_SCORE = 1.0


@dataclass(frozen=True)
class Suggestion:
    tag: str
    score: float
    evidence: tuple[str, ...]


@lru_cache(maxsize=4096)
def phrase_pattern(phrase: str) -> re.Pattern:
    """`kv cache` matches "KV cache", "KV-cache" and "KVCache"; whole words only."""
    parts = [re.escape(p) for p in re.split(r"[\s-]+", phrase.strip()) if p]
    body = r"[\s-]?".join(parts)
    return re.compile(rf"(?<![\w]){body}(?![\w])", re.IGNORECASE)


@lru_cache(maxsize=4096)
def _regex(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.IGNORECASE)


def _evidence(rule: dict, title: str, abstract: str) -> tuple[float, list[str]]:
    weight = float(rule.get("weight", 1.0))
    score, found = 0.0, []
    for phrase in rule.get("phrases", ()):
        pattern = phrase_pattern(phrase)
        in_title = bool(pattern.search(title))
        if in_title or pattern.search(abstract):
            score += weight * (TITLE_BONUS if in_title else 1.0)
            found.append(f"'{phrase}'" + (" in title" if in_title else ""))
    for regex in rule.get("patterns", ()):
        pattern = _regex(regex)
        match = pattern.search(title) or pattern.search(abstract)
        if match:
            in_title = bool(pattern.search(title))
            score += weight * (TITLE_BONUS if in_title else 1.0)
            found.append(f"'{match.group(0)}'" + (" in title" if in_title else ""))
    return score, found


def suggest_tags(title: str, abstract: str, taxonomy: Taxonomy) -> list[Suggestion]:
    """Tags whose rules fire, strongest first, each with the phrases that fired."""
    suggestions = []
    text = f"{title}\n{abstract}"
    for tag_id, rule in sorted(taxonomy.rules.items()):
        if not rule:
            continue
        if any(phrase_pattern(p).search(text) for p in rule.get("not", ())):
            continue
        score, found = _evidence(rule, title, abstract)
        if found and score >= float(rule.get("min_score", DEFAULT_MIN_SCORE)):
            suggestions.append(Suggestion(tag_id, round(score, 3), tuple(found)))
    return sorted(suggestions, key=lambda s: (-s.score, s.tag))
