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
    """Every symlink below `folder` (not followed), as a problem.

    Uses `os.scandir`, whose entries know whether they are links without another system
    call: the docs folder holds a page per paper, so this runs over thousands of files.
    """
    if folder.is_symlink():
        return [Problem(project.rel(folder), 1, "file", "is a symbolic link", "replace it with a real folder")]
    links: list[str] = []
    _collect_links(str(folder), links)
    return [Problem(project.rel(Path(path)), 1, "file", "is a symbolic link",
                    "replace it with a regular file; links can publish files from outside the site")
            for path in links]


def _collect_links(folder: str, links: list[str]) -> None:
    with os.scandir(folder) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    links.extend(e.path for e in entries if e.is_symlink())
    for entry in entries:
        if not entry.is_symlink() and entry.is_dir(follow_symlinks=False):
            _collect_links(entry.path, links)


def read_entries(project: Project) -> tuple[dict[str, bytes], list[Problem]]:
    """Bytes of every file in data/papers/ keyed by project-relative path, plus symlink problems."""
    problems = find_symlinks(project.papers_dir, project)
    files: dict[str, bytes] = {}
    if not project.papers_dir.is_dir():
        return files, problems + [Problem(project.rel(project.papers_dir), 0, "folder", "is missing",
                                          "create it and add entries as <id>.yaml")]
    prefix = project.rel(project.papers_dir) + "/"
    with os.scandir(project.papers_dir) as scan:
        entries = sorted(scan, key=lambda e: e.name)
    for item in entries:
        if item.is_symlink() or item.name.startswith("."):
            continue
        if item.is_dir():  # its entries would be left out without a word
            problems.append(Problem(prefix + item.name, 0, "folder", "entries in a subfolder are not read",
                                    f"move its files into {prefix} (one <id>.yaml each) and remove the folder"))
            continue
        if not item.is_file():
            continue
        with open(item.path, "rb") as handle:
            files[prefix + item.name] = handle.read()
    return files, problems
