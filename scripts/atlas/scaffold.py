"""`atlas new`: one valid entry from a title and an abstract, ready to review and commit.

It is the importer's plan for a single paper (cleaning, links, aliases, suggested tags,
duplicate detection), written with the same YAML writer, and then read back through the
same checks `atlas check` runs, so what it writes is known to pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .checks import check_atlas
from .entry_yaml import dump_entry
from .importer import Candidate, PlannedEntry, plan_import
from .model import Paper, Taxonomy
from .problems import Problem
from .schema import ID_PATTERN, RESERVED_IDS, validate_entry
from .yamlsafe import read_yaml


@dataclass
class Scaffold:
    """What `atlas new` would write: the entry and its text, or the problems that stop it."""

    planned: PlannedEntry | None = None
    text: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.planned.paper.source_path if self.planned else ""


def scaffold_entry(candidate: Candidate, existing: list[Paper], taxonomy: Taxonomy, *, added: str,
                   source: str = "manual", entry_id: str | None = None) -> Scaffold:
    """Plan one entry; refuse a duplicate, a taken or malformed id, or anything the checks reject."""
    where = candidate.origin or "atlas new"
    plan = plan_import([candidate], existing, taxonomy, added=added, source=source)
    if plan.duplicates:
        _, title, existing_id = plan.duplicates[0]
        return Scaffold(problems=[Problem(where, 1, "title", f"'{title}' is already in the atlas: {existing_id}",
                                          "edit that entry instead of adding a new one")])
    planned = plan.new[0]
    if entry_id is not None:
        taken = {p.id for p in existing}
        if not re.match(ID_PATTERN, entry_id) or entry_id in RESERVED_IDS or entry_id in taken:
            why = "is taken" if entry_id in taken else "is not a kebab-case id that may be used"
            return Scaffold(problems=[Problem(where, 1, "id", f"'{entry_id}' {why}",
                                              f"choose another, e.g. {planned.paper.id}")])
        planned.paper = replace(planned.paper, id=entry_id, source_path=f"data/papers/{entry_id}.yaml")
    text = dump_entry(planned.paper)
    return Scaffold(planned, text, verify_entry_text(text, planned.paper.source_path, existing, taxonomy))


def verify_entry_text(text: str, path: str, existing: list[Paper], taxonomy: Taxonomy) -> list[Problem]:
    """Every problem `atlas check` would report for this new file next to the existing entries."""
    file_id = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    doc, problems = read_yaml(text.encode("utf-8"), path)
    if doc is None:
        return problems
    paper, found = validate_entry(doc, path, file_id)
    if paper is None:
        return problems + found
    return [p for p in check_atlas([*existing, paper], taxonomy) if p.path == path]
