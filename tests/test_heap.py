"""A build keeps the collector off what it holds, and leaves nothing frozen behind."""

from __future__ import annotations

import gc

from atlas.build import build
from atlas import memo
from atlas.heap import build_heap, freeze_long_lived, release_after_last_build

from conftest import entry


def test_a_build_freezes_between_stages_and_unfreezes_at_its_end(make_project, monkeypatch):
    frozen_counts = []
    real_freeze = gc.freeze

    def freeze():
        real_freeze()
        frozen_counts.append(gc.get_freeze_count())

    monkeypatch.setattr(gc, "freeze", freeze)
    project = make_project({"a.yaml": entry("a"), "b.yaml": entry("b")})
    build(project)
    assert frozen_counts and frozen_counts[-1] > 0
    assert gc.get_freeze_count() == 0  # a long-lived `mkdocs serve` collects past builds' garbage


def test_outside_a_build_nothing_is_frozen():
    freeze_long_lived()
    assert gc.get_freeze_count() == 0
    with build_heap():
        with build_heap():
            freeze_long_lived()
        assert gc.get_freeze_count() > 0  # the inner build ended, the outer one still runs
    assert gc.get_freeze_count() == 0


def test_a_process_that_builds_once_lets_go_of_what_rebuilds_would_reuse(make_project):
    project = make_project({"a.yaml": entry("a"), "b.yaml": entry("b")})
    build(project, use_cache=False)
    assert memo.holds_results()  # pages, parsed entries... kept for a next build
    release_after_last_build()
    assert not memo.holds_results()
    assert build(project, use_cache=False).written == []  # a later build still works, and finds docs/ current
