"""Read the project's inputs from disk: entries, taxonomy, and the docs tree's safety.

This is one of the edges of the pure core. Symlinks are refused anywhere under the
entries and docs folders: MkDocs follows them and the Pages upload would publish
whatever they point at.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem


@dataclass(frozen=True)
class Project:
    """Where things live, relative to the project root."""

    root: Path

    @property
    def papers_dir(self) -> Path:
        return self.root / "data" / "papers"

    @property
    def taxonomy_path(self) -> Path:
        return self.root / "data" / "taxonomy.yaml"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def docs_dir(self) -> Path:
        return self.root / "docs"

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()


def find_symlinks(folder: Path, project: Project) -> list[Problem]:
    """Every symlink below `folder` (not followed), as a problem."""
    problems = []
    if folder.is_symlink():
        return [Problem(project.rel(folder), 1, "file", "is a symbolic link", "replace it with a real folder")]
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            if path.is_symlink():
                problems.append(Problem(project.rel(path), 1, "file", "is a symbolic link",
                                        "replace it with a regular file; links can publish files from outside the site"))
    return problems


def read_entries(project: Project) -> tuple[dict[str, bytes], list[Problem]]:
    """Bytes of every file in data/papers/ keyed by project-relative path, plus symlink problems."""
    problems = find_symlinks(project.papers_dir, project)
    files: dict[str, bytes] = {}
    if not project.papers_dir.is_dir():
        return files, problems + [Problem(project.rel(project.papers_dir), 0, "folder", "is missing",
                                          "create it and add entries as <id>.yaml")]
    for path in sorted(project.papers_dir.iterdir()):
        if path.is_symlink() or not path.is_file() or path.name.startswith("."):
            continue
        files[project.rel(path)] = path.read_bytes()
    return files, problems
