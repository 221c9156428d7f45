"""The site's search index: Pagefind over the part of each page that is about that page.

Material's own search ships the whole site's text as one `search_index.json` that every
visitor downloads and indexes in the browser: 4.8 MB and 7-12 s to the first result at 1,000
papers, never ready at 10,000. Pagefind writes an index split into small fragments that the
browser fetches on demand (0.2-0.3 MB for a first query at 71 to 10,000 papers); the header
search box queries it through docs/javascripts/atlas-search.js.

What is indexed is what a reader searches *for*, so that a query finds the page about it and
not every page that lists it:

- a paper page: its title, byline, abstract and tags; not its key numbers (quoted from the
  abstract), links, BibTeX, related papers or map, which name other papers;
- a tag or facet page (and the topics index): its title and description, not its list of
  papers (which at 10,000 papers would repeat every abstract's gist thousands of times);
- a hand-written page (no `atlas_source` in its front matter): all of it;
- the home page, the papers index and the map (`atlas_source: null`): nothing, they are lists.

The MkDocs hook (scripts/search_hook.py) collects each page's rendered content
(`on_page_content`: the article only, without header, navigation or footer) and hands these
parts to Pagefind as small HTML documents at the pages' own paths: in a full build part by
part while MkDocs reads and writes the pages (`IndexingRun`), after a `make serve` rebuild
of changed pages all at once (`write_index`).
Indexing only these parts instead of the built pages halves Pagefind's time. Pagefind
keeps all pages' words in memory until it writes (1.3 GB at 10,000 papers), so a large site
is indexed in parts of at most PAGES_PER_INDEX pages (440 MB each), merged in the browser. Pagefind's
binary ships in the `pagefind_bin` wheel and makes no network request; its Python API is not
used because it answers one file per round trip (100 s for 1,000 pages, against 2 s for the
command line).
"""

from __future__ import annotations

import html
import json
import os
import queue
import re
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

OUTPUT = "pagefind"
# Pagefind's bundle also holds ready-made search UIs; the site renders its own results.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
_H2_START = '<h2 id="'
_ABSTRACT_START = '<h2 id="abstract"'
_H2_ELEMENT = re.compile(r"<h2[^>]*>.*?</h2>", re.S)
_CHIPS = re.compile(r'<div class="atlas-chips">.*?</div>', re.S)
_LIST_START = re.compile(r"<h2[\s>]|<table[\s>]")
_MISSING = object()


class SearchIndexError(Exception):
    """Pagefind is missing or failed; the message says what to do."""


def indexed_part(content: str, meta: dict) -> str | None:
    """The part of a page's rendered content that search should see; None to leave it out."""
    source = meta.get("atlas_source", _MISSING)
    if source is _MISSING:
        return content  # hand-written
    if not source:
        return None  # generated from templates alone: home, papers index, map
    if str(source).startswith("data/papers/"):
        return paper_part(content)
    match = _LIST_START.search(content)  # tags, facets, topics: the introduction
    return content[:match.start()] if match else content


def paper_part(content: str) -> str:
    """Title, byline and abstract, then the tag chips (last, so excerpts quote the abstract).

    The page is cut at its section headings with `str.find` (a regular expression that
    splits at each heading took ~2 s of MkDocs at 10,000 papers)."""
    first = content.find(_H2_START)
    head = content if first < 0 else content[:first]
    chips = _CHIPS.search(head)
    if chips:
        head = head[:chips.start()] + head[chips.end():]
    abstract = []
    start = content.find(_ABSTRACT_START, first) if first >= 0 else -1
    while start >= 0:
        end = content.find(_H2_START, start + 1)
        section = content[start:] if end < 0 else content[start:end]
        abstract.append(_H2_ELEMENT.sub("", section, count=1))
        start = content.find(_ABSTRACT_START, end) if end >= 0 else -1
    return "".join([head, *abstract, chips.group(0) if chips else ""])


