"""Hostile entry text renders as inert, literal text on every page that shows it.

Entries carry every injection the issue lists — Markdown syntax, raw HTML, an unclosed
`<div>`, attribute lists, snippet includes, template syntax, `javascript:` links — in the
title, abstract, aliases, authors and venue. Each generated page is converted to HTML by
Python-Markdown with the site's own `markdown_extensions` (read from mkdocs.yml), and the
HTML is inspected: no element or attribute the entry asked for, and the text shown is
exactly the text written.
"""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import markdown
import pytest
import yaml
from mkdocs.utils.meta import get_data
from mkdocs.utils.yaml import get_yaml_loader

from atlas.build import build_pages
from atlas.escape import md_text, safe_url
from atlas.htmlpage import is_html_page
from conftest import REPO

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PAYLOADS = [
    SCRIPT, IMG, "<div>", "<svg onload=alert(1)>", "<a href=javascript:alert(1)>x</a>",
    "{: onclick=\"alert(1)\" }", "{ #evil .evil onclick=alert(1) }", "--8<-- \"/etc/passwd\"",
    "{{ 7*7 }}", "{% if true %}jinja{% endif %}", "{# comment #}",
    "[click](javascript:alert(1))", "<javascript:alert(1)>", "![x](https://evil.example/x.png)",
    "*em* _em_ **strong** `code` ~~del~~ ==mark== ^sup^", "a | b | c", "&lt;b&gt; &amp;",
    "<!-- comment", "]]> <![CDATA[", "\\* backslash",
]
TITLE = "1984. # Attack *em* `code` | pipe {{ 7*7 }} <script>alert(1)</script> {: onclick=x }"
HOSTILE = {
    "id": "hostile",
    "title": TITLE,
    "abstract": "\n".join(["# Heading", "1984. Orwell", "- item", "> quote", "    indented code",
                           "    --8<-- \"mkdocs.yml\"", "!!! danger \"admonition\"", *PAYLOADS,
                           "We propose Hostile, a method. See https://github.com/o/hostile."]),
    "aliases": [IMG, "{: onclick=alert(1) }"],
    "authors": [SCRIPT, "Eve {{ 7*7 }} *em*", "<div>"],
    "venue": "<div onclick=alert(1)> | {% raw %}",
    "year": 2024,
    "tags": ["inference", "quantization"],
    "links": {"code": "https://github.com/o/hostile?a=<b>".replace("<b>", "1&b=2")},
}
# A second, friendly entry that mentions the hostile one by its aliases, so that mention
# links, related-paper lists and tag tables all carry the hostile title as link text.
FRIEND = {
    "id": "friend",
    "title": "A Friendly Paper About Quantization Inference",
    "abstract": f"We compare against {IMG} and {{: onclick=alert(1) }} for quantization of inference.",
    "tags": ["inference", "quantization"],
}
FORBIDDEN_ELEMENTS = {"script", "img", "svg", "iframe", "object", "embed", "style", "form", "input", "button",
                      "link", "meta", "base", "video", "audio", "math", "template", "textarea", "del", "mark", "sup"}


def site_markdown_extensions() -> list:
    config = yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=get_yaml_loader())
    return config.get("markdown_extensions") or []


def to_html(page_markdown: str) -> str:
    """The page's HTML as the site shows it: HTML pages pass through, the rest is Markdown."""
    body, meta = get_data(page_markdown)
    if is_html_page(meta):
        return body
    extensions, configs = [], {}
    for item in site_markdown_extensions():
        name, config = (next(iter(item.items())) if isinstance(item, dict) else (item, {}))
        extensions.append(name)
        configs[name] = config or {}
    return markdown.markdown(body, extensions=extensions, extension_configs=configs)


