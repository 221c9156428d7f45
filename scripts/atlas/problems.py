"""Problems: what validation returns instead of raising, so every issue is reported at once."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located well enough for a contributor to fix it.

    Rendered as ``path:line: field: message — fix``; `line` is 1-based, 0 when unknown.
    """

    path: str
    line: int
    field: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.field}: {self.message}"
        return f"{text} — {self.fix}" if self.fix else text


class AtlasError(Exception):
    """Raised at the edges (CLI, hook) when inputs have problems; carries all of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(format_problems(self.problems))


def format_problems(problems: list[Problem]) -> str:
    """All problems, one a line, followed by a count, in a stable order."""
    lines = [str(p) for p in sorted(problems)]
    noun = "problem" if len(lines) == 1 else "problems"
    lines.append(f"{len(lines)} {noun} found.")
    return "\n".join(lines)
