"""Read a Hugging Face Daily Papers response (`/api/daily_papers`) into import candidates.

The response is a JSON list; each item holds a `paper` with the arXiv id (`id`), `title`,
`summary`, `authors[].name`, `publishedAt`, `upvotes` and, when known, `githubRepo` and
`projectPage`. An item that lacks what an entry needs is skipped with the reason, so one
odd item never blocks a day's import; a response that is not such a list is an error.
"""

from __future__ import annotations

import json
import re

from .importer import Candidate
from .problems import Problem
from .sources_common import SourceRead
from .urls import url_problem

ARXIV_NEW_STYLE = re.compile(r"^\d{4}\.\d{4,5}$")
_LINK_FIELDS = (("githubRepo", "code"), ("projectPage", "project"))


def looks_like_daily_papers(raw: bytes) -> bool:
    return raw.lstrip()[:1] in (b"[", b"{")


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _date(value) -> str | None:
    """`2024-11-18T15:59:48.000Z` -> `2024-11-18`; anything else -> None."""
    if isinstance(value, str) and re.match(r"^\d{4}-\d{2}-\d{2}", value):
        return value[:10]
    return None


def parse_daily_papers(raw: bytes, origin: str) -> SourceRead:
    """Candidates from a Daily Papers response, plus the items skipped and why."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return SourceRead(problems=(Problem(origin, getattr(error, "lineno", 0), "json", f"not valid JSON: {error}",
                                            "pass the body of https://huggingface.co/api/daily_papers"),))
    if isinstance(data, dict) and isinstance(data.get("papers"), list):
        data = data["papers"]
    if not isinstance(data, list):
        return SourceRead(problems=(Problem(origin, 0, "json", "expected a list of daily papers",
                                            "pass the body of https://huggingface.co/api/daily_papers"),))
    candidates, skipped = [], []
    for index, item in enumerate(data, start=1):
        paper = item.get("paper", item) if isinstance(item, dict) else None
        where = f"{origin} #{index}"
        if not isinstance(paper, dict):
            skipped.append((where, "?", "item is not a paper object"))
            continue
        title, abstract = _text(paper.get("title")), _text(paper.get("summary"))
        arxiv = paper.get("id") if isinstance(paper.get("id"), str) else None
        if not title or not abstract:
            skipped.append((where, title or "?", "no title or no summary"))
            continue
        if not arxiv or not ARXIV_NEW_STYLE.match(arxiv):
            skipped.append((where, title, f"paper.id {arxiv!r} is not an arXiv id"))
            continue
        authors = tuple(dict.fromkeys(
            _text(a.get("name")) for a in paper.get("authors") or () if isinstance(a, dict) and _text(a.get("name"))))
        links = tuple((kind, paper[key].strip()) for key, kind in _LINK_FIELDS
                      if isinstance(paper.get(key), str) and paper[key].strip()
                      and url_problem(paper[key].strip()) is None)
        upvotes = paper.get("upvotes")
        note = f" ({upvotes} upvotes)" if isinstance(upvotes, int) and not isinstance(upvotes, bool) else ""
        candidates.append(Candidate(title, abstract, arxiv=arxiv, authors=authors,
                                    published=_date(paper.get("publishedAt")), links=links,
                                    origin=f"{where} arXiv {arxiv}{note}"))
    return SourceRead(tuple(candidates), tuple(skipped))
