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
import time
from pathlib import Path
from urllib.parse import urlsplit

import jinja2

from .build import build, load_inputs
from .entry_yaml import dump_entry
from .fetch import fetch
from .fill_metadata import fill_entries, wants_metadata
from .import_sources import FORMATS, parse_source, read_source
from .import_summary import ImportOutcome, apply_scope, summary_markdown
from .importer import plan_import
from .problems import AtlasError, Problem, format_problems
from .scope import load_scope
from .sources_arxiv import batches as arxiv_batches
from .sources_arxiv import query_url as arxiv_query_url
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


ARXIV_PAUSE_SECONDS = 3.0


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
    report = build(project)
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
    target.parent.mkdir(parents=True, exist_ok=True)
    # Stage beside the target so the final swap is a rename on the same file system.
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-new-", dir=target.parent))
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


def _load_scope(project: Project, args: argparse.Namespace, fmt: str):
    """The topic filter to apply: data/scope.yaml for streams (Daily Papers), else none."""
    wanted = args.scope if args.scope is not None else fmt == "daily-papers"
    if not wanted:
        return None
    path = project.root / "data" / "scope.yaml"
    if not path.is_file():
        raise AtlasError([Problem("data/scope.yaml", 0, "file", "is missing",
                                  "create it (include/exclude phrases, min_confidence) or pass --no-scope")])
    scope, problems = load_scope(path.read_bytes(), "data/scope.yaml")
    if problems:
        raise AtlasError(problems)
    return scope


def cmd_import(args: argparse.Namespace, project: Project) -> int:
    """Import papers as new entries from a digest, a Daily Papers response or the arXiv API.

    SOURCE is a file, an http(s) URL or arxiv:ID[,ID...]; its format is recognised from the
    content: a digest (title line, blank line, abstract paragraph), the JSON of
    https://huggingface.co/api/daily_papers, or an Atom response of export.arxiv.org/api/query.
    Cleans LaTeX remnants, extracts links, fills arXiv ids of a digest from a
    `title<TAB>arxiv_id` table (default: arxiv-ids.tsv beside it), suggests tags, and skips
    papers already in the atlas (same arXiv id or normalised title), listing every change.
    Daily Papers imports are filtered by data/scope.yaml (--scope/--no-scope to choose);
    every skipped paper is listed with the reason. --summary writes the pull request text.
    """
    fmt, read = read_source(args.source, args.format, arxiv_ids_path=args.arxiv_ids)
    if read.problems:
        return _fail(list(read.problems))
    inputs, problems = load_inputs(project)
    if problems:
        print("atlas import: fix these entries first:", file=sys.stderr)
        return _fail(problems)
    scope = _load_scope(project, args, fmt)
    default_name = {"daily-papers": "hf-daily-papers", "arxiv": "arxiv"}.get(fmt)
    source_name = args.source_name or default_name or Path(urlsplit(args.source).path).stem
    plan = plan_import(list(read.candidates), inputs.papers, inputs.taxonomy, arxiv_ids=dict(read.arxiv_ids),
                       added=args.added or today(), source=source_name)
    outcome = apply_scope(plan, scope, inputs.taxonomy,
                          ImportOutcome(args.source, fmt, unreadable=list(read.skipped)))
    for chrome in read.chrome:
        print(f"skipped page chrome: {chrome!r}")
    for entry, why in outcome.proposed:
        paper = entry.paper
        print(f"{'would add' if args.dry_run else 'added'} data/papers/{paper.id}.yaml  ({entry.origin})")
        if scope is not None:
            print(f"    in scope: {why}")
        if paper.authors:
            print(f"    authors: {', '.join(paper.authors)}")
        if paper.published:
            print(f"    published: {paper.published}")
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
    for origin, title, existing in outcome.duplicates:
        print(f"duplicate, skipped: {title!r} ({origin}) is already {existing}")
    for origin, title, reason in outcome.out_of_scope:
        print(f"out of scope, skipped: {title!r} ({origin}): {reason}")
    for origin, title, reason in outcome.unreadable:
        print(f"unreadable, skipped: {title!r} ({origin}): {reason}")
    if not args.dry_run:
        project.papers_dir.mkdir(parents=True, exist_ok=True)
        for entry, _why in outcome.proposed:
            (project.papers_dir / f"{entry.paper.id}.yaml").write_text(dump_entry(entry.paper), encoding="utf-8")
    summary = summary_markdown(outcome)
    if args.summary:
        Path(args.summary).write_text(summary, encoding="utf-8")
    print(f"atlas import: {len(outcome.proposed)} new, {len(outcome.duplicates)} duplicates"
          + (f", {len(outcome.out_of_scope)} out of scope" if scope is not None else "")
          + (f", {len(outcome.unreadable)} unreadable" if outcome.unreadable else "")
          + f"{' (dry run: nothing written)' if args.dry_run else ''}.")
    if args.dry_run:
        print("\n--- pull request summary ---\n" + summary, end="")
    return 0


