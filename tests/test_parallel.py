"""Work split across forked processes gives the same result, in the same order, as one process."""

from __future__ import annotations

import os
import time
from functools import partial

import pytest

from atlas import parallel, render
from atlas.build import build_atlas
from atlas.parallel import chunks, each_result, run_all

from conftest import REPO


def _pid_and(value: int, pause: float = 0.0) -> tuple[int, int]:
    time.sleep(pause)
    return os.getpid(), value * value


def test_results_come_back_in_job_order_from_several_processes(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    if not parallel.can_fork():
        pytest.skip("no fork on this platform")
    # Each job takes a moment, so one worker cannot take them all before the other has started.
    results = run_all([partial(_pid_and, n, 0.05) for n in range(20)])
    assert [square for _, square in results] == [n * n for n in range(20)]
    assert len({pid for pid, _ in results}) >= 2 and os.getpid() not in {pid for pid, _ in results}


def test_results_can_be_used_as_they_come_in_job_order(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    if not parallel.can_fork():
        pytest.skip("no fork on this platform")
    seen = []
    for pid, square in each_result([partial(_pid_and, n, 0.05) for n in range(20)]):
        seen.append((pid, square))
    assert [square for _, square in seen] == [n * n for n in range(20)]
    assert os.getpid() not in {pid for pid, _ in seen}
    assert list(each_result([partial(_pid_and, n) for n in range(3)], parallel=False)) == \
        [(os.getpid(), n * n) for n in range(3)]


def test_one_worker_runs_the_jobs_here(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    assert {pid for pid, _ in run_all([partial(_pid_and, n) for n in range(5)])} == {os.getpid()}


def test_jobs_run_here_when_not_parallel(monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    assert {pid for pid, _ in run_all([partial(_pid_and, n) for n in range(5)], parallel=False)} == {os.getpid()}


def test_chunks_cover_every_item_once_in_order():
    assert chunks(list(range(7)), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert chunks([], 3) == []


def test_pages_rendered_in_workers_are_the_pages_rendered_here(monkeypatch, repo_project):
    atlas = build_atlas(repo_project)
    monkeypatch.setattr(render, "PAPERS_PER_JOB", 7)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAPERS", 10**9)
    serial = render.render_site(atlas, REPO / "templates")
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAPERS", 1)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    assert render.render_site(atlas, REPO / "templates") == serial
    batches = []
    assert list(render.render_site(atlas, REPO / "templates", on_files=batches.append)) == list(serial)
    # Every file is handed over once, in batches as the workers finish them.
    assert len(batches) > 2 and sorted(path for batch in batches for path in batch) == sorted(serial)
    assert {path: text for batch in batches for path, text in batch.items()} == serial


def test_texts_embedded_in_a_worker_while_tokenised_here_are_read_as_here(monkeypatch):
    import os

    from atlas import embed, enrich, textindex

    texts = [f"Q-GaLore {n}: KV-cache quantized to 4-bit, fine-tuned LLMs number {n}." for n in range(30)]
    monkeypatch.setattr(textindex, "TOKENISED", {})
    monkeypatch.setattr(enrich, "_TEXTS_IN_A_WORKER", 4)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    embedded_by = []
    real_embed = enrich.embed_missing
    monkeypatch.setattr(enrich, "embed_missing", lambda t: (embedded_by.append(os.getpid()), real_embed(t))[1])
    enrich.read_texts(texts, parallel=True)
    assert embedded_by == []  # the list of the worker that embedded them is the worker's own copy
    pairs = {text: textindex.terms_with_surface(text) for text in texts}
    assert textindex.TOKENISED == {text: (tuple(t for t, _ in found), tuple(s for _, s in found))
                                   for text, found in pairs.items()}
    here = embed._model().embed(sorted(texts), norm=True)
    assert all((embed.EMBEDDED[text] == vector).all() for text, vector in zip(sorted(texts), here))


def test_tags_suggested_in_workers_are_the_tags_suggested_here(monkeypatch, repo_project):
    from dataclasses import replace

    from atlas import enrich
    from atlas.build import load_inputs

    inputs, _ = load_inputs(repo_project)
    # Every third seed paper loses its curated tags: the tagger suggests them from the others.
    papers = [replace(p, tags_suggested=True) if n % 3 == 0 else p for n, p in enumerate(inputs.papers)]
    monkeypatch.setattr(enrich, "_PAPERS_PER_JOB", 3)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    assert enrich.apply_suggested_tags(papers, inputs.taxonomy, parallel=True) == \
        enrich.apply_suggested_tags(papers, inputs.taxonomy, parallel=False)


def test_entries_loaded_in_workers_give_the_same_papers_and_problems_in_the_same_order(monkeypatch):
    from atlas import load
    from conftest import entry

    files = {f"data/papers/p{n:02d}.yaml": entry(f"p{n:02d}").encode() for n in range(12)}
    files["data/papers/p03.yaml"] = b"id: p03\ntitle: [unclosed\n"
    files["data/papers/p07.yaml"] = entry("p07", year="'soon'").encode()
    files["data/papers/p09.yaml"] = entry("wrong-id").encode()
    monkeypatch.setattr(load, "_FILES_PER_JOB", 2)
    monkeypatch.setattr(load, "PARALLEL_MIN_FILES", 10**9)
    here = load.load_papers(files)
    monkeypatch.setattr(load, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    assert load.load_papers(files) == here
    assert len(here[0]) == 9 and [p.path for p in here[1]] == sorted(p.path for p in here[1]) and len(here[1]) >= 3


def test_mentions_found_in_workers_are_the_mentions_found_here(monkeypatch, repo_project):
    from atlas import mentions
    from atlas.build import load_inputs

    inputs, _ = load_inputs(repo_project)
    monkeypatch.setattr(mentions, "_PAPERS_PER_JOB", 5)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    here = mentions.find_mentions(inputs.papers)
    assert any(here.values())
    assert list(mentions.find_mentions(inputs.papers, parallel=True).items()) == list(here.items())


def test_related_papers_found_in_workers_are_the_related_papers_found_here(monkeypatch, repo_project):
    from atlas import related, textindex
    from atlas.build import load_inputs

    inputs, _ = load_inputs(repo_project)
    here = related.related_papers(inputs.papers, inputs.taxonomy)
    monkeypatch.setattr(parallel, "PARALLEL_MIN_PAPERS", 1)
    monkeypatch.setattr(textindex, "_ROWS_PER_BATCH", 5)
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    assert sum(len(links) for links in here.values()) > 100
    assert list(related.related_papers(inputs.papers, inputs.taxonomy).items()) == list(here.items())


@pytest.fixture(autouse=True)
def _nothing_remembered():
    """Workers do the work themselves, not look it up in results an earlier test kept."""
    from atlas import memo

    memo.clear_all()
