"""Dates that order the atlas: newest publications first, and what is new this week.

"This week" is measured from the newest date in the atlas itself (an entry's `added` or
`published`), never from the clock, so the same entries always build the same pages.
"""

from __future__ import annotations

import datetime as dt
import re

from .model import EnrichedPaper, Paper

NEW_WINDOW_DAYS = 7
# arXiv ids since 2007 begin with the year and month the paper was first posted: 2403.03507.
_NEW_STYLE_ARXIV = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")


def arxiv_month(arxiv: str | None) -> str | None:
    """'YYYY-MM' in which a new-style arXiv id was first posted; None for any other id."""
    match = _NEW_STYLE_ARXIV.match(arxiv or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"20{match.group(1)}-{match.group(2)}"


def publication_key(paper: Paper) -> str:
    """`published`, else the month of its arXiv id (when that falls in `year`, if there is
    one), else the `year`, else empty: sorts as text, finer dates after a bare year.

    Most entries have an arXiv id and no `published` date; without the id's month, "newest
    first" put them in alphabetical order under years that say otherwise."""
    if paper.published:
        return paper.published
    month = arxiv_month(paper.arxiv)
    if month and (not paper.year or month.startswith(f"{paper.year}-")):
        return month
    return str(paper.year) if paper.year else ""


def newest_first(items: list[EnrichedPaper] | tuple[EnrichedPaper, ...]) -> list[EnrichedPaper]:
    """Most recently published first; undated papers last; ties by id (stable and deterministic)."""
    by_id = sorted(items, key=lambda item: item.paper.id)
    return sorted(by_id, key=lambda item: publication_key(item.paper), reverse=True)


def _dates(paper: Paper) -> list[dt.date]:
    found = []
    for value in (paper.added, paper.published):
        if not value:
            continue
        try:
            found.append(dt.date.fromisoformat(value))
        except ValueError:
            continue
    return found


def latest_date(items) -> dt.date | None:
    """The newest `added` or `published` date of any paper, or None when none has a date."""
    return max((d for item in items for d in _dates(item.paper)), default=None)


def new_this_week(items, days: int = NEW_WINDOW_DAYS) -> list[EnrichedPaper]:
    """Papers added or published within `days` of the atlas's newest date, most recent first."""
    newest = latest_date(items)
    if newest is None:
        return []
    start = newest - dt.timedelta(days=days)
    recent = [(max(_dates(item.paper)), item) for item in items if any(d > start for d in _dates(item.paper))]
    recent.sort(key=lambda pair: pair[1].paper.id)
    recent.sort(key=lambda pair: (pair[0], publication_key(pair[1].paper)), reverse=True)
    return [item for _, item in recent]