class Inspector(HTMLParser):
    """Collects elements, attributes, unclosed tags and the text of each heading."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.open: list[str] = []
        self.text_of: dict[str, list[str]] = {}
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag not in {"br", "hr", "img", "input", "meta", "link"}:
            self.open.append(tag)
            self.text_of.setdefault(tag, []).append("")

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data):
        for tag in self.open:
            self.text_of[tag][-1] += data

    def handle_comment(self, data):
        self.comments.append(data)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from conftest import REPO as repo
    import shutil

    from atlas.sources import Project

    root = tmp_path_factory.mktemp("hostile") / "project"
    (root / "data" / "papers").mkdir(parents=True)
    shutil.copytree(repo / "templates", root / "templates")
    shutil.copy(repo / "data" / "taxonomy.yaml", root / "data" / "taxonomy.yaml")
    (root / "docs").mkdir()
    for data in (HOSTILE, FRIEND):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
        (root / "data" / "papers" / f"{data['id']}.yaml").write_text(text, encoding="utf-8")
    _, pages = build_pages(Project(root))
    return pages


@pytest.fixture(scope="module")
def html_pages(rendered):
    return {path: (text, to_html(text)) for path, text in rendered.items() if path.endswith(".md")}


@pytest.fixture(scope="module")
def papers_json(rendered):
    return json.loads(rendered["api/papers.json"])


def inspect(markup: str) -> Inspector:
    inspector = Inspector()
    inspector.feed(markup)
    inspector.close()
    return inspector


def test_the_hostile_entry_reaches_the_pages_we_inspect(html_pages):
    shown_on = sorted(path for path, (md, _) in html_pages.items() if "alert" in md)
    assert {"papers/hostile.md", "papers/friend.md", "papers/index.md", "tags/quantization.md"} <= set(shown_on)


# Markup the templates write on purpose: the papers index's filter form (taxonomy names
# only, hidden by a <noscript> style without JavaScript) and the BibTeX code block on each
# paper page, whose entry text must stay escaped inside highlighted spans.
FILTER_FORM = re.compile(r'<noscript><style>#atlas-filter.*?</form>', re.S)
CODE_BLOCK = re.compile(r'<div class="highlight"><pre>.*?</pre></div>', re.S)


def without_template_markup(page_html: str) -> str:
    for form in FILTER_FORM.findall(page_html):
        assert "alert" not in form and "hostile" not in form.lower(), form
    for block in CODE_BLOCK.findall(page_html):
        elements = inspect(block).elements
        assert {tag for tag, _ in elements} <= {"div", "pre", "span", "code"}, block
        assert not [a for _, attrs in elements for a in attrs if a not in {"class"}], block
    return CODE_BLOCK.sub("", FILTER_FORM.sub("", page_html))


def test_no_page_has_an_element_or_attribute_from_an_entry(html_pages):
    for path, (_, page_html) in html_pages.items():
        inspector = inspect(without_template_markup(page_html))
        for tag, attrs in inspector.elements:
            # The atlas's own maps are inline SVG (escaping tested in test_atlas_map.py).
            assert tag not in FORBIDDEN_ELEMENTS or (tag, attrs.get("class")) == ("svg", "atlas-map"), (path, tag, attrs)
            for name, value in attrs.items():
                assert not name.startswith("on"), (path, tag, attrs)
                assert name not in {"srcdoc", "formaction"}, (path, tag, attrs)
                if name == "style":  # only the tables extension's column alignment
                    assert tag in {"th", "td"} and value.startswith("text-align:"), (path, tag, attrs)
                if name in {"href", "src"}:
                    assert value.startswith(("https://", "http://", "#", "../")) or "/" not in value \
                        or re.fullmatch(r"[\w./-]+\.md(#[\w-]+)?", value) \
                        or re.fullmatch(r"[\w-]+/", value), (path, tag, attrs)
                    assert "javascript" not in value.lower() and not value.lower().startswith("data:"), (path, attrs)
            assert "evil" not in attrs.get("class", "") and attrs.get("id") != "evil", (path, tag, attrs)
        assert not [c for c in inspector.comments if "comment" in c], (path, inspector.comments)


def test_an_unclosed_div_does_not_swallow_the_rest_of_the_page(html_pages):
    _, page_html = html_pages["papers/hostile.md"]
    inspector = inspect(page_html)
    assert inspector.open == [], f"unclosed elements: {inspector.open}"
    headings = inspector.text_of["h2"]
    assert [h.strip().rstrip("¶").strip() for h in headings][:4] == ["Abstract", "Links", "Cite", "Related papers"]


def test_the_title_shows_exactly_as_written(html_pages):
    md, page_html = html_pages["papers/hostile.md"]
    inspector = inspect(without_template_markup(page_html))
    assert [t.rstrip("¶") for t in inspector.text_of["h1"]] == [TITLE]
    assert "49" not in page_html  # {{ 7*7 }} was not evaluated anywhere
    for tag in ("em", "strong", "code", "del", "mark"):
        assert tag not in {t for t, _ in inspector.elements}, tag
    _, front = get_data(md)
    assert front["title"] == TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") \
        .replace('"', "&quot;").replace("'", "&#x27;")


def test_the_abstract_shows_every_payload_as_text(html_pages):
    _, page_html = html_pages["papers/hostile.md"]
    text = " ".join(inspect(page_html).text_of["p"])
    for payload in PAYLOADS + ["# Heading", "1984. Orwell", "--8<-- \"mkdocs.yml\"", "!!! danger"]:
        assert payload in text, payload


def test_authors_and_venue_show_as_text(html_pages):
    _, page_html = html_pages["papers/hostile.md"]
    byline = " ".join(inspect(page_html).text_of["p"])
    assert f"{SCRIPT}, Eve {{{{ 7*7 }}}} *em*, <div> · 2024 · <div onclick=alert(1)> | {{% raw %}}" in byline


def test_only_plain_urls_in_the_abstract_become_links(html_pages):
    _, page_html = html_pages["papers/hostile.md"]
    hrefs = [attrs["href"] for tag, attrs in inspect(page_html).elements if tag == "a" and "href" in attrs]
    assert "https://github.com/o/hostile" in hrefs
    assert "https://evil.example/x.png" in hrefs  # a link to the URL, never an <img>
    assert not [h for h in hrefs if "javascript" in h.lower()]


def test_table_rows_keep_their_columns_despite_pipes(html_pages):
    for path in ("tags/quantization.md",):
        inspector = inspect(html_pages[path][1])
        header = len([t for t, _ in inspector.elements if t == "th"])
        rows = len([t for t, _ in inspector.elements if t == "tr"]) - 1
        cells = len([t for t, _ in inspector.elements if t == "td"])
        assert rows >= 2 and cells == rows * header, path


def test_the_papers_index_keeps_one_list_item_per_paper_despite_pipes(html_pages):
    inspector = inspect(html_pages["papers/index.md"][1])
    items = [attrs for tag, attrs in inspector.elements if tag == "li" and attrs.get("class") == "atlas-paper"]
    assert len(items) == 2


def test_snippets_are_not_enabled_in_the_site():
    names = [next(iter(e)) if isinstance(e, dict) else e for e in site_markdown_extensions()]
    assert "pymdownx.snippets" not in names


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "vbscript:x",
                                 "//evil.example/x", "https://a.b/x\"onmouseover=1", "https://a.b/ x", "file:///etc/passwd"])
def test_safe_url_refuses_anything_but_plain_http(url):
    with pytest.raises(ValueError):
        safe_url(url)


def test_md_text_escapes_everything_markdown_html_or_jinja_would_act_on():
    escaped = str(md_text("<b>*x*</b> {{ y }} {% z %} [a](b) `c` | #d 1. &e; --8<-- _f_ ~g~ ^h^ =i= :j:"))
    outside_references = re.sub(r"&#\d+;", "", escaped)
    assert not set(outside_references) & set("<>*{}[]()`|#%&-_~^=:"), outside_references


def test_json_and_front_matter_carry_the_exact_text(html_pages, tmp_path):
    md, _ = html_pages["papers/hostile.md"]
    _, front = get_data(md)
    assert html.unescape(front["title"]) == TITLE
    assert "<" not in front["title"] and "<" not in front["description"]


def test_papers_json_carries_the_exact_text(papers_json):
    hostile = next(p for p in papers_json["papers"] if p["id"] == "hostile")
    assert hostile["title"] == TITLE and hostile["abstract"] == HOSTILE["abstract"]
    assert hostile["aliases"] == HOSTILE["aliases"]
