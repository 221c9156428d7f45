"""The build pipeline: read inputs, validate, enrich, render, write. Used by CLI and hook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from . import buildcache
from .heap import build_heap, freeze_long_lived
from .output import MANIFEST, StagedWrite, WriteReport, read_manifest
from .problems import AtlasError, Problem
from .sources import Project, find_symlinks, read_entries

if TYPE_CHECKING:
    from .model import Atlas, Paper, Taxonomy

# Checking, enriching and rendering (YAML, numpy, the embedding model, Jinja) are imported
# when a build really runs: a no-op build (`mkdocs serve` after any save) only hashes the
# inputs, and at 10,000 papers has ~1 s for it.


@dataclass(frozen=True)
class Inputs:
    papers: list[Paper]
    taxonomy: Taxonomy


# What `sources.read_entries` gave: the entry files' bytes by path, and the problems reading them.
EntryFiles = tuple[dict[str, bytes], list[Problem]]


def load_inputs(project: Project, entries: EntryFiles | None = None) -> tuple[Inputs | None, list[Problem]]:
    """Everything `atlas check` verifies; Inputs only when there is no problem at all.

    `entries`: the entry files as the caller already read them (a build reads them once,
    to fingerprint its inputs and to load them: 0.3-0.5 s at 10,000 papers), else read here.
    """
    from . import memo
    from .checks import check_atlas, check_file_names, check_tags_of_invalid_entries
    from .load import load_papers, load_taxonomy

    memo.new_build()

    files, problems = entries if entries is not None else read_entries(project)
    problems = list(problems)
    problems += find_symlinks(project.docs_dir, project) if project.docs_dir.exists() else []
    problems += check_file_names(list(files))
    taxonomy_rel = project.rel(project.taxonomy_path)
    if not project.taxonomy_path.is_file():
        return None, problems + [Problem(taxonomy_rel, 0, "file", "is missing", "restore data/taxonomy.yaml")]
    taxonomy, found = load_taxonomy(project.taxonomy_path.read_bytes(), taxonomy_rel)
    problems += found
    papers, found = load_papers(files)
    problems += found
    if taxonomy is not None:
        problems += check_atlas(papers, taxonomy)
        loaded = {paper.source_path for paper in papers}
        problems += check_tags_of_invalid_entries({p: raw for p, raw in files.items() if p not in loaded}, taxonomy)
    if problems or taxonomy is None:
        return None, problems
    return Inputs(papers, taxonomy), []


def build_atlas(project: Project, entries: EntryFiles | None = None) -> Atlas:
    """The enriched atlas; each entry text's terms and embedding come from `.atlas-cache/` when unchanged."""
    with build_heap():
        inputs, problems = load_inputs(project, entries)
        if problems:
            raise AtlasError(problems)
        from . import textcache
        from .enrich import enrich
        from .related import paper_text

        textcache.load(project.root)
        freeze_long_lived()
        atlas = enrich(inputs.papers, inputs.taxonomy)
        textcache.save(project.root, [paper_text(p) for p in inputs.papers])
        return atlas


def build_pages(project: Project, entries: EntryFiles | None = None, reuse_written: bool = False,
                keys: dict[str, tuple[str, str]] | None = None,
                on_files: Callable[[dict[str, str]], None] | None = None) -> tuple[Atlas, dict[str, str]]:
    """Render every generated file in memory (nothing is written here).

    `reuse_written`: in a process that has rendered no page yet, take the pages whose inputs
    did not change from docs/, as the last build wrote them (atlas.pagecache). `keys`
    receives each paper and tag page's memo key (for `pagecache.record`). `on_files` is
    given each batch of files as it is rendered (`build` stages them for writing).
    """
    from . import pagecache
    from .render import PAGE_MEMOS, page_memos_empty, render_site
    from .siteconfig import read_site_url

    with build_heap():
        atlas = build_atlas(project, entries)
        if reuse_written and page_memos_empty():
            pagecache.seed(project, PAGE_MEMOS)
        freeze_long_lived()
        return atlas, render_site(atlas, project.templates_dir, read_site_url(project.root), keys, on_files)


def build(project: Project, use_cache: bool = True) -> WriteReport:
    """Validate and render everything first; put files in place in docs/ only if all of it
    succeeded. Changed files are staged beside their places as they are rendered (while the
    workers render the rest) and renamed into place at the end (`output.StagedWrite`).

    When nothing the build reads has changed since the last build and its outputs are
    untouched, nothing is loaded or rendered (see `atlas.buildcache`).
    """
    entries, read_problems = read_entries(project)
    problems = list(read_problems)
    if project.docs_dir.exists():
        problems += find_symlinks(project.docs_dir, project)
    key = buildcache.fingerprint(project, entries) if use_cache and not problems else None
    if key and buildcache.is_fresh(project, key):
        return WriteReport(unchanged=len(read_manifest(project.docs_dir)))
    keys: dict[str, tuple[str, str]] = {}
    writing = StagedWrite(project.docs_dir)  # files staged as they are rendered, put in place at the end
    with build_heap():
        try:
            _, pages = build_pages(project, (entries, read_problems), reuse_written=use_cache, keys=keys,
                                   on_files=writing.stage)
        except BaseException:
            writing.discard()
            raise
        report = writing.commit(pages)
    from . import pagecache

    pagecache.record(project, keys)
    if key:
        buildcache.record(project, key, [*pages, MANIFEST])
    return report
