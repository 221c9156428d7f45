"""Decide what an import proposes and say so in Markdown, for the daily pull request.

`apply_scope` splits planned entries into proposed and out-of-scope (each with its
reason); `summary_markdown` is the pull request body: one table row per proposed paper
(title, suggested tags, why it is in scope), then every skipped paper with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .importer import ImportPlan, PlannedEntry
from .model import Taxonomy
from .scope import Scope, judge


@dataclass
class ImportOutcome:
    """Everything one `atlas import` decided, in source order."""

    source: str
    fmt: str
    proposed: list[tuple[PlannedEntry, str]] = field(default_factory=list)  # (entry, why in scope)
    out_of_scope: list[tuple[str, str, str]] = field(default_factory=list)  # (origin, title, reason)
    unreadable: list[tuple[str, str, str]] = field(default_factory=list)  # items the source could not give
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)  # (origin, title, existing)


def apply_scope(plan: ImportPlan, scope: Scope | None, taxonomy: Taxonomy | None,
                outcome: ImportOutcome) -> ImportOutcome:
    """Fill `outcome` from `plan`: without a scope every new entry is proposed."""
    outcome.duplicates = list(plan.duplicates)
    for entry in plan.new:
        if scope is None:
            outcome.proposed.append((entry, "requested explicitly (no topic filter)"))
            continue
        verdict = judge(scope, entry.paper.title, entry.paper.abstract, entry.suggestions, taxonomy)
        if verdict.in_scope:
            outcome.proposed.append((entry, verdict.reason))
        else:
            outcome.out_of_scope.append((entry.origin, entry.paper.title, verdict.reason))
    return outcome


_CELL_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def cell(text: str) -> str:
    """Plain text that stays plain in a GitHub Markdown table cell."""
    return _CELL_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def summary_markdown(outcome: ImportOutcome) -> str:
    """The pull request body for this import (deterministic: source order, no timestamps)."""
    lines = [f"## Paper import from {cell(outcome.source)}", "",
             f"{len(outcome.proposed)} new, {len(outcome.duplicates)} already in the atlas, "
             f"{len(outcome.out_of_scope)} out of scope, {len(outcome.unreadable)} unreadable "
             f"(format: {outcome.fmt}).", ""]
    if outcome.proposed:
        lines += ["| Paper | Suggested tags | Why it is in scope |", "|---|---|---|"]
        for entry, why in outcome.proposed:
            paper = entry.paper
            title = cell(paper.title)
            if paper.arxiv:
                title = f"[{title}](https://arxiv.org/abs/{paper.arxiv})"
            details = []
            if paper.authors:
                details.append(cell(paper.authors[0] + (" et al." if len(paper.authors) > 1 else "")))
            if paper.published:
                details.append(paper.published)
            title += f"<br>`data/papers/{paper.id}.yaml`" + (f" · {' · '.join(details)}" if details else "")
            tags = ", ".join(f"`{s.tag}`" for s in entry.suggestions) or "none (tag by hand)"
            lines.append(f"| {title} | {tags} | {cell(why)} |")
        lines.append("")
    else:
        lines += ["No new paper in scope.", ""]
    for heading, rows in (("Out of scope", outcome.out_of_scope), ("Could not be read", outcome.unreadable),
                          ("Already in the atlas", outcome.duplicates)):
        if rows:
            lines += [f"<details><summary>{heading} ({len(rows)})</summary>", ""]
            lines += [f"- {cell(title)} — {cell(reason)}" for _origin, title, reason in rows]
            lines += ["", "</details>", ""]
    return "\n".join(lines).rstrip("\n") + "\n"