def _metadata_records(args: argparse.Namespace, arxiv_ids: list[str]) -> tuple[dict, list[Problem]]:
    """arXiv id -> Candidate, from --from files (any import format) or the arXiv API in batches."""
    records, problems = {}, []
    reads = []
    if args.sources:
        for source in args.sources:
            reads.append(read_source(source)[1])
    else:
        for number, batch in enumerate(arxiv_batches(arxiv_ids)):
            if number:
                time.sleep(ARXIV_PAUSE_SECONDS)  # arXiv asks clients for 3 seconds between calls
            url = arxiv_query_url(batch)
            reads.append(parse_source(fetch(url), url, "arxiv")[1])
    for read in reads:
        problems += read.problems
        for candidate in read.candidates:
            records.setdefault(candidate.arxiv, candidate)
    return records, problems


def cmd_enrich(args: argparse.Namespace, project: Project) -> int:
    """Fill missing authors, published, year and categories of entries that have an arXiv id.

    Reads arXiv's API in batches of 50 (or --from FILE: saved arXiv Atom or Daily Papers
    responses, repeatable). Never changes a field that is already present; rewrites only
    the entries that gain something, and lists every field added.
    """
    inputs, problems = load_inputs(project)
    if problems:
        print("atlas enrich: fix these entries first:", file=sys.stderr)
        return _fail(problems)
    wanting = [p for p in inputs.papers if wants_metadata(p) and (not args.ids or p.id in args.ids)]
    if not wanting:
        print("atlas enrich: every entry with an arXiv id already has authors, dates and categories.")
        return 0
    records, problems = _metadata_records(args, sorted({p.arxiv for p in wanting}))
    if problems:
        return _fail(problems)
    texts = {p.source_path: (project.root / p.source_path).read_text(encoding="utf-8") for p in wanting}
    filled = fill_entries(wanting, texts, records)
    for item in filled:
        print(f"{'would fill' if args.dry_run else 'filled'} {item.paper.source_path}")
        for name, value in item.added:
            print(f"    + {name}: {value}")
        if not args.dry_run:
            (project.root / item.paper.source_path).write_text(item.text, encoding="utf-8")
    unknown = sorted(p.id for p in wanting if p.arxiv not in records)
    if unknown:
        print(f"no record in the responses for {len(unknown)} entries: {', '.join(unknown)}")
    print(f"atlas enrich: {len(filled)} entries filled, {len(wanting) - len(filled) - len(unknown)} had nothing "
          f"new, {len(unknown)} without a record{' (dry run: nothing written)' if args.dry_run else ''}.")
    return 0


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
    p = add("site", cmd_site)
    p.add_argument("--site-dir", default="site", help="output folder (default: site)")
    p = add("import", cmd_import)
    p.add_argument("source", help="file, http(s) URL, or arxiv:ID[,ID...]")
    p.add_argument("--format", choices=FORMATS, default="auto", help="source format (default: recognised)")
    p.add_argument("--arxiv-ids", help="title<TAB>arxiv_id table (default: arxiv-ids.tsv beside the digest)")
    p.add_argument("--added", help="date for `added:` (default: today, or SOURCE_DATE_EPOCH)")
    p.add_argument("--source-name", help="value for `source:` (default: the digest's file name)")
    p.add_argument("--dry-run", action="store_true", help="print what would be added and the summary; write nothing")
    p.add_argument("--summary", metavar="FILE", help="write the Markdown summary (pull request body) to FILE")
    p.add_argument("--scope", action=argparse.BooleanOptionalAction, default=None,
                   help="filter by data/scope.yaml (default: only Daily Papers)")
    p = add("enrich", cmd_enrich)
    p.add_argument("--from", dest="sources", action="append", metavar="FILE",
                   help="saved arXiv Atom or Daily Papers response (repeatable; default: ask the arXiv API)")
    p.add_argument("--dry-run", action="store_true", help="list what would be filled; write nothing")
    p.add_argument("ids", nargs="*", help="only these entry ids (default: all that miss something)")
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
