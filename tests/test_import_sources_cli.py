"""`atlas import SOURCE` for Daily Papers and arXiv responses: new entries, no duplicates, a summary."""

import pytest

from atlas.cli import main
from atlas.import_sources import read_source
from atlas.load import load_papers

from conftest import REPO, entry
from import_helpers import ARXIV_QUERY, DAILY_PAPERS, copy_scope_without_confidence


@pytest.fixture
def project(make_project):
    """An atlas holding GaLore (without authors), with the real scope phrases."""
    project = make_project({"galore.yaml": entry("galore", "GaLore: Memory-Efficient LLM Training by Gradient "
                                                 "Low-Rank Projection", arxiv="'2403.03507'", tags="[method]")})
    copy_scope_without_confidence(project)
    return project


def run(project, *args):
    return main(["--root", str(project.root), "import", *args, "--added", "2026-11-27"])


def entries(project):
    files = {f"data/papers/{p.name}": p.read_bytes() for p in sorted(project.papers_dir.glob("*.yaml"))}
    papers, problems = load_papers(files)
    assert problems == []
    return {p.id: p for p in papers}, files


def test_daily_papers_import_adds_in_scope_papers_with_authors_and_dates(project, capsys):
    assert run(project, str(DAILY_PAPERS)) == 0
    papers, _ = entries(project)
    assert sorted(papers) == ["eagle", "galore", "kivi"]
    kivi = papers["kivi"]
    assert kivi.arxiv == "2402.02750"
    assert kivi.authors == ("Zirui Liu", "Jiayi Yuan", "Hongye Jin", "Beidi Chen", "Xia Hu")
    assert (kivi.published, kivi.year) == ("2024-02-05", 2024)
    assert kivi.source == "hf-daily-papers" and kivi.added == "2026-11-27"
    assert kivi.link_map == {"code": "https://github.com/jy-yuan/KIVI"}
    assert "2.35×" in kivi.abstract  # LaTeX from the feed is cleaned like a digest's
    out = capsys.readouterr().out
    assert "duplicate, skipped: 'GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection'" in out
    assert ("out of scope, skipped: 'Language-Conditioned Grasping for Household Robots' "
            "(" + str(DAILY_PAPERS) + " #4 arXiv 2403.01234 (9 upvotes)): excluded phrases 'robot', 'robotic'") in out
    assert "'Sharper Video Diffusion with Temporal Guidance'" in out
    assert "no include phrase from data/scope.yaml appears" in out
    assert out.rstrip().endswith("atlas import: 2 new, 1 duplicates, 2 out of scope.")


def test_reimporting_the_same_response_changes_nothing(project, capsys):
    run(project, str(DAILY_PAPERS))
    _, before = entries(project)
    capsys.readouterr()
    assert run(project, str(DAILY_PAPERS)) == 0
    _, after = entries(project)
    assert after == before
    assert "atlas import: 0 new, 3 duplicates, 2 out of scope." in capsys.readouterr().out


def test_arxiv_import_adds_authors_dates_and_primary_category_first(project, capsys):
    assert run(project, str(ARXIV_QUERY)) == 0
    papers, _ = entries(project)
    assert sorted(papers) == ["galore", "kivi", "medusa"]
    medusa = papers["medusa"]
    assert medusa.categories == ("cs.LG", "cs.CL")
    assert medusa.authors[:2] == ("Tianle Cai", "Yuhong Li") and (medusa.published, medusa.year) == ("2024-01-19", 2024)
    assert medusa.source == "arxiv"
    assert "out of scope" not in capsys.readouterr().out  # ids asked for by name are not filtered


def test_arxiv_after_daily_papers_finds_the_same_papers_by_id(project, capsys):
    run(project, str(DAILY_PAPERS))
    run(project, str(ARXIV_QUERY))
    papers, before = entries(project)
    assert sorted(papers) == ["eagle", "galore", "kivi", "medusa"]
    out = capsys.readouterr().out
    assert "is already kivi (same arXiv id 2402.02750)" in out
    run(project, str(ARXIV_QUERY))
    assert entries(project)[1] == before


