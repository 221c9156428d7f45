"""Hugging Face Daily Papers responses become candidates; odd items are skipped with a reason."""

import json

from atlas.sources_hf import parse_daily_papers

from import_helpers import DAILY_PAPERS


def _read(items):
    return parse_daily_papers(json.dumps(items).encode(), "daily.json")


def test_recorded_response_gives_every_paper_with_authors_date_and_links():
    read = parse_daily_papers(DAILY_PAPERS.read_bytes(), "daily_papers.json")
    assert [c.arxiv for c in read.candidates] == ["2403.03507", "2402.02750", "2401.15077", "2403.01234", "2403.05678"]
    eagle = read.candidates[2]
    assert eagle.title == "EAGLE: Speculative Sampling Requires Rethinking Feature Uncertainty"
    assert eagle.authors == ("Yuhui Li", "Fangyun Wei", "Chao Zhang", "Hongyang Zhang")
    assert eagle.published == "2024-01-26"
    assert dict(eagle.links) == {"code": "https://github.com/SafeAILab/EAGLE",
                                 "project": "https://sites.google.com/view/eagle-llm"}
    assert "17 upvotes" in eagle.origin
    assert read.skipped == () and read.problems == ()


def test_summary_whitespace_is_collapsed_to_one_paragraph():
    read = _read([{"paper": {"id": "2402.02750", "title": "T", "summary": "line one\n  line two"}}])
    assert read.candidates[0].abstract == "line one line two"


def test_item_without_an_arxiv_id_is_skipped_with_the_reason():
    read = _read([{"paper": {"id": "not-an-id", "title": "A Paper", "summary": "Text."}}])
    assert read.candidates == ()
    assert read.skipped == (("daily.json #1", "A Paper", "paper.id 'not-an-id' is not an arXiv id"),)


def test_unsafe_project_page_is_dropped_not_published():
    read = _read([{"paper": {"id": "2402.02750", "title": "T", "summary": "S",
                             "projectPage": "javascript:alert(1)", "githubRepo": ""}}])
    assert read.candidates[0].links == ()


def test_a_response_that_is_not_a_list_is_an_error_naming_the_file():
    read = parse_daily_papers(b'{"error": "rate limited"}', "daily.json")
    assert [str(p) for p in read.problems] == [
        "daily.json: json: expected a list of daily papers — pass the body of https://huggingface.co/api/daily_papers"]


def test_invalid_json_is_an_error_with_its_line():
    read = parse_daily_papers(b'[\n{"paper": ', "daily.json")
    assert read.problems[0].line == 2 and "not valid JSON" in read.problems[0].message
