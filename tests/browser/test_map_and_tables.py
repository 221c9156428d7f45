"""The map and the key-number tables, as a reader uses them in Chromium."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TECHNIQUE_TAG = "quantization"


def number_column(page) -> list[float]:
    return page.eval_on_selector_all(
        ".atlas-sortable tbody tr",
        "rows => rows.map(r => parseFloat(r.cells[1].querySelector('[data-sort]').dataset.sort))")


def test_a_dot_on_the_map_opens_its_paper(open_page, atlas_data):
    page = open_page("map/")
    dots = page.locator("svg.atlas-map .atlas-map-nodes a")
    assert dots.count() >= 20
    href = dots.first.get_attribute("href")
    paper_id = href.rstrip("/").rsplit("/", 1)[-1]
    assert paper_id in {p["id"] for p in atlas_data["papers"]}
    dots.first.click()
    page.wait_for_url(f"**/papers/{paper_id}/")
    assert page.locator("h2#neighbourhood").count() == 1


def test_the_map_is_there_without_javascript(open_page):
    page = open_page("map/", java_script_enabled=False)
    assert page.locator("svg.atlas-map").first.is_visible()
    assert page.locator("svg.atlas-map .atlas-map-nodes a").count() >= 20


def test_a_paper_page_shows_its_neighbourhood_map_linking_to_neighbours(open_page):
    page = open_page("papers/galore/")
    links = page.eval_on_selector_all("svg.atlas-map .atlas-map-nodes a", "as => as.map(a => a.getAttribute('href'))")
    assert "../q-galore/" in links and "../galore/" in links


def test_the_key_number_table_sorts_by_number_both_ways(open_page):
    page = open_page(f"tags/{TECHNIQUE_TAG}/")
    button = page.locator(".atlas-sortable th button", has_text="Number")
    static = number_column(page)
    assert len(static) >= 5
    button.click()
    assert number_column(page) == sorted(static)
    assert page.locator(".atlas-sortable th[aria-sort=ascending]").inner_text().startswith("Number")
    button.click()
    assert number_column(page) == sorted(static, reverse=True)
    assert page.locator(".atlas-sortable th[aria-sort=descending]").count() == 1


def _first_row_cells(page, table: str) -> list[dict]:
    """Position and size of the cells of a table's first body row."""
    return page.eval_on_selector_all(
        f"{table} tbody tr:first-child td",
        "cells => cells.map(c => { const r = c.getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width}; })")


@pytest.mark.parametrize("path, table, columns", [
    ("tags/kv-cache/", "table.atlas-stack", 3),  # a tag's papers: title, gist, other tags
    ("facets/technique/", ".atlas-stack table", 4),  # a facet's tags: name, papers, meaning, examples
])
def test_lists_of_papers_and_tags_are_rows_on_a_desktop_and_blocks_on_a_phone(open_page, path, table, columns):
    # Three or four columns in 390 px left a word a line; on a phone each row is a block.
    desktop = _first_row_cells(open_page(path), table)
    assert len(desktop) == columns and len({round(c["y"]) for c in desktop}) == 1  # side by side
    phone = open_page(path, viewport={"width": 390, "height": 844})
    cells = _first_row_cells(phone, table)
    assert [round(c["x"]) for c in cells] == [round(cells[0]["x"])] * columns  # one under the other
    assert [c["y"] for c in cells] == sorted({c["y"] for c in cells})
    assert min(c["width"] for c in cells) > 300
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= 390
    assert phone.locator(f"{table} thead").count() == 1  # headings kept for screen readers


def test_the_home_page_fits_a_phone_without_sideways_scrolling(open_page):
    page = open_page("", viewport={"width": 390, "height": 844})
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 390
    tiles = page.eval_on_selector_all("dl.atlas-stats > div", "ds => ds.map(d => d.getBoundingClientRect().right)")
    assert len(tiles) == 7 and max(tiles) <= 390


# WCAG contrast of an element's text against the first opaque background behind it, with the
# text colour's alpha and every ancestor's opacity blended in (what Lighthouse's audit does).
CONTRAST = """selector => [...document.querySelectorAll(selector)].map(el => {
  const rgba = c => { const v = c.match(/[\\d.]+/g).map(Number); return v.length === 3 ? [...v, 1] : v; };
  let [r, g, b, alpha] = rgba(getComputedStyle(el).color);
  for (let e = el; e; e = e.parentElement) alpha *= parseFloat(getComputedStyle(e).opacity);
  let back = [255, 255, 255];
  for (let e = el; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] === 1) { back = c.slice(0, 3); break; }
  }
  const text = [r, g, b].map((v, i) => Math.round(v * alpha + back[i] * (1 - alpha)));  // painted: whole channels
  const lum = c => { const s = c.map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
                     return 0.2126 * s[0] + 0.7152 * s[1] + 0.0722 * s[2]; };
  const [hi, lo] = [lum(text), lum(back)].sort((x, y) => y - x);
  return Math.floor((hi + 0.05) / (lo + 0.05) * 100) / 100;
})"""


@pytest.mark.parametrize("path, selectors", [
    ("", ["dl.atlas-stats dt", "dl.atlas-stats dd"]),
    ("papers/galore/", [".atlas-keynumbers .atlas-keynumber-kind", ".atlas-keynumbers .atlas-keynumber-what"]),
    ("papers/", [".atlas-paper__year", ".atlas-paper__tags"]),
    (f"tags/{TECHNIQUE_TAG}/", ["small"]),
])
def test_small_print_keeps_a_contrast_of_4_5_to_1_in_both_colour_schemes(open_page, path, selectors):
    # The home page's stat labels had 4.47:1 on their tiles (Lighthouse's accessibility fell to 97).
    page = open_page(path)
    for scheme in ("default", "slate"):
        page.evaluate("scheme => document.body.setAttribute('data-md-color-scheme', scheme)", scheme)
        for selector in selectors:
            ratios = page.evaluate(CONTRAST, selector)
            assert ratios and min(ratios) >= 4.5, (scheme, selector, ratios)
