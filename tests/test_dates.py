"""Publication dates order the pages; "new this week" is counted from the atlas's own newest date."""

from atlas.build import build_pages
from atlas.dates import latest_date, new_this_week, newest_first
from atlas.model import EnrichedPaper, Paper

from conftest import entry


def item(id, added=None, published=None, year=None, arxiv=None):
    return EnrichedPaper(Paper(id=id, title=id, abstract="a", added=added, published=published, year=year,
                               arxiv=arxiv))


def ids(items):
    return [i.paper.id for i in items]


def test_newest_publication_first_then_bare_years_then_undated_by_id():
    items = [item("b"), item("old", published="2019-05-01"), item("new", published="2024-03-06"),
             item("year-only", year=2024), item("a")]
    assert ids(newest_first(items)) == ["new", "year-only", "old", "a", "b"]


def test_an_arxiv_id_dates_a_paper_without_a_publication_date_to_its_month():
    items = [item("a-2024-02", arxiv="2402.00001"), item("b-2025-01", arxiv="2501.00002"),
             item("c-2024-11", arxiv="2411.12345"), item("d-exact", published="2024-11-20", arxiv="2411.00001"),
             item("e-old-style", arxiv="hep-th/9901001", year=2023), item("f-undated")]
    assert ids(newest_first(items)) == ["b-2025-01", "d-exact", "c-2024-11", "a-2024-02", "e-old-style", "f-undated"]


def test_a_curated_year_outranks_an_arxiv_id_from_another_year():
    # A 2024 conference paper first posted in December 2023 sorts as 2024, as its page says.
    items = [item("posted-2023", arxiv="2312.00001", year=2024), item("posted-2024-06", arxiv="2406.00001"),
             item("posted-2023-only", arxiv="2312.00002")]
    assert ids(newest_first(items)) == ["posted-2024-06", "posted-2023", "posted-2023-only"]


def test_new_this_week_is_measured_from_the_newest_date_in_the_atlas_not_the_clock():
    items = [item("fresh", added="2024-03-10"), item("six-days", added="2024-03-04"),
             item("eight-days", added="2024-03-02"), item("recent-paper", added="2023-01-01", published="2024-03-08")]
    assert latest_date(items).isoformat() == "2024-03-10"
    assert ids(new_this_week(items)) == ["fresh", "recent-paper", "six-days"]


def test_an_atlas_without_dates_has_nothing_new():
    assert new_this_week([item("a"), item("b")]) == []


def test_pages_list_papers_newest_first_and_home_shows_new_this_week(make_project):
    project = make_project({
        "older.yaml": entry("older", "Older KV Cache Paper", published="'2023-01-10'", added="'2024-01-01'",
                            tags="[kv-cache]"),
        "newer.yaml": entry("newer", "Newer KV Cache Paper", published="'2024-03-06'", added="'2024-03-07'",
                            tags="[kv-cache]"),
        "a-undated.yaml": entry("a-undated", "Undated KV Cache Paper", tags="[kv-cache]"),
    })
    _, pages = build_pages(project)
    for page in ("papers/index.md", "tags/kv-cache.md"):
        text = pages[page]
        assert text.index("Newer KV Cache Paper") < text.index("Older KV Cache Paper") < text.index("Undated KV")
    home = pages["index.md"]
    section = home.split("## New this week", 1)[1].split("##", 1)[0]
    assert "1 paper added or published in the week up to 2024&#45;03&#45;07:" in section
    assert "[Newer KV Cache Paper](papers/newer.md) — published 2024&#45;03&#45;06" in section
    assert "Older" not in section
