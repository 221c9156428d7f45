"""Dates that order the atlas: newest publications first, and what is new this week.

"This week" is measured from the newest date in the atlas itself (an entry's `added` or
`published`), never from the clock, so the same entries always build the same pages.
"""

from __future__ import annotations

import datetime as dt

from .model import EnrichedPaper, Paper

NEW_WINDOW_DAYS = 7


def publication_key(paper: Paper) -> str:
    """`published`, else the `year`, else empty: sorts as text, finer dates after a bare year."""
    return paper.published or (str(paper.year) if paper.year else "")


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
