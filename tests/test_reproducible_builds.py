"""The same entries always give byte-identical pages and a byte-identical site/.

Whatever order the files are listed in, whatever PYTHONHASHSEED the process has, wherever
the project lives, and whatever day it is: the sitemap's dates come from SOURCE_DATE_EPOCH,
which `atlas site` takes from the entries when it is not set.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import random
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

import atlas.build
from atlas.build import build_pages
from atlas.sources import read_entries
from site_project import copy_site_project, seed_entries

# Dates long past, so that a sitemap stamped with today's date could not pass for them.
ENTRIES = {name: re.sub(rb"(?m)^added: .*$", f"added: '2025-0{i + 1}-1{i}'".encode(), text)
           for i, (name, text) in enumerate(seed_entries(8).items())}


def tree(folder: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """{relative path: sha256} of every file below `folder`."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.relative_to(folder).as_posix().startswith(skip)}


def run_atlas(root: Path, *args: str, seed: str, epoch: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(PYTHONHASHSEED=seed, NO_MKDOCS_2_WARNING="1")
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = epoch
    return subprocess.run([sys.executable, "-m", "atlas", "--root", str(root), *args], env=env, cwd=root,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)


def test_pages_do_not_depend_on_the_order_files_are_read(make_project, monkeypatch):
    entries = dict(ENTRIES)
    first = sorted(entries)[0]
    entries[first] = entries[first].replace(b"\n", b"\r\n")  # Windows line ends in one entry
    project = make_project(entries)
    _, in_order = build_pages(project)
    assert not [path for path, text in in_order.items() if "\r" in text], "pages have \\n line ends only"
    files, problems = read_entries(project)
    shuffled = list(files.items())
    random.Random(3).shuffle(shuffled)
    monkeypatch.setattr(atlas.build, "read_entries", lambda _project: (dict(reversed(shuffled)), problems))
    _, reordered = build_pages(project)
    assert list(reordered) == list(in_order)
    assert reordered == in_order


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    """The same entries built twice by fresh processes: other folder, file order and hash seed."""
    first = copy_site_project(tmp_path_factory.mktemp("a") / "atlas", ENTRIES)
    second = copy_site_project(tmp_path_factory.mktemp("b") / "elsewhere", dict(reversed(ENTRIES.items())))
    runs = [run_atlas(first, "site", seed="1"), run_atlas(second, "site", seed="2")]
    for run in runs:
        assert run.returncode == 0, run.stdout + run.stderr
    return first, second


@pytest.mark.slow
def test_two_builds_give_identical_generated_pages(two_builds):
    first, second = two_builds
    pages = tree(first / "docs")
    assert "papers/index.md" in pages and len(pages) > 20
    assert pages == tree(second / "docs")


@pytest.mark.slow
def test_two_builds_give_identical_site_trees(two_builds):
    first, second = two_builds
    site = tree(first / "site")
    assert "sitemap.xml.gz" in site and "pagefind/pagefind-entry.json" in site
    assert site == tree(second / "site")


@pytest.mark.slow
def test_sitemap_dates_come_from_the_newest_entry_not_the_clock(two_builds):
    first, _ = two_builds
    newest = max(line.split("'")[1] for text in ENTRIES.values() for line in text.decode().splitlines()
                 if line.startswith("added:"))
    sitemap = (first / "site" / "sitemap.xml").read_text()
    assert {line.strip() for line in sitemap.splitlines() if "lastmod" in line} == {f"<lastmod>{newest}</lastmod>"}
    raw = (first / "site" / "sitemap.xml.gz").read_bytes()
    mtime = struct.unpack("<I", raw[4:8])[0]  # the gzip header's MTIME field
    assert mtime == int(dt.datetime.fromisoformat(newest + "T00:00:00+00:00").timestamp())
    assert gzip.decompress(raw).decode() == sitemap


def test_source_date_epoch_is_honoured_when_set():
    from atlas.model import Paper
    from atlas.sitebuild import source_date_epoch

    papers = [Paper("a", "A", "x", added="2026-11-20"), Paper("b", "B", "x", added="2026-11-27"), Paper("c", "C", "x")]
    assert source_date_epoch(papers, {"SOURCE_DATE_EPOCH": "86400"}) == "86400"
    assert source_date_epoch(papers, {}) == "1795737600"  # 2026-11-27T00:00:00Z
    assert source_date_epoch([], {}) == "0"
