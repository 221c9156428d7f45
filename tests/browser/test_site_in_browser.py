"""The built site as a reader sees it, in a real browser (headless chromium).

Expectations come from the site's own api/papers.json, never from hard-coded output. Every
page opened through `open_page` also fails its test on a console error or on a request to
any host other than 127.0.0.1 (see conftest.py).
"""

from __future__ import annotations

import re

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


def search_for(page, query: str) -> list[str]:
    """Type `query` key by key into the header search box; the result links, in order."""
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(query, delay=20)
    answered = f'.md-search-result__list[data-query="{query}"]:not([aria-busy])'
    page.locator(f"{answered} .md-search-result__item").first.wait_for()
    return page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")


def paper_ids(hrefs) -> list[str]:
    return [href.split("/papers/")[1].split("/")[0] for href in hrefs if "/papers/" in href and "/papers/?" not in href]


def test_typing_kv_cache_in_search_lists_the_kv_cache_papers(open_page, atlas_data):
    page = open_page("")
    hrefs = search_for(page, "KV cache")
    found = set(paper_ids(hrefs))
    expected = papers_with(atlas_data, TAG)
    assert expected and expected <= found
    assert "/papers/" in hrefs[0] and paper_ids(hrefs)[0] in expected
    count = page.locator(".md-search-result__meta").inner_text()
    assert count == f"{len(hrefs)} matching documents"


def test_a_query_few_pages_match_in_full_also_lists_the_pages_with_all_its_words_but_one(open_page, atlas_data):
    # Pagefind lists only pages with every word: "compression" alone would hide the KV-cache
    # papers that do not say it. They follow the full matches, and the count says which is which.
    page = open_page("")
    hrefs = search_for(page, "KV cache compression")
    meta = page.locator(".md-search-result__meta").inner_text()
    full, more = (int(n) for n in re.fullmatch(r"(\d+) matching documents?; (\d+) more with all words but one",
                                                 meta).groups())
    assert 0 < full < 5 and len(hrefs) == min(full + more, 10)  # the first 10 are rendered, more on scrolling
    assert papers_with(atlas_data, TAG) <= set(paper_ids(hrefs[full:]))
    # A heading between the two: the items before it are the full matches.
    items = page.eval_on_selector_all(".md-search-result__list > li", "lis => lis.map(li => li.className)")
    assert items.index("atlas-search-partial") == full and items.count("atlas-search-partial") == 1
    assert len(set(hrefs)) == len(hrefs)  # a page found by several of the searches is listed once


def test_search_results_look_like_materials_with_highlighted_excerpts(open_page):
    page = open_page("")
    search_for(page, "KV cache")
    first = page.locator(".md-search-result__item").first
    assert first.locator("a.md-search-result__link > article.md-search-result__article h1").inner_text()
    assert [m.lower().strip(".,()") for m in first.locator("p mark").all_inner_texts()][:1] in (["kv"], ["kvcache"], ["cache"])
    assert page.locator(".md-search__output").is_visible()


def test_before_a_query_only_the_search_engine_loads_and_no_word_list_or_excerpt(open_page):
    page = open_page("")
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.reload(wait_until="networkidle")  # every request of a page load, seen from its start
    page.wait_for_timeout(500)  # the engine loads once the browser is idle after the load
    assert [url for url in requested if url.endswith("/pagefind/pagefind.js")]
    assert not [url for url in requested if url.endswith((".pf_index", ".pf_fragment"))]
    search_for(page, "KV cache")
    assert [url for url in requested if url.endswith(".pf_index")]
    assert [url for url in requested if url.endswith(".pf_fragment")]
    assert not [url for url in requested if "search_index.json" in url]


def test_clicking_a_search_result_opens_that_paper(open_page, atlas_data):
    page = open_page(f"papers/{PAPER}/")
    search_for(page, "KV cache")
    link = page.locator(".md-search-result__item a").first
    title = link.locator("h1").inner_text()
    link.click()
    page.wait_for_url("**/papers/*/")
    assert paper_ids([page.url])[0] in papers_with(atlas_data, TAG)
    assert heading(page) == title


