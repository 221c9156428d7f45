"""The `atlas` command: the disk-and-terminal edge around the pure core.

Each subcommand's docstring is its `--help`. Problems are printed as
`path:line: field: message — fix`, with exit code 1; never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from .problems import AtlasError, Problem, format_problems
from .sources import Project

# Everything else is imported by the subcommand that uses it: `atlas build` runs on every
# save under `mkdocs serve`, and when nothing changed it should cost file reads, not the
# ~0.25 s of importing the importer, the fetcher and Jinja.

# Import formats (`atlas import --format`); atlas.import_sources reads each of them.
FORMATS = ("auto", "digest", "daily-papers", "arxiv")


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
    """Validate every entry and the taxonomy; report all problems at once (exit 1 if any).

    With `--suggest`, also list where an entry's curated tags and the tagger's suggestions
    (rules plus the other entries as neighbours) disagree, with the tagger's evidence: a
    reviewer's checklist, not errors (exit code stays 0).
    """
    from .build import load_inputs
    
    inputs, problems = load_inputs(project)
    if problems:
        return _fail(problems)
    print(f"ok: {len(inputs.papers)} entries, {len(inputs.taxonomy.tags)} tags, no problems.")
    if args.suggest:
        from .tag_review import tag_disagreements
        lines = tag_disagreements(inputs.papers, inputs.taxonomy)
        for line in lines:
            print(line)
        noun = "disagreement" if len(lines) == 1 else "disagreements"
        print(f"{len(lines)} tag {noun} between curated and suggested tags.")
    return 0


def cmd_build(args: argparse.Namespace, project: Project) -> int:
    """Render entries + taxonomy + templates into Markdown pages under docs/ (changed files only)."""
    from .build import build
    
    report = build(project, use_cache=not args.no_cache)
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
    from .sitebuild import build_site, search_index_note

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
    note = search_index_note(result.output)
    print(f"atlas site: built {args.site_dir}/ ({pages} paper pages)" + (f"; {note}." if note else "."))
    return 0


def _load_scope(project: Project, args: argparse.Namespace, fmt: str):
    """The topic filter to apply: data/scope.yaml for streams (Daily Papers), else none."""
    from .scope import load_scope

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
    from urllib.parse import urlsplit

    from .build import load_inputs
    from .entry_yaml import dump_entry
    from .import_sources import read_source
    from .import_summary import ImportOutcome, apply_scope, summary_markdown
    from .importer import plan_import

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
    from .fetch import fetch
    from .import_sources import parse_source, read_source
    from .sources_arxiv import batches as arxiv_batches
    from .sources_arxiv import query_url as arxiv_query_url

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
    from .build import load_inputs
    from .fill_metadata import fill_entries, wants_metadata

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
    from .build import load_inputs
    from .digest import parse_digest
    from .importer import Candidate

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


def cmd_eval_links(args: argparse.Namespace, project: Project) -> int:
    """Measure related-paper links against expert pairs (default: tests/data/expected_links.yaml).

    Prints the share of expert pairs linked in either direction (tuning and holdout pairs
    apart), the share of related links whose papers share a tag other than `method` or
    `system`, how many links are listed both ways, and the pairs and links that fell short.
    """
    from .build import build_atlas

    from .linkeval import evaluate_links, format_report, read_expert_pairs

    pairs_path = Path(args.pairs) if args.pairs else project.root / "tests" / "data" / "expected_links.yaml"
    if not pairs_path.is_file():
        return _fail([Problem(str(pairs_path), 0, "pairs", "file not found", "give --pairs PATH")])
    atlas = build_atlas(project)
    pairs, problems = read_expert_pairs(pairs_path.read_bytes(), args.pairs or project.rel(pairs_path),
                                        {item.paper.id for item in atlas.papers})
    if problems:
        return _fail(problems)
    print(format_report(evaluate_links(atlas, pairs)), end="")
    return 0


def cmd_eval_tags(args: argparse.Namespace, project: Project) -> int:
    """Measure the automatic tagger against curated tags: precision, recall, micro-F1 per facet.

    Seed: every curated entry is tagged as if new, with rules only and with rules plus its
    nearest *other* entries (leave-one-out); the rules were written from the seed, so these
    figures are optimistic. Dev (held-out 1, tests/data/heldout/): papers outside the atlas,
    looked at while the rules were tuned. Test (held-out 2, tests/data/heldout2/): papers
    nobody looked at while tuning -- the honest figure for new papers. Each is a digest plus
    `heldout-tags.yaml`, tagged with the whole seed as neighbours. `--errors` lists every
    missed and extra tag (do not read them for the test set if you mean to tune again).
    """
    from .build import load_inputs

    from .neighbours import TaggedCorpus
    from .tag_eval import (format_report, load_heldout, predict_leave_one_out, predict_with_corpus, score,
                           seed_cases)

    inputs, problems = load_inputs(project)
    if problems:
        return _fail(problems)
    taxonomy = inputs.taxonomy
    cases = seed_cases(inputs.papers)
    runs = [("seed, rules only", cases, predict_leave_one_out(inputs.papers, taxonomy, neighbours=False)),
            ("seed, rules + neighbours, leave-one-out", cases,
             predict_leave_one_out(inputs.papers, taxonomy, neighbours=True))]
    corpus = TaggedCorpus.from_papers(inputs.papers)
    data = project.root / "tests" / "data"
    for name, prefix, folder in (("dev: held-out 1, looked at while tuning", "dev",
                                  Path(args.heldout) if args.heldout else data / "heldout"),
                                 ("test: held-out 2, never looked at while tuning", "test",
                                  Path(args.test) if args.test else data / "heldout2")):
        digest_path, tags_path = folder / "heldout-digest.txt", folder / "heldout-tags.yaml"
        if not (digest_path.is_file() and tags_path.is_file()):
            print(f"no {prefix} set in {folder} (heldout-digest.txt + heldout-tags.yaml); skipped.")
            continue
        heldout, problems = load_heldout(digest_path.read_text(encoding="utf-8"), tags_path.read_bytes(),
                                         str(digest_path), str(tags_path), prefix)
        if problems:
            return _fail(problems)
        runs += [(f"{name}, rules only", heldout, predict_with_corpus(heldout, taxonomy, None)),
                 (f"{name}, rules + neighbours", heldout, predict_with_corpus(heldout, taxonomy, corpus))]
    for index, (name, run_cases, predicted) in enumerate(runs):
        report = score(run_cases, predicted, taxonomy)
        print(("\n" if index else "") + format_report(name, report, len(run_cases), taxonomy))
        if args.errors:
            for case_id, tag, kind in report.errors:
                print(f"    {kind:<6} {tag:<24} {case_id}")
    return 0


def _count(text: str) -> int:
    """A number of entries for argparse: a whole number of 1 or more."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} entries: give 1 or more")
    return value


