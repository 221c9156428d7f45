"""Reuse the pages the last build wrote when a new process builds again (`atlas build` after an edit).

Paper and tag pages are rendered only when a key made of all their inputs is new
(`render.paper_page_keyed`); under `mkdocs serve` those keys and pages stay in memory between
builds. A new process starts with none, so `atlas build` after a one-entry edit rendered all
10,000 paper pages again (~18 s of a 52 s build) to write the same 8–13 files. The last
build's keys are kept in `.atlas-cache/pages.tsv` with the size and modification time of each
page as that build left it; a new process takes the page from docs/ for every key it still
needs if the file still has them (a hand-edited page is rendered again), as the build cache
checks its outputs. (A digest of every page's text held ~20 MB of the build's memory into
MkDocs' part of a 10,000-paper site build, where the 1 GB budget is tightest.) The keys cover
the templates, taxonomy, site URL and every paper a page shows, but not the Python code that
renders them: the file is stamped with that code (and Python's, Jinja's and MarkupSafe's
versions), and any other stamp means an empty cache. Best effort, like the build cache:
anything unreadable means "render".
"""

from __future__ import annotations

import hashlib
import sys
from importlib import metadata
from pathlib import Path

from .memo import Memo
from .output import is_inside, write_atomically
from .sources import Project

CACHE_PATH = ".atlas-cache/pages.tsv"
_CODE_DIR = Path(__file__).resolve().parent
# What this process last read from or wrote to each project's file: {path: (memo name, key,
# file state)}; an unchanged file is not written again (`mkdocs serve` builds often).
_KNOWN: dict[Path, dict[str, tuple[str, str, str]]] = {}


def stamp() -> str:
    """What a page depends on besides its key: the code that renders it."""
    digest = hashlib.sha256(sys.version.encode())
    for package in ("jinja2", "markupsafe"):
        try:
            digest.update(f"\0{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{package}=none".encode())
    for path in sorted(_CODE_DIR.glob("*.py")):
        digest.update(f"\0{path.name}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def file_state(path: Path) -> str | None:
    """"size:modification time (ns)" of a plain file, None for anything else."""
    try:
        stat = path.lstat()
    except OSError:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}" if path.is_file() and not path.is_symlink() else None


def forget() -> None:
    """Drop what this process knows of the cache files (a process that builds only once)."""
    _KNOWN.clear()


def seed(project: Project, memos: dict[str, Memo]) -> int:
    """Put each page the last build wrote, untouched since, into its memo (by name) under
    its key; how many were put."""
    try:
        lines = (project.root / CACHE_PATH).read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError):
        return 0
    if not lines or lines[0] != stamp():
        return 0
    seeded = 0
    known = _KNOWN[project.root] = {}
    for line in lines[1:]:
        fields = line.split("\t")
        if len(fields) != 4:
            continue
        rel, name, key, expected = fields
        memo = memos.get(name)
        if memo is None or not is_inside(project.docs_dir, rel):
            continue
        path = project.docs_dir / rel
        if file_state(path) != expected:
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        memo.keep(key, text)
        known[rel] = (name, key, expected)
        seeded += 1
    return seeded


def record(project: Project, keys: dict[str, tuple[str, str]]) -> None:
    """Remember `{path: (memo name, key)}` of the pages the build just wrote to docs/ (or left
    as they were), with each file's state now."""
    rows = {}
    for rel, (name, key) in sorted(keys.items()):
        state = file_state(project.docs_dir / rel) if is_inside(project.docs_dir, rel) else None
        if state is not None:
            rows[rel] = (name, key, state)
    path = project.root / CACHE_PATH
    if rows == _KNOWN.get(project.root) and path.is_file():
        return
    lines = [stamp()] + [f"{rel}\t{name}\t{key}\t{digest}" for rel, (name, key, digest) in rows.items()]
    try:
        write_atomically(path, ("\n".join(lines) + "\n").encode("utf-8"))
    except OSError:
        _KNOWN.pop(project.root, None)
        return
    _KNOWN[project.root] = rows
