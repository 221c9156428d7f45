"""Feeds: Atom (RFC 4287) and JSON Feed 1.1, dated by the entries, never by the build."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from atlas.feeds import JSON_FEED_VERSION, Feed, atom_feed, json_feed, new_papers
from atlas.model import Paper

A = "{http://www.w3.org/2005/Atom}"
SITE = "https://atlas.example/sub/"
FEED = Feed("Paper Atlas: new papers", "New papers.", "", "feed")
NAMES = {"quantization": "Quantization", "kv-cache": "KV cache"}


def paper(id: str, added: str | None = "2026-11-20", **fields) -> Paper:
    return Paper(id=id, title=f"Title of {id} <&>", abstract=f"Abstract of {id}.", added=added, **fields)


PAPERS = [paper("older", "2026-10-01", tags=("quantization",)), paper("newer", "2026-11-20", authors=("Ada",)),
          paper("undated", None), paper("also-newer", "2026-11-20", arxiv="2403.03507")]


def test_newest_papers_come_first_ties_by_id_and_undated_are_left_out():
    assert [p.id for p in new_papers(PAPERS)] == ["also-newer", "newer", "older"]


def test_published_date_stands_in_for_a_missing_added_date():
    assert [p.id for p in new_papers([paper("x", None, published="2024-01-02")])] == ["x"]


def test_atom_feed_has_the_required_elements_of_rfc_4287():
    root = ET.fromstring(atom_feed(FEED, PAPERS, SITE, NAMES))
    assert root.tag == f"{A}feed"
    assert root.findtext(f"{A}id") == "https://atlas.example/sub/feed.xml"
    assert root.findtext(f"{A}title") == "Paper Atlas: new papers"
    assert root.findtext(f"{A}updated") == "2026-11-20T00:00:00Z"
    assert root.find(f"{A}author/{A}name").text == "Paper Atlas"
    self_link = root.find(f"{A}link[@rel='self']")
    assert self_link.get("href") == "https://atlas.example/sub/feed.xml"
    entries = root.findall(f"{A}entry")
    assert [e.findtext(f"{A}id") for e in entries] == [
        f"{SITE}papers/also-newer/", f"{SITE}papers/newer/", f"{SITE}papers/older/"]
    for entry in entries:
        assert entry.findtext(f"{A}title").startswith("Title of ")
        assert entry.findtext(f"{A}updated").endswith("T00:00:00Z")
        assert entry.find(f"{A}link[@rel='alternate']").get("href") == entry.findtext(f"{A}id")
        assert entry.find(f"{A}summary").get("type") == "text"


def test_atom_text_is_escaped_xml_and_categories_carry_tag_ids():
    text = atom_feed(FEED, PAPERS, SITE, NAMES)
    assert "Title of older &lt;&amp;&gt;" in text
    older = [e for e in ET.fromstring(text).findall(f"{A}entry") if e.findtext(f"{A}id").endswith("/older/")][0]
    assert [(c.get("term"), c.get("label")) for c in older.findall(f"{A}category")] == [("quantization", "Quantization")]


def test_atom_strips_characters_xml_forbids():
    text = atom_feed(FEED, [Paper(id="x", title="bad\x0bchar", abstract="a\x00b", added="2026-01-01")], SITE, {})
    assert ET.fromstring(text).find(f"{A}entry").findtext(f"{A}title") == "badchar"


def test_no_dated_paper_means_no_feed():
    assert atom_feed(FEED, [paper("undated", None)], SITE, NAMES) is None
    assert json_feed(FEED, [], SITE, NAMES) is None


def test_json_feed_has_the_required_fields_of_version_1_1():
    data = json.loads(json_feed(FEED, PAPERS, SITE, NAMES))
    assert data["version"] == JSON_FEED_VERSION == "https://jsonfeed.org/version/1.1"
    assert data["title"] == "Paper Atlas: new papers"
    assert data["feed_url"] == "https://atlas.example/sub/feed.json"
    assert data["home_page_url"] == SITE
    assert [item["id"] for item in data["items"]] == [
        f"{SITE}papers/also-newer/", f"{SITE}papers/newer/", f"{SITE}papers/older/"]
    for item in data["items"]:
        assert isinstance(item["id"], str) and item["content_text"]
        assert item["date_published"].endswith("T00:00:00Z")
    assert data["items"][0]["external_url"] == "https://arxiv.org/abs/2403.03507"
    assert data["items"][1]["authors"] == [{"name": "Ada"}]
    assert data["items"][2]["tags"] == ["Quantization"]


def test_feeds_are_byte_identical_for_the_same_entries():
    assert atom_feed(FEED, PAPERS, SITE, NAMES) == atom_feed(FEED, list(reversed(PAPERS)), SITE, NAMES)
    assert json_feed(FEED, PAPERS, SITE, NAMES) == json_feed(FEED, list(reversed(PAPERS)), SITE, NAMES)
