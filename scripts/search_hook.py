"""MkDocs hook: index the built site for the header search box (Pagefind).

A hook of its own, beside mkdocs_hooks.py (which generates the pages), so that a build
without the atlas's page generation (`atlas bench`'s "MkDocs alone") still has its search.
Each page's rendered content is collected as it is built, the part search should see is
kept (atlas/searchindex.py says which), and after the build Pagefind writes the index into
site/pagefind/. Under `make serve` (`mkdocs serve --dirty`) only changed pages are built
again; the documents of the others are kept from the builds before (atlas.liveserve), so the
index stays whole.
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
from atlas.searchindex import SearchDocuments, SearchIndexError, write_index  # noqa: E402

log = logging.getLogger("mkdocs.hooks.atlas_search")
# One build's search documents; every build (and every `mkdocs serve` rebuild) starts afresh.
_search = SearchDocuments()


def on_pre_build(config, **kwargs) -> None:
    # After the atlas hook's on_pre_build, which decided whether this build is a full one.
    global _search
    _search = SearchDocuments(config["theme"]["language"] or "en", SESSION.search_documents if SESSION.dirty else None)


def on_page_content(html, page, config, files):
    """Keep the part of the page's content (the article, not the chrome) that search sees."""
    _search.add(page.url, page.title or "", html, page.meta)
    return html


def on_post_build(config, **kwargs) -> None:
    documents, site_dir = dict(_search.documents), Path(config["site_dir"])
    if SESSION.dirty and not SESSION.full:
        SESSION.index_in_background(partial(_write_index, documents, site_dir, background=True))
    else:
        _write_index(documents, site_dir)


def _write_index(documents: dict[str, str], site_dir: Path, background: bool = False) -> None:
    start = time.perf_counter()
    try:
        report = write_index(documents, site_dir)
    except (SearchIndexError, OSError) as error:
        if background:  # no build to fail: say so, and the next build tries again
            log.error(f"atlas: the search index was not updated: {error}")
            SESSION.build_failed()
            return
        raise PluginError(str(error)) from None
    log.info(f"atlas: search index of {report.pages} pages written in "
             f"{time.perf_counter() - start:.1f} s ({report.parts} Pagefind run(s): "
             f"{report.seconds:.1f} s, {report.cpu_seconds:.1f} s CPU, peak {report.peak_mb:.0f} MB)"
             + (" after the pages" if background else ""))
