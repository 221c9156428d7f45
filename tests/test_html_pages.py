"""Pages written as HTML pass through MkDocs with the toc and anchors Markdown would give."""

from __future__ import annotations

from atlas.htmlpage import anchor_ids, is_html_page, toc_tokens

BODY = """<!-- note -->
<h1 id="paper">Q&amp;A: <em>fast</em> KV<a class="headerlink" href="#paper" title="Permanent link">&para;</a></h1>
<h2 id="abstract">Abstract<a class="headerlink" href="#abstract" title="Permanent link">&para;</a></h2>
<p id="not-a-heading">text</p>
<h2 id="by-stage">By stage<a class="headerlink" href="#by-stage" title="Permanent link">&para;</a></h2>
<h3 id="stage-serving">Serving (2)<a class="headerlink" href="#stage-serving" title="Permanent link">&para;</a></h3>
<h2 id="related">Related<a class="headerlink" href="#related" title="Permanent link">&para;</a></h2>
"""


def test_headings_become_a_nested_toc_with_plain_text_names():
    (page,) = toc_tokens(BODY)
    assert (page["level"], page["id"], page["name"]) == (1, "paper", "Q&A: fast KV")
    assert [c["id"] for c in page["children"]] == ["abstract", "by-stage", "related"]
    assert [c["id"] for c in page["children"][1]["children"]] == ["stage-serving"]


def test_every_id_is_an_anchor_other_pages_may_link_to():
    assert anchor_ids(BODY) == {"paper", "abstract", "not-a-heading", "by-stage", "stage-serving", "related"}


def test_only_pages_marked_in_front_matter_skip_markdown():
    assert is_html_page({"atlas_render": "html"})
    assert not is_html_page({}) and not is_html_page({"atlas_render": "markdown"})


def test_mkdocs_reads_the_toc_and_keeps_the_ids():
    from mkdocs.structure.toc import get_toc

    toc = get_toc(toc_tokens(BODY))
    (page,) = list(toc)
    assert page.url == "#paper" and [c.url for c in page.children] == ["#abstract", "#by-stage", "#related"]
