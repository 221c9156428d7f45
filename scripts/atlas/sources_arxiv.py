"""Read arXiv API responses (Atom, `export.arxiv.org/api/query?id_list=...`) into candidates.

arXiv is the record of authorship and dates: each entry gives the id (version dropped),
title, a clean abstract, authors in order, the first-version date and the categories,
primary first. The response is parsed with the standard library; documents that declare
a DTD or entities are refused (arXiv never sends them, and they are how XML bombs work).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

from .importer import Candidate
from .problems import Problem
from .sources_common import SourceRead

API_URL = "https://export.arxiv.org/api/query"
BATCH_SIZE = 50
_NS = {"atom": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}
# arXiv archives (cs.LG, hep-th, q-bio.NC); ACM ("I.2.7") and MSC ("68T05") classes are left out.
_ARXIV_CATEGORY = re.compile(r"^[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]{2,})?$")
_ABS_ID = re.compile(r"arxiv\.org/abs/(?P<id>\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?$")


def looks_like_atom(raw: bytes) -> bool:
    head = raw.lstrip()[:200]
    return head.startswith(b"<?xml") or head.startswith(b"<feed")


def query_url(arxiv_ids: list[str]) -> str:
    """The API address returning the entries for `arxiv_ids`, in one response."""
    return f"{API_URL}?{urlencode({'id_list': ','.join(arxiv_ids), 'max_results': len(arxiv_ids)})}"


def batches(arxiv_ids: list[str], size: int = BATCH_SIZE) -> list[list[str]]:
    return [arxiv_ids[i:i + size] for i in range(0, len(arxiv_ids), size)]


def _text(element) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def parse_arxiv_atom(raw: bytes, origin: str) -> SourceRead:
    """Candidates from one Atom response, plus entries skipped (API errors, unknown ids)."""
    if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        return SourceRead(problems=(Problem(origin, 0, "xml", "declares a DTD or entities",
                                            "pass an unmodified arXiv API response"),))
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as error:
        return SourceRead(problems=(Problem(origin, error.position[0], "xml", f"not valid XML: {error}",
                                            "pass the body of an export.arxiv.org/api/query response"),))
    if root.tag != f"{{{_NS['atom']}}}feed":
        return SourceRead(problems=(Problem(origin, 0, "xml", f"expected an Atom <feed>, got <{root.tag}>",
                                            "pass the body of an export.arxiv.org/api/query response"),))
    candidates, skipped = [], []
    for index, entry in enumerate(root.findall("atom:entry", _NS), start=1):
        where = f"{origin} #{index}"
        entry_id = _text(entry.find("atom:id", _NS))
        title = _text(entry.find("atom:title", _NS))
        abstract = _text(entry.find("atom:summary", _NS))
        match = _ABS_ID.search(entry_id)
        if not match:
            skipped.append((where, title or "?", f"arXiv answered {abstract or entry_id or 'an empty entry'!r}"))
            continue
        arxiv = match.group("id")
        if not title or not abstract:
            skipped.append((where, title or "?", f"arXiv {arxiv} has no title or abstract"))
            continue
        authors = tuple(dict.fromkeys(
            name for name in (_text(a.find("atom:name", _NS)) for a in entry.findall("atom:author", _NS)) if name))
        primary = entry.find("arxiv:primary_category", _NS)
        terms = [primary.get("term")] if primary is not None and primary.get("term") else []
        terms += [c.get("term") for c in entry.findall("atom:category", _NS) if c.get("term")]
        published = _text(entry.find("atom:published", _NS))
        candidates.append(Candidate(
            title, abstract, arxiv=arxiv, authors=authors,
            published=published[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", published) else None,
            categories=tuple(dict.fromkeys(t for t in terms if _ARXIV_CATEGORY.match(t))), origin=f"{where} arXiv {arxiv}"))
    return SourceRead(tuple(candidates), tuple(skipped))
