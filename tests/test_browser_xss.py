"""In a real browser, a hostile entry runs no script: not on its page, not in lists, not in search.

The site is built by `atlas site` (MkDocs, strict) from an entry whose title and abstract
carry `<script>alert(1)</script>` and `<img src=x onerror=alert(1)>`, served on localhost,
and opened in Chromium through Playwright (Debian's headless chromium, which .ci/run
installs; Playwright's own Chromium where that is what is installed). Any alert, confirm or
prompt is recorded. A canary page that does run a script proves the recorder works.
Requests to any other host are refused, so the test needs no network.
"""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading

import pytest
import yaml

from conftest import launch_browser
from site_project import copy_site_project

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
TITLE = f"XSS Probe {SCRIPT} {IMG}"
HOSTILE = {
    "id": "xss-probe",
    "title": TITLE,
    "aliases": ["XSSProbe"],
    "authors": [SCRIPT, IMG],
    "venue": "<svg onload=alert(1)>",
    "tags": ["inference", "quantization"],
    "abstract": (f"We propose XSSProbe, a quantization method for inference. {SCRIPT} {IMG} "
                 "<div onmouseover=alert(1)>hover</div> [click](javascript:alert(1)) {: onclick=alert(1) } "
                 "<iframe src=javascript:alert(1)></iframe> {{ 7*7 }}"),
}
NEIGHBOUR = {
    "id": "neighbour",
    "title": "A Neighbour Paper on Quantization for Inference",
    "tags": ["inference", "quantization"],
    "abstract": "We compare our quantization method for inference against XSSProbe on long-context tasks.",
}


@pytest.fixture(scope="module")
def served_site(tmp_path_factory):
    """Build the site from the hostile entry and serve it on 127.0.0.1; yields the base URL."""
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements-dev.txt)")
    entries = {f"{e['id']}.yaml": yaml.safe_dump(e, allow_unicode=True, sort_keys=False, width=1000)
               for e in (HOSTILE, NEIGHBOUR)}
    root = copy_site_project(tmp_path_factory.mktemp("xss") / "project", entries)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", SITE_URL="http://127.0.0.1/")
    result = subprocess.run([sys.executable, "-m", "atlas", "--root", str(root), "site"], cwd=root, env=env,
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    site = root / "site"
    (site / "canary.html").write_text("<!doctype html><title>canary</title><script>alert('canary')</script>")

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


@pytest.fixture(scope="module")
def browser(served_site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, served_site):
    """A page that records every dialog and may only reach the local server."""
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(served_site)
                  else route.abort())
    page = context.new_page()
    page.dialogs = []

    def record(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    yield page
    context.close()


def visit(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")


def injected_elements(page) -> list[str]:
    """Elements or attributes the entry asked for, as found in the live DOM."""
    return page.evaluate("""() => {
        const found = [];
        for (const el of document.querySelectorAll('*')) {
            for (const attr of el.getAttributeNames()) {
                if (attr.startsWith('on')) found.push(`${el.tagName} ${attr}`);
            }
            const href = el.getAttribute('href') || el.getAttribute('src') || '';
            if (/^\\s*javascript:/i.test(href)) found.push(`${el.tagName} ${href}`);
        }
        for (const el of document.querySelectorAll('img[src="x"], iframe, svg[onload], script:not([src])')) {
            if (el.tagName !== 'SCRIPT' || el.textContent.includes('alert')) found.push(el.outerHTML.slice(0, 80));
        }
        return found;
    }""")


def test_the_recorder_sees_a_script_that_does_run(page, served_site):
    visit(page, served_site + "canary.html")
    assert page.dialogs == ["canary"]


def test_the_hostile_paper_page_runs_no_script_and_shows_the_text(page, served_site):
    visit(page, served_site + "papers/xss-probe/")
    assert page.dialogs == []
    assert injected_elements(page) == []
    assert page.locator("article h1").inner_text().rstrip("¶").strip() == TITLE
    article = page.locator("article").inner_text()
    assert SCRIPT in article and IMG in article and "[click](javascript:alert(1))" in article
    assert page.title().startswith(TITLE)


@pytest.mark.parametrize("path", ["", "papers/", "papers/neighbour/", "tags/quantization/", "tags/inference/"])
def test_pages_listing_the_hostile_paper_run_no_script(page, served_site, path):
    visit(page, served_site + path)
    assert page.dialogs == []
    assert injected_elements(page) == []


def test_searching_for_the_hostile_paper_runs_no_script(page, served_site):
    visit(page, served_site)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("XSS Probe")  # real key events: fill() would not trigger a search
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    results = page.locator(".md-search-result").inner_text()
    assert "XSS Probe" in results
    assert SCRIPT in page.locator(".md-search-result__item h1").first.inner_text()  # shown as text
    assert page.dialogs == []
    assert injected_elements(page) == []