def search_document(part: str, title: str, language: str = "en") -> str:
    """A small HTML page for Pagefind: the indexed part, titled like the page."""
    return (f'<!doctype html>\n<html lang="{html.escape(language)}"><head><meta charset="utf-8">'
            f"<title>{html.escape(title)}</title></head>\n<body><main data-pagefind-body>\n"
            f"{part}\n</main></body></html>\n")


def document_path(url: str) -> str:
    """`papers/galore/` -> `papers/galore/index.html`, the path Pagefind turns back into the URL."""
    url = url.lstrip("/")
    if url == "" or url.endswith("/"):
        return url + "index.html"
    return url


def pagefind_binary() -> Path:
    """The binary from the pinned `pagefind_bin` wheel (never a download)."""
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError("search: Pagefind is not installed; run `make venv` "
                         "(requirements.txt pins pagefind[bin])") from None
    return Path(get_executable())


# Pagefind holds every page's words in memory until it writes the index: about 130 kB a paper
# page, 1.3 GB at 10,000 papers (the abstracts' words are 3/4 of it; fewer threads or leaving
# out bylines and tags change little). A site with
# more pages than this is indexed in parts, one Pagefind run after another, each into its own
# folder (pagefind/ and pagefind/part-2/, ...); the search script merges them in the browser
# (Pagefind's mergeIndex), which ranks the merged results by score as one index would.
PAGES_PER_INDEX = 3500
PARTS_FILE = "atlas-parts.json"
REPORT_ENV = "ATLAS_SEARCH_REPORT"  # a file to write the IndexReport to, as JSON
# A part is only an index: the browser runs the first part's script, worker and WebAssembly.
PART_UNUSED = ("pagefind.js", "pagefind-worker.js", "wasm.en.pagefind", "wasm.unknown.pagefind")


@dataclass(frozen=True)
class IndexReport:
    """What one indexing did: pages, Pagefind runs, their wall and CPU time, largest memory."""
    pages: int
    parts: int
    seconds: float
    cpu_seconds: float
    peak_mb: float


def split_pages(urls: list[str], per_index: int = PAGES_PER_INDEX) -> list[list[str]]:
    """Sorted URLs dealt round-robin into as few parts as keep each within `per_index`.

    Dealt rather than cut in runs, so that every part holds a like mix of pages and its
    word statistics (which rank results) match the others'.
    """
    urls = sorted(urls)
    count = max(1, -(-len(urls) // per_index))
    return [urls[part::count] for part in range(count)]


def part_folder(number: int) -> str:
    """The folder of part `number` (0-based) inside pagefind/: "" for the first."""
    return "" if number == 0 else f"part-{number + 1}/"


def _peak_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), 0 when it cannot be read.

    Read from /proc while it runs: the rusage of a child started from this (large) process
    counts this process's memory too, as the child's before it executes Pagefind."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) / 1024 if match else 0.0


def _run_pagefind(root: Path, output: Path) -> tuple[float, float, float]:
    """One Pagefind run: its wall and CPU seconds and peak resident memory (MB, sampled every
    50 ms, so 0 for a run shorter than that)."""
    command = [str(pagefind_binary()), "--site", str(root), "--output-path", str(output),
               "--exclude-selectors", ".headerlink",
               "--exclude-selectors", ".atlas-facet-label", "--silent"]
    start = time.perf_counter()
    peak = 0.0
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
        while True:
            peak = max(peak, _peak_mb(process.pid))
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.05)
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            log.seek(0)
            text = log.read().decode("utf-8", "replace").strip()
            raise SearchIndexError(f"search: Pagefind failed ({process.returncode}): {text[-500:]}")
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, peak


def _scratch_folder() -> str | None:
    """Where the documents are written for Pagefind: memory (/dev/shm) where there is one,
    as writing and removing 10,000 small folders on a busy disk can take longer than Pagefind."""
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


# A scratch folder is named after the process that made it: atlas-search-<pid>-<random>.
SCRATCH_PREFIX = "atlas-search-"


def _scratch_prefix() -> str:
    return f"{SCRATCH_PREFIX}{os.getpid()}-"


