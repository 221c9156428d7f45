"""BibTeX files, feeds and the pages that link them, rendered from small inline projects."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import pytest

from atlas.build import build_pages
from atlas.siteconfig import FALLBACK_SITE_URL, site_url_from_config
from conftest import entry, page_html

A = "{http://www.w3.org/2005/Atom}"


def pages_of(make_project, entries):
    _, pages = build_pages(make_project(entries))
    return pages


def test_atlas_and_each_used_tag_get_a_bib_file(make_project):
    pages = pages_of(make_project, {"kv-one.yaml": entry("kv-one", tags="[kv-cache, inference]", added="'2026-11-01'")})
    assert "@misc{kv-one," in pages["api/atlas.bib"]
    assert "@misc{kv-one," in pages["api/tags/kv-cache.bib"]
    assert "api/tags/quantization.bib" not in pages


def test_feeds_exist_for_the_atlas_and_for_tags_with_dated_papers(make_project):
    pages = pages_of(make_project, {
        "kv-one.yaml": entry("kv-one", tags="[kv-cache, inference]", added="'2026-11-01'"),
        "undated.yaml": entry("undated", tags="[quantization, inference]")})
    root = ET.fromstring(pages["feed.xml"])
    assert [e.findtext(f"{A}id") for e in root.findall(f"{A}entry")] == [f"{FALLBACK_SITE_URL}papers/kv-one/"]
    assert json.loads(pages["feed-kv-cache.json"])["items"][0]["title"] == "Kv One"
    assert "feed-quantization.xml" not in pages and "feed-quantization.json" not in pages


def test_tag_page_names_its_feed_in_front_matter_only_when_it_has_one(make_project):
    pages = pages_of(make_project, {
        "kv-one.yaml": entry("kv-one", tags="[kv-cache, inference]", added="'2026-11-01'"),
        "undated.yaml": entry("undated", tags="[quantization, inference]")})
    assert 'atlas_feed: "feed-kv-cache"' in pages["tags/kv-cache.md"]
    assert 'href="../../feed-kv-cache.xml"' in pages["tags/kv-cache.md"]
    assert "atlas_feed" not in pages["tags/quantization.md"]
    assert 'href="../../api/tags/quantization.bib"' in pages["tags/quantization.md"]


def test_paper_page_shows_its_bibtex_in_a_code_block_and_its_byline(make_project):
    page = pages_of(make_project, {"kv-one.yaml": entry(
        "kv-one", title="KV_One {x}", arxiv="'2403.03507'", authors="[Ada Lovelace, Alan Turing]",
        venue="ICML 2024", categories="[cs.LG]")})["papers/kv-one.md"]
    block = html.unescape(page.split("<pre><span></span><code>", 1)[1].split("</code></pre>", 1)[0])
    assert block.startswith("@misc{kv-one,")
    assert r"{{KV\_One \{x\}}}" in block and "primaryClass  = {cs.LG}" in block
    assert "Ada Lovelace, Alan Turing · 2024 · ICML 2024" in page


def test_papers_index_lists_every_paper_with_data_for_the_filter(make_project):
    page = pages_of(make_project, {
        "kv-one.yaml": entry("kv-one", tags="[kv-cache, inference]", added="'2026-11-01'", year="2023"),
        "q-two.yaml": entry("q-two", tags="[quantization]", links="{code: 'https://github.com/a/b'}")})["papers/index.md"]
    assert 'data-tags="kv-cache inference" data-year="2023" data-added="2026-11-01"' in page
    assert 'data-tags="quantization" data-year="" data-added=""' in page
    assert '<a href="https://github.com/a/b">Code</a>' in page
    # Only tags in use become filter choices; without JavaScript the form is hidden.
    assert 'value="kv-cache"' in page and 'value="pruning-sparsity"' not in page
    assert '<noscript><style>#atlas-filter { display: none; }</style></noscript>' in page


def test_robots_txt_allows_all_and_names_the_absolute_sitemap(make_project):
    robots = pages_of(make_project, {"a.yaml": entry("a")})["robots.txt"]
    assert robots == f"User-agent: *\nAllow: /\n\nSitemap: {FALLBACK_SITE_URL}sitemap.xml\n"


def test_site_url_comes_from_mkdocs_yml_with_env_override(monkeypatch):
    config = 'site_name: x\nsite_url: !ENV [SITE_URL, "https://a.example/atlas"]\nfoo: !!python/name:os.getcwd\n'
    monkeypatch.delenv("SITE_URL", raising=False)
    assert site_url_from_config(config) == "https://a.example/atlas/"
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:9999/")
    assert site_url_from_config(config) == "http://127.0.0.1:9999/"
    assert site_url_from_config("site_name: x\n") == FALLBACK_SITE_URL


@pytest.mark.parametrize("hostile", ["```\n<script>alert(1)</script>", "} , note = {x", "\\end{document} $x$ 100%"])
def test_entry_text_stays_inside_the_bibtex_code_block(make_project, hostile):
    title = hostile.replace("'", "''").replace("\n", " ")
    page = pages_of(make_project, {"evil.yaml": entry("evil", title=title, tags="[method]")})["papers/evil.md"]
    body = page_html(page)
    block = body.split("<pre><span></span><code>", 1)[1].split("</code></pre>", 1)[0]
    # Every line is the entry's start, a field or its end; markup in the entry stays text.
    lines = html.unescape(block).rstrip("\n").split("\n")
    assert all(re.match(r"^(@misc\{evil,|  \w+ +=|\})", line) for line in lines), block
    assert "<script" not in body and body.count("<pre") == 1


def test_papers_index_links_the_atlas_feed_only_when_there_is_one(make_project):
    dated = pages_of(make_project, {"a.yaml": entry("a", added="'2026-11-01'")})
    assert 'href="../feed.xml"' in dated["papers/index.md"] and "feed.xml" in dated


def test_papers_index_without_dated_papers_links_no_feed(make_project):
    undated = pages_of(make_project, {"a.yaml": entry("a")})
    assert "feed.xml" not in undated["papers/index.md"] and "feed.xml" not in undated
