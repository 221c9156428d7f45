"""Shared fixtures: a throw-away project tree built from small inline entries."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
# Every result the per-paper memos remember is also computed afresh and compared (atlas.memo):
# the whole suite checks that no memo key misses an input.
os.environ.setdefault("ATLAS_MEMO_CHECK", "1")

from atlas.sources import Project  # noqa: E402

ABSTRACT = ("We propose a method that makes large language model inference faster by compressing the "
            "key-value cache, and we evaluate it on several long-context benchmarks with good results.")


def entry(id: str, title: str | None = None, abstract: str = ABSTRACT, **fields) -> str:
    """YAML text of a valid entry; keyword fields are added verbatim (values are YAML)."""
    lines = [f"id: {id}", f"title: '{title or id.replace('-', ' ').title()}'"]
    lines += [f"{key}: {value}" for key, value in fields.items()]
    lines.append("abstract: >-\n  " + abstract)
    return "\n".join(lines) + "\n"


# The browser the browser tests drive: ATLAS_CHROMIUM if set, else Debian's
# chromium-headless-shell (what Playwright itself runs headless; a fresh page costs it
# ~0.3 s of CPU against ~0.8 s in the full browser), else Debian's chromium. `.ci/run`
# installs the first; None leaves Playwright its own (the GitHub workflow installs that).
DEBIAN_CHROMIUMS = (Path("/usr/bin/chromium-headless-shell"), Path("/usr/bin/chromium"))


# No background traffic: this machine has no network, and a request to any other host fails
# the browser tests.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def browser_executable() -> Path | None:
    configured = os.environ.get("ATLAS_CHROMIUM")
    if configured:
        return Path(configured)
    return next((path for path in DEBIAN_CHROMIUMS if path.exists()), None)


def launch_browser(playwright):
    """A headless chromium (`browser_executable`, else Playwright's own, which the GitHub
    workflow installs); the test is skipped with the reason when none can run."""
    options = {"headless": True, "args": CHROMIUM_ARGS}
    executable = browser_executable()
    if executable:
        options["executable_path"] = str(executable)
    try:
        return playwright.chromium.launch(**options)
    except Exception as error:  # noqa: BLE001 - any launch failure means "no browser here"
        pytest.skip(f"no chromium at {executable} and none of Playwright's own "
                    f"(apt-get install -y chromium-headless-shell; .ci/run does it): {error.__class__.__name__}")


@pytest.fixture
def make_project(tmp_path):
    """Build a project at tmp_path with the real taxonomy and templates and the given entries.

    `make_project({"galore.yaml": "id: galore ..."})` returns a `Project`.
    """

    def _make(entries: dict[str, str | bytes], taxonomy: str | None = None) -> Project:
        root = tmp_path / "project"
        (root / "data" / "papers").mkdir(parents=True)
        shutil.copytree(REPO / "templates", root / "templates")
        (root / "docs").mkdir()
        (root / "mkdocs.yml").write_text("site_name: test\n")
        if taxonomy is None:
            shutil.copy(REPO / "data" / "taxonomy.yaml", root / "data" / "taxonomy.yaml")
        else:
            (root / "data" / "taxonomy.yaml").write_text(textwrap.dedent(taxonomy))
        for name, text in entries.items():
            path = root / "data" / "papers" / name
            path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return Project(root)

    return _make


@pytest.fixture(scope="session")
def repo_project() -> Project:
    return Project(REPO)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory, worker_id) -> Path:
    """`atlas site` of this repository into a temporary folder: the same strict build readers
    get. Built once per test run, by whichever worker (`make test` runs several) asks first;
    the others wait for it and use the same folder (tests only read it)."""
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        shared = shared.parent  # the run's folder, above each worker's own
    target = shared / "real-site" / "site"
    with open(shared / "real-site.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (target / "index.html").is_file():
            target.parent.mkdir(exist_ok=True)
            result = subprocess.run([sys.executable, "-m", "atlas", "site", "--site-dir", str(target)], cwd=REPO,
                                    capture_output=True, text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
            assert result.returncode == 0, f"atlas site failed:\n{result.stdout}\n{result.stderr}"
    return target


# Generated pages come in two forms: Markdown (home, topics, facets, map) and HTML passed
# through as is (paper, tag and papers-index pages; see atlas.htmlpage). Tests read both
# the way the site does.
SITE_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "toc"]


def page_html(page: str) -> str:
    """The HTML a generated page becomes on the site (without theme and front matter)."""
    import markdown

    front, _, body = page.partition("\n---\n") if page.startswith("---\n") else ("", "", page)
    if "\natlas_render: html" in front:
        return body
    return markdown.markdown(body, extensions=SITE_EXTENSIONS)


def section(page: str, heading: str) -> str:
    """The HTML of one section of a generated page: from its heading to the next h2."""
    html = page_html(page)
    start = html.index(f">{heading}<a class=\"headerlink\"") if "headerlink" in html else html.index(f">{heading}<")
    end = html.find("<h2", start)
    return html[start:] if end == -1 else html[start:end]


def pytest_collection_modifyitems(config, items):
    """The files with slow tests first (`make test` keeps this order: --no-loadscope-reorder):
    parallel workers start on the long files and end on short ones instead of waiting for the
    one that drew a long file last."""
    slow_files = {item.nodeid.split("::", 1)[0] for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.nodeid.split("::", 1)[0] not in slow_files)
