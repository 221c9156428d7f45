"""BibTeX: one @misc per paper, values that can never break out of their field."""

from __future__ import annotations

import re

from atlas.bibtex import bibtex_entry, bibtex_file, bibtex_text, paper_year
from atlas.model import Paper


def paper(**fields) -> Paper:
    fields.setdefault("id", "galore")
    fields.setdefault("title", "GaLore: Memory-Efficient LLM Training")
    return Paper(abstract="An abstract.", **fields)


def fields_of(entry: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+)\s*= \{(.*)\},?$", entry, re.M))


def test_arxiv_entry_is_misc_with_eprint_archive_prefix_and_primary_class():
    entry = bibtex_entry(paper(arxiv="2403.03507", categories=("cs.LG", "cs.CL")))
    assert entry.startswith("@misc{galore,\n")
    fields = fields_of(entry)
    assert fields["eprint"] == "2403.03507"
    assert fields["archivePrefix"] == "arXiv"
    assert fields["primaryClass"] == "cs.LG"
    assert fields["url"] == "https://arxiv.org/abs/2403.03507"


def test_title_is_double_braced_to_keep_its_capitals():
    assert fields_of(bibtex_entry(paper()))["title"] == "{GaLore: Memory-Efficient LLM Training}"


def test_authors_are_joined_with_and_and_venue_is_howpublished():
    fields = fields_of(bibtex_entry(paper(authors=("Jiawei Zhao", "Zhenyu Zhang"), year=2024, venue="ICML 2024")))
    assert fields["author"] == "Jiawei Zhao and Zhenyu Zhang"
    assert fields["year"] == "2024"
    assert fields["howpublished"] == "ICML 2024"


def test_no_arxiv_id_means_no_eprint_fields():
    entry = bibtex_entry(paper(links=(("code", "https://github.com/x/y"),)))
    assert "eprint" not in entry and "archivePrefix" not in entry
    assert fields_of(entry)["url"] == "https://github.com/x/y"


def test_page_url_is_the_url_of_last_resort():
    assert fields_of(bibtex_entry(paper(), page_url="https://atlas.example/papers/galore/"))["url"] == \
        "https://atlas.example/papers/galore/"


def test_every_bibtex_special_is_escaped():
    assert bibtex_text(r"50% of $x_1$ & #2 ~ a^b \o") == \
        r"50\% of \$x\_1\$ \& \#2 \textasciitilde{} a\textasciicircum{}b \textbackslash{}o"


def test_a_closing_brace_in_a_title_cannot_end_the_field():
    entry = bibtex_entry(paper(title="Evil}, note = {injected"))
    # Unescaped braces stay balanced: the only fields are the ones the atlas wrote.
    unescaped = re.sub(r"\\[{}]", "", entry)
    assert unescaped.count("{") == unescaped.count("}")
    assert set(fields_of(entry)) == {"title"}
    assert r"Evil\}, note = \{injected" in entry


def test_newlines_in_values_collapse_to_one_line():
    assert bibtex_text("two\n  lines") == "two lines"


def test_year_comes_from_year_then_published_then_new_style_arxiv_id():
    assert paper_year(paper(year=2023, published="2024-05-01", arxiv="2501.00001")) == 2023
    assert paper_year(paper(published="2024-05-01", arxiv="2501.00001")) == 2024
    assert paper_year(paper(arxiv="2501.00001")) == 2025
    assert paper_year(paper(arxiv="hep-th/9901001")) is None
    assert paper_year(paper()) is None


def test_bib_file_lists_entries_sorted_by_id_after_a_comment():
    text = bibtex_file([paper(id="zeta"), paper(id="alpha")], "Paper Atlas: 2 papers")
    assert text.startswith("@comment{Paper Atlas: 2 papers}\n")
    assert [m for m in re.findall(r"^@misc\{([\w-]+),", text, re.M)] == ["alpha", "zeta"]
