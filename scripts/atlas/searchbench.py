"""Search latency as a reader sees it: a built site in headless Chromium, real key presses.

The site's search box queries a Pagefind index (site/pagefind/, written by every build; see
searchindex.py) that the browser fetches fragment by fragment: Pagefind's engine and page
list once the page is loaded and idle (or the box is used), word lists as a query is typed,
excerpts for its results. Measured here, through the header search box as a reader uses it:
the page load, the time from the last key press to the first visible result when typing
right after the page loaded ("first query": may include loading the engine and includes the
word lists the query needs; typed at machine speed, again at 10 keys a second on a fresh
page, as a quick reader types, and at machine speed a second after the load, when the
engine has loaded; each the median of SAMPLES fresh pages, with the slowest right-after-load
one too) and with another query once loaded ("warm query"), the bytes of search data
(everything under pagefind/) fetched for the first query, and the first results' titles. `indexing_figures` reads Pagefind's share of the build (runs, seconds, peak memory).
Needs Playwright (requirements-dev.txt) and Debian's chromium (`apt-get install -y chromium`).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
RESULT = ".md-search-result__item"


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        # A page closed while its idle-time search engine was still loading drops connections.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def serve(site: Path) -> ThreadingHTTPServer:
    """Serve `site` on a free localhost port in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


# The search script marks the result list with the query it answers, once its results are in.
ANSWERED = """query => {
  const list = document.querySelector('.md-search-result__list[data-query]');
  const first = list && list.dataset.query === query && list.querySelector('.md-search-result__item');
  return !!first && first.getBoundingClientRect().height > 0;
}"""


def _type_and_wait(page, query: str, timeout_ms: int, key_delay_ms: int = 0) -> float:
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=key_delay_ms)
    typed = time.perf_counter()
    page.wait_for_function(ANSWERED, arg=query, timeout=timeout_ms, polling="raf")
    return round((time.perf_counter() - typed) * 1000)


# Each first query is timed on this many fresh pages: one sample on a 2-core machine
# swings by ±100 ms with whatever else runs, so the table gives the median and the slowest.
SAMPLES = 3


def _first_query(browser, base: str, query: str, timeout_ms: int, key_delay_ms: int = 0,
                 settle_ms: int | None = None) -> float:
    """A fresh page, and `query` typed into its search box: right when the page has loaded
    (`settle_ms` None), or once the network is idle and `settle_ms` more have passed."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        if settle_ms is None:
            page.goto(base, wait_until="load")
        else:
            page.goto(base, wait_until="networkidle")
            page.wait_for_timeout(settle_ms)
        return _type_and_wait(page, query, timeout_ms, key_delay_ms)
    finally:
        page.close()


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def browser_missing() -> str | None:
    """Why the benchmark's browser cannot run here, or None when it can."""
    if importlib.util.find_spec("playwright") is None:
        return "playwright is not installed (pip install -r requirements-dev.txt)"
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} not found (apt-get install -y chromium)"
    return None


def measure_search(site: Path, query: str = "KV cache", warm_query: str = "speculative decoding",
                   timeout_ms: int = 60_000, samples: int = SAMPLES) -> dict:
    """Figures for one built site; {"error": ...} when the browser cannot run.

    The site's files are flushed to disk first (`os.sync`): a reader's browser does not
    share the machine with a build that has just written 400 MB."""
    missing = browser_missing()
    if missing:
        return {"error": missing}
    from playwright.sync_api import sync_playwright

    if hasattr(os, "sync"):
        os.sync()
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def on_response(response) -> None:
                if "/pagefind/" in response.url:
                    size = response.headers.get("content-length")
                    fetched[response.url] = int(size) if size and size.isdigit() else 0

            page.on("response", on_response)
            start = time.perf_counter()
            page.goto(base, wait_until="load")
            loaded = round((time.perf_counter() - start) * 1000)
            first = [_type_and_wait(page, query, timeout_ms)]
            page.locator(f".md-search-result__list:not([aria-busy]) {RESULT}").first.wait_for()
            titles = page.locator(f"{RESULT} h1").all_inner_texts()[:5]
            first_bytes = sum(fetched.values())
            page.locator("input.md-search__input").fill("")
            warm = _type_and_wait(page, warm_query, timeout_ms)
            page.close()
            first += [_first_query(browser, base, query, timeout_ms) for _ in range(samples - 1)]
            # A reader types slower than Playwright: the same first query at 10 keys a second.
            human = [_first_query(browser, base, query, timeout_ms, key_delay_ms=100) for _ in range(samples)]
            # A reader who reads a moment first: the engine loaded while the browser was idle.
            after_idle = [_first_query(browser, base, query, timeout_ms, settle_ms=1000) for _ in range(samples)]
            browser.close()
    except Exception as error:  # a benchmark reports, it does not crash the table
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    finally:
        server.shutdown()
    return {"page load (ms)": loaded, "first query (ms)": median(first),
            f"first query, slowest of {samples} (ms)": max(first), "warm query (ms)": warm,
            "first query typed at 10 keys/s (ms)": median(human),
            "first query a second after load (ms)": median(after_idle),
            "search data for first query (MB)": round(first_bytes / 1e6, 2),
            "first results": "; ".join(titles)}


def indexing_figures(report_file: Path) -> dict:
    """Pagefind's share of a build, from the report searchindex.write_index leaves in the file
    named by ATLAS_SEARCH_REPORT: its runs (one per part of the index), seconds and peak memory."""
    try:
        report = json.loads(report_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {"Pagefind runs (index parts)": report["parts"], "Pagefind wall time (s)": report["seconds"],
            "Pagefind CPU time (s)": report["cpu_seconds"], "Pagefind peak RSS (MB)": report["peak_mb"]}


def index_size(site: Path) -> dict:
    """Size of the site's Pagefind index: what is stored, not what a query fetches."""
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    return {"index size (MB)": round(sum(p.stat().st_size for p in files) / 1e6, 1),
            "index files": len(files)}
