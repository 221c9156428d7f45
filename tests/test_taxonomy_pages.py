"""Tag, facet and home pages: only used tags get pages, and the matrix links to real anchors."""

from __future__ import annotations

import re

from atlas.build import build_pages, load_inputs
from conftest import entry


def pages_for(make_project, entries):
    _, pages = build_pages(make_project(entries))
    return pages


def two_papers(make_project):
    return pages_for(make_project, {
        "alpha.yaml": entry("alpha", "Alpha: KV cache compression", tags="[inference, kv-cache, method]"),
        "beta.yaml": entry("beta", "Beta: KV cache serving", tags="[serving, kv-cache, system]"),
    })


def test_unused_tags_get_no_page_and_no_link(make_project):
    pages = two_papers(make_project)
    assert "tags/kv-cache.md" in pages
    assert "tags/fpga.md" not in pages
    linking = [path for path, text in pages.items() if "fpga.md" in text]
    assert linking == []


def test_facet_page_lists_every_tag_with_its_count(make_project):
    facet = two_papers(make_project)["facets/technique.md"]
    assert "| [KV cache](../tags/kv-cache.md) | 2 |" in facet
    assert "| Quantization | 0 |" in facet


def test_tag_page_shows_description_papers_gist_and_companions(make_project):
    page = two_papers(make_project)["tags/kv-cache.md"]
    assert "Storing, compressing, offloading or sharing" in page
    assert 'href="../../papers/alpha/"' in page and 'href="../../papers/beta/"' in page
    assert "We propose a method that makes" in page
    assert '<li><a href="../../tags/inference/">Inference</a> — 1 of these 2 papers</li>' in page


def test_every_matrix_cell_links_to_an_anchor_that_exists(make_project):
    pages = two_papers(make_project)
    links = re.findall(r"\]\(tags/([a-z0-9-]+)\.md#(stage-[a-z-]+)\)", pages["index.md"])
    assert ("kv-cache", "stage-inference") in links and ("kv-cache", "stage-serving") in links
    for tag, anchor in links:
        assert f'<h3 id="{anchor}">' in pages[f"tags/{tag}.md"]


def test_stage_section_lists_only_papers_of_that_stage(make_project):
    page = two_papers(make_project)["tags/kv-cache.md"]
    serving = page.split('<h3 id="stage-serving">')[1]
    assert "papers/beta/" in serving and "papers/alpha/" not in serving


def test_suggested_tags_show_their_evidence_on_the_paper_page(make_project):
    pages = pages_for(make_project, {
        "alpha.yaml": entry("alpha", "Alpha: KV cache compression", tags="[inference, kv-cache, method]"),
        "gamma.yaml": entry("gamma", "Gamma: compressing the KV cache"),
    })
    page = pages["papers/gamma.md"]
    assert "Tags suggested automatically" in page
    assert "<li><strong>KV cache</strong>: " in page and "1 of 1 similar papers" in page


def test_every_seed_paper_has_a_stage_or_contribution_tag(repo_project):
    inputs, problems = load_inputs(repo_project)
    assert problems == []
    needed = {t.id for f in inputs.taxonomy.facets if f.id in ("stage", "contribution") for t in f.tags}
    assert [p.id for p in inputs.papers if not needed & set(p.tags)] == []


def test_every_seed_paper_has_curated_tags(repo_project):
    inputs, _ = load_inputs(repo_project)
    assert [p.id for p in inputs.papers if p.tags_suggested] == []
