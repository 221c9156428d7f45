"""The `atlas` command: the disk-and-terminal edge around the pure core.

Each subcommand's docstring is its `--help`. Problems are printed as
`path:line: field: message — fix`, with exit code 1; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
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
    report = build(project)
    print(f"atlas build: {report.summary()}.")
    if args.verbose:
        for rel in report.written:
            print(f"  wrote docs/{rel}")
        for rel in report.removed:
            print(f"  removed docs/{rel}")
    return 0


def cmd_site(args: argparse.Namespace, project: Project) -> int:
    """Build the whole site with `mkdocs build --strict` into site/, replacing it only on success.

    Reproducible: SOURCE_DATE_EPOCH is honoured, and when unset it is taken from the newest
    `added:` date of the entries, so the same entries always give a byte-identical site/.
    """
    from .build import build_pages
    from .output import read_generated, write_tree
    from .sitebuild import build_site

    atlas, pages = build_pages(project)
    previous = read_generated(project.docs_dir)
    write_tree(project.docs_dir, pages)
    target = project.root / args.site_dir
    result = build_site(project.root, target, [item.paper for item in atlas.papers])
    if not result.ok:
        # Put the previous pages back too: a failed `make site` changes nothing.
        write_tree(project.docs_dir, previous)
        print(result.output.rstrip(), file=sys.stderr)
        print(f"atlas site: mkdocs build failed; {args.site_dir}/ and the pages in docs/ left as they were.",
              file=sys.stderr)
        return 1
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


def cmd_schema(args: argparse.Namespace, project: Project) -> int:
    """Write data/paper.schema.json, the JSON Schema editors use to check entries as you type.

    Generated from the same field list `atlas check` uses, with the taxonomy's tag ids;
    with --check, only report whether the committed file is up to date (exit 1 if not).
    """
    from .load import load_taxonomy
    from .schema import json_schema_text

    taxonomy_rel = project.rel(project.taxonomy_path)
    taxonomy, problems = load_taxonomy(project.taxonomy_path.read_bytes(), taxonomy_rel)
    if problems:
        return _fail(list(problems))
    text = json_schema_text(list(taxonomy.tags))
    target = project.root / "data" / "paper.schema.json"
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if args.check:
        if current != text:
            return _fail([Problem(project.rel(target), 1, "file", "is out of date with the schema and taxonomy",
                                  "run `atlas schema` and commit the result")])
        print(f"atlas schema: {project.rel(target)} is up to date.")
        return 0
    if current != text:
        target.write_text(text, encoding="utf-8")
    print(f"atlas schema: {project.rel(target)} {'unchanged' if current == text else 'written'}.")
    return 0


def cmd_new(args: argparse.Namespace, project: Project) -> int:
    """Scaffold a new entry from a title and abstract, with suggested tags and extracted links.

    Give --title and --abstract, or --from a digest snippet (a title line, a blank line, the
    abstract paragraph; `-` reads standard input). The entry is cleaned, checked exactly as
    `atlas check` would, and written to data/papers/<id>.yaml; a paper already in the atlas
    (same title or arXiv id) is refused. Review the suggested tags before committing.
    """
    from .scaffold import scaffold_entry

    if args.source is not None:
        origin = "<stdin>" if args.source == "-" else args.source
        text = sys.stdin.read() if args.source == "-" else Path(args.source).read_text(encoding="utf-8-sig")
        parsed = parse_digest(text, origin)
        if parsed.problems:
            return _fail(list(parsed.problems))
        if len(parsed.items) != 1:
            return _fail([Problem(origin, parsed.items[1].line, "digest", f"holds {len(parsed.items)} papers",
                                  "use `atlas import` for several papers")])
        item = parsed.items[0]
        title, abstract, origin = args.title or item.title, args.abstract or item.abstract, f"{origin}:{item.line}"
    elif args.title and args.abstract:
        title, abstract, origin = args.title, args.abstract, "atlas new"
    else:
        return _fail([Problem("atlas new", 1, "arguments", "needs a title and an abstract",
                              "give --title and --abstract, or --from a digest snippet")])
    links = []
    for pair in args.link or []:
        kind, sep, url = pair.partition("=")
        if not sep:
            return _fail([Problem("atlas new", 1, "--link", f"'{pair}' is not KIND=URL", "e.g. --link code=https://github.com/o/r")])
        links.append((kind, url))
    inputs, problems = load_inputs(project)
    if problems:
        print("atlas new: fix these entries first:", file=sys.stderr)
        return _fail(problems)
    candidate = Candidate(title, abstract, arxiv=args.arxiv, links=tuple(links), origin=origin)
    result = scaffold_entry(candidate, inputs.papers, inputs.taxonomy, added=args.added or today(),
                            source=args.source_name, entry_id=args.id)
    if result.problems:
        return _fail(result.problems)
    target = project.root / result.path
    if target.exists():
        return _fail([Problem(result.path, 1, "file", "already exists", "choose another id with --id")])
    entry = result.planned
    for change in entry.changes:
        print(f"    cleaned {change}")
    for kind, url in entry.paper.links:
        print(f"    link {kind}: {url}")
    for url in entry.leftover_urls:
        print(f"    extra URL kept in the abstract only: {url}")
    for suggestion in entry.suggestions:
        print(f"    tag {suggestion.tag} ({', '.join(suggestion.evidence)})")
    if not entry.suggestions:
        print("    no tag suggested: add `tags:` with ids from data/taxonomy.yaml")
    if args.dry_run:
        print(f"atlas new: would write {result.path}:\n")
        print(result.text, end="")
        return 0
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(result.text, encoding="utf-8")
    print(f"atlas new: wrote {result.path}. Review its tags and links, then run `atlas check` and commit it.")
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
    p.add_argument("source", help="digest file")
    p.add_argument("--arxiv-ids", help="title<TAB>arxiv_id table (default: arxiv-ids.tsv beside the digest)")
    p.add_argument("--added", help="date for `added:` (default: today, or SOURCE_DATE_EPOCH)")
    p.add_argument("--source-name", help="value for `source:` (default: the digest's file name)")
    p.add_argument("--dry-run", action="store_true", help="print what would be added; write nothing")
    p = add("schema", cmd_schema)
    p.add_argument("--check", action="store_true", help="only verify data/paper.schema.json is up to date")
    p = add("new", cmd_new)
    p.add_argument("--title", help="the paper's title")
    p.add_argument("--abstract", help="the paper's abstract")
    p.add_argument("--from", dest="source", metavar="FILE", help="a digest snippet (title, blank line, abstract); - for stdin")
    p.add_argument("--arxiv", help="arXiv id, e.g. 2403.03507")
    p.add_argument("--link", action="append", metavar="KIND=URL", help="a link, e.g. code=https://github.com/o/r (repeatable)")
    p.add_argument("--id", help="the entry id (default: made from the title)")
    p.add_argument("--added", help="date for `added:` (default: today, or SOURCE_DATE_EPOCH)")
    p.add_argument("--source-name", default="manual", help="value for `source:` (default: manual)")
    p.add_argument("--dry-run", action="store_true", help="print the entry; write nothing")
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
