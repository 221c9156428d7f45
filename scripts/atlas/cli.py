"""The `atlas` command: the disk-and-terminal edge around the pure core.

Each subcommand's docstring is its `--help`. Problems are printed as
`path:line: field: message — fix`, with exit code 1; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import jinja2

from .build import build, load_inputs
from .digest import parse_digest
from .entry_yaml import dump_entry
from .importer import Candidate, plan_import, read_arxiv_ids
from .problems import AtlasError, Problem, format_problems
from .sources import Project


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding mkdocs.yml and data/."""
    for folder in [start, *start.parents]:
        if (folder / "mkdocs.yml").is_file() and (folder / "data").is_dir():
            return folder
    return start


def today() -> str:
    """Today's date, or SOURCE_DATE_EPOCH's, so reproducible runs stay reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).date().isoformat()
    return dt.date.today().isoformat()


def _fail(problems: list[Problem]) -> int:
    print(format_problems(problems), file=sys.stderr)
    return 1


def cmd_check(args: argparse.Namespace, project: Project) -> int:
    """Validate every entry and the taxonomy; report all problems at once (exit 1 if any)."""
    inputs, problems = load_inputs(project)
    if problems:
        return _fail(problems)
    print(f"ok: {len(inputs.papers)} entries, {len(inputs.taxonomy.tags)} tags, no problems.")
    return 0


def cmd_build(args: argparse.Namespace, project: Project) -> int:
    """Render entries + taxonomy + templates into Markdown pages under docs/ (changed files only)."""
    report = build(project, use_cache=not args.no_cache)
    print(f"atlas build: {report.summary()}.")
    if args.verbose:
        for rel in report.written:
            print(f"  wrote docs/{rel}")
        for rel in report.removed:
            print(f"  removed docs/{rel}")
    return 0


def cmd_site(args: argparse.Namespace, project: Project) -> int:
    """Build the whole site with `mkdocs build --strict` into site/, replacing it only on success."""
    build(project)
    target = project.root / args.site_dir
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=project.root))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(staging)]
    result = subprocess.run(command, cwd=project.root, env=env)
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"atlas site: mkdocs build failed; {args.site_dir}/ left as it was.", file=sys.stderr)
        return 1
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    staging.rename(target)
    if old:
        shutil.rmtree(old, ignore_errors=True)
    pages = sum(1 for _ in (target / "papers").glob("*/index.html")) if (target / "papers").is_dir() else 0
    print(f"atlas site: built {args.site_dir}/ ({pages} paper pages).")
    return 0


def cmd_import(args: argparse.Namespace, project: Project) -> int:
    """Import papers from a digest file (title line, blank line, abstract paragraph) as new entries.

    Cleans LaTeX remnants, extracts links, fills arXiv ids from a `title<TAB>arxiv_id` table
    (default: arxiv-ids.tsv beside the digest), suggests tags, and skips papers already in
    the atlas (same arXiv id or normalised title), listing every change it made.
    """
    source_path = Path(args.source)
    if not source_path.is_file():
        return _fail([Problem(args.source, 0, "source", "file not found", "give the path of a digest file")])
    try:
        text = source_path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return _fail([Problem(args.source, 0, "source", f"not UTF-8 at byte {error.start}", "save it as UTF-8")])
    parsed = parse_digest(text, args.source)
    if parsed.problems:
        return _fail(list(parsed.problems))
    ids_path = Path(args.arxiv_ids) if args.arxiv_ids else source_path.with_name("arxiv-ids.tsv")
    arxiv_ids = read_arxiv_ids(ids_path.read_text(encoding="utf-8")) if ids_path.is_file() else {}
    inputs, problems = load_inputs(project)
    if problems:
        print("atlas import: fix these entries first:", file=sys.stderr)
        return _fail(problems)
    candidates = [Candidate(i.title, i.abstract, origin=f"{args.source}:{i.line}") for i in parsed.items]
    plan = plan_import(candidates, inputs.papers, inputs.taxonomy, arxiv_ids=arxiv_ids,
                       added=args.added or today(), source=args.source_name or source_path.stem)
    for chrome in parsed.chrome:
        print(f"skipped page chrome: {chrome!r}")
    for entry in plan.new:
        paper = entry.paper
        print(f"{'would add' if args.dry_run else 'added'} data/papers/{paper.id}.yaml  ({entry.origin})")
        for change in entry.changes:
            print(f"    cleaned {change}")
        for kind, url in paper.links:
            print(f"    link {kind}: {url}")
        for url in entry.leftover_urls:
            print(f"    extra URL kept in the abstract only: {url}")
        if not paper.arxiv:
            print("    no arXiv id known")
        for suggestion in entry.suggestions:
            print(f"    tag {suggestion.tag} ({', '.join(suggestion.evidence)})")
    for origin, title, existing in plan.duplicates:
        print(f"duplicate, skipped: {title!r} ({origin}) is already {existing}")
    if not args.dry_run:
        project.papers_dir.mkdir(parents=True, exist_ok=True)
        for entry in plan.new:
            (project.papers_dir / f"{entry.paper.id}.yaml").write_text(dump_entry(entry.paper), encoding="utf-8")
    print(f"atlas import: {len(plan.new)} new, {len(plan.duplicates)} duplicates"
          f"{' (dry run: nothing written)' if args.dry_run else ''}.")
    return 0


def cmd_synth(args: argparse.Namespace, project: Project) -> int:
    """Write N synthetic entries made from the seed (seed papers first) to measure scale.

    By default DIR becomes a full project copy (mkdocs.yml, templates, scripts, docs,
    taxonomy) that builds on its own: `atlas --root DIR build`. With --entries-only only
    DIR/data/papers/ is written. The same N and --seed always give the same entries.
    """
    from .corpus import copy_project, write_entries
    from .synth import synth_papers

    inputs, problems = load_inputs(project)
    if problems:
        return _fail(problems)
    papers = synth_papers(inputs.papers, args.n, args.seed)
    out = Path(args.out).resolve()
    target = Project(out) if args.entries_only else copy_project(project, out)
    count = write_entries(target.papers_dir, papers)
    print(f"atlas synth: {count} entries ({min(count, len(inputs.papers))} from the seed) in {target.papers_dir}.")
    return 0


def cmd_bench(args: argparse.Namespace, project: Project) -> int:
    """Build the atlas at several sizes and print a table of times, memory and sizes.

    Each size is a project copy in a work folder: the real seed when N is the seed's size,
    else `atlas synth N`. Measures the build script (cold, no-op, one-entry edit), the full
    site build from clean, MkDocs alone on the same pages, peak memory, site and page sizes
    and the search index; with --search also search latency in headless Chromium. 10,000
    papers take several minutes on 2 cores. Prints figures; asserts nothing.
    """
    from . import bench

    try:
        sizes = [int(s) for s in args.sizes.replace(",", " ").split()]
    except ValueError:
        return _fail([Problem("--sizes", 0, "sizes", f"{args.sizes!r} is not a list of numbers",
                              "write e.g. --sizes '71 1000 10000' or --sizes 71,1000")])
    info = bench.machine_info()
    print(f"atlas bench: {bench.format_machine(info)}", flush=True)
    work = Path(args.work).resolve() if args.work else Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    results = []
    try:
        for n in sizes:
            results.append(bench.bench_size(project, n, work / f"n{n}", search=args.search,
                                            log=lambda text: print(text, file=sys.stderr, flush=True)))
            for error in results[-1].errors:
                print(f"atlas bench: n={n} failed:\n{error}", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    table = bench.format_table(results)
    print(table)
    if args.json:
        Path(args.json).write_text(bench.results_json(results, info) + "\n", encoding="utf-8")
    if args.write:
        bench.update_page(Path(args.write), table, info)
        print(f"atlas bench: results written into {args.write}")
    return 1 if any(r.errors for r in results) else 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="atlas", description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=None, help="project folder (default: found from cwd)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name, func):
        doc = func.__doc__ or ""
        p = sub.add_parser(name, help=doc.split("\n")[0], description=doc,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        return p

    add("check", cmd_check)
    p = add("build", cmd_build)
    p.add_argument("-v", "--verbose", action="store_true", help="list the files written and removed")
    p.add_argument("--no-cache", action="store_true", help="load and render everything even if nothing changed")
    p = add("site", cmd_site)
    p.add_argument("--site-dir", default="site", help="output folder (default: site)")
    p = add("import", cmd_import)
    p.add_argument("source", help="digest file")
    p.add_argument("--arxiv-ids", help="title<TAB>arxiv_id table (default: arxiv-ids.tsv beside the digest)")
    p.add_argument("--added", help="date for `added:` (default: today, or SOURCE_DATE_EPOCH)")
    p.add_argument("--source-name", help="value for `source:` (default: the digest's file name)")
    p.add_argument("--dry-run", action="store_true", help="print what would be added; write nothing")
    p = add("synth", cmd_synth)
    p.add_argument("n", type=int, help="number of entries")
    p.add_argument("--out", required=True, help="folder to write the project copy (or entries) into")
    p.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    p.add_argument("--entries-only", action="store_true", help="write only DIR/data/papers/")
    p = add("bench", cmd_bench)
    p.add_argument("--sizes", default="71 1000 10000", help="numbers of papers, space- or comma-separated (default: '71 1000 10000')")
    p.add_argument("--work", help="folder for the project copies (default: a temporary folder)")
    p.add_argument("--keep", action="store_true", help="keep the project copies and built sites")
    p.add_argument("--search", action="store_true", help="also measure search in headless Chromium")
    p.add_argument("--json", help="also write all figures as JSON to this file")
    p.add_argument("--write", help="put the table into this Markdown page, between bench markers")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    project = Project((args.root or find_root(Path.cwd())).resolve())
    try:
        return args.func(args, project)
    except AtlasError as error:
        return _fail(error.problems)
    except jinja2.TemplateError as error:
        where = f"templates/{error.name}" if getattr(error, "name", None) else "templates"
        return _fail([Problem(where, getattr(error, "lineno", 0) or 0, "template", str(error),
                              "fix the template; entries cannot cause this")])
    except OSError as error:
        return _fail([Problem(str(error.filename or "?"), 0, "file", error.strerror or str(error),
                              "check the path and permissions")])


if __name__ == "__main__":
    sys.exit(main())