def remove_abandoned_scratch(folder: Path) -> list[Path]:
    """Remove the scratch folders in `folder` whose process is gone; the folders removed.

    A process stopped while Pagefind runs (Ctrl-C or a kill during `make serve`, a build
    killed by CI) leaves its scratch folder behind, and in /dev/shm that is memory held until
    the machine restarts: each next indexing clears what dead processes left."""
    removed = []
    for path in folder.glob(SCRATCH_PREFIX + "*"):
        pid = path.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and path.is_dir() and not path.is_symlink() and not _is_running(int(pid)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def _is_running(pid: int) -> bool:
    if os.name == "nt":  # signal 0 would be CTRL_C_EVENT there: never ask
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists but is another user's, or this system cannot tell
        return True
    return True


class _IndexWriter:
    """Parts indexed one after another into a staging folder beside the index in use.

    The staging folder is swapped in whole by `finish`: under `make serve` the index is
    rewritten while the site is served (atlas.liveserve), and a search made meanwhile uses
    the previous index, never a half-written one.
    """

    def __init__(self, site_dir: Path):
        self.output = site_dir / OUTPUT
        site_dir.mkdir(parents=True, exist_ok=True)
        self.staging = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site_dir))
        self.scratch_folder = _scratch_folder()
        remove_abandoned_scratch(Path(self.scratch_folder or tempfile.gettempdir()))
        self.parts = self.pages = 0
        self.seconds = self.cpu_seconds = self.peak_mb = 0.0
        self.keep = os.environ.get("ATLAS_SEARCH_DOCUMENTS")
        if self.keep:  # debugging and benchmarks: keep the documents Pagefind is run over, by part
            shutil.rmtree(self.keep, ignore_errors=True)

    def add_part(self, documents: dict[str, str]) -> None:
        """Index `{url: search document}` as the next part. The documents are written to a
        scratch folder at their pages' paths, so that Pagefind gives each result the page's URL."""
        number = self.parts
        with tempfile.TemporaryDirectory(prefix=_scratch_prefix(), dir=self.scratch_folder) as scratch:
            root = Path(scratch) / "site"
            root.mkdir()
            for url, document in documents.items():
                path = root / document_path(url)
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(document, encoding="utf-8")
            if self.keep:
                shutil.copytree(root, Path(self.keep) / f"part-{number + 1}")
            folder = self.staging / part_folder(number)
            run_seconds, run_cpu, run_peak = _run_pagefind(root, folder)
        self.seconds, self.cpu_seconds = self.seconds + run_seconds, self.cpu_seconds + run_cpu
        self.peak_mb = max(self.peak_mb, run_peak)
        for name in UNUSED + (PART_UNUSED if number else ()):
            (folder / name).unlink(missing_ok=True)
        self.parts += 1
        self.pages += len(documents)

    def finish(self) -> IndexReport:
        """List the parts after the first in pagefind/atlas-parts.json and swap the index in."""
        folders = [part_folder(number) for number in range(1, self.parts)]
        (self.staging / PARTS_FILE).write_text(json.dumps(folders) + "\n", encoding="utf-8")
        _swap_in(self.staging, self.output)
        report = IndexReport(self.pages, self.parts, round(self.seconds, 1), round(self.cpu_seconds, 1),
                             round(self.peak_mb))
        report_file = os.environ.get(REPORT_ENV)
        if report_file:  # for `atlas bench`, which builds with --quiet
            Path(report_file).write_text(json.dumps(asdict(report)) + "\n", encoding="utf-8")
        return report

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def write_index(documents: dict[str, str], site_dir: Path,
                per_index: int = PAGES_PER_INDEX) -> IndexReport:
    """Index `{url: search document}` into `site_dir/pagefind/`, in parts if they are many
    (`split_pages`). pagefind/atlas-parts.json lists the parts after the first (an empty list
    when there is one)."""
    writer = _IndexWriter(site_dir)
    try:
        for urls in split_pages(list(documents), per_index):
            writer.add_part({url: documents[url] for url in urls})
        return writer.finish()
    except BaseException:
        writer.discard()
        raise


