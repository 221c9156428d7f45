"""The built site as a reader sees it, in a real browser (headless chromium).

Expectations come from the site's own api/papers.json, never from hard-coded output. Every
page opened through `open_page` also fails its test on a console error or on a request to
any host other than 127.0.0.1 (see conftest.py).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAPER = "galore"
TAG = "kv-cache"


def papers_with(atlas_data, *tags) -> set[str]:
    return {p["id"] for p in atlas_data["papers"] if all(t in p["tags"] for t in tags)}


def paper_record(atlas_data, paper_id) -> dict:
    return next(p for p in atlas_data["papers"] if p["id"] == paper_id)


def heading(page) -> str:
    """The page's h1 without the permalink sign MkDocs appends."""
    return page.locator("h1").inner_text().replace("¶", "").strip()


def visible_items(page) -> list[dict]:
    return page.eval_on_selector_all(
        "#atlas-paper-list li.atlas-paper:not([hidden])",
        "items => items.map(li => ({href: li.querySelector('a').getAttribute('href'), "
        "title: li.querySelector('a').textContent, year: li.dataset.year, tags: li.dataset.tags}))")


def test_typing_kv_cache_in_search_lists_the_kv_cache_papers(open_page, atlas_data):
    page = open_page("")
    search = page.locator("input.md-search__input")
    search.click()
    # Material searches on key events: fill() alone would never run a search.
    search.press_sequentially("KV cache", delay=20)
    page.locator(".md-search-result__item").first.wait_for()
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    found = {href.split("/papers/")[1].split("/")[0] for href in hrefs if "/papers/" in href and "/papers/?" not in href}
    expected = papers_with(atlas_data, TAG)
    assert expected and expected <= found
    assert "/papers/" in hrefs[0] and hrefs[0].split("/papers/")[1].split("/")[0] in expected


def test_a_tag_chip_opens_its_tag_page(open_page, atlas_data):
    page = open_page(f"papers/{PAPER}/")
    chip = page.locator("a.atlas-chip").first
    name = chip.inner_text().strip()
    chip.click()
    page.wait_for_url("**/tags/*/")
    tag_id = page.url.rstrip("/").rsplit("/", 1)[1]
    assert tag_id in paper_record(atlas_data, PAPER)["tags"]
    assert heading(page) == name


def test_a_related_link_opens_that_paper(open_page, atlas_data):
    record = paper_record(atlas_data, PAPER)
    first = paper_record(atlas_data, record["related"][0])
    page = open_page(f"papers/{PAPER}/")
    page.locator("h2#related-papers + ol a").first.click()
    page.wait_for_url(f"**/papers/{first['id']}/")
    assert heading(page) == first["title"]


def test_the_edit_button_points_at_the_entry_yaml(open_page):
    page = open_page(f"papers/{PAPER}/")
    href = page.locator("a.md-content__button[rel=edit]").get_attribute("href")
    assert href.endswith(f"/data/papers/{PAPER}.yaml")


def test_the_dark_light_toggle_switches_the_colour_scheme(open_page):
    page = open_page("", color_scheme="light")
    scheme = lambda: page.locator("body").get_attribute("data-md-color-scheme")  # noqa: E731
    assert scheme() == "default"
    page.locator("form[data-md-component=palette] label:visible").click()
    assert scheme() == "slate"
    page.locator("form[data-md-component=palette] label:visible").click()
    assert scheme() == "default"


def test_the_paper_page_offers_its_bibtex_with_a_copy_button(open_page):
    page = open_page(f"papers/{PAPER}/", permissions=["clipboard-read", "clipboard-write"])
    block = page.locator("h2#cite + .highlight")
    bibtex = block.locator("code").inner_text()
    assert bibtex.startswith(f"@misc{{{PAPER},")
    block.hover()
    block.locator("button[data-md-type=copy]").click()
    assert page.evaluate("() => navigator.clipboard.readText()").strip() == bibtex.strip()


