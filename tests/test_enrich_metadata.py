"""`atlas enrich`: missing authors, dates and categories are filled; nothing present is touched."""

from dataclasses import replace
from pathlib import Path

import pytest

from atlas.cli import main
from atlas.entry_yaml import dump_entry
from atlas.load import load_papers
from atlas.model import Paper

from conftest import REPO, entry
from import_helpers import ARXIV_QUERY, DAILY_PAPERS

GALORE_AUTHORS = ("Jiawei Zhao", "Zhenyu Zhang", "Beidi Chen", "Zhangyang Wang", "Anima Anandkumar", "Yuandong Tian")


def enrich(project, *args):
    return main(["--root", str(project.root), "enrich", *args])


def load(project) -> dict[str, Paper]:
    files = {f"data/papers/{p.name}": p.read_bytes() for p in project.papers_dir.glob("*.yaml")}
    papers, problems = load_papers(files)
    assert problems == []
    return {p.id: p for p in papers}


def test_every_seed_entry_round_trips_through_dump_entry_exactly():
    files = {f"data/papers/{p.name}": p.read_bytes() for p in (REPO / "data" / "papers").glob("*.yaml")}
    papers, _ = load_papers(files)
    assert papers and all(dump_entry(p) == files[p.source_path].decode() for p in papers)


def test_missing_fields_are_filled_from_an_atom_file(make_project, capsys):
    project = make_project({"galore.yaml": entry("galore", "GaLore", arxiv="'2403.03507'", tags="[method]")})
    assert enrich(project, "--from", str(ARXIV_QUERY)) == 0
    galore = load(project)["galore"]
    assert galore.authors == GALORE_AUTHORS
    assert (galore.published, galore.year, galore.categories) == ("2024-03-06", 2024, ("cs.LG",))
    out = capsys.readouterr().out
    assert "filled data/papers/galore.yaml\n    + authors: Jiawei Zhao, Zhenyu Zhang, Beidi Chen" in out
    assert "    + year: 2024\n    + published: 2024-03-06\n    + categories: cs.LG\n" in out
    assert out.rstrip().endswith("atlas enrich: 1 entries filled, 0 had nothing new, 0 without a record.")


def test_fields_a_human_wrote_are_never_overwritten(make_project, capsys):
    project = make_project({"galore.yaml": entry("galore", "GaLore", arxiv="'2403.03507'",
                                                 authors="[J. Zhao, et al.]", year=2023)})
    enrich(project, "--from", str(ARXIV_QUERY))
    galore = load(project)["galore"]
    assert galore.authors == ("J. Zhao", "et al.") and galore.year == 2023
    assert galore.published == "2024-03-06"
    assert "+ authors" not in capsys.readouterr().out


def test_a_hand_formatted_entry_keeps_every_line_and_gains_only_the_new_ones(make_project):
    text = ("# Curated by hand; keep this comment.\n" + entry("galore", "GaLore", arxiv="'2403.03507'",
                                                          tags="[method]  # reviewed"))
    project = make_project({"galore.yaml": text})
    enrich(project, "--from", str(ARXIV_QUERY))
    new = (project.papers_dir / "galore.yaml").read_text().splitlines()
    old = text.splitlines()
    assert [line for line in new if line in old] == old
    added = [line for line in new if line not in old]
    assert added == ["authors: [Jiawei Zhao, Zhenyu Zhang, Beidi Chen, Zhangyang Wang, Anima Anandkumar, Yuandong Tian]",
                     "year: 2024", "published: '2024-03-06'", "categories: [cs.LG]"]
    assert new.index(added[0]) == old.index("arxiv: '2403.03507'") + 1  # right after arxiv, in field order


def test_an_entry_written_by_the_importer_is_rewritten_exactly_as_dump_entry_would(make_project):
    paper = Paper(id="kivi", title="KIVI: A Tuning-Free Asymmetric 2bit Quantization for KV Cache",
                  abstract="A 2bit KV cache quantization. " * 8, arxiv="2402.02750", tags=("kv-cache",),
                  added="2026-11-27", source="hf-daily-papers", authors=("Zirui Liu",))
    project = make_project({"kivi.yaml": dump_entry(paper)})
    enrich(project, "--from", str(ARXIV_QUERY))
    expected = replace(paper, published="2024-02-05", year=2024, categories=("cs.CL", "cs.LG", "cs.PF"))
    assert (project.papers_dir / "kivi.yaml").read_text() == dump_entry(expected)


def test_enriching_twice_changes_nothing_the_second_time(make_project, capsys):
    project = make_project({"galore.yaml": entry("galore", "GaLore", arxiv="'2403.03507'")})
    enrich(project, "--from", str(ARXIV_QUERY))
    before = (project.papers_dir / "galore.yaml").read_bytes()
    capsys.readouterr()
    assert enrich(project, "--from", str(ARXIV_QUERY)) == 0
    assert (project.papers_dir / "galore.yaml").read_bytes() == before
    assert "already has authors, dates and categories" in capsys.readouterr().out


def test_daily_papers_responses_fill_authors_and_dates_but_not_categories(make_project, capsys):
    project = make_project({"kivi.yaml": entry("kivi", "KIVI", arxiv="'2402.02750'")})
    enrich(project, "--from", str(DAILY_PAPERS))
    kivi = load(project)["kivi"]
    assert kivi.authors[0] == "Zirui Liu" and kivi.published == "2024-02-05" and kivi.categories == ()


def test_entries_without_a_record_are_listed(make_project, capsys):
    project = make_project({"other.yaml": entry("other", "Other", arxiv="'2501.00001'")})
    enrich(project, "--from", str(ARXIV_QUERY))
    assert "no record in the responses for 1 entries: other" in capsys.readouterr().out


def test_dry_run_lists_but_writes_nothing(make_project, capsys):
    project = make_project({"galore.yaml": entry("galore", "GaLore", arxiv="'2403.03507'")})
    before = (project.papers_dir / "galore.yaml").read_bytes()
    enrich(project, "--from", str(ARXIV_QUERY), "--dry-run")
    assert (project.papers_dir / "galore.yaml").read_bytes() == before
    assert "would fill data/papers/galore.yaml" in capsys.readouterr().out


def test_without_from_the_arxiv_api_is_asked_once_per_batch(make_project, monkeypatch, capsys):
    import atlas.fetch

    asked = []

    def fake_fetch(url):
        asked.append(url)
        return ARXIV_QUERY.read_bytes()

    monkeypatch.setattr(atlas.fetch, "fetch", fake_fetch)  # cli imports it when it is used
    project = make_project({"galore.yaml": entry("galore", "GaLore", arxiv="'2403.03507'"),
                            "medusa.yaml": entry("medusa", "Medusa", arxiv="'2401.10774'")})
    assert enrich(project) == 0
    assert asked == ["https://export.arxiv.org/api/query?id_list=2401.10774%2C2403.03507&max_results=2"]
    assert load(project)["medusa"].authors[-1] == "Tri Dao"


def test_named_entries_only(make_project):
    project = make_project({"galore.yaml": entry("galore", "GaLore", arxiv="'2403.03507'"),
                            "medusa.yaml": entry("medusa", "Medusa", arxiv="'2401.10774'")})
    enrich(project, "--from", str(ARXIV_QUERY), "medusa")
    papers = load(project)
    assert papers["medusa"].authors and not papers["galore"].authors