def test_dry_run_prints_the_pull_request_summary_and_writes_nothing(project, capsys):
    assert run(project, str(DAILY_PAPERS), "--dry-run") == 0
    assert sorted(entries(project)[0]) == ["galore"]
    out = capsys.readouterr().out
    summary = out.split("--- pull request summary ---\n", 1)[1]
    assert "2 new, 1 already in the atlas, 2 out of scope, 0 unreadable (format: daily-papers)." in summary
    assert "| Paper | Suggested tags | Why it is in scope |" in summary
    kivi_row = next(line for line in summary.splitlines() if "KIVI" in line)
    assert "[KIVI: A Tuning\\-Free" not in kivi_row  # hyphens stay readable
    assert "`data/papers/kivi.yaml` · Zirui Liu et al. · 2024-02-05" in kivi_row
    assert "mentions 'language models', 'LLMs'" in kivi_row
    assert "- Language-Conditioned Grasping for Household Robots — excluded phrases 'robot', 'robotic'" in summary


def test_summary_file_holds_the_same_text_as_the_dry_run(project, capsys, tmp_path):
    run(project, str(DAILY_PAPERS), "--dry-run", "--summary", str(tmp_path / "summary.md"))
    printed = capsys.readouterr().out.split("--- pull request summary ---\n", 1)[1]
    assert (tmp_path / "summary.md").read_text() == printed


def test_no_scope_imports_everything_new(project):
    run(project, str(DAILY_PAPERS), "--no-scope")
    assert len(entries(project)[0]) == 5


def test_missing_scope_file_is_an_error_with_the_fix(project, capsys):
    (project.root / "data" / "scope.yaml").unlink()
    assert run(project, str(DAILY_PAPERS)) == 1
    assert "data/scope.yaml: file: is missing — create it" in capsys.readouterr().err


def test_missing_source_file_is_reported_not_raised(project, capsys):
    assert run(project, "nowhere.json") == 1
    assert "nowhere.json: source: file not found" in capsys.readouterr().err


def test_arxiv_shorthand_and_urls_go_through_the_fetcher():
    asked = []

    def fake_fetch(url):
        asked.append(url)
        return ARXIV_QUERY.read_bytes()

    fmt, read = read_source("arxiv:2403.03507,2401.10774", fetcher=fake_fetch)
    assert asked == ["https://export.arxiv.org/api/query?id_list=2403.03507%2C2401.10774&max_results=2"]
    assert fmt == "arxiv" and len(read.candidates) == 3
    fmt, _ = read_source("https://huggingface.co/api/daily_papers",
                         fetcher=lambda url: DAILY_PAPERS.read_bytes())
    assert fmt == "daily-papers"


def test_the_seed_digest_is_still_recognised_as_a_digest(repo_project):
    fmt, read = read_source(str(REPO / "data" / "digests" / "trending-papers.txt"))
    assert fmt == "digest" and len(read.candidates) == 71 and read.arxiv_ids


def test_the_daily_workflow_call_imports_from_the_url_and_writes_the_summary(project, monkeypatch, tmp_path):
    import atlas.import_sources

    monkeypatch.setattr(atlas.import_sources, "fetch", lambda url: DAILY_PAPERS.read_bytes())
    summary = tmp_path / "import-summary.md"
    assert main(["--root", str(project.root), "import", "https://huggingface.co/api/daily_papers",
                 "--summary", str(summary)]) == 0
    assert sorted(entries(project)[0]) == ["eagle", "galore", "kivi"]
    assert summary.read_text().startswith("## Paper import from https://huggingface.co/api/daily\\_papers\n")
    assert entries(project)[0]["kivi"].source == "hf-daily-papers"


def test_a_digest_that_starts_with_a_bracket_is_still_a_digest(tmp_path):
    from atlas.import_sources import detect_format

    assert detect_format(b"[Trending] papers of the day\n\nA Title\n\n" + b"x " * 150) == "digest"
    assert detect_format(DAILY_PAPERS.read_bytes()) == "daily-papers"
    assert detect_format(ARXIV_QUERY.read_bytes()) == "arxiv"


def test_format_can_be_named_when_the_content_is_ambiguous(project, capsys):
    assert run(project, str(DAILY_PAPERS), "--format", "arxiv") == 1
    assert "xml: not valid XML" in capsys.readouterr().err
