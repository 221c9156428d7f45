"""`make serve`: a contributor saves an entry and the served site shows the change, whole.

`make serve` runs `mkdocs serve --dirty`: a save builds only the pages it changed, and the
hooks keep that exactly as good as a full build (see scripts/atlas/liveserve.py).
"""

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.corpus import copy_project
from atlas.liveserve import WARM_MESSAGE
from atlas.servebench import SERVE_OPTIONS, ServedSite, measure_serve_edit, search_page_count

from conftest import REPO, entry

pytestmark = pytest.mark.slow

INCREMENTAL = "only the pages whose source changed are built"
FULL = "every page is built"


@pytest.fixture
def served_project(tmp_path, repo_project):
    project = copy_project(repo_project, tmp_path / "project")
    shutil.copytree(repo_project.papers_dir, project.papers_dir)
    # The server's own temp dir: what it leaves there after it is stopped is checked below.
    (tmp_path / "tmp").mkdir()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(project.root / "scripts"),
               TMPDIR=str(tmp_path / "tmp"))
    return project, env


def test_make_serve_starts_mkdocs_as_the_serve_benchmark_does():
    recipe = re.search(r"^serve:.*\n\t(.*)$", (REPO / "Makefile").read_text(), re.M).group(1)
    assert "mkdocs serve " + " ".join(SERVE_OPTIONS) in recipe


def test_an_entry_saved_under_make_serve_shows_on_its_page_after_one_rebuild_with_search_whole(served_project):
    project, env = served_project
    entry_file = project.papers_dir / "galore.yaml"
    before = entry_file.read_bytes()
    figures = measure_serve_edit(project.root, entry_file, env, timeout=240)
    assert "error" not in figures, figures
    assert figures["edit shown after (s)"] > 0
    # The pages the build writes into docs/ do not set off a second rebuild.
    assert figures["rebuilds per save"] == 1
    # Only the changed pages were built again, yet search still covers every page.
    assert figures["search pages after"] == figures["search pages before"] > 70
    assert entry_file.read_bytes() == before  # the entry is put back


def test_adding_and_removing_an_entry_under_make_serve_rebuilds_every_page(served_project):
    project, env = served_project
    new_entry = project.papers_dir / "a-new-paper.yaml"
    title = "Zebra Attention: A New Paper Added While Serving"
    with ServedSite(project.root, env, timeout=240) as site:
        count = search_page_count(site.base)
        other = f"papers/{_another_paper(project)}/"
        sidebar = _sidebar(site.get(other))

        new_entry.write_text(entry("a-new-paper", title, tags="[pre-training, low-rank, method]"))
        assert site.wait_for_page("papers/a-new-paper/", title)
        assert site.wait_for(lambda: FULL in site.log().split("Building documentation")[-1], timeout=60)
        assert site.wait_for_page("papers/", title)  # the papers index lists it
        assert site.wait_for(lambda: search_page_count(site.base) == count + 1, timeout=60)

        saved = len(site.log())
        galore = project.papers_dir / "galore.yaml"
        galore.write_text(galore.read_text().replace("abstract: >-\n", "abstract: >-\n  Zebra sentence.\n", 1))
        assert site.wait_for_page("papers/galore/", "Zebra sentence.")
        assert INCREMENTAL in site.log()[saved:]
        # A page that was not built again is served as it was, sidebar and all.
        assert _sidebar(site.get(other)) == sidebar

        new_entry.unlink()
        assert site.wait_for(lambda: site.get("papers/a-new-paper/") is None, timeout=120)
        assert site.wait_for(lambda: search_page_count(site.base) == count, timeout=60)
        assert site.wait_for_page("papers/galore/", "Zebra sentence.")
    # Stopped as Ctrl-C stops it, MkDocs deletes the copy of the site it served from.
    assert list(Path(env["TMPDIR"]).iterdir()) == []


def _another_paper(project) -> str:
    return next(p.stem for p in sorted(project.papers_dir.glob("*.yaml")) if p.stem != "galore")


def _sidebar(page: str) -> str:
    return re.search(r'<nav class="md-nav md-nav--primary".*?</nav>', page, re.S).group(0)


def test_a_first_build_with_nothing_to_generate_fills_the_memos_in_the_background(served_project):
    project, env = served_project
    site = ServedSite(project.root, env, timeout=240)
    # The pages are already generated for the server's address: its first build is a no-op.
    subprocess.run([sys.executable, "-m", "atlas", "--root", str(project.root), "build"],
                   env=dict(env, SITE_URL=site.base), check=True, capture_output=True)
    entry_file = project.papers_dir / "galore.yaml"
    # Started as a shell's background job, or as some CI runners start it, this process
    # ignores SIGINT and the server would inherit that; it must still stop on SIGINT, and
    # clean up after the search index it was writing after the save.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with site:
            assert "pages generated in 0." in site.log()
            assert WARM_MESSAGE in site.log()  # ServedSite waited for the warm-up
            entry_file.write_text(entry_file.read_text().replace("abstract: >-\n", "abstract: >-\n  Warm sentence.\n", 1))
            assert site.wait_for_page("papers/galore/", "Warm sentence.")
    finally:
        signal.signal(signal.SIGINT, previous)
    assert site.server.returncode == 0, site.server.returncode  # stopped by SIGINT, cleanly
    assert list(Path(env["TMPDIR"]).iterdir()) == []
