"""Per-paper results remembered from one build to the next in the same process.

`mkdocs serve` builds the atlas again after every save, and most of a build is per-paper
work whose inputs did not change: parsing an unchanged entry, tagging an unchanged abstract
against the same neighbours, finding the same names in it, rendering a page whose every
input is the same. Each such step looks its result up by a key made of *all* its inputs and
does the work only when the key is new; any change to an input is a new key, so a
remembered result is always the one the work would give (`ATLAS_MEMO_CHECK=1` does the
work anyway and fails on any difference; a test rebuilds after edits with it on).

The steps run in forked workers (`atlas.parallel`), which see the parent's memos as they
were at the fork: a worker looks up, and returns each result with its key; the parent keeps
them with `keep`. A memo holds the results of the latest build only (plus the one before,
until the next build starts), so memory does not grow with the number of saves.
"""

from __future__ import annotations

import hashlib
import os
from typing import Callable, Hashable, TypeVar

T = TypeVar("T")
CHECK_ENV = "ATLAS_MEMO_CHECK"
_MISSING = object()


class MemoError(AssertionError):
    """A remembered result differs from the work's own: a key misses an input."""


class Memo:
    def __init__(self, name: str):
        self.name = name
        self._last: dict = {}
        self._now: dict = {}
        _ALL.append(self)

    def __len__(self) -> int:
        return len(self._now) + len(self._last)

    def get(self, key: Hashable, work: Callable[[], T]) -> T:
        """The remembered result for `key`, else `work()` (not kept: see `keep`)."""
        found = self._now.get(key, _MISSING)
        if found is _MISSING:
            found = self._last.get(key, _MISSING)
        if found is _MISSING:
            return work()
        if os.environ.get(CHECK_ENV) == "1":
            fresh = work()
            if fresh != found:
                raise MemoError(f"memo {self.name}: the remembered result differs from a fresh one")
        return found

    def unless_known(self, key: Hashable, work: Callable[[], T]) -> T | None:
        """None when `key` is remembered, else `work()` (not kept: see `keep`).

        The remembered result is not even looked at: in a forked worker, taking a reference
        to it writes its reference count, which copies the memory page it shares with the
        parent (4 kB for each of 10,000 remembered pages, in every worker)."""
        if key not in self._now and key not in self._last:
            return work()
        if os.environ.get(CHECK_ENV) == "1" and work() != self.recall(key):
            raise MemoError(f"memo {self.name}: the remembered result differs from a fresh one")
        return None

    def knows(self, key: Hashable) -> bool:
        return key in self._now or key in self._last

    def recall(self, key: Hashable):
        """The remembered result for a key `knows` (a worker found it in its copy of this memo)."""
        return self._now[key] if key in self._now else self._last[key]

    def keep(self, key: Hashable, value: T) -> T:
        self._now[key] = value
        return value

    def new_build(self) -> None:
        """Results of the build that ends become the ones to look up; older ones go."""
        if self._now:
            self._last, self._now = self._now, {}

    def clear(self) -> None:
        self._last, self._now = {}, {}


_ALL: list[Memo] = []


def new_build() -> None:
    """Called as a build starts."""
    for memo in _ALL:
        memo.new_build()


def holds_results() -> bool:
    return any(len(memo) for memo in _ALL)


def clear_all() -> None:
    for memo in _ALL:
        memo.clear()


def digest(*parts: str) -> str:
    """A short fixed-size key for long inputs (a page's inputs run to tens of kilobytes)."""
    hasher = hashlib.blake2b(digest_size=20)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()
