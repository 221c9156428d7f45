"""MkDocs hook: run `atlas build` before every build and point "edit" at the YAML entry.

Thin on purpose: it only dispatches to the atlas package. Paper, tag and papers-index pages
are written as HTML (atlas.htmlpage) and pass through without Markdown. Generated pages are
written to docs/ (only when changed) rather than injected in memory, so the same pages also
build with ProperDocs and other MkDocs 1.x-compatible tools that ignore `hooks:`.
Search is indexed by its own hook, scripts/search_hook.py. Under `make serve`
(`mkdocs serve --dirty`) a save builds only the changed pages, or all of them whenever
anything that shapes every page changed (atlas.liveserve).

ATLAS_SKIP_BUILD=1 leaves docs/ as it is (only `atlas bench` sets it, to time MkDocs alone
on pages already generated, with the same page handling as a real build).
"""

from __future__ import annotations

import logging
import os
import sys
import time
from functools import partial
from pathlib import Path

from mkdocs.exceptions import PluginError
from watchdog.events import FileSystemEventHandler
from mkdocs.structure.toc import get_toc

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas.build import build  # noqa: E402
from atlas.heap import release_after_last_build  # noqa: E402
from atlas.htmlpage import AnchorIds, is_html_page, toc_tokens  # noqa: E402
from atlas.liveserve import SESSION, empty_folder, layout_fingerprint, warm_up, watch_with_file_events  # noqa: E402
from atlas.output import GeneratedFiles  # noqa: E402
from atlas.pageshell import SHELL_TEMPLATE, PageShells  # noqa: E402
from atlas.problems import AtlasError  # noqa: E402
from atlas.templatecache import compiled_templates  # noqa: E402
from atlas.sources import Project  # noqa: E402

log = logging.getLogger("mkdocs.hooks.atlas")
# This build's page shells (made afresh for every build, as the theme environment is).
_shells: PageShells | None = None
# True in `mkdocs build`, which builds once: nothing is kept for a next build.
_builds_once = False


def on_startup(command, dirty, **kwargs) -> None:
    """Once per `mkdocs serve` or `build` process (not again for each rebuild)."""
    global _builds_once
    _builds_once = command == "build"
    SESSION.start(dirty)
    if dirty:
        # MkDocs warns before every dirty build that navigation may be stale; the layout
        # check in on_pre_build makes such a build a full one whenever it could be.
        logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_build_warning)


def on_shutdown(**kwargs) -> None:
    """`mkdocs serve` stops (Ctrl-C): a search index still being written after the last
    rebuild finishes first. MkDocs deletes the site folder next; written into meanwhile, the
    folder came back and was left in the temp dir."""
    SESSION.wait_for_index()


def _not_the_dirty_build_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def on_pre_build(config, **kwargs) -> None:
    config_file = Path(config["config_file_path"]).resolve()
    project = Project(config_file.parent)
    if os.environ.get("ATLAS_SKIP_BUILD") != "1":
        start = time.perf_counter()
        try:
            with SESSION.lock:
                report = build(project)
        except AtlasError as error:
            raise PluginError(f"atlas: the entries have problems, nothing was generated:\n{error}") from None
        log.info(f"atlas: pages generated in {time.perf_counter() - start:.1f} s ({report.summary()})")
        if _builds_once:
            release_after_last_build()
    if not SESSION.dirty:
        SESSION.begin_build("")
    # After generating: a page added or removed changes the layout fingerprint.
    elif SESSION.begin_build(layout_fingerprint(project.root, config_file, Path(config["docs_dir"]))):
        empty_folder(Path(config["site_dir"]))
        log.info("atlas: every page is built (first build, or files under docs/, the configuration, "
                 "overrides or hooks changed)")
    else:
        log.info("atlas: only the pages whose source changed are built")


def on_build_error(error, **kwargs) -> None:
    SESSION.build_failed()


