"""Pages the atlas writes as finished HTML, which MkDocs passes through without Markdown.

Paper pages, tag pages and the papers index grow with the atlas: at 10,000 papers they
are ~160 MB of text, and Python-Markdown (inline patterns, raw-HTML scanning, the toc
extension) spent ~80% of a full site build on them. The atlas already knows everything
on those pages, so it renders them straight to HTML (Jinja with HTML autoescape — the
usual, well-understood escaping) and marks them with `atlas_render: html` in the front
matter. The MkDocs hook then hands the body to the theme as is and gives MkDocs what the
Markdown run would have produced: the table of contents and the anchor ids that other
pages may link to.

The body is still stored in a `.md` file under docs/ (MkDocs only makes pages from
Markdown files); a tool that ignores the hook renders it as raw HTML, which is what it is.
"""

from __future__ import annotations

import html
import re

RENDER_KEY = "atlas_render"
RENDER_HTML = "html"

# Headings exactly as the atlas's templates write them (see templates/_html.j2): an id,
# the escaped text, then the permalink.
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)">(.*?)<a class="headerlink"', re.S)
_ID = re.compile(r'\bid="([^"]+)"')
_TAG = re.compile(r"<[^>]+>")


def is_html_page(meta: dict) -> bool:
    return meta.get(RENDER_KEY) == RENDER_HTML


def toc_tokens(body: str) -> list[dict]:
    """The heading tree in Python-Markdown's `toc_tokens` shape (what MkDocs' get_toc reads)."""
    root: list[dict] = []
    stack: list[dict] = []
    for level, anchor, inner in _HEADING.findall(body):
        name = html.unescape(_TAG.sub("", inner)).strip()
        token = {"level": int(level), "id": anchor, "name": name, "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def anchor_ids(body: str) -> set[str]:
    """Every id in the body: links from other pages to `page.md#id` are checked against these."""
    return set(_ID.findall(body))


class AnchorIds:
    """`anchor_ids(body)`, found on first use.

    MkDocs asks a page for its anchors only when another page links to one of them (few
    pages are linked with a #fragment); scanning every 30 KB page for ids up front took
    ~3 s of a 10,000-paper build.
    """

    def __init__(self, body: str):
        self._body = body
        self._ids: set[str] | None = None

    @property
    def ids(self) -> set[str]:
        if self._ids is None:
            self._ids = anchor_ids(self._body)
        return self._ids

    def __contains__(self, anchor: object) -> bool:
        return anchor in self.ids

    def __iter__(self):
        return iter(self.ids)

    def __len__(self) -> int:
        return len(self.ids)
