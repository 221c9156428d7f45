"""The scale benchmark behind `atlas bench`: build the atlas at several sizes, print figures.

Each size gets its own project copy (the real seed, or a synthetic corpus from
`atlas.synth`) and is built in subprocesses, so the figures are those a user sees:
the build script cold and as a no-op, the whole site (script + MkDocs, from clean), and
MkDocs alone on the same generated pages in the same run, so the script's share is a
ratio of two measurements taken side by side rather than a noisy absolute. A one-entry
edit shows how many pages a change rewrites. Benchmarks print; tests never assert times.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

from .build import load_inputs
from .corpus import copy_project, write_entries
from .sources import Project
from .synth import synth_papers


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    output: str
    ok: bool
    # All its processes at once (workers, Pagefind), shared pages counted once.
    peak_tree_mb: float = 0.0


@dataclass
class SizeResult:
    n: int
    script_cold_s: float = 0.0
    script_cold_rss_mb: float = 0.0
    script_cold_tree_mb: float = 0.0
    noop_s: float = 0.0
    noop_written: int = -1
    full_site_s: float = 0.0
    full_site_rss_mb: float = 0.0
    full_site_tree_mb: float = 0.0
    mkdocs_alone_s: float = 0.0
    # The least a script could do (atlas.floorbench): read, parse, template and write each entry.
    floor_s: float = 0.0
    site_mb: float = 0.0
    site_files: int = 0
    largest_paper_kb: float = 0.0
    largest_paper: str = ""
    largest_tag_kb: float = 0.0
    largest_tag: str = ""
    papers_index_kb: float = 0.0
    search_index_mb: float = 0.0
    search_index_gzip_mb: float = 0.0
    search_index_files: int = 0
    edit_s: float = 0.0
    edit_written: int = -1
    edit_entry: str = ""
    # CPU seconds (user + system) of the same runs: steadier than wall time on a shared machine.
    cpu: dict = field(default_factory=dict)
    stages: dict = field(default_factory=dict)
    search: dict = field(default_factory=dict)
    pages: dict = field(default_factory=dict)
    serve: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def script_share(self) -> float:
        """The script's share of the full build, from MkDocs alone measured beside it."""
        return max(0.0, 1 - self.mkdocs_alone_s / self.full_site_s) if self.full_site_s else 0.0

    @property
    def floor_share(self) -> float:
        """The bare floor's share of a full build made of it and MkDocs alone."""
        total = self.floor_s + self.mkdocs_alone_s
        return self.floor_s / total if self.floor_s and total else 0.0

    @property
    def script_cpu_share(self) -> float:
        full, alone = self.cpu.get("full site"), self.cpu.get("MkDocs alone")
        return max(0.0, 1 - alone / full) if full and alone is not None else 0.0


def run_measured(command: list[str], cwd: Path, env: dict | None = None) -> Run:
    """Wall seconds and peak memory of one child process and everything it starts.

    wait4 gives the peak of the largest single process; the build also runs worker
    processes and Pagefind beside the main one, so the memory of the whole tree is
    sampled too (`TreeMemory`).
    """
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        tree = TreeMemory(process.pid)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        tree.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(round(seconds, 2), round(cpu, 2), round(usage.ru_maxrss / 1024, 1), text, process.returncode == 0,
               round(tree.peak_mb, 1))


