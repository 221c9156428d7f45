"""What every importer returns: candidates, the items it skipped (with why), and problems."""

from __future__ import annotations

from dataclasses import dataclass

from .importer import Candidate
from .problems import Problem


@dataclass(frozen=True)
class SourceRead:
    """One source read into candidates. `problems` are fatal; `skipped` items are only listed.

    `skipped` holds (origin, title, reason); `chrome` is digest page chrome that was ignored;
    `arxiv_ids` maps normalised titles to ids (the digest's side table).
    """

    candidates: tuple[Candidate, ...] = ()
    skipped: tuple[tuple[str, str, str], ...] = ()
    problems: tuple[Problem, ...] = ()
    chrome: tuple[str, ...] = ()
    arxiv_ids: tuple[tuple[str, str], ...] = ()
