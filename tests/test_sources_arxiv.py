"""arXiv Atom responses become candidates with authors, first-version date and categories."""

from atlas.sources_arxiv import batches, parse_arxiv_atom, query_url

from import_helpers import ARXIV_QUERY

FEED = b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">%s</feed>'


def test_recorded_response_gives_ids_without_version_and_clean_text():
    read = parse_arxiv_atom(ARXIV_QUERY.read_bytes(), "arxiv_query.atom")
    assert [c.arxiv for c in read.candidates] == ["2403.03507", "2402.02750", "2401.10774"]
    medusa = read.candidates[2]
    assert medusa.title == "Medusa: Simple LLM Inference Acceleration Framework with Multiple Decoding Heads"
    assert medusa.abstract.startswith("Large Language Models (LLMs) employ auto-regressive decoding that requires sequential")
    assert "\n" not in medusa.abstract and not medusa.abstract.endswith(" ")
    assert medusa.authors[0] == "Tianle Cai" and medusa.authors[-1] == "Tri Dao" and len(medusa.authors) == 7
    assert medusa.published == "2024-01-19"


def test_primary_category_comes_first_and_acm_classes_are_left_out():
    read = parse_arxiv_atom(ARXIV_QUERY.read_bytes(), "arxiv_query.atom")
    assert read.candidates[1].categories == ("cs.CL", "cs.LG", "cs.PF")
    assert read.candidates[2].categories == ("cs.LG", "cs.CL")


def test_api_error_entry_is_skipped_with_arxivs_message():
    body = (b"<entry><id>http://arxiv.org/api/errors#incorrect_id_format_for_1234</id><title>Error</title>"
            b"<summary>incorrect id format for 1234</summary></entry>")
    read = parse_arxiv_atom(FEED % body, "q.atom")
    assert read.candidates == ()
    assert read.skipped == (("q.atom #1", "Error", "arXiv answered 'incorrect id format for 1234'"),)


def test_old_style_ids_are_recognised():
    body = (b"<entry><id>http://arxiv.org/abs/hep-th/9901001v1</id><title>Old</title>"
            b"<summary>An old paper.</summary><published>1999-01-01T00:00:00Z</published></entry>")
    assert parse_arxiv_atom(FEED % body, "q.atom").candidates[0].arxiv == "hep-th/9901001"


def test_documents_declaring_entities_are_refused():
    bomb = b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY a "aaaa">]><feed xmlns="http://www.w3.org/2005/Atom"/>'
    read = parse_arxiv_atom(bomb, "q.atom")
    assert read.problems and read.problems[0].message == "declares a DTD or entities"


def test_broken_xml_is_an_error_with_its_line():
    read = parse_arxiv_atom(b'<?xml version="1.0"?>\n<feed>\n<entry>', "q.atom")
    assert read.problems[0].line == 3 and "not valid XML" in read.problems[0].message


def test_query_url_asks_for_exactly_the_ids_given():
    assert query_url(["2403.03507", "2401.10774"]) == (
        "https://export.arxiv.org/api/query?id_list=2403.03507%2C2401.10774&max_results=2")


def test_ids_are_asked_for_in_batches():
    assert [len(b) for b in batches([str(i) for i in range(120)])] == [50, 50, 20]