_FINISH, _ABANDON = object(), object()  # what IndexingRun hands its thread besides parts


class IndexingRun:
    """A full build's index, written by Pagefind part by part while MkDocs goes on.

    MkDocs reads and converts every page before it writes any. The documents arrive in the
    order of the site's files; each time `part_size` of them are in, they go to Pagefind as
    one part (a process of its own, on the second core, one part after another in a thread
    of this one) while MkDocs reads on. The last part goes when every page has been read
    (`finish_reading`); `result` waits for the index, which is swapped in whole. Parts are
    runs of consecutive pages here rather than dealt (`split_pages`), so that the first can
    be indexed before the last page is read; a run is mostly paper pages in the order of
    their ids, much the same mix as a dealt part (the few tag and hand-written pages fall
    into the first or the last). At 10,000 papers the index (~20 s of Pagefind's
    CPU) is written while MkDocs reads and writes the pages instead of after them.
    """

    def __init__(self, site_dir: Path, expected_pages: int, per_index: int = PAGES_PER_INDEX):
        """`expected_pages`: at least as many as will be added (the site's documentation pages),
        so that the parts are of even size and none exceeds `per_index`."""
        parts = max(1, -(-expected_pages // per_index))
        self.part_size = max(1, -(-expected_pages // parts))
        self.started = time.perf_counter()
        self._pending: dict[str, str] = {}
        self._handed = 0
        self._parts: queue.Queue = queue.Queue()
        self._report: IndexReport | None = None
        self._error: BaseException | None = None
        self._abandoned = False
        self._thread = threading.Thread(target=self._run, args=(site_dir,), name="atlas-search-index",
                                        daemon=True)
        self._thread.start()

    def add(self, url: str, document: str) -> None:
        self._pending[url] = document
        if len(self._pending) >= self.part_size:
            self._hand_over()

    def finish_reading(self) -> None:
        """Every page has been read: the last part (or the only, even empty) goes to Pagefind."""
        if self._pending or not self._handed:
            self._hand_over()
        self._parts.put(_FINISH)

    def abandon(self) -> None:
        """The build failed: stop after the part being indexed (parts still waiting are not
        indexed) and leave the index in use as it was."""
        self._abandoned = True
        self._parts.put(_ABANDON)
        self._thread.join()

    def _hand_over(self) -> None:
        self._parts.put(self._pending)
        self._pending = {}
        self._handed += 1

    def _run(self, site_dir: Path) -> None:
        writer = None
        try:
            writer = _IndexWriter(site_dir)
            while True:
                part = self._parts.get()
                if part is _FINISH:
                    self._report = writer.finish()
                    return
                if part is _ABANDON or self._abandoned:
                    writer.discard()
                    return
                writer.add_part(part)
        except BaseException as error:  # handed to whoever waits for the result
            self._error = error
            if writer is not None:
                writer.discard()

    def result(self) -> IndexReport:
        """The report once the index is written; the indexing's own error if it failed."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._report is not None
        return self._report


def _swap_in(new: Path, target: Path) -> None:
    """Replace the folder `target` with `new` (two renames; the old folder is removed after)."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=".pagefind-old-", dir=target.parent))
        os.rename(target, old / "index")
    os.rename(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


class SearchDocuments:
    """Collects one search document per page during a MkDocs build."""

    def __init__(self, language: str = "en", documents: dict[str, str] | None = None):
        """`documents` of pages built earlier are kept (a `mkdocs serve --dirty` rebuild
        builds only the changed pages; see atlas.liveserve) and replaced as pages are built."""
        self.language = language
        self.documents: dict[str, str] = {} if documents is None else documents

    def add(self, url: str, title: str, content: str, meta: dict) -> str | None:
        """The page's search document (kept), or None when search should not see the page."""
        part = indexed_part(content, meta)
        if part is None:
            self.documents.pop(url, None)
            return None
        document = self.documents[url] = search_document(part, title, self.language)
        return document
