"""What the site's search sees of each page (atlas.searchindex), and the index Pagefind writes."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

import atlas.searchindex as searchindex

from atlas.searchindex import document_path, indexed_part, search_document, split_pages, write_index

PAPER_PAGE = """<h1 id="galore">GaLore<a class="headerlink" href="#galore">&para;</a></h1>
<p class="atlas-byline">Zhao, Zhang · 2024</p>
<div class="atlas-chips">
<p><span class="atlas-facet-label">Technique</span> <a class="atlas-chip" href="../../tags/low-rank/">Low-rank methods</a></p>
</div>
<h2 id="key-numbers">Key numbers</h2>
<ul class="atlas-keynumbers"><li><strong>65.5%</strong> less memory</li></ul>
<h2 id="abstract">Abstract</h2>
<p>Training large language models needs memory.</p>
<h2 id="links">Links</h2>
<ul><li><a href="https://arxiv.org/abs/2403.03507">arXiv</a></li></ul>
<h2 id="cite">Cite</h2>
<pre><code>@misc{galore,}</code></pre>
<h2 id="related-papers">Related papers</h2>
<ol><li><a href="../q-galore/">Q-GaLore</a></li></ol>
"""
PAPER_META = {"atlas_source": "data/papers/galore.yaml"}


def test_a_paper_is_found_by_its_title_byline_abstract_and_tags():
    part = indexed_part(PAPER_PAGE, PAPER_META)
    for text in ("GaLore", "Zhao, Zhang", "Training large language models needs memory.", "Low-rank methods"):
        assert text in part


def test_a_paper_is_not_found_by_the_papers_it_links_or_its_citation():
    part = indexed_part(PAPER_PAGE, PAPER_META)
    for text in ("Q-GaLore", "@misc", "arxiv.org", "Related papers", "Key numbers", ">Abstract<"):
        assert text not in part


def test_tag_chips_come_after_the_abstract_so_excerpts_quote_the_abstract():
    part = indexed_part(PAPER_PAGE, PAPER_META)
    assert part.index("needs memory") < part.index("atlas-chips")


def test_a_tag_page_is_found_by_its_name_and_description_not_its_paper_list():
    page = ('<h1 id="kv-cache">KV cache</h1>\n<p>Storing the attention key-value cache.</p>\n'
            '<h2 id="papers-5">Papers (5)</h2>\n<table><tr><td><a href="../papers/alisa/">ALISA</a></td></tr></table>')
    part = indexed_part(page, {"atlas_source": "data/taxonomy.yaml"})
    assert "KV cache" in part and "key-value cache" in part and "ALISA" not in part


def test_a_facet_page_stops_before_its_table_of_tags():
    page = '<h1>Technique</h1>\n<p>What technique?</p>\n<table><tr><td>Quantization</td></tr></table>'
    assert "Quantization" not in indexed_part(page, {"atlas_source": "data/taxonomy.yaml"})


def test_hand_written_pages_are_indexed_whole_and_generated_lists_not_at_all():
    assert indexed_part("<h1>Contributing</h1><h2>Steps</h2><ol><li>x</li></ol>", {}) == \
        "<h1>Contributing</h1><h2>Steps</h2><ol><li>x</li></ol>"
    assert indexed_part("<h1>All papers (71)</h1>", {"atlas_source": None}) is None
    assert indexed_part("<h1>Paper Atlas</h1>", {"atlas_source": ""}) is None


def test_search_documents_escape_the_title_and_sit_at_the_pages_paths():
    document = search_document("<h1>x</h1>", "A <script> title", "en")
    assert "<title>A &lt;script&gt; title</title>" in document and "data-pagefind-body" in document
    assert document_path("papers/galore/") == "papers/galore/index.html"
    assert document_path("") == "index.html"
    assert document_path("404.html") == "404.html"


def test_pagefind_indexes_the_documents_at_the_pages_urls(tmp_path):
    documents = {
        "papers/galore/": search_document(indexed_part(PAPER_PAGE, PAPER_META), "GaLore"),
        "contributing/": search_document("<h1>Contributing</h1><p>Add a YAML entry.</p>", "Contributing"),
    }
    site = tmp_path / "site"
    site.mkdir()
    (site / "pagefind").mkdir()
    (site / "pagefind" / "stale.txt").write_text("from an older build")
    report = write_index(documents, site)
    assert (report.pages, report.parts) == (2, 1)
    fragments = {}
    for path in (site / "pagefind" / "fragment").iterdir():
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        fragments[fragment["url"]] = fragment
    assert set(fragments) == {"/papers/galore/", "/contributing/"}
    galore = fragments["/papers/galore/"]
    assert galore["meta"]["title"] == "GaLore"
    assert "¶" not in galore["content"] and "Technique" not in galore["content"]
    assert "needs memory" in galore["content"]
    assert not (site / "pagefind" / "stale.txt").exists()
    assert (site / "pagefind" / "pagefind.js").is_file() and not (site / "pagefind" / "pagefind-ui.js").exists()
    assert json.loads((site / "pagefind" / "atlas-parts.json").read_text()) == []


def test_many_pages_are_dealt_into_parts_of_at_most_the_limit_each_with_a_like_mix():
    parts = split_pages([f"papers/p{n:02}/" for n in range(10)], per_index=4)
    assert [len(part) for part in parts] == [4, 3, 3]
    assert parts[0][:2] == ["papers/p00/", "papers/p03/"]
    assert sorted(sum(parts, [])) == [f"papers/p{n:02}/" for n in range(10)]
    assert split_pages([], per_index=4) == [[]]


def test_a_large_site_is_indexed_in_parts_that_the_first_part_lists(tmp_path):
    documents = {f"papers/p{n}/": search_document(f"<h1>Paper {n}</h1><p>about topic{n}</p>", f"P{n}")
                 for n in range(5)}
    site = tmp_path / "site"
    report = write_index(documents, site, per_index=2)
    assert (report.pages, report.parts) == (5, 3)
    index = site / "pagefind"
    assert json.loads((index / "atlas-parts.json").read_text()) == ["part-2/", "part-3/"]
    urls = set()
    for folder in (index, index / "part-2", index / "part-3"):
        assert (folder / "pagefind-entry.json").is_file()
        for path in (folder / "fragment").iterdir():
            urls.add(json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["url"])
    assert urls == {f"/papers/p{n}/" for n in range(5)}
    # The browser runs the first part's script and WebAssembly for all of them.
    assert (index / "pagefind.js").is_file() and not (index / "part-2" / "pagefind.js").exists()
    assert not list((index / "part-2").glob("wasm.*"))


def test_a_failed_indexing_leaves_the_index_in_use_whole_and_no_scratch_behind(tmp_path, monkeypatch):
    """Under `make serve` the index is rewritten while the site is served: a search meanwhile
    must find the previous index, never a half-written one."""
    import atlas.searchindex as searchindex

    site = tmp_path / "site"
    write_index({"contributing/": search_document("<p>Add a YAML entry.</p>", "Contributing")}, site)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def pagefind_that_fails_halfway(root, output):
        output.mkdir(parents=True, exist_ok=True)
        (output / "pagefind-entry.json").write_text("{half")
        raise searchindex.SearchIndexError("search: Pagefind failed (1): disk full")

    monkeypatch.setattr(searchindex, "_run_pagefind", pagefind_that_fails_halfway)
    documents = {"papers/galore/": search_document(indexed_part(PAPER_PAGE, PAPER_META), "GaLore")}
    try:
        write_index(documents, site)
    except searchindex.SearchIndexError:
        pass
    else:
        raise AssertionError("the failure was not reported")
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in site.iterdir()] == ["pagefind"]


def test_scratch_folders_of_processes_that_are_gone_are_removed_by_the_next_indexing(tmp_path, monkeypatch):
    """A kill while Pagefind runs leaves the documents behind, in /dev/shm that is memory."""
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    scratch = tmp_path / "shm"
    abandoned = scratch / f"atlas-search-{gone}-x1y2" / "site" / "papers"
    running = scratch / f"atlas-search-{os.getpid()}-a1b2" / "site"  # this process: still in use
    unrelated = scratch / "atlas-search-notes"
    for folder in (abandoned, running, unrelated):
        folder.mkdir(parents=True)
    monkeypatch.setattr(searchindex, "_scratch_folder", lambda: str(scratch))
    write_index({"contributing/": search_document("<p>Add a YAML entry.</p>", "Contributing")}, tmp_path / "site")
    assert sorted(p.name for p in scratch.iterdir()) == sorted([running.parent.name, unrelated.name])


def _indexed_urls(folder):
    return {json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
            for path in (folder / "fragment").iterdir()}


def test_a_full_build_indexes_runs_of_pages_as_they_are_read_in_even_parts(tmp_path):
    """Five pages expected, at most two a part: three parts of two, two and one page, each
    handed to Pagefind as soon as it is complete; the index appears whole at the end."""
    site = tmp_path / "site"
    running = searchindex.IndexingRun(site, expected_pages=5, per_index=2)
    for n in range(5):
        running.add(f"papers/p{n}/", search_document(f"<h1>Paper {n}</h1><p>about topic{n}</p>", f"P{n}"))
    running.finish_reading()
    report = running.result()
    assert (report.pages, report.parts) == (5, 3)
    index = site / "pagefind"
    assert json.loads((index / "atlas-parts.json").read_text()) == ["part-2/", "part-3/"]
    assert _indexed_urls(index) == {"/papers/p0/", "/papers/p1/"}
    assert _indexed_urls(index / "part-2") == {"/papers/p2/", "/papers/p3/"}
    assert _indexed_urls(index / "part-3") == {"/papers/p4/"}
    assert not [p for p in site.iterdir() if p.name != "pagefind"]  # no staging left behind


def test_parts_are_even_and_never_above_the_limit(tmp_path):
    # (A run prepares its staging folder in the site folder: a temporary one here.)
    assert searchindex.IndexingRun(tmp_path / "site", 10058, per_index=3500).part_size == 3353
    assert searchindex.IndexingRun(tmp_path / "site", 7000, per_index=3500).part_size == 3500
    assert searchindex.IndexingRun(tmp_path / "site", 0, per_index=3500).part_size == 1


def test_a_failed_build_leaves_the_index_in_use_as_it_was(tmp_path):
    site = tmp_path / "site"
    write_index({"contributing/": search_document("<p>Add a YAML entry.</p>", "Contributing")}, site)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    running = searchindex.IndexingRun(site, expected_pages=4, per_index=2)
    for n in range(3):  # one part handed over, the build fails while the next is read
        running.add(f"papers/p{n}/", search_document(f"<p>topic{n}</p>", f"P{n}"))
    running.abandon()
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_pagefind_failure_during_the_build_reaches_the_build(tmp_path, monkeypatch):
    def pagefind_that_fails(root, output):
        raise searchindex.SearchIndexError("search: Pagefind failed (1): disk full")

    monkeypatch.setattr(searchindex, "_run_pagefind", pagefind_that_fails)
    running = searchindex.IndexingRun(tmp_path / "site", expected_pages=1)
    running.add("contributing/", search_document("<p>Add a YAML entry.</p>", "Contributing"))
    running.finish_reading()
    with pytest.raises(searchindex.SearchIndexError, match="disk full"):
        running.result()
    assert not (tmp_path / "site" / "pagefind").exists()


def test_an_abandoned_index_does_not_go_on_with_the_parts_still_waiting(tmp_path, monkeypatch):
    import threading
    import time

    started, release, indexed = threading.Event(), threading.Event(), []

    def add_part_slowly(writer, documents):
        indexed.append(sorted(documents))
        started.set()
        release.wait(10)

    monkeypatch.setattr(searchindex._IndexWriter, "add_part", add_part_slowly)
    running = searchindex.IndexingRun(tmp_path / "site", expected_pages=6, per_index=2)
    for n in range(6):  # three parts handed over; the first is being indexed
        running.add(f"papers/p{n}/", search_document(f"<p>topic{n}</p>", f"P{n}"))
    assert started.wait(10)
    abandoning = threading.Thread(target=running.abandon)
    abandoning.start()
    while not running._abandoned:
        time.sleep(0.01)
    release.set()
    abandoning.join(10)
    assert indexed == [["papers/p0/", "papers/p1/"]]
    assert not (tmp_path / "site" / "pagefind").exists()
    assert list((tmp_path / "site").iterdir()) == []  # no staging folder left
