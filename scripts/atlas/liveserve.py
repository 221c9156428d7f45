"""`make serve` rebuilds only the pages a save changed: MkDocs' dirty build, made safe.

After every save `mkdocs serve` builds every page again; at 1,000 papers that is ~6 s of
MkDocs and ~2 s of Pagefind, after the atlas has generated its pages, to show one changed
entry. `make serve` runs `mkdocs serve --dirty` instead: MkDocs then builds only the pages
whose source under docs/ is newer than their built file, and `atlas build` rewrites only the
pages whose content changed (the entry's page, its tag pages, the pages that link to it).

A dirty build alone goes wrong in two ways, and the hooks correct both with this module:

- A page MkDocs does not build again keeps what it was built with: the navigation, the
  theme and its overrides, the hooks' code, the configuration. Whenever any of them may
  have changed (a file added to or removed from docs/, mkdocs.yml, overrides/, scripts/)
  the layout fingerprint changes, the hook empties the site folder before MkDocs looks at
  it, and every page is built again exactly as in a clean build. The atlas's pages name
  their sidebar entries in mkdocs.yml's `nav` and keep papers and tags out of it, so a
  changed page's content never shows on another page unless `atlas build` rewrote that one too.
- Search would index only the pages just built (why the issue warns off `--dirty` with
  Material's search). The search hook keeps every page's search document for the whole
  session and replaces those of the pages built again, so Pagefind always indexes every page.
  After such a rebuild the index is written in the background (the browser reloads at once;
  search follows a second or two later, swapped in whole).

State lives here, in the atlas package, not in the hook files: MkDocs loads a hook file as
a module of its own, by path, and when it loads one again is its business; this module is
imported once per process and shared by both hooks.
"""

from __future__ import annotations

import hashlib
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

# What decides how every page looks, besides its own source: watched for changes by name,
# size and modification time (contents for the config file).
LAYOUT_FOLDERS = ("overrides", "scripts")
# Logged when the background warm-up starts and when it is over, done or not (`atlas bench`
# waits for the end before saving).
WARMING_MESSAGE = "generating the pages in memory for quick rebuilds"
WARM_MESSAGE = "ready for quick rebuilds"
_IGNORED_PARTS = ("__pycache__", ".pytest_cache")


@dataclass
class ServeSession:
    """What one `mkdocs serve` (or `build --dirty`) process carries from build to build."""

    dirty: bool = False
    # The layout fingerprint of the last build that succeeded; None: the next build is full.
    layout: str | None = None
    # True while a build is a full one (the site folder was emptied first).
    full: bool = True
    # Search documents of every built page, by URL (see scripts/search_hook.py).
    search_documents: dict[str, str] = field(default_factory=dict)
    # Held while the atlas's pages are generated: a save's build waits for the warm-up.
    lock: threading.Lock = field(default_factory=threading.Lock)
    # The search index being written after a rebuild, while its pages are already served.
    indexing: threading.Thread | None = None

    def start(self, dirty: bool) -> None:
        """A new serve or build command: nothing is carried over from an earlier one."""
        self.dirty, self.layout, self.full = dirty, None, True
        self.search_documents = {}

    def begin_build(self, layout: str) -> bool:
        """Whether this build must be a full one; remembers `layout` for the next build."""
        self.wait_for_index()
        self.full = not self.dirty or layout != self.layout
        self.layout = layout
        if self.full:
            self.search_documents = {}
        return self.full

    def index_in_background(self, write) -> None:
        """Run `write()` (the search index of the build that just ended) after the build.

        Only after a rebuild of changed pages: the browser reloads as soon as the build
        returns, and the index, swapped in whole when ready, follows a second or two later.
        The next build waits for it before touching the site folder.
        """
        self.wait_for_index()
        self.indexing = threading.Thread(target=write, name="atlas-search-index", daemon=True)
        self.indexing.start()

    def wait_for_index(self) -> None:
        if self.indexing is not None:
            self.indexing.join()
            self.indexing = None

    def build_failed(self) -> None:
        """Pages may be half built: the next build starts from an empty site folder."""
        self.layout = None


SESSION = ServeSession()