def tree_pids(pid: int) -> list[int]:
    """`pid` and its descendants alive now (Linux /proc; just `pid` elsewhere)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo += [int(child) for child in task.read_text().split()]
            except OSError:
                continue  # the thread or process ended meanwhile
    return found


def tree_pss_mb(pid: int) -> float:
    """Memory of `pid` and its descendants: the sum of their proportional set sizes (a page
    shared by forked workers counts once in all), 0 where /proc cannot tell."""
    total_kb = 0
    for each in tree_pids(pid):
        try:
            rollup = Path(f"/proc/{each}/smaps_rollup").read_text()
        except OSError:
            continue
        match = re.search(r"^Pss:\s+(\d+) kB", rollup, re.M)
        total_kb += int(match.group(1)) if match else 0
    return total_kb / 1024


class TreeMemory:
    """Samples `tree_pss_mb` of a running process every `interval` seconds in a thread."""

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak_mb = max(self.peak_mb, tree_pss_mb(self.pid))
            self._done.wait(self.interval)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def _written(output: str) -> int:
    match = re.search(r"(\d+) written", output)
    return int(match.group(1)) if match else -1


def _remove_generated(project: Project) -> None:
    for folder in ("papers", "tags", "facets", "api"):
        shutil.rmtree(project.docs_dir / folder, ignore_errors=True)
    for name in ("index.md", ".atlas-generated"):
        (project.docs_dir / name).unlink(missing_ok=True)
    shutil.rmtree(project.root / ".atlas-cache", ignore_errors=True)


GZIP_MAGIC = b"\x1f\x8b"


def index_sizes(folder: Path) -> tuple[int, int, int]:
    """Bytes of a search index raw and gzipped, and its file count.

    Pagefind writes its index and fragments already gzipped (the browser inflates them), its
    scripts plain: a gzipped file counts its inflated size as raw and its own as gzipped, a
    plain one its own as raw and its size after gzip (as a server compresses it) as gzipped.
    """
    raw = gzipped = count = 0
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes()
        count += 1
        if data[:2] == GZIP_MAGIC:
            raw += len(gzip.decompress(data))
            gzipped += len(data)
        else:
            raw += len(data)
            gzipped += len(gzip.compress(data, compresslevel=6, mtime=0))
    return raw, gzipped, count


def _tree_size(folder: Path) -> tuple[int, int]:
    total = count = 0
    for path in folder.rglob("*"):
        if path.is_file():
            total += path.stat().st_size
            count += 1
    return total, count


def measure_stages(project: Project) -> dict:
    """Seconds of each pipeline stage, in this process (for linearity, not for totals)."""
    from .enrich import apply_suggested_tags, enrich, read_texts
    from .parallel import worth_forking
    from .mentions import find_mentions
    from .related import paper_text, related_papers
    from .render import render_site

    stages = {}
    start = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal start
        now = time.perf_counter()
        stages[name] = round(now - start, 2)
        start = now

    inputs, problems = load_inputs(project)
    lap("load+check")
    if problems:
        return stages
    parallel = worth_forking(len(inputs.papers))
    read_texts([paper_text(p) for p in inputs.papers], parallel)
    lap("read texts")
    papers, _ = apply_suggested_tags(inputs.papers, inputs.taxonomy, parallel)
    lap("tag")
    find_mentions(papers)
    lap("mentions")
    related_papers(papers, inputs.taxonomy)
    lap("related")
    atlas = enrich(inputs.papers, inputs.taxonomy)
    start = time.perf_counter()
    render_site(atlas, project.templates_dir)
    lap("render")
    return stages


def _edit_target(project: Project) -> Path:
    """An entry others mention (its change ripples furthest), else the first entry."""
    entries = sorted(project.papers_dir.glob("*.yaml"))
    for path in entries:
        if path.stem in {"galore", "lora", "vllm"}:
            return path
    return entries[0]


# `mkdocs serve` after an edit is measured up to this size (the issue asks at 1,000; at
# 10,000 the server's first build alone takes minutes of the benchmark).
SERVE_MAX_N = 1000


def bench_size(source: Project, n: int, work: Path, search: bool = False, log=print) -> SizeResult:
    """Build one size in `work` and measure it."""
    result = SizeResult(n)
    inputs, problems = load_inputs(source)
    if problems:
        raise RuntimeError("the seed entries have problems; run `atlas check`")
    shutil.rmtree(work, ignore_errors=True)
    project = copy_project(source, work)
    write_entries(project.papers_dir, synth_papers(inputs.papers, n))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(work / "scripts"))
    atlas = [sys.executable, "-m", "atlas", "--root", str(work), "build"]
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]

    def step(what: str, command: list[str], run_env: dict = env) -> Run:
        """Log, run and time one step; its CPU seconds are recorded under `what`."""
        log(f"  n={n}: {what}")
        run = run_measured(command, work, run_env)
        result.cpu[what] = run.cpu_seconds
        return run

    run = step("script cold", atlas)
    result.script_cold_s, result.script_cold_rss_mb = run.seconds, run.peak_rss_mb
    result.script_cold_tree_mb = run.peak_tree_mb
    if not run.ok:
        result.errors.append(run.output[-2000:])
        return result
    run = step("bare floor", [sys.executable, "-m", "atlas.floorbench", str(project.papers_dir),
                              str(work / "floor-pages")])
    shutil.rmtree(work / "floor-pages", ignore_errors=True)
    result.floor_s = run.seconds if run.ok else 0.0
    if not run.ok:
        result.errors.append(f"bare floor: {run.output[-2000:]}")
    run = step("script no-op", atlas)
    result.noop_s, result.noop_written = run.seconds, _written(run.output)

    target = _edit_target(project)
    original = target.read_bytes()
    result.edit_entry = target.name
    target.write_bytes(original.rstrip(b"\n") + b" We also report results on three more benchmarks.\n")
    run = step("one-entry edit", atlas)
    result.edit_s, result.edit_written = run.seconds, _written(run.output)
    target.write_bytes(original)

    _remove_generated(project)
    report = work / "search-index.json"
    run = step("full site", mkdocs + ["--site-dir", "site"], dict(env, ATLAS_SEARCH_REPORT=str(report)))
    result.full_site_s, result.full_site_rss_mb = run.seconds, run.peak_rss_mb
    result.full_site_tree_mb = run.peak_tree_mb
    from .searchbench import indexing_figures
    result.search.update(indexing_figures(report))
    if not run.ok:
        result.errors.append(run.output[-2000:])
        return result
    # The same config and hooks (HTML pages, search index), but the atlas build is skipped.
    run = step("MkDocs alone", mkdocs + ["--site-dir", "site-alone"], dict(env, ATLAS_SKIP_BUILD="1"))
    result.mkdocs_alone_s = run.seconds
    if not run.ok:
        result.errors.append(run.output[-2000:])
    shutil.rmtree(work / "site-alone", ignore_errors=True)

    site = work / "site"
    size, count = _tree_size(site)
    result.site_mb, result.site_files = round(size / 1e6, 1), count
    pages = [(p.stat().st_size, p.parent.name) for p in (site / "papers").glob("*/index.html")]
    if pages:
        biggest = max(pages)
        result.largest_paper_kb, result.largest_paper = round(biggest[0] / 1024, 1), biggest[1]
    from .pagebench import largest_tag_page
    tag = largest_tag_page(site)
    if tag is not None:
        result.largest_tag_kb, result.largest_tag = round(tag.stat().st_size / 1024, 1), tag.parent.name
    if (site / "papers" / "index.html").is_file():
        result.papers_index_kb = round((site / "papers" / "index.html").stat().st_size / 1024, 1)
    index = site / "pagefind"
    if index.is_dir():
        raw, gzipped, result.search_index_files = index_sizes(index)
        result.search_index_mb, result.search_index_gzip_mb = round(raw / 1e6, 1), round(gzipped / 1e6, 1)

    log(f"  n={n}: stage timings")
    result.stages = measure_stages(project)
    if search:
        from .searchbench import measure_search
        log(f"  n={n}: search in headless Chromium")
        result.search.update(measure_search(site))
        from .pagebench import measure_pages
        log(f"  n={n}: list pages in headless Chromium")
        result.pages = measure_pages(site)
        if "error" in result.pages:
            result.errors.append(f"pages: {result.pages.pop('error')}")
    if n <= SERVE_MAX_N:
        from .servebench import measure_serve_edit
        log(f"  n={n}: an edit under mkdocs serve")
        result.serve = measure_serve_edit(work, target, env)
        if "error" in result.serve:
            result.errors.append(f"serve: {result.serve.pop('error')}")
    return result


def machine_info() -> dict:
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        memory = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, StopIteration, ValueError):
        pass
    versions = {}
    for name in ("mkdocs", "mkdocs-material", "Jinja2", "Markdown", "PyYAML", "playwright"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": memory, "os": platform.platform(),
            "python": platform.python_version(), "versions": versions,
            "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg())}


def format_table(results: list[SizeResult]) -> str:
    rows = [
        ("Build script, cold (s)", lambda r: f"{r.script_cold_s:.2f}"),
        ("Build script, no-op (s)", lambda r: f"{r.noop_s:.2f}"),
        ("Files written by a no-op", lambda r: str(r.noop_written)),
        ("One-entry edit: script (s)", lambda r: f"{r.edit_s:.2f}"),
        ("One-entry edit: files written", lambda r: str(r.edit_written)),
        ("Full site build from clean (s)", lambda r: f"{r.full_site_s:.1f}"),
        ("MkDocs alone, same pages (s)", lambda r: f"{r.mkdocs_alone_s:.1f}"),
        ("Script's share of the full build (wall)", lambda r: f"{100 * r.script_share:.0f}%"),
        ("Script's share of the full build (CPU)",
         lambda r: f"{100 * r.script_cpu_share:.0f}%" if r.cpu.get("full site") else "–"),
        ("Bare floor: read, parse, template, write each entry (s)", lambda r: f"{r.floor_s:.2f}"),
        ("Bare floor's share of a build of it + MkDocs alone", lambda r: f"{100 * r.floor_share:.0f}%"),
        ("Peak RSS, full build (MB)", lambda r: f"{r.full_site_rss_mb:.0f}"),
        ("Peak RSS, build script (MB)", lambda r: f"{r.script_cold_rss_mb:.0f}"),
        ("Peak memory, full build, all processes (PSS, MB)", lambda r: f"{r.full_site_tree_mb:.0f}"),
        ("Peak memory, build script, all processes (PSS, MB)", lambda r: f"{r.script_cold_tree_mb:.0f}"),
        ("Site size (MB, files)", lambda r: f"{r.site_mb} ({r.site_files})"),
        ("Largest paper page (KB HTML)", lambda r: f"{r.largest_paper_kb}"),
        ("Largest tag page (KB HTML)", lambda r: f"{r.largest_tag_kb} ({r.largest_tag})"),
        ("All papers page (KB HTML)", lambda r: f"{r.papers_index_kb}"),
        ("Search index, Pagefind, raw (MB, files)", lambda r: f"{r.search_index_mb} ({r.search_index_files})"),
        ("Search index, Pagefind, gzipped (MB)", lambda r: f"{r.search_index_gzip_mb}"),
    ]
    cpu_names = ["script cold", "bare floor", "script no-op", "one-entry edit", "full site", "MkDocs alone"]
    rows += [(f"CPU: {name} (s)", lambda r, name=name: f"{r.cpu.get(name, float('nan')):.2f}")
             for name in cpu_names if any(name in r.cpu for r in results)]
    order = ["load+check", "read texts", "tag", "mentions", "related", "render"]
    stage_names = sorted({s for r in results for s in r.stages}, key=lambda s: order.index(s) if s in order else 99)
    rows += [(f"Stage: {name} (s)", lambda r, name=name: f"{r.stages.get(name, float('nan')):.2f}")
             for name in stage_names]
    serve_keys = sorted({k for r in results for k in r.serve})
    rows += [(f"Serve: {key}", lambda r, key=key: str(r.serve.get(key, "–"))) for key in serve_keys]
    page_keys = sorted({k for r in results for k in r.pages})
    rows += [(f"Pages: {key}", lambda r, key=key: str(r.pages.get(key, "–"))) for key in page_keys]
    search_keys = sorted({k for r in results for k in r.search})
    rows += [(f"Search: {key}", lambda r, key=key: str(r.search.get(key, "")))
             for key in search_keys]
    header = "| Papers | " + " | ".join(f"{r.n:,}" for r in results) + " |"
    lines = [header, "|---|" + "---:|" * len(results)]
    lines += ["| " + label + " | " + " | ".join(cell(r) for r in results) + " |" for label, cell in rows]
    return "\n".join(lines)


def format_machine(info: dict) -> str:
    versions = ", ".join(f"{k} {v}" for k, v in info["versions"].items())
    return (f"{info['cpu']} ({info['cores']} cores), {info['memory']} RAM, {info['os']}, "
            f"Python {info['python']}; {versions}. Load average at start: {info['load_average']}.")


def results_json(results: list[SizeResult], info: dict) -> str:
    return json.dumps({"machine": info, "sizes": [asdict(r) | {"script_share": round(r.script_share, 3)}
                                                  for r in results]}, indent=1)


START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def update_page(page: Path, table: str, info: dict) -> None:
    """Replace what lies between the bench markers of `page` (created if missing)."""
    block = f"{START}\nMeasured on: {format_machine(info)}\n\n{table}\n{END}"
    text = page.read_text(encoding="utf-8") if page.is_file() else f"# Performance\n\n{START}\n{END}\n"
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    page.write_text(text, encoding="utf-8")
