"""Which papers belong in the atlas at all: the topic filter for streamed imports.

A daily feed covers all of AI; the atlas covers one field. `data/scope.yaml` says what is
in it: `include` phrases (at least one must appear in the title or abstract), `exclude`
phrases (any one rules a paper out) and `min_confidence` (the tagger's best score for a
tag in one of the `facets` listed, default all, must reach it: "we propose" makes any paper
a `method`, so the topic facets are the ones that say whether it belongs). A taxonomy with
no tagger rules at all skips the confidence check, and the reason says so. Phrases match like tagger phrases: whole words, case- and hyphen-insensitive.
Every decision carries its reason, so a maintainer can see why a paper was proposed or not.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Taxonomy
from .problems import Problem
from .tagger import Suggestion, phrase_pattern
from .yamlsafe import read_yaml

SCOPE_PATH = "data/scope.yaml"
_KEYS = {"include", "exclude", "min_confidence", "facets"}


@dataclass(frozen=True)
class Scope:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    min_confidence: float = 0.0
    facets: tuple[str, ...] = ()  # empty: tags of every facet count


@dataclass(frozen=True)
class Verdict:
    in_scope: bool
    reason: str


def load_scope(raw: bytes, path: str = SCOPE_PATH) -> tuple[Scope | None, list[Problem]]:
    """Parse `data/scope.yaml`; problems name the line and the fix."""
    doc, problems = read_yaml(raw, path)
    if doc is None:
        return None, problems
    data = doc.data
    if not isinstance(data, dict):
        return None, [Problem(path, doc.line(), "file", "expected a mapping",
                              "write include:, exclude: and min_confidence: keys")]
    for key in data:
        if key not in _KEYS:
            problems.append(Problem(path, doc.line(key), key, "unknown key", f"use {', '.join(sorted(_KEYS))}"))
    lists = {}
    for key in ("include", "exclude", "facets"):
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(Problem(path, doc.line(key), key, "expected a list of phrases",
                                    f"write e.g. {key}: [language model, LLM]"))
            value = []
        lists[key] = tuple(v.strip() for v in value)
    confidence = data.get("min_confidence", 0)
    if isinstance(confidence, bool) or not isinstance(confidence, (int, float)) or confidence < 0:
        problems.append(Problem(path, doc.line("min_confidence"), "min_confidence",
                                f"expected a number ≥ 0, got {confidence!r}", "write e.g. min_confidence: 2"))
        confidence = 0
    if problems:
        return None, problems
    return Scope(lists["include"], lists["exclude"], float(confidence), lists["facets"]), []


def _found(phrases: tuple[str, ...], title: str, abstract: str) -> list[str]:
    # The tagger's phrase patterns match lowercased text (see tagger.phrase_pattern).
    title, abstract = title.lower(), abstract.lower()
    hits = []
    for phrase in phrases:
        pattern = phrase_pattern(phrase)
        if pattern.search(title):
            hits.append(f"'{phrase}' in title")
        elif pattern.search(abstract):
            hits.append(f"'{phrase}'")
    return hits


def judge(scope: Scope, title: str, abstract: str, suggestions: list[Suggestion],
          taxonomy: Taxonomy | None = None) -> Verdict:
    """In or out of scope, and why (the phrases and tags that decided it)."""
    if scope.facets and taxonomy is not None:
        tags = taxonomy.tags
        suggestions = [s for s in suggestions if s.tag in tags and tags[s.tag].facet in scope.facets]
    excluded = _found(scope.exclude, title, abstract)
    if excluded:
        return Verdict(False, f"excluded phrase{'s' if len(excluded) > 1 else ''} {', '.join(excluded)}")
    included = _found(scope.include, title, abstract)
    if scope.include and not included:
        return Verdict(False, "no include phrase from data/scope.yaml appears")
    # A taxonomy without tagger rules cannot be confident about anything: say so, do not block.
    rules_known = taxonomy is None or any(taxonomy.rules.values())
    best = max((s.score for s in suggestions), default=0.0)
    if rules_known and best < scope.min_confidence:
        return Verdict(False, f"no taxonomy tag fits well enough (tagger confidence {best:g} "
                              f"below {scope.min_confidence:g})")
    reasons = []
    if included:
        reasons.append("mentions " + ", ".join(included[:3]))
    if suggestions:
        reasons.append("tagged " + ", ".join(f"{s.tag} ({s.score:g})" for s in suggestions[:3]))
    if not rules_known and scope.min_confidence:
        reasons.append("confidence not checked (data/taxonomy.yaml has no tagger rules)")
    return Verdict(True, "; ".join(reasons) or "no scope rules")
