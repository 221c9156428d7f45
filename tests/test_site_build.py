"""One real `mkdocs build --strict` of the committed atlas, checked page by page."""

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(real_site):
    """`atlas site` of the repository (built once per test run: `conftest.real_site`)."""
    return real_site


def test_every_seed_paper_has_a_page(site):
    pages = sorted(p.parent.name for p in (site / "papers").glob("*/index.html"))
    entries = sorted(p.stem for p in (REPO / "data" / "papers").glob("*.yaml"))
    assert pages == entries and len(pages) == 71


def test_paper_page_shows_tags_links_related_and_an_edit_button_to_its_yaml(site):
    html = (site / "papers" / "q-galore" / "index.html").read_text(encoding="utf-8")
    assert 'href="https://github.com/paper-atlas/paper-atlas/edit/main/data/papers/q-galore.yaml"' in html
    assert 'href="../../tags/quantization/"' in html
    assert 'href="https://arxiv.org/abs/2407.08296"' in html
    assert "Related papers" in html and 'href="../galore/"' in html
    assert "Builds on" in html.replace("\n", " ") and html.count('href="../galore/"') >= 2


def test_all_papers_newest_first_lists_the_seed_by_the_month_of_its_arxiv_ids(site):
    # The seed has arXiv ids and no publication dates: listed by id, 2025 papers sat between
    # 2024 ones under "Newest first".
    import re

    html = (site / "papers" / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<li class="atlas-paper" data-tags="[^"]*" data-year="(\d*)"', html)
    years = [int(y) for y in listed if y]
    assert len(listed) == 71 and len(years) >= 69
    assert years == sorted(years, reverse=True) and years[0] > years[-1]


def test_paper_pages_are_not_in_the_sidebar(site):
    html = (site / "papers" / "galore" / "index.html").read_text(encoding="utf-8")
    nav = html.split('<nav class="md-nav md-nav--primary"', 1)[1].split("</nav>", 1)[0]
    assert "q-galore" not in nav


def test_no_page_requests_google_fonts(site):
    for page in [site / "index.html", site / "papers" / "galore" / "index.html"]:
        assert "fonts.googleapis.com" not in page.read_text(encoding="utf-8")


def test_api_papers_json_lists_papers_with_links_and_tags_with_counts(site):
    data = json.loads((site / "api" / "papers.json").read_text(encoding="utf-8"))
    papers = {p["id"]: p for p in data["papers"]}
    assert len(papers) == 71 and list(papers) == sorted(papers)
    galore = papers["galore"]
    assert galore["url"] == "papers/galore/" and galore["arxiv"] == "2403.03507"
    assert set(galore["mentioned_by"]) == {"q-galore", "from-galore-to-welore"}
    assert papers["q-galore"]["mentions"] == ["galore"]
    assert all(set(p) >= {"id", "title", "url", "abstract", "arxiv", "tags", "related", "mentions",
                          "mentioned_by", "links"} for p in data["papers"])
    counts = {t["id"]: t["count"] for t in data["tags"]}
    assert counts["kv-cache"] == sum("kv-cache" in p["tags"] for p in data["papers"]) > 0


def search_fragments(site) -> dict[str, str]:
    """{url: indexed text} from the Pagefind index (gzip'd JSON fragments, one a page)."""
    import gzip

    fragments = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        raw = gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd")
        fragment = json.loads(raw)
        fragments[fragment["url"]] = fragment["content"]
    return fragments


def test_the_search_index_is_pagefind_and_materials_is_gone(site):
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert (site / "pagefind" / "pagefind-entry.json").is_file()
    assert list((site / "pagefind" / "index").glob("*.pf_index"))
    assert not (site / "search" / "search_index.json").exists()
    assert not (site / "pagefind" / "pagefind-ui.js").exists()  # Pagefind's own UI is not used
    html = (site / "index.html").read_text(encoding="utf-8")
    assert 'data-md-component="search"' not in html and 'name="search"' not in html
    assert 'class="md-search__input"' in html and "javascripts/atlas-search.js" in html


def test_search_indexes_each_paper_by_its_own_text_not_its_neighbours(site):
    fragments = search_fragments(site)
    data = json.loads((site / "api" / "papers.json").read_text(encoding="utf-8"))
    papers = {p["id"]: p for p in data["papers"]}
    assert {f"/{p['url']}" for p in papers.values()} <= set(fragments)
    galore = fragments["/papers/galore/"]
    assert galore.startswith(papers["galore"]["title"].split(":")[0])
    assert papers["galore"]["abstract"][:60] in galore
    for other in papers["galore"]["related"]:
        assert papers[other]["title"] not in galore
    assert "@misc" not in galore  # the BibTeX


def test_search_leaves_out_list_pages_and_keeps_tag_introductions(site):
    fragments = search_fragments(site)
    assert "/" not in fragments and "/papers/" not in fragments and "/map/" not in fragments
    assert fragments["/tags/kv-cache/"].startswith("KV cache.")
    assert "ALISA" not in fragments["/tags/kv-cache/"]  # its paper list is not indexed
    assert "/contributing/" in fragments


def test_the_same_markdown_builds_with_properdocs(tmp_path):
    """Material reaches end of life in 2027: the generated pages must build on the maintained fork."""
    import os
    import subprocess
    import sys

    properdocs = Path(sys.executable).parent / "properdocs"
    if not properdocs.exists():
        pytest.skip("properdocs is not installed in this environment (make test installs it)")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    result = subprocess.run([str(properdocs), "build", "--strict", "-f", "mkdocs.yml", "-d", str(tmp_path / "s")],
                            cwd=REPO, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert len(list((tmp_path / "s" / "papers").glob("*/index.html"))) == 71


def test_pages_generated_from_templates_alone_have_no_edit_button(site):
    assert "/edit/main/" not in (site / "index.html").read_text(encoding="utf-8")
    tag_page = (site / "tags" / "kv-cache" / "index.html").read_text(encoding="utf-8")
    assert "/edit/main/data/taxonomy.yaml" in tag_page


def test_every_link_inside_the_site_reaches_a_page_and_its_anchor(site):
    """Paper, tag and index pages are written as HTML, which MkDocs does not check: this does."""
    from html.parser import HTMLParser
    from urllib.parse import unquote, urljoin, urlsplit

    class Collect(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids, self.hrefs = set(), []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if attrs.get("id"):
                self.ids.add(attrs["id"])
            if tag == "a" and attrs.get("href"):
                self.hrefs.append(attrs["href"])

    pages = {}
    for path in site.rglob("*.html"):
        collect = Collect()
        collect.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(site).as_posix()] = collect
    broken = []
    for rel, page in sorted(pages.items()):
        if rel == "404.html":  # served at any depth, so its links are absolute from site_url
            continue
        base = "https://site.invalid/" + rel
        for href in page.hrefs:
            target = urlsplit(urljoin(base, href))
            if target.netloc != "site.invalid" or target.scheme != "https":
                continue
            path = unquote(target.path.lstrip("/"))
            if path == "" or path.endswith("/"):
                path += "index.html"
            if not (site / path).is_file():
                broken.append(f"{rel}: {href}")
            elif target.fragment and path in pages and target.fragment not in pages[path].ids:
                broken.append(f"{rel}: {href} (no such anchor)")
    assert broken == [] and len(pages) > 71 + 40