def test_the_papers_index_filters_by_tags_within_and_across_facets(open_page, atlas_data):
    page = open_page("papers/")
    status = page.locator(".atlas-filter__status")
    total = len(atlas_data["papers"])
    assert status.inner_text() == f"Showing all {total} papers."
    page.locator("details.atlas-filter__tags > summary").click()
    page.locator(f"input[name=tag][value={TAG}]").check()
    assert {i["href"].rstrip("/") for i in visible_items(page)} == papers_with(atlas_data, TAG)
    assert f"tag={TAG}" in page.url
    # Another facet narrows the list; another tag of the same facet widens it again.
    page.locator("input[name=tag][value=inference]").check()
    assert {i["href"].rstrip("/") for i in visible_items(page)} == papers_with(atlas_data, TAG, "inference")
    page.locator("input[name=tag][value=quantization]").check()
    expected = papers_with(atlas_data, TAG, "inference") | papers_with(atlas_data, "quantization", "inference")
    assert {i["href"].rstrip("/") for i in visible_items(page)} == expected
    assert status.inner_text() == f"Showing {len(expected)} of {total} papers."
    page.locator("#atlas-filter button[type=reset]").click()
    page.wait_for_function(f"document.querySelectorAll('li.atlas-paper:not([hidden])').length === {total}")
    assert "tag=" not in page.url


def test_the_papers_index_sorts_by_year_and_title_and_back_to_newest_first(open_page, atlas_data):
    page = open_page("papers/")
    static_order = [i["href"] for i in visible_items(page)]
    page.locator("select[name=sort]").select_option("year")
    years = [int(i["year"] or 0) for i in visible_items(page)]
    assert years == sorted(years, reverse=True) and len(set(years)) > 1
    assert "sort=year" in page.url
    page.locator("select[name=sort]").select_option("title")
    in_order = page.evaluate(
        "() => { const t = [...document.querySelectorAll('li.atlas-paper > a:first-child')].map(a => a.textContent);"
        " return t.every((x, i) => i === 0 || t[i - 1].localeCompare(x) <= 0); }")
    assert in_order
    assert "sort=title" in page.url
    page.locator("select[name=sort]").select_option("newest")
    assert [i["href"] for i in visible_items(page)] == static_order
    assert "sort=" not in page.url


def test_a_shared_filtered_url_opens_the_same_view(open_page, atlas_data):
    page = open_page(f"papers/?tag={TAG}&sort=year")
    assert page.locator(f"input[name=tag][value={TAG}]").is_checked()
    assert page.locator("select[name=sort]").input_value() == "year"
    assert {i["href"].rstrip("/") for i in visible_items(page)} == papers_with(atlas_data, TAG)


def test_without_javascript_the_papers_index_is_a_plain_full_list(open_page, atlas_data):
    page = open_page("papers/", java_script_enabled=False)
    assert not page.locator("#atlas-filter").is_visible()
    assert page.locator("li.atlas-paper:visible").count() == len(atlas_data["papers"])


def test_a_tag_page_links_its_own_feed_and_the_feed_parses(open_page):
    page = open_page(f"tags/{TAG}/")
    href = page.locator('link[rel=alternate][type="application/atom+xml"]').first.get_attribute("href")
    assert href.endswith(f"feed-{TAG}.xml")
    response = page.request.get(page.url + href)
    assert response.ok
    assert ET.fromstring(response.body()).tag == "{http://www.w3.org/2005/Atom}feed"


@pytest.mark.parametrize("path", ["", "papers/", f"papers/{PAPER}/", f"tags/{TAG}/"])
def test_a_390_pixel_wide_phone_never_scrolls_sideways(open_page, path):
    page = open_page(path, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{path or 'home'}: page is {width[0]}px wide in a {width[1]}px viewport"


@pytest.mark.parametrize("name,path", [("home", ""), ("paper", f"papers/{PAPER}/"), ("tag", f"tags/{TAG}/")])
def test_screenshots_of_home_paper_and_tag_pages(open_page, screenshots, name, path):
    page = open_page(path)
    target = screenshots / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


def test_the_tag_choices_are_folded_until_used(open_page):
    phone = {"viewport": {"width": 390, "height": 844}, "is_mobile": True}
    assert not open_page("papers/", **phone).locator("details.atlas-filter__tags").evaluate("d => d.open")
    assert open_page(f"papers/?tag={TAG}", **phone).locator("details.atlas-filter__tags").evaluate("d => d.open")
