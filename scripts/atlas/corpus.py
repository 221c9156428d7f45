"""Write a synthetic corpus to disk: a whole project copy, or just its entries.

A project copy (mkdocs.yml, templates, scripts, hand-written docs, taxonomy, entries)
builds on its own with `atlas build --root DIR` or `mkdocs build`, so the benchmark can
measure a 10,000-paper site without touching the real one. Generated pages are not
copied: the copy generates its own.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .entry_yaml import dump_entry
from .model import Paper
from .output import read_manifest
from .sources import Project

_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


def copy_project(source: Project, target: Path) -> Project:
    """Copy everything a build needs except the entries and generated pages."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source.root / "mkdocs.yml", target / "mkdocs.yml")
    # overrides/ is the theme's custom_dir (feed links in <head>): mkdocs.yml refuses to load without it.
    for folder in ("templates", "scripts", "overrides"):
        if (source.root / folder).is_dir():
            shutil.copytree(source.root / folder, target / folder, dirs_exist_ok=True, ignore=_IGNORE)
    generated = set(read_manifest(source.docs_dir))
    for path in sorted(source.docs_dir.rglob("*")):
        rel = path.relative_to(source.docs_dir).as_posix()
        if path.is_file() and rel not in generated and not rel.startswith(".") and \
                not rel.startswith(("papers/", "tags/", "facets/", "api/")) and rel != "index.md":
            (target / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target / "docs" / rel)
    (target / "data").mkdir(exist_ok=True)
    for path in sorted((source.root / "data").iterdir()):
        if path.name != "papers":
            if path.is_dir():
                shutil.copytree(path, target / "data" / path.name, dirs_exist_ok=True)
            else:
                shutil.copy2(path, target / "data" / path.name)
    return Project(target)


def write_entries(papers_dir: Path, papers: list[Paper]) -> int:
    """Replace the YAML entries in `papers_dir` with `papers`; returns how many were written."""
    papers_dir.mkdir(parents=True, exist_ok=True)
    for old in papers_dir.glob("*.yaml"):
        old.unlink()
    for paper in papers:
        (papers_dir / f"{paper.id}.yaml").write_text(dump_entry(paper), encoding="utf-8")
    return len(papers)
