"""Escape untrusted entry text for the context it lands in.

Python-Markdown is not a sanitiser: raw HTML, `javascript:` links and `{: attr }` lists in
an entry would reach readers' browsers. Jinja's HTML autoescape does not help in Markdown.
So the renderer escapes *every* value by default (`escape_by_default` is the Jinja
`finalize` hook) and the few places that emit markup on purpose return `Markup`.
Pages written as HTML (paper, tag and papers-index pages; see `atlas.htmlpage`) use plain
Jinja HTML autoescape instead; `safe_url` guards their links too.
"""

from __future__ import annotations

import html
import json
import re
from functools import lru_cache
from urllib.parse import quote

from markupsafe import Markup

from .urls import url_problem

# Characters that mean something to Markdown, its extensions, HTML or Jinja. Replacing them
# by numeric character references makes them literal: Markdown never parses inside those.
_SPECIAL = "\\`*_{}[]()<>#+-!|~^=:$&\"'%@"
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
# The same replacement as `str.translate(_TABLE)`, found by one regex scan: translate looks up
# every character of an abstract in a dict, the regex only stops at the special ones (3x faster).
_SPECIAL_CHAR = re.compile("[" + re.escape(_SPECIAL) + "]")
_REFERENCE = {c: f"&#{ord(c)};" for c in _SPECIAL}
_LIST_START = re.compile(r"^(\d+)\.")
_WHITESPACE = re.compile(r"\s+")


def _reference(match: re.Match) -> str:
    return _REFERENCE[match.group()]


def md_text(value: object) -> Markup:
    """Literal inline text in Markdown (also safe in a table cell): nothing in it takes effect.

    Called for every value of every page (hundreds of thousands at 10,000 papers), so the
    list-start rule only runs on text that starts with a digit, and the result is made
    Markup directly (`Markup()` would first look for `__html__` on a plain str).
    """
    text = _SPECIAL_CHAR.sub(_reference, _WHITESPACE.sub(" ", str(value)))
    if text[:1].isdigit():
        # "1984. Something" at the start of a line would become an ordered list.
        text = _LIST_START.sub(r"\1&#46;", text)
    return str.__new__(Markup, text)


def html_attr(value: object) -> Markup:
    """Text for a double-quoted HTML attribute or for theme fields MkDocs emits raw."""
    return Markup(html.escape(" ".join(str(value).split()), quote=True))


def safe_url(value: object) -> Markup:
    """An http(s) URL fit for a Markdown link target; anything else is a bug upstream."""
    url = str(value)
    if url_problem(url) is not None:
        raise ValueError(f"refusing to render unsafe URL {url!r}")
    return Markup(quote(url, safe=":/?#[]@!$&'*+,;=%~-._"))


def yaml_value(value: object) -> Markup:
    """A front-matter value: HTML-escaped (themes print some raw) then JSON-quoted (valid YAML)."""
    if isinstance(value, (list, tuple)):
        return Markup("[" + ", ".join(json.dumps(str(v), ensure_ascii=True) for v in value) + "]")
    return Markup(json.dumps(str(html_attr(value)), ensure_ascii=True))


def escape_by_default(value: object) -> object:
    """Jinja `finalize`: any value not already Markup is escaped as Markdown text."""
    if isinstance(value, Markup):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return md_text(value)


@lru_cache(maxsize=65536)  # tag pages ask for the same paper's gist once per tag
def gist(abstract: str, limit: int = 180) -> str:
    """A one-line summary: the abstract's first sentence that says what the paper does."""
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z])", abstract.strip())
    cues = ("we propose", "we present", "we introduce", "this paper", "this work", "we develop", "we design")
    chosen = next((s for s in sentences if any(c in s.lower() for c in cues)), sentences[0] if sentences else "")
    if len(chosen) > limit:
        chosen = chosen[: limit - 1].rsplit(" ", 1)[0] + "…"
    return chosen
