"""A build keeps the collector off what it holds, and leaves nothing frozen behind."""

from __future__ import annotations

import gc
import os
import platform
import sys

import pytest

from atlas.build import build
from atlas import embed, keynumbers, memo, textindex
from atlas.heap import build_heap, freeze_long_lived, release_after_last_build, return_free_memory

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
    per_text = {"terms": textindex.TOKENISED, "embeddings": embed.EMBEDDED, "key numbers": keynumbers._FOUND}
    assert all(per_text.values()), "each text's terms, embedding and key numbers are kept for a next build"
    release_after_last_build()
    assert not memo.holds_results()
    assert {name: len(kept) for name, kept in per_text.items()} == {name: 0 for name in per_text}
    assert build(project, use_cache=False).written == []  # a later build still works, and finds docs/ current


def _resident_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux") or not platform.libc_ver()[0] == "glibc",
                    reason="glibc's malloc_trim, /proc")
def test_memory_freed_by_python_is_handed_back_to_the_system():
    # 100,000 blocks of 1,000 bytes live in the C heap (not in mappings of their own); freed,
    # they stay resident in the process until the heap is trimmed.
    blocks = [bytes(1000) + bytes([i % 256]) for i in range(100_000)]
    keep = blocks[-1]  # still in use, near the heap's top: the free pages below it go back all the same
    del blocks
    before = _resident_mb()
    return_free_memory()
    assert _resident_mb() < before - 50
    assert keep[-1] == 99_999 % 256