def on_page_markdown(markdown, page, config, files):
    """Pages the atlas wrote as HTML skip Markdown altogether, and go through page shells.

    MkDocs builds a Markdown converter with every extension for each page, even one with
    nothing to convert (~1.5 ms a page, most of what is left per paper page); so for these
    pages only, the render step is replaced by one that takes the body as it is and gives
    MkDocs the table of contents and anchor ids the Markdown run would have produced.
    Their theme template (overrides/atlas-page.html) renders Material's main.html through
    a shell shared by similar pages (see atlas.pageshell).
    """
    if is_html_page(page.meta):
        page.render = partial(_render_html, page, markdown)
        page.meta["template"] = SHELL_TEMPLATE
    return markdown


def _render_html(page, body: str, config, files) -> None:
    page.content = body
    page.toc = get_toc(toc_tokens(body))
    page.present_anchor_ids = AnchorIds(body)


def on_serve(server, config, builder):
    """Under `mkdocs serve`, one save is one rebuild.

    MkDocs watches docs/ as a whole, and the build it runs after a save writes the changed
    generated pages into docs/: without this filter those writes asked for a second full
    rebuild right after the first. Changes to hand-written pages still rebuild. Uses the
    live-reload server's internals (mkdocs is pinned); a server without them is left as is.
    If the first build found nothing to generate, the pages are generated in memory in the
    background, so that the first save is as quick as the next (atlas.liveserve.warm_up).
    Changes are seen through the system's file events, not polling (see
    atlas.liveserve.watch_with_file_events).
    """
    if not all(hasattr(server, name) for name in ("_rebuild_cond", "_want_rebuild", "observer", "_watch_refs")):
        return server
    docs = os.path.abspath(config["docs_dir"])
    generated = GeneratedFiles(Path(docs))

    def rebuild() -> None:
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    def on_change(event):
        paths = [p for p in (event.src_path, getattr(event, "dest_path", "")) if p]
        if event.is_directory or all(generated.covers(p) for p in paths):
            return
        rebuild()

    server.unwatch(docs)
    problem = watch_with_file_events(server, rebuild)
    if problem:
        log.warning(f"atlas: file events unavailable ({problem}); polling for changes instead")
    handler = FileSystemEventHandler()
    handler.on_any_event = on_change
    server.observer.schedule(handler, docs, recursive=True)
    if os.environ.get("ATLAS_SKIP_BUILD") != "1":
        warm_up(Project(Path(config["config_file_path"]).resolve().parent))
    return server


def on_env(env, config, files):
    """A fresh fragment cache and page shells for every build (the nav may change between
    `serve` rebuilds); the theme's compiled templates are kept (atlas.templatecache)."""
    global _shells
    # The compiled code depends on the environment's extensions and escaping: part of the kind.
    env.bytecode_cache = compiled_templates(f"theme {sorted(env.extensions)} {env.autoescape!r}")
    _shells = PageShells(env)
    env.globals["atlas_shared_fragment"] = SharedFragments()
    env.globals["atlas_page_shell"] = _shells.render
    return env


def on_post_build(config, **kwargs) -> None:
    if _shells is not None and _shells.filled:
        log.info(f"atlas: {_shells.summary()}")


class SharedFragments:
    """Theme fragments that are identical on every page outside the nav in one folder."""

    def __init__(self):
        self.rendered = {}

    def __call__(self, page, name: str, render):
        key = getattr(page, "atlas_fragment_key", None)
        if key is None:
            return render()
        if (name, key) not in self.rendered:
            self.rendered[name, key] = render()
        return self.rendered[name, key]


def on_page_context(context, page, config, nav):
    """Generated pages say which source file they come from; edit that file, not the page."""
    # Outside the nav nothing in the sidebar is active: its HTML (relative links included)
    # depends only on the folder the page is in.
    page.atlas_fragment_key = None if page in nav.pages else page.url.rstrip("/").rpartition("/")[0]
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
