"""A build keeps the collector off what it holds, and leaves nothing frozen behind."""

from __future__ import annotations

import gc

from atlas.build import build
from atlas.heap import build_heap, freeze_long_lived

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
