"""Importing a digest: page chrome skipped, ids made, links and arXiv ids filled, duplicates skipped."""

from pathlib import Path

from atlas.cli import main
from atlas.digest import parse_digest
from atlas.identity import find_aliases, make_id, normalize_title
from atlas.importer import Candidate, plan_import, read_arxiv_ids

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "digests" / "trending-papers.txt"
LONG = "We propose FooNet, a method for faster inference. " * 6


def test_digest_chrome_is_skipped_and_every_seed_paper_is_found():
    parsed = parse_digest(SEED.read_text(encoding="utf-8"), "seed.txt")
    assert len(parsed.items) == 71
    assert parsed.chrome[:2] == ("new", "Get trending papers in your email inbox!")
    assert parsed.problems == ()
    assert parsed.items[0].title.startswith("How far is Language Model")


def test_a_paragraph_that_is_not_a_paper_after_the_first_paper_is_an_error_not_dropped():
    text = f"Title One\n\n{LONG}\n\nstray line\n\nanother stray\n"
    parsed = parse_digest(text, "d.txt")
    assert len(parsed.items) == 1
    assert [p.line for p in parsed.problems] == [5, 7]
    assert all(p.path == "d.txt" and p.field == "digest" for p in parsed.problems)


def test_ids_come_from_the_short_name_before_the_colon():
    assert make_id("GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection") == "galore"
    assert make_id("Q-GaLore: Quantized GaLore with INT4 Projection") == "q-galore"
    assert make_id("LLM in a flash: Efficient Large Language Model Inference with Limited Memory") == "llm-in-a-flash"
    assert make_id("Mélange: Cost Efficient Large Language Model Serving") == "melange"


def test_ids_without_a_colon_take_the_first_words_without_edge_stopwords():
    assert make_id("Scalable MatMul-free Language Modeling") == "scalable-matmul-free-language-modeling"
    assert make_id("A Comprehensive Survey of Small Language Models in the Era") == "comprehensive-survey-of-small"


def test_normalized_titles_ignore_case_accents_form_and_spacing():
    assert normalize_title("Me\u0301lange:  Cost  Efficient") == normalize_title("MÉLANGE: cost efficient")


def test_aliases_are_found_from_title_and_we_propose_phrases():
    assert find_aliases("DistServe: Disaggregating Prefill and Decoding",
                        "In this paper we propose DistServe, which disaggregates ...") == ["DistServe"]
    assert find_aliases("Some Long Title Without Colon", "we introduce GReaTer, a method") == ["GReaTer"]
    assert find_aliases("Title", "we propose Self-Controlled memory, LLM-based agents") == []


def test_plan_cleans_links_and_fills_arxiv_ids():
    table = read_arxiv_ids("title\tarxiv_id\nFooNet: Fast Things\t2401.00001\nNo Id Paper\t\n")
    plan = plan_import([Candidate("FooNet: Fast Things", LONG + "Code: https://github.com/x/FooNet.")],
                       [], None, arxiv_ids=table, added="2026-11-27", source="test")
    paper = plan.new[0].paper
    assert (paper.id, paper.arxiv, paper.links) == ("foonet", "2401.00001", (("code", "https://github.com/x/FooNet"),))
    assert paper.aliases == ("FooNet",)


def test_importing_the_seed_twice_changes_no_file(tmp_path):
    root = tmp_path / "atlas"
    (root / "data" / "papers").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: t\n")
    (root / "data" / "taxonomy.yaml").write_bytes((REPO / "data" / "taxonomy.yaml").read_bytes())
    args = ["--root", str(root), "import", str(SEED), "--added", "2026-11-27"]
    assert main(args) == 0
    first = {p.name: p.read_bytes() for p in (root / "data" / "papers").iterdir()}
    assert len(first) == 71
    assert main(args) == 0
    assert {p.name: p.read_bytes() for p in (root / "data" / "papers").iterdir()} == first


def test_the_committed_seed_entries_are_all_71_digest_papers_with_arxiv_ids_where_known():
    parsed = parse_digest(SEED.read_text(encoding="utf-8"), "seed")
    table = read_arxiv_ids((REPO / "data" / "digests" / "arxiv-ids.tsv").read_text(encoding="utf-8"))
    entries = sorted((REPO / "data" / "papers").glob("*.yaml"))
    assert len(entries) == len(parsed.items) == 71
    assert len(table) == 69
    texts = "\n".join(p.read_text(encoding="utf-8") for p in entries)
    assert all(f"arxiv: '{arxiv}'" in texts for arxiv in table.values())