def cmd_synth(args: argparse.Namespace, project: Project) -> int:
    """Write N synthetic entries made from the seed (seed papers first) to measure scale.

    By default DIR becomes a full project copy (mkdocs.yml, templates, scripts, docs,
    taxonomy) that builds on its own: `atlas --root DIR build`. With --entries-only only
    DIR/data/papers/ is written. The same N and --seed always give the same entries.
    """
    from .build import load_inputs

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
        sizes = [_count(s) for s in args.sizes.replace(",", " ").split()]
    except argparse.ArgumentTypeError:
        sizes = []
    if not sizes:
        return _fail([Problem("--sizes", 0, "sizes", f"{args.sizes!r} is not a list of numbers of papers (1 or more)",
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

    p = add("check", cmd_check)
    p.add_argument("--suggest", action="store_true", help="list where curated and suggested tags disagree")
    p = add("build", cmd_build)
    p.add_argument("-v", "--verbose", action="store_true", help="list the files written and removed")
    p.add_argument("--no-cache", action="store_true", help="load and render everything even if nothing changed")
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
    p = add("eval-links", cmd_eval_links)
    p.add_argument("--pairs", help="expert pairs YAML (default: tests/data/expected_links.yaml)")
    p = add("eval-tags", cmd_eval_tags)
    p.add_argument("--heldout", help="dev set: folder with heldout-digest.txt and heldout-tags.yaml "
                                     "(default: tests/data/heldout)")
    p.add_argument("--test", help="test set, never looked at while tuning: folder with heldout-digest.txt "
                                  "and heldout-tags.yaml (default: tests/data/heldout2)")
    p.add_argument("--errors", action="store_true", help="list every missed and extra tag")
    p = add("synth", cmd_synth)
    p.add_argument("n", type=_count, help="number of entries (1 or more)")
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


def _is_template_error(error: Exception) -> bool:
    """A broken template (Jinja is imported only if a build got as far as rendering)."""
    jinja2 = sys.modules.get("jinja2")
    return jinja2 is not None and isinstance(error, jinja2.TemplateError)


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    project = Project((args.root or find_root(Path.cwd())).resolve())
    try:
        return args.func(args, project)
    except AtlasError as error:
        return _fail(error.problems)
    except OSError as error:
        return _fail([Problem(str(error.filename or "?"), 0, "file", error.strerror or str(error),
                              "check the path and permissions")])
    except Exception as error:
        if not _is_template_error(error):
            raise
        where = f"templates/{error.name}" if getattr(error, "name", None) else "templates"
        return _fail([Problem(where, getattr(error, "lineno", 0) or 0, "template", str(error),
                              "fix the template; entries cannot cause this")])


if __name__ == "__main__":
    sys.exit(main())
