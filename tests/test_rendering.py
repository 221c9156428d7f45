"""Pages show entry text literally, link tags/mentions/related papers, and are deterministic."""

import re

from html import unescape
from html.parser import HTMLParser

import pytest

from atlas.build import build, build_pages
from atlas.escape import md_text
from conftest import entry, page_html, section



class Elements(HTMLParser):
    """Every start tag with its attributes, to assert nothing was injected."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def html_of(page: str) -> str:
    return page_html(page)


@pytest.mark.parametrize("hostile", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<div>unclosed",
    "[click](javascript:alert(1))", "**bold** _it_ `code` | pipe |", "{: onclick=alert(1) }",
    "# heading", "1984. Orwell", "--8<-- /etc/passwd", "{{ config }} {% raw %}",
])
def test_entry_text_renders_as_literal_text(make_project, hostile):
    project = make_project({"evil.yaml": entry("evil", title=hostile.replace("'", "''"),
                                               abstract=f"'{hostile}' " * 8, tags="[method]")})
    _, pages = build_pages(project)
    # The BibTeX block is code on purpose (test_downloads checks that nothing escapes it).
    html = html_of(re.sub(r"<pre><span></span><code>.*?</code></pre>", "", pages["papers/evil.md"], flags=re.S))
    elements = Elements()
    elements.feed(html)
    assert not {"script", "img", "strong", "em", "code", "ol"} & {tag for tag, _ in elements.found}
    assert not [(t, a) for t, attrs in elements.found for a, v in attrs
                if a.startswith("on") or (v or "").lower().startswith("javascript")]
    assert html.count("<h1") == 1 and "<div>unclosed" not in html
    assert " ".join(hostile.split()) in unescape(re.sub(r"<[^>]+>", "", html))


def test_md_text_escapes_every_markdown_and_html_special_character():
    assert md_text("a*b_c`d|e<f>g&h[i](j){k}#l") == \
        "a&#42;b&#95;c&#96;d&#124;e&#60;f&#62;g&#38;h&#91;i&#93;&#40;j&#41;&#123;k&#125;&#35;l"


def test_paper_page_has_tag_chips_by_facet_links_and_related(make_project):
    project = make_project({
        "alpha.yaml": entry("alpha", "Alpha: KV cache compression", tags="[inference, kv-cache, method]",
                            arxiv="'2401.00001'", links="{code: https://github.com/x/alpha}"),
        "beta.yaml": entry("beta", "Beta: KV cache eviction", tags="[inference, kv-cache, method]",
                           aliases="[BetaKV]"),
    })
    _, pages = build_pages(project)
    page = pages["papers/alpha.md"]
    assert '<a class="atlas-chip atlas-chip--technique" href="../../tags/kv-cache/">KV cache</a>' in page
    assert '<span class="atlas-facet-label">Stage</span>' in page
    assert 'href="https://arxiv.org/abs/2401.00001"' in page and 'href="https://arxiv.org/pdf/2401.00001"' in page
    assert 'href="https://huggingface.co/papers/2401.00001"' in page and 'href="https://github.com/x/alpha"' in page
    assert 'href="../beta/"' in section(page, "Related papers")
    assert 'atlas_source: "data/papers/alpha.yaml"' in page


def test_a_mention_links_to_the_named_paper_and_shows_up_as_mentioned_by(make_project):
    project = make_project({
        "galore.yaml": entry("galore", "GaLore: Gradient Low-Rank Projection", aliases="[GaLore]"),
        "q-galore.yaml": entry("q-galore", "Q-GaLore: Quantized projection",
                               abstract="Q-GaLore improves on GaLore by quantizing. " * 5),
    })
    atlas, pages = build_pages(project)
    assert '<a href="../galore/">GaLore</a>' in pages["papers/q-galore.md"]
    assert 'href="../q-galore/"' in section(pages["papers/galore.md"], "Mentioned by")


def test_two_builds_of_the_same_entries_are_byte_identical(make_project):
    project = make_project({f"p{i}.yaml": entry(f"p{i}", tags="[inference, method]") for i in range(5)})
    _, first = build_pages(project)
    _, second = build_pages(project)
    assert first == second


def test_a_no_op_build_writes_nothing_and_a_deleted_entry_loses_its_page(make_project):
    project = make_project({"a.yaml": entry("a", tags="[method]"), "b.yaml": entry("b", tags="[method]")})
    assert build(project).written
    assert build(project).written == []
    (project.papers_dir / "b.yaml").unlink()
    report = build(project)
    assert "papers/b.md" in report.removed
    assert not (project.docs_dir / "papers" / "b.md").exists()


def test_hand_written_docs_are_never_touched(make_project):
    project = make_project({"a.yaml": entry("a", tags="[method]")})
    (project.docs_dir / "contributing.md").write_text("mine")
    build(project)
    (project.papers_dir / "a.yaml").unlink()
    build(project)
    assert (project.docs_dir / "contributing.md").read_text() == "mine"


def test_the_home_page_counts_the_atlas_in_labelled_tiles(make_project):
    project = make_project({
        "one.yaml": entry("one", "One KV Cache Paper", tags="[kv-cache, inference]", arxiv="'2403.03507'",
                          links="{code: 'https://github.com/a/b'}"),
        "two.yaml": entry("two", "Two Quantization Paper", tags="[quantization]"),
    })
    _, pages = build_pages(project)
    tiles = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>(\d+)</dd></div>", pages["index.md"]))
    assert tiles == {"Papers": "2", "Tags in use": "3", "Facets": "6", "With code": "1", "With arXiv id": "1",
                     "Related links": tiles["Related links"], "Mention links": "0"}
