"""The pages that list many papers, as a reader's browser handles them (`atlas bench --search`).

A paper page is bounded (`render.MAX_MENTIONED_BY`, a neighbourhood map of a few papers);
the pages that list papers grow with the atlas: "All papers" lists every one (its filter
needs them all) and a tag page its newest `render.TAG_PAGE_PAPERS`. Measured in headless
Chromium on the built site: the time from navigation to the load event of "All papers" and
of the largest tag page, and the time the "All papers" filter takes to show its result
(from the input event to the next frame, when the browser has laid the list out again),
each the median of a few fresh pages.
"""

from __future__ import annotations

from pathlib import Path

from .searchbench import CHROMIUM, CHROMIUM_ARGS, browser_missing, median, serve

SAMPLES = 3
# Set the title filter, then wait for the frame after it (the browser's own work included).
_FILTER = """needle => new Promise(done => {
  const box = document.querySelector('#atlas-filter input[name=q]');
  const start = performance.now();
  box.value = needle;
  box.dispatchEvent(new Event('input', {bubbles: true}));
  requestAnimationFrame(() => setTimeout(() => done({
    ms: performance.now() - start,
    status: document.querySelector('.atlas-filter__status').textContent}), 0));
})"""
_LOADED = "() => Math.round(performance.getEntriesByType('navigation')[0].loadEventEnd)"


def largest_tag_page(site: Path) -> Path | None:
    """The built tag page with the most bytes of HTML (ties: the first by name)."""
    pages = sorted((site / "tags").glob("*/index.html"))
    return max(pages, key=lambda p: p.stat().st_size) if pages else None


def measure_pages(site: Path, needle: str = "cache", samples: int = SAMPLES) -> dict:
    """Figures for one built site; {"error": ...} when the browser cannot run."""
    missing = browser_missing()
    if missing:
        return {"error": missing}
    from playwright.sync_api import sync_playwright

    tag = largest_tag_page(site)
    paths = {"papers": "papers/"}
    if tag is not None:
        paths["tag"] = tag.parent.relative_to(site).as_posix() + "/"
    server = serve(site)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    loads: dict[str, list[int]] = {kind: [] for kind in paths}
    filters: list[float] = []
    status = ""
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(samples):
                for kind, path in paths.items():
                    page = browser.new_page(viewport={"width": 1280, "height": 900})
                    page.goto(base + path, wait_until="load")
                    loads[kind].append(page.evaluate(_LOADED))
                    if kind == "papers":
                        page.wait_for_timeout(200)
                        result = page.evaluate(_FILTER, needle)
                        filters.append(result["ms"])
                        status = result["status"]
                    page.close()
            browser.close()
    except Exception as error:  # a benchmark reports, it does not crash the table
        return {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"}
    finally:
        server.shutdown()
    figures = {"All papers: load (ms)": median(loads["papers"]),
               f"All papers: title filter '{needle}' shown after (ms)": round(median(filters)),
               "All papers: title filter result": status}
    if "tag" in loads:
        figures["largest tag page: load (ms)"] = median(loads["tag"])
    return figures

