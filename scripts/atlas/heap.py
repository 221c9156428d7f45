"""Keep the garbage collector off the objects a build holds until it ends.

A cold build of 10,000 papers keeps millions of objects alive to its end: entries, their
tokens and vectors, links, pages. Python's full collections walk every one of them, and
they find nothing to free there: 17 of them took 4 s of such a build in the main process
alone, and every forked worker walked the same objects again (touching, and so copying,
memory it would otherwise share with its parent). `gc.freeze()` moves every object alive
now into a generation the collector skips. A build freezes at each stage boundary (before
forking workers, as the `gc` documentation recommends) and unfreezes when it ends, so a
long-lived `mkdocs serve` process collects the garbage of past builds as usual.
"""

from __future__ import annotations

import ctypes
import functools
import gc
from contextlib import contextmanager
from typing import Iterator

_builds_running = 0


def freeze_long_lived() -> None:
    """Between the stages of a build: what is alive now is kept until the build ends."""
    if _builds_running:
        gc.freeze()


@contextmanager
def build_heap() -> Iterator[None]:
    """Around a whole build (nested builds share the outermost one's)."""
    global _builds_running
    _builds_running += 1
    try:
        yield
    finally:
        _builds_running -= 1
        if not _builds_running:
            gc.unfreeze()


def release_after_last_build() -> None:
    """Give the memory of a finished build back, in a process that builds only once.

    `mkdocs build` goes on to read and write every page (and runs Pagefind beside that,
    another process); what the atlas build kept for quicker rebuilds (the per-paper memos,
    atlas.memo: every page's text among them) is of no further use there. Clearing it and
    returning the freed heap to the system (glibc's malloc_trim; elsewhere nothing) takes a
    10,000-paper build from ~600 MB resident to ~230 MB. The texts' terms, embeddings and key
    numbers and the caches of words and gists are cleared too: at 10,000 papers they held
    another ~100 MB into MkDocs' part of the build (~290 -> ~190 MB resident after this),
    where MkDocs holds the pages beside a Pagefind part at the build's memory peak.
    """
    from . import atlasmap, embed, escape, keynumbers, memo, pagecache, textcache, textindex

    memo.clear_all()
    pagecache.forget()
    textindex.forget()
    embed.forget()
    keynumbers.forget()
    textcache.forget()
    escape.gist.cache_clear()
    atlasmap.forget()
    gc.collect()
    return_free_memory()


@functools.lru_cache(maxsize=1)
def _malloc_trim():
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None  # not glibc: freed memory is reused by the process instead


def return_free_memory() -> None:
    """Hand the free pages of the C heap back to the system (glibc's malloc_trim).

    Memory Python frees goes back to the C allocator, which keeps it for later. That
    counts where processes run side by side: a worker that rendered the big list pages
    kept ~70 MB it no longer used while it rendered paper pages, and a parent about to
    fork workers ~70 MB more, at the moment a 10,000-paper build uses the most memory.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
