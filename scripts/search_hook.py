"""MkDocs hook: index the built site for the header search box (Pagefind).

A hook of its own, beside mkdocs_hooks.py (which generates the pages), so that a build
without the atlas's page generation (`atlas bench`'s "MkDocs alone") still has its search.
Each page's rendered content is collected as MkDocs reads the pages, the part search should
see is kept (atlas/searchindex.py says which), and Pagefind writes the index into
site/pagefind/ part by part while MkDocs reads and writes the pages (a part goes to Pagefind
as soon as its pages have been read; the build ends when both are done). Under `make serve`
(`mkdocs serve --dirty`) only changed pages are built again; the documents of the others
are kept from the builds before (atlas.liveserve), so the index stays whole, and it is
written after such a rebuild, in the background.
"""

from __future__ import annotations

import logging
import sys
import time
from functools import partial
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas.liveserve import SESSION  # noqa: E402
from atlas.searchindex import IndexingRun, IndexReport, SearchDocuments, SearchIndexError, write_index  # noqa: E402

log = logging.getLogger("mkdocs.hooks.atlas_search")
# One build's search documents; every build (and every `mkdocs serve` rebuild) starts afresh.
_search = SearchDocuments()
# A full build's index, being written while MkDocs reads and writes the pages.
_indexing: IndexingRun | None = None


def on_pre_build(config, **kwargs) -> None:
    # After the atlas hook's on_pre_build, which decided whether this build is a full one.
    global _search
    _search = SearchDocuments(config["theme"]["language"] or "en", SESSION.search_documents if SESSION.dirty else None)


def _partial_rebuild() -> bool:
    """A `make serve` rebuild of changed pages only: indexed after the build (atlas.liveserve)."""
    return SESSION.dirty and not SESSION.full


def on_files(files, config):
    """A full build's index is written as the pages are read (atlas.searchindex.IndexingRun)."""
    global _indexing
    if not _partial_rebuild():
        _indexing = IndexingRun(Path(config["site_dir"]), len(files.documentation_pages()))
    return files


def on_page_content(html, page, config, files):
    """Keep the part of the page's content (the article, not the chrome) that search sees."""
    document = _search.add(page.url, page.title or "", html, page.meta)
    if document is not None and _indexing is not None:
        _indexing.add(page.url, document)
    return html


def on_env(env, config, files):
    """Every page has been read and converted (none written yet): the last part can go."""
    if _indexing is not None:
        _indexing.finish_reading()
    return env


def on_post_build(config, **kwargs) -> None:
    global _indexing
    if _indexing is not None:
        indexing, _indexing = _indexing, None
        waited = time.perf_counter()
        try:
            report = indexing.result()
        except (SearchIndexError, OSError) as error:
            raise PluginError(str(error)) from None
        now = time.perf_counter()
        _log_report(report, now - indexing.started,
                    f"beside the pages, {now - waited:.1f} s of it after them")
    elif _partial_rebuild():
        documents, site_dir = dict(_search.documents), Path(config["site_dir"])
        SESSION.index_in_background(partial(_write_index_after_build, documents, site_dir))


def on_build_error(error, **kwargs) -> None:
    """A failed build stops its index and waits for it (no Pagefind left writing into the
    site folder; the index in use stays as it was)."""
    global _indexing
    if _indexing is not None:
        indexing, _indexing = _indexing, None
        indexing.abandon()  # the build's own error is the one reported


def _write_index_after_build(documents: dict[str, str], site_dir: Path) -> None:
    start = time.perf_counter()
    try:
        report = write_index(documents, site_dir)
    except (SearchIndexError, OSError) as error:
        # No build to fail: say so, and the next build tries again.
        log.error(f"atlas: the search index was not updated: {error}")
        SESSION.build_failed()
        return
    _log_report(report, time.perf_counter() - start, "after the pages")


def _log_report(report: IndexReport, seconds: float, when: str) -> None:
    log.info(f"atlas: search index of {report.pages} pages written in {seconds:.1f} s, {when} "
             f"({report.parts} Pagefind run(s): {report.seconds:.1f} s, "
             f"{report.cpu_seconds:.1f} s CPU, peak {report.peak_mb:.0f} MB)")