def test_search_keys_slash_opens_arrows_move_enter_opens_escape_closes(open_page):
    page = open_page(f"papers/{PAPER}/")
    toggle = page.locator("#__search")
    page.keyboard.press("/")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    assert toggle.is_checked()
    page.keyboard.type("quantization", delay=20)
    page.locator('[data-query="quantization"]:not([aria-busy]) .md-search-result__item').nth(1).wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    second = page.locator(".md-search-result__item a").nth(1)
    assert page.evaluate("() => document.activeElement.href") == second.evaluate("a => a.href")
    page.keyboard.press("Escape")
    assert not toggle.is_checked()
    assert not page.locator(".md-search__output").is_visible()
    page.keyboard.press("s")  # reopens, with the query and results still there
    assert toggle.is_checked()
    expected = page.locator(".md-search-result__item a").first.evaluate("a => a.href")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == expected


def test_search_on_a_phone_opens_from_the_header_magnifier(open_page, atlas_data):
    page = open_page("", viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    assert not page.locator("#__search").is_checked()
    page.locator("label.md-header__button[for=__search]").click()
    assert page.locator("#__search").is_checked()
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search__input')")
    box.press_sequentially("KV cache", delay=20)
    page.locator('[data-query="KV cache"]:not([aria-busy]) .md-search-result__item').first.wait_for()
    hrefs = page.eval_on_selector_all(".md-search-result__item > a", "links => links.map(a => a.href)")
    assert papers_with(atlas_data, TAG) <= set(paper_ids(hrefs))
    page.locator(".md-search-result__item a").first.tap()
    page.wait_for_url("**/papers/*/")


def test_a_query_with_no_match_says_so(open_page):
    page = open_page("")
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("zzyzxqv", delay=20)
    meta = page.locator(".md-search-result__meta")
    meta.filter(has_text="No matching documents").wait_for()
    assert page.locator(".md-search-result__item").count() == 0


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


def test_the_papers_index_hides_filtered_out_papers_and_lays_out_its_list_as_plain_blocks(open_page, atlas_data):
    # Numbered list items made Chrome renumber the list item by item: at 10,000 papers the page
    # took 4.5 s to load and 8 s to redraw after a filter (docs/performance.md). Blocks laid
    # out only when scrolled near take 1.3 s and 0.7 s; a hidden paper must still disappear.
    page = open_page(f"papers/?tag={TAG}")
    layout = page.eval_on_selector_all("#atlas-paper-list li.atlas-paper", """items => items.map(li => ({
        hidden: li.hidden, display: getComputedStyle(li).display, boxes: li.getClientRects().length,
        lazy: getComputedStyle(li).contentVisibility}))""")
    assert len(layout) == len(atlas_data["papers"])
    shown = [item for item in layout if not item["hidden"]]
    assert len(shown) == len(papers_with(atlas_data, TAG)) < len(layout)
    assert all(item["display"] == "block" and item["boxes"] == 1 and item["lazy"] == "auto" for item in shown)
    assert all(item["display"] == "none" and item["boxes"] == 0 for item in layout if item["hidden"])


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


def test_search_works_when_the_site_is_served_under_a_subpath(browser, site_dir, tmp_path, atlas_data):
    """GitHub Pages serves the atlas under /<repository>/: results must link inside it."""
    import functools
    import http.server
    import threading

    (tmp_path / "paper-atlas").symlink_to(site_dir, target_is_directory=True)
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/paper-atlas/tags/{TAG}/")
        hrefs = search_for(page, "KV cache")
        assert all("/paper-atlas/" in href for href in hrefs)
        assert papers_with(atlas_data, TAG) <= set(paper_ids(hrefs))
    finally:
        context.close()
        server.shutdown()
        server.server_close()
