"""Search latency as a reader sees it: a built site in headless Chromium, real key presses.

Material's search builds a lunr index from `search/search_index.json` in a web worker on
every visit, so the first query waits for the download and the indexing. Measured here:
the bytes of search data fetched for the first query, the time from the last key press
to the first visible result when typing right after the page loaded ("first query") and
again once the index is ready ("warm query"), and the first results' titles. Needs
Playwright (requirements-dev.txt) and Debian's chromium (`apt-get install -y chromium`).
"""

from __future__ import annotations

import functools
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


def serve(site: Path) -> ThreadingHTTPServer:
    """Serve `site` on a free localhost port in a daemon thread."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _type_and_wait(page, query: str, timeout_ms: int) -> float:
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query)
    typed = time.perf_counter()
    page.locator(RESULT).first.wait_for(state="visible", timeout=timeout_ms)
    return round((time.perf_counter() - typed) * 1000)


def measure_search(site: Path, query: str = "KV cache", warm_query: str = "speculative decoding",
                   timeout_ms: int = 60_000) -> dict:
    """Figures for one built site; {"error": ...} when the browser cannot run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"error": "playwright is not installed (pip install -r requirements-dev.txt)"}
    if not Path(CHROMIUM).exists():
        return {"error": f"{CHROMIUM} not found (apt-get install -y chromium)"}
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})

            def on_response(response) -> None:
                if "search" in response.url:
                    size = response.headers.get("content-length")
                    fetched[response.url] = int(size) if size and size.isdigit() else 0

            page.on("response", on_response)
            start = time.perf_counter()
            page.goto(base, wait_until="load")
            loaded = round((time.perf_counter() - start) * 1000)
            first = _type_and_wait(page, query, timeout_ms)
            titles = page.locator(f"{RESULT} h1").all_inner_texts()[:5]
            first_bytes = sum(fetched.values())
            page.locator("input.md-search__input").fill("")
            warm = _type_and_wait(page, warm_query, timeout_ms)
            browser.close()
    except Exception as error:  # a benchmark reports, it does not crash the table
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    finally:
        server.shutdown()
    return {"page load (ms)": loaded, "first query (ms)": first, "warm query (ms)": warm,
            "search data for first query (MB)": round(first_bytes / 1e6, 2),
            "first results": "; ".join(titles)}


PAGEFIND_QUERY_JS = """async (query) => {
  const start = performance.now();
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, 5).map(r => r.data()));
  return {ms: Math.round(performance.now() - start), titles: data.map(d => d.meta.title)};
}"""


def index_with_pagefind(site: Path) -> dict:
    """Run Pagefind over a built site (a copy's `pagefind/` folder); its size and time."""
    import subprocess
    import sys

    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "pagefind", "--site", str(site), "--root-selector", "article"],
                            capture_output=True, text=True)
    seconds = round(time.perf_counter() - start, 1)
    if result.returncode != 0:
        return {"error": (result.stderr or result.stdout)[-300:]}
    files = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
    return {"pagefind index (s)": seconds, "pagefind files": len(files),
            "pagefind total (MB)": round(sum(p.stat().st_size for p in files) / 1e6, 1)}


def measure_pagefind(site: Path, query: str = "KV cache", warm_query: str = "speculative decoding") -> dict:
    """Query a Pagefind index of `site` in Chromium: time and bytes for the first query."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"error": "playwright is not installed"}
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    fetched: dict[str, int] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()

            def on_response(response) -> None:
                if "/pagefind/" in response.url:
                    size = response.headers.get("content-length")
                    fetched[response.url] = int(size) if size and size.isdigit() else 0

            page.on("response", on_response)
            page.goto(base, wait_until="load")
            first = page.evaluate(PAGEFIND_QUERY_JS, query)
            first_bytes = sum(fetched.values())
            warm = page.evaluate(PAGEFIND_QUERY_JS, warm_query)
            browser.close()
    except Exception as error:
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    finally:
        server.shutdown()
    return {"pagefind first query (ms)": first["ms"], "pagefind warm query (ms)": warm["ms"],
            "pagefind data for first query (MB)": round(first_bytes / 1e6, 3),
            "pagefind first results": "; ".join(first["titles"])}
