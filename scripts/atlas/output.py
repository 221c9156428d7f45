"""Write generated files: only when their content changed, and all-or-nothing per build.

Writing an unchanged file would retrigger `mkdocs serve`'s watcher forever and make
incremental rebuilds slow, so each file is compared first. A manifest records what the
build generated, so that files of deleted entries are removed and hand-written docs are
never touched. Everything is rendered in memory before the first write, so a build that
fails leaves the previous output as it was.
"""

from __future__ import annotations

import os
import secrets
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

MANIFEST = ".atlas-generated"


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"{len(self.written)} written, {len(self.removed)} removed, {self.unchanged} unchanged"


def write_atomically(path: Path, data: bytes) -> None:
    """`path` holds `data` or what it held before, never part of it: written beside it under
    a name of its own and renamed over it. Two builds of one project at once (`make serve`
    and `make site`) each write their own temporary file (a shared `x.tmp` could be
    truncated by one while the other renames it)."""
    _commit(_stage(path, data))


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A new file to write `path`'s next content into (as `write_atomically`, for writers
    that stream, such as numpy's savez); it replaces `path` when the block ends without error."""
    with _new_file_beside(path) as (handle, tmp):
        yield handle
    try:
        _commit((tmp, path))
    except BaseException:
        os.unlink(tmp)
        raise


def _stage(path: Path, data: bytes) -> tuple[str, Path]:
    """Write `data` to a temporary file beside `path`; return (temporary, final)."""
    with _new_file_beside(path) as (handle, tmp):
        handle.write(data)
    return tmp, path


@contextmanager
def _new_file_beside(path: Path) -> Iterator[tuple[BinaryIO, str]]:
    """A new temporary file beside `path`, open for writing, and its name; removed if the
    block fails.

    The file is created with the mode any new file gets (0666 less the umask: rw-r--r--
    usually), not mkstemp's owner-only 0600, which a rename would carry over to the page."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_beside(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle, tmp
    except BaseException:
        os.unlink(tmp)
        raise


def _create_beside(path: Path) -> tuple[int, str]:
    """A new, empty, hidden temporary file in `path`'s folder, open for writing."""
    for _ in range(100):
        tmp = os.path.join(path.parent, f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {path}")


def _commit(staged: tuple[str, Path]) -> None:
    os.replace(*staged)


def is_inside(root: Path, rel: str) -> bool:
    """True when `rel` is a plain relative path that stays below `root` (no `..`, no absolute).

    Plain string work, the same answer as PurePosixPath(rel).parts: a no-op build checks every
    line of a 10,000-paper manifest, and pathlib took a third of its time.
    """
    parts = [part for part in rel.split("/") if part not in ("", ".")]
    return bool(parts) and not rel.startswith("/") and ".." not in parts and "\\" not in rel


def read_manifest(root: Path) -> list[str]:
    """Paths the last build generated. A line that points outside `root` is ignored: the
    manifest is a file in the tree, and a committed one must not make a build delete elsewhere."""
    path = root / MANIFEST
    if not path.is_file() or path.is_symlink():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line and not line.startswith("#") and is_inside(root, line)]


def write_tree(root: Path, files: dict[str, str]) -> WriteReport:
    """Make `root` hold exactly `files` among generated paths; touch only what changed."""
    writing = StagedWrite(root)
    try:
        writing.stage(files)
    except BaseException:
        writing.discard()
        raise
    return writing.commit(files)


class StagedWrite:
    """A build's files staged as they come, then put in place all at once (`write_tree`).

    Every changed file is first written to a hidden temporary file beside its place; only
    when all of them are (`commit`) are they renamed into place and the files of deleted
    entries removed. If anything fails before, `discard` removes the temporaries and `root`
    is exactly as it was. Staging as the pages are rendered lets this process create the
    files (~0.2-0.5 ms of the kernel's time each, on one core: 10,000 paper pages) while
    worker processes render the rest, instead of after them.
    """

    def __init__(self, root: Path):
        self.root = root
        self.staged: dict[str, tuple[str, Path]] = {}
        self.unchanged: set[str] = set()

    def stage(self, files: dict[str, str]) -> None:
        """Stage those of `files` whose content differs from what `root` holds."""
        outside = sorted(rel for rel in files if not is_inside(self.root, rel))
        if outside:
            raise ValueError(f"refusing to write outside {self.root}: {outside}")
        for rel in sorted(files):
            path = self.root / rel
            data = files[rel].encode("utf-8")
            self._forget(rel)
            if path.is_file() and not path.is_symlink() and path.read_bytes() == data:
                self.unchanged.add(rel)
            else:
                self.staged[rel] = _stage(path, data)

    def _forget(self, rel: str) -> None:
        """Drop what was staged for `rel` before (a file given again)."""
        self.unchanged.discard(rel)
        earlier = self.staged.pop(rel, None)
        if earlier is not None and os.path.exists(earlier[0]):
            os.unlink(earlier[0])

    def discard(self) -> None:
        for tmp, _ in self.staged.values():
            if os.path.exists(tmp):
                os.unlink(tmp)
        self.staged.clear()

    def commit(self, files: dict[str, str]) -> WriteReport:
        """Make `root` hold exactly `files` among generated paths: the staged ones renamed into
        place (any of `files` not staged yet is staged first), the rest of the last build's removed."""
        missing = {rel: text for rel, text in files.items() if rel not in self.staged and rel not in self.unchanged}
        extra = [rel for rel in [*self.staged, *self.unchanged] if rel not in files]
        try:
            for rel in extra:
                self._forget(rel)
            self.stage(missing)
        except BaseException:
            self.discard()
            raise
        report = WriteReport(unchanged=len(self.unchanged))
        for rel in sorted(self.staged):
            _commit(self.staged[rel])
            report.written.append(rel)
        self.staged.clear()
        for rel in read_manifest(self.root):
            if rel not in files:
                path = self.root / rel
                if path.is_file() or path.is_symlink():
                    path.unlink()
                    report.removed.append(rel)
                    _remove_empty_parents(path.parent, self.root)
        manifest = "# Files written by `atlas build`; removed when their entry is deleted.\n" + \
            "".join(f"{rel}\n" for rel in sorted(files))
        manifest_path = self.root / MANIFEST
        if not manifest_path.is_file() or manifest_path.read_text(encoding="utf-8") != manifest:
            write_atomically(manifest_path, manifest.encode("utf-8"))
        return report


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def read_generated(root: Path) -> dict[str, str]:
    """The files the last build generated, as `write_tree` takes them: to put them back later."""
    files = {}
    for rel in read_manifest(root):
        path = root / rel
        if path.is_file() and not path.is_symlink():
            files[rel] = path.read_text(encoding="utf-8")
    return files


class GeneratedFiles:
    """Paths under docs/ that `atlas build` writes: those in its manifest, and its hidden files
    (the manifest itself, temporary files). `mkdocs serve` ignores changes to them: the
    build that wrote them is the one already running. The manifest is read again only when
    it changed."""

    def __init__(self, docs: Path):
        self.docs = docs
        self.stamp: int | None = None
        self.paths: set[str] = set()

    def covers(self, path: str) -> bool:
        if os.path.basename(path).startswith("."):
            return True  # the manifest itself, and the writer's temporary files
        try:
            stamp = os.stat(self.docs / MANIFEST).st_mtime_ns
        except OSError:
            return False
        if stamp != self.stamp:
            self.stamp, self.paths = stamp, set(read_manifest(self.docs))
        return os.path.relpath(path, self.docs).replace(os.sep, "/") in self.paths
