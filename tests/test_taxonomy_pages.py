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


def test_a_tag_page_lists_its_newest_papers_and_links_to_all_of_them_on_the_papers_page(make_project, monkeypatch):
    # The page of a tag most papers carry would otherwise grow with the atlas (3.4 MB at 10,000).
    import atlas.render

    monkeypatch.setattr(atlas.render, "TAG_PAGE_PAPERS", 3)
    monkeypatch.setattr(atlas.render, "STAGE_LIST_PAPERS", 2)
    entries = {f"p{i}.yaml": entry(f"p{i}", f"Paper {i}: KV cache compression", arxiv=f"'24{i + 1:02d}.0000{i}'",
                                   tags="[inference, kv-cache, method]" if i % 2 else "[serving, kv-cache, method]")
               for i in range(7)}
    page = pages_for(make_project, entries)["tags/kv-cache.md"]
    assert '<h2 id="papers">Papers (7)' in page
    listed = page.split('<h2 id="papers">')[1].split("<h2")[0]
    newest = ["p6", "p5", "p4"]  # by the month of their arXiv ids
    assert re.findall(r'href="\.\./\.\./papers/(p\d)/"', listed.split("</table>")[0]) == newest
    assert '<a href="../../papers/?tag=kv-cache">All 7 papers tagged KV cache</a>' in listed
    inference = page.split('<h3 id="stage-inference">')[1].split("</ul>")[0]
    assert re.findall(r'href="\.\./\.\./papers/(p\d)/"', inference) == ["p5", "p3"]
    assert '<a href="../../papers/?tag=kv-cache&amp;tag=inference">All 3 papers tagged KV cache and Inference</a>' in inference
    assert "Inference (3)" in page and "Serving (4)" in page
    assert "— 7 of these 7 papers</li>" in page  # co-tags count every paper, listed or not


def test_a_tag_page_with_few_papers_lists_them_all_without_a_link_elsewhere(make_project):
    page = two_papers(make_project)["tags/kv-cache.md"]
    assert "papers/?tag=" not in page and 'class="atlas-more"' not in page


def test_a_technique_page_tabulates_the_key_numbers_of_the_papers_it_lists(make_project, monkeypatch):
    import atlas.render

    monkeypatch.setattr(atlas.render, "TAG_PAGE_PAPERS", 2)
    entries = {f"p{i}.yaml": entry(f"p{i}", f"Paper {i}: KV cache compression", arxiv=f"'24{i + 1:02d}.0000{i}'",
                                   tags="[inference, kv-cache, method]",
                                   abstract=f"We compress the KV cache by {i + 2}x with no loss in accuracy.")
               for i in range(4)}
    page = pages_for(make_project, entries)["tags/kv-cache.md"]
    table = page.split('<h2 id="key-numbers">')[1].split("</table>")[0]
    assert re.findall(r'href="\.\./\.\./papers/(p\d)/"', table) == ["p3", "p2"]
    assert "5x" in table and "4x" in table and "3x" not in table and "2x" not in table


def test_counts_on_pages_are_written_with_thousands_separators(repo_project):
    # "All 1988 papers tagged Method" read like a year.
    from atlas.render import make_environment, make_html_environment

    for env in (make_environment(repo_project.templates_dir), make_html_environment(repo_project.templates_dir)):
        assert env.from_string("{{ n | thousands }} of {{ m | thousands }}").render(n=1988, m=10000) == "1,988 of 10,000"
