"""The real site, built once, served on 127.0.0.1, and one headless chromium for this package.

Browser tests need Playwright (requirements-dev.txt) and Debian's chromium-headless-shell
or chromium (`.ci/run` installs the first; Playwright cannot download its own browser
here; on GitHub's runners Playwright's own is used; see `conftest.launch_browser`).
Without a browser they are skipped with the reason. Every page a test opens fails the
test on a console error or on a request to any host other than 127.0.0.1 (such requests
are blocked, so none leaves the machine).
"""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import launch_browser

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "tests" / "artifacts" / "screenshots"

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None


@pytest.fixture(scope="package")
def site_dir(real_site) -> Path:
    """The real site, as readers get it (built once per test run: `conftest.real_site`)."""
    return real_site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="package")
def base_url(site_dir) -> str:
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="package")
def atlas_data(site_dir) -> dict:
    """The site's own api/papers.json: what the pages should show."""
    return json.loads((site_dir / "api" / "papers.json").read_text(encoding="utf-8"))


# Package scope, like the site fixtures (so a missing browser skips before the site is
# built): Playwright's sync API allows one running instance, and other browser tests
# (tests/test_browser_xss.py) start their own after this package is done.
@pytest.fixture(scope="package")
def browser():
    """A headless chromium (conftest.launch_browser); skipped with the reason when none can run."""
    if sync_playwright is None:
        pytest.skip("Playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


class PageWatch:
    """What went wrong while a page was open: console errors and outside requests."""

    def __init__(self):
        self.errors: list[str] = []
        self.outside: list[str] = []

    def route(self, route):
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()


@pytest.fixture
def open_page(browser, base_url):
    """`open_page(path, **context_options)` -> a Playwright page at base_url + path."""
    contexts, watches = [], []

    def _open(path: str = "", **options):
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        watch = PageWatch()
        context.route("**/*", watch.route)
        page = context.new_page()
        page.on("console", lambda msg: msg.type == "error" and watch.errors.append(msg.text))
        page.on("pageerror", lambda error: watch.errors.append(str(error)))
        contexts.append(context)
        watches.append(watch)
        page.goto(base_url + path)
        return page

    yield _open
    for context in contexts:
        context.close()
    for watch in watches:
        assert watch.outside == [], f"requests to outside hosts: {watch.outside}"
        assert watch.errors == [], f"console errors: {watch.errors}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
