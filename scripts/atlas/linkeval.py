"""Measure the atlas's links against pairs an expert would draw (`atlas eval-links`).

The expert list (`tests/data/expected_links.yaml`) holds unordered pairs, each with a
one-line reason and a `holdout` flag: holdout pairs were never looked at while tuning
related.py, so their share tells whether the tuning generalises. A pair counts as linked
when either paper lists the other as related (a mention alone does not count). Precision
is approximated by the share of related links whose two papers share a meaningful tag.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Atlas
from .problems import Problem
from .related import STRONG_SCORE, meaningful_tags
from .yamlsafe import read_yaml

_FIX = "write each pair as {a: id, b: id, reason: '...', holdout: true|false}"


@dataclass(frozen=True)
class ExpertPair:
    a: str
    b: str
    reason: str
    holdout: bool


@dataclass(frozen=True)
class Share:
    hits: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.hits / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.hits}/{self.total} = {self.percent:.1f}%"


@dataclass(frozen=True)
class LinkReport:
    tuning: Share
    holdout: Share
    tag_precision: Share
    reciprocated: Share
    strong_reciprocated: Share
    papers: int
    papers_without_related: int
    mention_links: int
    missed: tuple[ExpertPair, ...]
    untagged_links: tuple[tuple[str, str], ...]


def read_expert_pairs(raw: bytes, path: str, known_ids: set[str]) -> tuple[list[ExpertPair], list[Problem]]:
    """The pairs of an expected-links file, or the problems that make it unusable."""
    document, problems = read_yaml(raw, path)
    if document is None:
        return [], problems
    items = document.data.get("pairs") if isinstance(document.data, dict) else None
    if not isinstance(items, list):
        return [], problems + [Problem(path, document.line(), "pairs", "missing or not a list", _FIX)]
    pairs, seen = [], set()
    for index, item in enumerate(items):
        line = document.line("pairs", index)
        if not isinstance(item, dict):
            problems.append(Problem(path, line, "pairs", "a pair must be a mapping", _FIX))
            continue
        a, b, reason, holdout = (item.get(k) for k in ("a", "b", "reason", "holdout"))
        for key, value in (("a", a), ("b", b)):
            if value not in known_ids:
                problems.append(Problem(path, document.line("pairs", index, key), key,
                                        f"{value!r} is not a paper id", "use an id from data/papers/"))
        if not isinstance(reason, str) or not reason.strip():
            problems.append(Problem(path, line, "reason", "every pair needs a one-line reason", _FIX))
        if not isinstance(holdout, bool):
            problems.append(Problem(path, line, "holdout", "must be true or false", _FIX))
        key = frozenset((a, b)) if isinstance(a, str) and isinstance(b, str) else None
        if a == b:
            problems.append(Problem(path, line, "b", "a pair needs two different papers", _FIX))
        elif key in seen:
            problems.append(Problem(path, line, "pairs", f"duplicate pair {a} / {b}", "keep one"))
        seen.add(key)
        if isinstance(a, str) and isinstance(b, str) and isinstance(reason, str) and isinstance(holdout, bool):
            pairs.append(ExpertPair(a, b, reason.strip(), holdout))
    return pairs, problems


def evaluate_links(atlas: Atlas, pairs: list[ExpertPair]) -> LinkReport:
    """Recall on the expert pairs (tuning and holdout apart) and tag precision of all links."""
    by_id = atlas.by_id
    related = {pid: {link.paper_id for link in item.related} for pid, item in by_id.items()}
    strong = [(pid, link.paper_id) for pid, item in sorted(by_id.items()) for link in item.related
              if link.score >= STRONG_SCORE]

    def linked(pair: ExpertPair) -> bool:
        return pair.b in related.get(pair.a, ()) or pair.a in related.get(pair.b, ())

    tuning = [p for p in pairs if not p.holdout]
    holdout = [p for p in pairs if p.holdout]
    links = sorted((pid, other) for pid, others in related.items() for other in others)
    untagged = tuple((a, b) for a, b in links
                     if not meaningful_tags(by_id[a].paper) & meaningful_tags(by_id[b].paper))
    return LinkReport(
        tuning=Share(sum(map(linked, tuning)), len(tuning)),
        holdout=Share(sum(map(linked, holdout)), len(holdout)),
        tag_precision=Share(len(links) - len(untagged), len(links)),
        reciprocated=Share(sum(1 for a, b in links if a in related[b]), len(links)),
        strong_reciprocated=Share(sum(1 for a, b in strong if a in related[b]), len(strong)),
        papers=len(by_id),
        papers_without_related=sum(1 for others in related.values() if not others),
        mention_links=sum(len(item.mentions) for item in atlas.papers),
        missed=tuple(p for p in pairs if not linked(p)),
        untagged_links=untagged,
    )


def format_report(report: LinkReport) -> str:
    """A plain-text table, then the pairs and links that fell short."""
    rows = [
        ("expert pairs linked (tuning)", str(report.tuning)),
        ("expert pairs linked (holdout)", str(report.holdout)),
        ("expert pairs linked (all)", str(Share(report.tuning.hits + report.holdout.hits,
                                                report.tuning.total + report.holdout.total))),
        ("related links sharing a meaningful tag", str(report.tag_precision)),
        ("related links listed both ways", str(report.reciprocated)),
        (f"strong links (score >= {STRONG_SCORE}) listed both ways", str(report.strong_reciprocated)),
        ("papers", str(report.papers)),
        ("papers without related papers", str(report.papers_without_related)),
        ("mention links", str(report.mention_links)),
    ]
    width = max(len(label) for label, _ in rows)
    lines = [f"{'measure':<{width}}  value", f"{'-' * width}  {'-' * 20}"]
    lines += [f"{label:<{width}}  {value}" for label, value in rows]
    if report.missed:
        lines += ["", "expert pairs not linked:"]
        lines += [f"  {p.a} / {p.b}{' (holdout)' if p.holdout else ''}: {p.reason}" for p in report.missed]
    if report.untagged_links:
        lines += ["", "related links without a meaningful shared tag:"]
        lines += [f"  {a} -> {b}" for a, b in report.untagged_links]
    return "\n".join(lines) + "\n"
