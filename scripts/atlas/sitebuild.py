"""Build the whole site with MkDocs: reproducibly, and replacing site/ only on success.

Two builds of the same entries must give byte-identical trees, so that a deploy diff shows
only what changed. MkDocs stamps the build date into sitemap.xml (`<lastmod>`) and into the
gzip header of sitemap.xml.gz, but honours SOURCE_DATE_EPOCH for both; when it is not set
we set it from the entries themselves (the newest `added:` date), never from the clock.

MkDocs writes into the site folder as it goes, so it builds into a staging folder beside
site/, and the old tree is swapped out only after `mkdocs build --strict` succeeded.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .model import Paper


def source_date_epoch(papers: list[Paper], environ: dict[str, str]) -> str:
    """SOURCE_DATE_EPOCH as given, else midnight UTC of the newest `added:` date (else 0)."""
    given = environ.get("SOURCE_DATE_EPOCH", "")
    if given.isdigit():
        return given
    dates = []
    for paper in papers:
        try:
            dates.append(dt.date.fromisoformat(paper.added or ""))
        except ValueError:
            continue
    if not dates:
        return "0"
    newest = dt.datetime.combine(max(dates), dt.time(), tzinfo=dt.timezone.utc)
    return str(int(newest.timestamp()))


@dataclass(frozen=True)
class SiteResult:
    ok: bool
    site_dir: Path
    output: str = ""


def build_site(root: Path, site_dir: Path, papers: list[Paper]) -> SiteResult:
    """`mkdocs build --strict` into a staging folder; swap it in for `site_dir` only on success."""
    staging = Path(tempfile.mkdtemp(prefix=".site-", dir=site_dir.parent))
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["SOURCE_DATE_EPOCH"] = source_date_epoch(papers, os.environ)
    # Never `--quiet`: it raises MkDocs' log level above WARNING, so --strict has no warning
    # to count and a site with broken links would pass. The log is captured instead, and
    # shown when the build fails.
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(staging)]
    try:
        result = subprocess.run(command, cwd=root, env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return SiteResult(False, site_dir, result.stdout)
    swap_in(staging, site_dir)
    return SiteResult(True, site_dir, result.stdout)


def swap_in(staging: Path, target: Path) -> None:
    """Replace `target` by `staging` with two renames; the old tree is removed afterwards."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    staging.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def search_index_note(output: str) -> str:
    """The hook's line on the search index (pages, seconds) from MkDocs' log, else ""."""
    for line in output.splitlines():
        if "atlas: search index of" in line:
            return line.split("atlas: ", 1)[1].strip()
    return ""
