"""A throw-away copy of the real project (config, hook, templates, hand-written docs) for
tests that run MkDocs itself; entries are chosen by the test."""

from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def generated_docs_paths() -> list[str]:
    """docs/ paths that `atlas build` generates, as listed in .gitignore (`/docs/...`)."""
    lines = (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()
    return [line[len("/docs/"):].rstrip("/") for line in lines if line.startswith("/docs/")]


def copy_site_project(dest: Path, entries: dict[str, str | bytes]) -> Path:
    """`dest` holds the project without its entries or generated pages, plus `entries`."""
    skip = set(generated_docs_paths())
    dest.mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(REPO / "scripts", dest / "scripts", ignore=ignore)
    shutil.copytree(REPO / "templates", dest / "templates")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    (dest / "data" / "papers").mkdir(parents=True)
    shutil.copy(REPO / "data" / "taxonomy.yaml", dest / "data" / "taxonomy.yaml")
    # Other tests build the real project meanwhile (in other workers): its docs/ then holds
    # hidden staging files (`.feed.xml.<hash>.tmp`) that vanish as they are renamed into place.
    for path in sorted((REPO / "docs").rglob("*")):
        rel = path.relative_to(REPO / "docs")
        if path.is_dir() or path.is_symlink() or path.name.startswith(".") or \
                any(fnmatch.fnmatch(rel.as_posix(), s) or rel.as_posix().startswith(s + "/") for s in skip):
            continue
        (dest / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        try:
            shutil.copy(path, dest / "docs" / rel)
        except FileNotFoundError:  # a generated file the other build just removed
            continue
    for name, text in entries.items():
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (dest / "data" / "papers" / name).write_bytes(data)
    return dest


def seed_entries(count: int) -> dict[str, bytes]:
    """The first `count` seed entries of the real atlas, by file name."""
    paths = sorted((REPO / "data" / "papers").glob("*.yaml"))[:count]
    return {path.name: path.read_bytes() for path in paths}
