"""Run independent pieces of a build in forked worker processes, one per core.

Rendering 10,000 paper pages, tokenising their texts and tagging them are each thousands of
pure, independent calls: on a machine with two cores they take half the time in two
processes. Workers are forked, so they start with everything the parent already has in
memory (the atlas, the templates, the loaded modules): nothing is pickled on the way in and
nothing is imported again; only each job's result comes back (pickled through a pipe).

Results are returned in the order of the jobs, whichever worker finishes first, so the
build's output does not depend on the number of cores or on scheduling. Where forking is
not available (Windows, macOS's default), with one core, or when there is too little work
to repay starting the workers, the jobs simply run here, one after the other.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
import os
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

from .heap import freeze_long_lived, return_free_memory

T = TypeVar("T")
U = TypeVar("U")

# The jobs of the running `run_all`, read by the forked workers (which inherit the parent's memory).
_JOBS: Sequence[Callable[[], object]] = ()
# Environment variable that sets the number of worker processes (1 = run everything here).
WORKERS_ENV = "ATLAS_WORKERS"
# Below this many papers, starting worker processes costs more than it saves (every stage).
PARALLEL_MIN_PAPERS = 400


def worth_forking(n_papers: int) -> bool:
    """Whether a stage over `n_papers` papers should share its work among worker processes."""
    return n_papers >= PARALLEL_MIN_PAPERS


def worker_count() -> int:
    """Processes to use: `ATLAS_WORKERS` if set, else one per core this process may run on."""
    configured = os.environ.get(WORKERS_ENV, "").strip()
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _run(index: int) -> object:
    """One job in a worker, after giving back what the worker's previous job left free."""
    return_free_memory()
    return _JOBS[index]()


def run_all(jobs: Sequence[Callable[[], T]], parallel: bool = True) -> list[T]:
    """Each job's result, in the order of `jobs`; in forked workers when `parallel` and possible.

    A job must be a pure function of what the parent holds and return something picklable.
    Put the longest jobs first: workers take the next job as they finish one.
    """
    workers = min(worker_count(), len(jobs))
    if not parallel or workers < 2 or not can_fork():
        return [job() for job in jobs]
    with _worker_pool(jobs, workers) as pool:
        return pool.map(_run, range(len(jobs)), chunksize=1)


def each_result(jobs: Sequence[Callable[[], T]], parallel: bool = True) -> Iterator[T]:
    """Each job's result in the order of `jobs`, as soon as it and those before it are done
    (`run_all`, but this process can use the first results while workers make the rest)."""
    workers = min(worker_count(), len(jobs))
    if not parallel or workers < 2 or not can_fork():
        for job in jobs:
            yield job()
        return
    with _worker_pool(jobs, workers) as pool:
        yield from pool.imap(_run, range(len(jobs)), chunksize=1)


def run_beside(job: Callable[[], T], here: Callable[[], U]) -> tuple[T, U]:
    """(job(), here()): `job` in a forked worker while `here` runs in this process.

    For two unlike pieces of work where `here` fills this process's memory (results that
    would otherwise travel back through a pipe and be rebuilt here). Without fork or a
    second core, one after the other.
    """
    if worker_count() < 2 or not can_fork():
        return job(), here()
    with _worker_pool([job], 1) as pool:
        pending = pool.apply_async(_run, (0,))
        mine = here()
        return pending.get(), mine


@contextmanager
def _worker_pool(jobs: Sequence[Callable[[], object]], workers: int) -> Iterator[multiprocessing.pool.Pool]:
    """`workers` forked processes that run `jobs` by index (`_run`); the parent prepared to fork."""
    global _JOBS
    _JOBS = jobs
    freeze_long_lived()  # the workers' collector need not walk what they inherit (atlas.heap)
    return_free_memory()  # nor inherit free memory: it counts once in each process
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            yield pool
    finally:
        _JOBS = ()


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` in consecutive slices of `size` (the last may be shorter)."""
    return [items[start:start + size] for start in range(0, len(items), size)]