def warm_up(project) -> threading.Thread | None:
    """Fill the per-paper memos in the background when the first build did not.

    A first build whose inputs had not changed since the last one generates nothing
    (`atlas.buildcache`), so the memos (`atlas.memo`) stay empty, the embedding model is
    not loaded, and the first save would pay for a whole cold build (~7 s at 1,000 papers).
    Instead the pages are generated in memory, not written, in a background thread while
    the site is already served; a save's build waits for it (`SESSION.lock`).
    """
    from .memo import holds_results

    if holds_results():
        return None

    import logging

    log = logging.getLogger("mkdocs.hooks.atlas")

    def run() -> None:
        import time

        from .build import build_pages

        with SESSION.lock:
            start = time.perf_counter()
            try:
                build_pages(project)
            except Exception as error:  # noqa: BLE001 - the next build reports any problem in full
                log.info(f"atlas: {WARM_MESSAGE} (pages not generated in memory: {type(error).__name__})")
                return
            log.info(f"atlas: {WARM_MESSAGE} (pages generated in memory in {time.perf_counter() - start:.1f} s)")

    log.info(f"atlas: {WARMING_MESSAGE}")
    thread = threading.Thread(target=run, name="atlas-warm-up", daemon=True)
    thread.start()
    return thread


def layout_fingerprint(project_root: Path, config_file: Path, docs_dir: Path) -> str:
    """Changes whenever a page MkDocs does not build again could come out differently."""
    digest = hashlib.sha256()
    digest.update(config_file.read_bytes() if config_file.is_file() else b"")
    digest.update(b"\0docs\0")
    for rel in _files(docs_dir):
        digest.update(rel.encode() + b"\n")
    for folder in LAYOUT_FOLDERS:
        digest.update(f"\0{folder}\0".encode())
        root = project_root / folder
        for rel in _files(root):
            stat = os.stat(root / rel)
            digest.update(f"{rel}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _files(root: Path) -> list[str]:
    """Files below `root` as MkDocs sees them (hidden ones, such as the build's temporaries, left out)."""
    found = []
    for folder, dirs, names in os.walk(root, followlinks=True):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _IGNORED_PARTS)
        rel_folder = os.path.relpath(folder, root)
        for name in sorted(names):
            if not name.startswith("."):
                found.append(name if rel_folder == "." else f"{rel_folder}/{name}".replace(os.sep, "/"))
    return found


def empty_folder(site_dir: Path) -> None:
    """What MkDocs does before a clean build (`mkdocs.utils.clean_directory`)."""
    from mkdocs.utils import clean_directory

    clean_directory(str(site_dir))


def watch_with_file_events(server, rebuild) -> str | None:
    """Make MkDocs' live-reload server watch with the system's file events (inotify on Linux)
    instead of polling; the problem, if they are not available (polling then stays).

    The server polls every watched file twice a second: with 1,000 entries and their
    generated pages that took ~40% of a core while idle, and it competed with every rebuild
    for the interpreter (a rebuild ran ~1.3x slower than the same build in a fresh process).
    Paths watched so far move to a native observer, which later `watch` calls use too. Only
    changes count: a build reads mkdocs.yml and the entries, and inotify reports every
    opening and closing, each of which would set off another build. Uses the server's
    internals (`observer`, `_watch_refs`; mkdocs is pinned).
    """
    from watchdog import events
    from watchdog.observers import Observer
    from watchdog.observers.polling import PollingObserver

    if Observer is PollingObserver:
        return "no native observer on this system"
    changes = [events.FileCreatedEvent, events.FileModifiedEvent, events.FileMovedEvent, events.FileDeletedEvent,
               events.DirCreatedEvent, events.DirMovedEvent, events.DirDeletedEvent]

    class ChangesOnly(Observer):
        def schedule(self, event_handler, path, *, recursive=False, event_filter=None, **options):
            return super().schedule(event_handler, path, recursive=recursive,
                                    event_filter=event_filter or changes, **options)

    native = ChangesOnly()
    handler = events.FileSystemEventHandler()
    handler.on_any_event = lambda event: None if event.is_directory else rebuild()
    try:
        moved = {path: native.schedule(handler, path, recursive=watch.is_recursive)
                 for path, watch in server._watch_refs.items()}
    except OSError as error:  # e.g. the system's limit on watches reached
        return str(error)
    for watch in server._watch_refs.values():
        server.observer.unschedule(watch)
    server._watch_refs.update(moved)
    server.observer = native
    return None
