"""Rebuilds in one process (`mkdocs serve`) reuse per-paper results, and come out exactly as
a build from nothing would.

Every test here runs with ATLAS_MEMO_CHECK=1 (set for the whole suite in conftest.py): each
remembered result is also computed afresh, and any difference fails the build.
"""

from __future__ import annotations

import shutil

import pytest

from atlas import memo
from atlas.build import build, load_inputs
from atlas.corpus import copy_project, write_entries
from atlas.memo import Memo, MemoError
from atlas.output import read_manifest
from atlas.sources import Project
from atlas.synth import synth_papers

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built_once(tmp_path_factory, repo_project):
    """A 150-paper project built once in this process, and every memo as that build left them."""
    inputs, problems = load_inputs(repo_project)
    assert not problems
    project = copy_project(repo_project, tmp_path_factory.mktemp("memo") / "built")
    write_entries(project.papers_dir, synth_papers(inputs.papers, 150))
    build(project, use_cache=False)
    assert memo.holds_results()
    return project, _memo_state()


def _memo_state() -> list:
    return [(m, dict(m._last), dict(m._now)) for m in memo._ALL]


def _restore(state: list) -> None:
    for m, last, now in state:
        m._last, m._now = dict(last), dict(now)


@pytest.fixture
def project_pair(tmp_path, built_once):
    """A copy of the project built once, this process remembering exactly what that build
    left (as `mkdocs serve` does after its first build), and a way to build a copy from nothing."""
    built, state = built_once
    shutil.copytree(built.root, tmp_path / "served", symlinks=True)
    project = Project(tmp_path / "served")
    _restore(state)

    def cold(edited: Project) -> dict[str, bytes]:
        """docs/ of a copy of `edited` built with every memo empty."""
        root = tmp_path / "cold"
        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(edited.root, root, symlinks=True)
        for rel in read_manifest(root / "docs"):
            (root / "docs" / rel).unlink()
        saved = _memo_state()
        memo.clear_all()
        try:
            build(Project(root), use_cache=False)
        finally:
            _restore(saved)
        return _docs(Project(root))

    return project, cold


def _docs(project: Project) -> dict[str, bytes]:
    return {rel: (project.docs_dir / rel).read_bytes() for rel in read_manifest(project.docs_dir)}


def _edit(path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, 1))


EDITS = {
    # A paper others link to and name: their pages print its title.
    "a named paper's title": lambda p: _edit(p.papers_dir / "galore.yaml", "title: '", "title: 'Renamed "),
    "an abstract": lambda p: _edit(p.papers_dir / "alisa.yaml", "abstract: >-\n",
                                   "abstract: >-\n  A new first sentence about KV cache compression.\n"),
    "a curated paper's tags": lambda p: _edit(p.papers_dir / "galore.yaml", "tags: [", "tags: [quantization, "),
    "a tag's name": lambda p: _edit(p.taxonomy_path, 'name: "Pre-training"', 'name: "Pretraining"'),
    "a template": lambda p: _edit(p.templates_dir / "paper.html.j2", "Related papers", "Closest papers"),
}


@pytest.mark.parametrize("what", list(EDITS))
def test_a_rebuild_after_an_edit_equals_a_build_from_nothing(project_pair, what):
    project, cold = project_pair
    EDITS[what](project)
    build(project)
    assert _docs(project) == cold(project)


def test_a_second_edit_in_the_same_process_equals_a_build_from_nothing(project_pair):
    project, cold = project_pair
    EDITS["an abstract"](project)
    build(project)
    EDITS["a named paper's title"](project)
    build(project)
    assert _docs(project) == cold(project)


def test_a_key_that_misses_an_input_is_caught_by_the_check(monkeypatch):
    monkeypatch.setenv(memo.CHECK_ENV, "1")
    remembered = Memo("test")
    remembered.keep("key", "result computed from input 1")
    with pytest.raises(MemoError):
        remembered.get("key", lambda: "result computed from input 2")
    assert remembered.get("key", lambda: "result computed from input 1") == "result computed from input 1"


def test_a_memo_keeps_only_the_results_of_the_latest_build():
    remembered = Memo("test")
    remembered.keep("old", 1)
    remembered.new_build()
    remembered.get("old", lambda: 1)
    remembered.keep("new", 2)
    remembered.new_build()
    assert remembered.knows("new") and not remembered.knows("old")


def test_unless_known_does_the_work_only_for_a_new_key_and_checks_a_known_one(monkeypatch):
    monkeypatch.setenv(memo.CHECK_ENV, "0")
    remembered = Memo("test")
    remembered.keep("known", "page")
    assert remembered.unless_known("known", lambda: pytest.fail("a remembered result is not made again")) is None
    assert remembered.unless_known("new", lambda: "fresh page") == "fresh page"
    monkeypatch.setenv(memo.CHECK_ENV, "1")
    assert remembered.unless_known("known", lambda: "page") is None
    with pytest.raises(MemoError):
        remembered.unless_known("known", lambda: "another page")
