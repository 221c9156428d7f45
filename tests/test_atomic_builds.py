"""A build that fails — bad entry, crash while rendering, error while writing, MkDocs
refusing — leaves the previous docs/ and site/ exactly as they were; deleting an entry
removes its page and nothing else."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import atlas.output
from atlas import memo
from atlas.build import build
from atlas.problems import AtlasError
from atlas.render import Renderer
from conftest import entry
from site_project import copy_site_project, seed_entries

GOOD = {"galore.yaml": entry("galore", "GaLore Low Rank Training", tags="[pre-training, low-rank]"),
        "flashkv.yaml": entry("flashkv", "FlashKV Cache Quantization", tags="[inference, kv-cache]"),
        "tinyllm.yaml": entry("tinyllm", "TinyLLM On Phones", tags="[small-language-models, mobile-edge]")}


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file's content hash and modification time: 'untouched' means both unchanged."""
    return {p.relative_to(folder).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(make_project):
    project = make_project(GOOD)
    (project.docs_dir / "contributing.md").write_text("# Hand-written\n")
    build(project)
    return project


def test_a_broken_entry_leaves_the_previous_pages_untouched(built):
    before = snapshot(built.docs_dir)
    (built.papers_dir / "flashkv.yaml").write_text(GOOD["flashkv.yaml"].replace("title:", "tittle:"))
    (built.papers_dir / "new.yaml").write_text(entry("new", "A Brand New Paper"))
    with pytest.raises(AtlasError):
        build(built)
    assert snapshot(built.docs_dir) == before


def test_a_crash_while_rendering_leaves_the_previous_pages_untouched(built, monkeypatch):
    before = snapshot(built.docs_dir)
    (built.papers_dir / "galore.yaml").write_text(entry("galore", "GaLore Renamed", tags="[low-rank]"))
    calls = []
    memo.clear_all()  # every page is rendered, none remembered from an earlier build

    def paper_page_that_fails_on_the_second_paper(self, item, *args):
        calls.append(item.paper.id)
        if len(calls) == 2:
            raise RuntimeError("renderer crashed mid-build")
        return original(self, item, *args)

    original = Renderer.paper_page
    monkeypatch.setattr(Renderer, "paper_page", paper_page_that_fails_on_the_second_paper)
    with pytest.raises(RuntimeError):
        build(built)
    assert snapshot(built.docs_dir) == before


def test_files_staged_before_a_crash_while_rendering_are_removed(built, monkeypatch):
    # Files are staged beside their places as they are rendered (while the rest render):
    # a crash after some were staged must leave neither them nor their temporaries.
    before = snapshot(built.docs_dir)
    for name in GOOD:  # every page changes
        (built.papers_dir / name).write_text(GOOD[name].replace("We propose", "We present"))
    memo.clear_all()
    staged = []
    original_stage = atlas.output._stage
    monkeypatch.setattr(atlas.output, "_stage", lambda path, data: staged.append(path) or original_stage(path, data))

    def paper_page_that_crashes(self, item, *args):
        raise RuntimeError("renderer crashed mid-build")

    monkeypatch.setattr(Renderer, "paper_page", paper_page_that_crashes)
    with pytest.raises(RuntimeError):
        build(built)
    assert staged, "files rendered before the paper pages were staged before the crash"
    assert snapshot(built.docs_dir) == before
    assert not list(built.docs_dir.rglob("*.tmp")), "temporary files left behind"


def test_an_error_while_writing_leaves_the_previous_pages_untouched(built, monkeypatch):
    before = snapshot(built.docs_dir)
    for name in GOOD:  # every page changes
        (built.papers_dir / name).write_text(GOOD[name].replace("We propose", "We present"))
    staged = []
    original = atlas.output._stage

    def stage_until_the_disk_is_full(path, data):
        if len(staged) == 2:
            raise OSError(28, "No space left on device", str(path))
        staged.append(path)
        return original(path, data)

    monkeypatch.setattr(atlas.output, "_stage", stage_until_the_disk_is_full)
    with pytest.raises(OSError):
        build(built)
    assert snapshot(built.docs_dir) == before
    assert not list(built.docs_dir.rglob("*.tmp")), "temporary files left behind"


def test_generated_files_get_the_mode_of_any_new_file_not_owner_only(built):
    umask = os.umask(0)
    os.umask(umask)
    modes = {p.relative_to(built.docs_dir).as_posix(): p.stat().st_mode & 0o777
             for p in built.docs_dir.rglob("*") if p.is_file() and p.name != "contributing.md"}
    assert "papers/galore.md" in modes and "api/papers.json" in modes
    assert set(modes.values()) == {0o666 & ~umask}


def test_deleting_an_entry_removes_its_page_and_nothing_else(built):
    (built.papers_dir / "flashkv.yaml").unlink()
    report = build(built)
    assert "papers/flashkv.md" in report.removed
    assert not (built.docs_dir / "papers" / "flashkv.md").exists()
    assert (built.docs_dir / "papers" / "galore.md").is_file()
    assert (built.docs_dir / "contributing.md").read_text() == "# Hand-written\n"
    assert "papers/flashkv.md" not in (built.docs_dir / ".atlas-generated").read_text()


def test_a_manifest_line_pointing_outside_docs_deletes_nothing(built):
    manifest = built.docs_dir / ".atlas-generated"
    manifest.write_text(manifest.read_text() + "../data/taxonomy.yaml\n/etc/hostname\n../mkdocs.yml\n")
    build(built)
    assert (built.root / "data" / "taxonomy.yaml").is_file() and (built.root / "mkdocs.yml").is_file()


def test_an_unchanged_rebuild_writes_nothing(built):
    before = snapshot(built.docs_dir)
    report = build(built)
    assert report.written == [] and report.removed == []
    assert snapshot(built.docs_dir) == before


# --- site/: `atlas site` (what `make site` runs) ---------------------------------------------

def atlas_site(root: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", "atlas", "--root", str(root), "site"], cwd=root, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)


@pytest.fixture(scope="module")
def site_project(tmp_path_factory):
    root = copy_site_project(tmp_path_factory.mktemp("site") / "project", seed_entries(5))
    result = atlas_site(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


@pytest.mark.slow
def test_a_broken_entry_leaves_the_previous_site_untouched(site_project):
    before = snapshot(site_project / "site")
    broken = site_project / "data" / "papers" / "broken.yaml"
    broken.write_text("id: broken\ntitle: [unclosed\n")
    try:
        result = atlas_site(site_project)
    finally:
        broken.unlink()
    assert result.returncode == 1
    assert "data/papers/broken.yaml:2: yaml: syntax error" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(site_project / "site") == before
    assert not list(site_project.glob(".site-*"))


@pytest.mark.slow
def test_a_failing_mkdocs_build_leaves_the_previous_site_and_pages_untouched(site_project):
    before = snapshot(site_project / "site")
    pages_before = {rel: digest for rel, (digest, _) in snapshot(site_project / "docs").items()}
    page = site_project / "docs" / "broken-link.md"
    page.write_text("# Broken\n\n[nowhere](no-such-page.md)\n")  # a warning, so --strict fails
    entry_path = sorted((site_project / "data" / "papers").glob("*.yaml"))[0]
    original = entry_path.read_bytes()
    entry_path.write_bytes(original + b"year: 1999\n")  # shown in papers/index.md and papers.json
    try:
        result = atlas_site(site_project)
    finally:
        page.unlink()
        entry_path.write_bytes(original)
    assert result.returncode == 1
    assert "contains a link 'no-such-page.md'" in result.stderr
    assert "left as they were" in result.stderr
    assert snapshot(site_project / "site") == before
    assert {rel: digest for rel, (digest, _) in snapshot(site_project / "docs").items()} == pages_before
    assert not list(site_project.glob(".site-*"))
