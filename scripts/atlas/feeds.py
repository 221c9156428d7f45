"""Atom (RFC 4287) and JSON Feed 1.1 feeds of new papers, for the atlas and for each tag.

Feeds are built from the entries alone: a paper's date is its `added:` date (else its
`published:` date), the feed's `updated` is the newest of those, and a paper with neither
date is left out. No build timestamp ever reaches a feed, so the same entries give
byte-identical feeds and a rebuild never makes readers see "new" items.

Links must be absolute in feeds (readers fetch them out of context), so the feeds take the
site's public URL (`site_url` in mkdocs.yml).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .model import Paper

ATOM_NS = "http://www.w3.org/2005/Atom"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
MAX_ITEMS = 50
# Characters XML 1.0 forbids even as references; entry text should never hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Feed:
    """What a feed is about: its title, its page on the site and its own paths (relative to
    the site root, without extension: `feed` gives feed.xml and feed.json)."""

    title: str
    description: str
    page_path: str
    feed_path: str


def paper_date(paper: Paper) -> str | None:
    return paper.added or paper.published


def new_papers(papers: list[Paper], limit: int = MAX_ITEMS) -> list[Paper]:
    """The dated papers, newest first (ties by id), at most `limit`."""
    dated = [p for p in papers if paper_date(p)]
    dated.sort(key=lambda p: p.id)
    dated.sort(key=paper_date, reverse=True)
    return dated[:limit]


def _timestamp(date: str) -> str:
    return f"{date}T00:00:00Z"


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _absolute(site_url: str, path: str) -> str:
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def atom_feed(feed: Feed, papers: list[Paper], site_url: str, tag_names: dict[str, str]) -> str | None:
    """The Atom document, or None when no paper has a date (Atom requires `updated`)."""
    items = new_papers(papers)
    if not items:
        return None
    ET.register_namespace("", ATOM_NS)

    def sub(parent, name, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{name}", attrs)
        if text is not None:
            element.text = _clean(text)
        return element

    root = ET.Element(f"{{{ATOM_NS}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    sub(root, "id", _absolute(site_url, feed.feed_path + ".xml"))
    sub(root, "title", feed.title)
    sub(root, "subtitle", feed.description)
    sub(root, "updated", _timestamp(paper_date(items[0])))
    sub(root, "link", rel="self", type="application/atom+xml", href=_absolute(site_url, feed.feed_path + ".xml"))
    sub(root, "link", rel="alternate", type="text/html", href=_absolute(site_url, feed.page_path))
    author = sub(root, "author")
    sub(author, "name", "Paper Atlas")
    sub(root, "generator", "Paper Atlas")
    for paper in items:
        page = _absolute(site_url, f"papers/{paper.id}/")
        entry = sub(root, "entry")
        sub(entry, "id", page)
        sub(entry, "title", paper.title)
        sub(entry, "updated", _timestamp(paper_date(paper)))
        if paper.published:
            sub(entry, "published", _timestamp(paper.published))
        sub(entry, "link", rel="alternate", type="text/html", href=page)
        if paper.arxiv:
            sub(entry, "link", rel="related", href=f"https://arxiv.org/abs/{paper.arxiv}")
        for name in paper.authors:
            sub(sub(entry, "author"), "name", name)
        for tag in paper.tags:
            if tag in tag_names:
                sub(entry, "category", term=tag, label=tag_names[tag])
        sub(entry, "summary", paper.abstract, type="text")
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def json_feed(feed: Feed, papers: list[Paper], site_url: str, tag_names: dict[str, str]) -> str | None:
    """The JSON Feed 1.1 document, or None when no paper has a date (as for Atom)."""
    items = new_papers(papers)
    if not items:
        return None
    data = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "description": feed.description,
        "home_page_url": _absolute(site_url, feed.page_path),
        "feed_url": _absolute(site_url, feed.feed_path + ".json"),
        "language": "en",
        "authors": [{"name": "Paper Atlas"}],
        "items": [],
    }
    for paper in items:
        page = _absolute(site_url, f"papers/{paper.id}/")
        item = {"id": page, "url": page, "title": paper.title, "content_text": paper.abstract,
                "date_published": _timestamp(paper_date(paper))}
        if paper.arxiv:
            item["external_url"] = f"https://arxiv.org/abs/{paper.arxiv}"
        if paper.authors:
            item["authors"] = [{"name": name} for name in paper.authors]
        tags = [tag_names[t] for t in paper.tags if t in tag_names]
        if tags:
            item["tags"] = tags
        data["items"].append(item)
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
