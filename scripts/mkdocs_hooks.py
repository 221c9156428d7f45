"""MkDocs hook: run `atlas build` before every build, point "edit" at the YAML entry, and
index the built site for search (Pagefind, scripts/atlas/searchindex.py).

Thin on purpose: it only dispatches to the atlas package. Generated pages are written to
docs/ (only when changed) rather than injected in memory, so the same Markdown also
builds with ProperDocs and other MkDocs 1.x-compatible tools that ignore `hooks:`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas.build import build  # noqa: E402
from atlas.problems import AtlasError  # noqa: E402
from atlas.searchindex import SearchDocuments, SearchIndexError, write_index  # noqa: E402
from atlas.sources import Project  # noqa: E402

# One build's search documents; `mkdocs serve` starts afresh on every rebuild.
_search = SearchDocuments()


def on_pre_build(config, **kwargs) -> None:
    global _search
    _search = SearchDocuments(config["theme"]["language"] or "en")
    project = Project(Path(config["config_file_path"]).resolve().parent)
    try:
        build(project)
    except AtlasError as error:
        raise PluginError(f"atlas: the entries have problems, nothing was generated:\n{error}") from None


def on_page_context(context, page, config, nav):
    """Generated pages say which source file they come from; edit that file, not the page."""
    if "atlas_source" not in page.meta:
        return context
    source = page.meta["atlas_source"]
    if not source:
        # Generated from templates alone (home, papers index): there is no file to edit.
        page.edit_url = None
    elif config.get("repo_url") and config.get("edit_uri"):
        # edit_uri is "edit/<branch>/docs/": swap the docs folder for the entry's path.
        base = config["repo_url"].rstrip("/") + "/" + config["edit_uri"].strip("/")
        base = base[: -len("docs")] if base.endswith("docs") else base + "/"
        page.edit_url = base + source
    return context


def on_page_content(html, page, config, files):
    """Keep the part of each page that search should see (the article, not the chrome)."""
    _search.add(page.url, page.title or "", html, page.meta)
    return html


def on_post_build(config, **kwargs) -> None:
    try:
        write_index(_search.documents, Path(config["site_dir"]))
    except SearchIndexError as error:
        raise PluginError(str(error)) from None
