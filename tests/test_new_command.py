"""`atlas new` writes one entry that passes `atlas check`, and refuses duplicates."""

from __future__ import annotations

import io

from atlas.build import load_inputs
from atlas.cli import main
from conftest import entry

TAXONOMY = """\
facets:
  - id: technique
    name: Technique
    tags:
      - id: quantization
        name: Quantization
        description: Low-bit weights.
        rules: {phrases: [quantizes, quantization]}
      - id: pruning
        name: Pruning
        description: Removing weights.
        rules: {phrases: [pruning]}
"""
TITLE = "FlashKV: Fast KV-Cache Compression for Long-Context LLM Inference"
ABSTRACT = ("Large language models spend most of their decoding time reading the key-value cache. We propose "
            "FlashKV, a method that quantizes the KV cache to 2 bits with per-channel scales, cutting memory by "
            "6.0\\times and speeding up inference. Code is at https://github.com/example/flashkv.")


def run(project, *args, stdin: str | None = None, monkeypatch=None) -> int:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["--root", str(project.root), "new", "--added", "2026-11-27", *args])


def test_new_entry_is_written_cleaned_linked_and_tagged(make_project, capsys):
    project = make_project({}, taxonomy=TAXONOMY)
    assert run(project, "--title", TITLE, "--abstract", ABSTRACT) == 0
    out = capsys.readouterr().out
    text = (project.papers_dir / "flashkv.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=../paper.schema.json\nid: flashkv\n")
    assert "links:\n  code: https://github.com/example/flashkv\n" in text
    assert "tags: [quantization]\n" in text
    assert "6.0×" in text and "\\times" not in text
    assert "aliases: [FlashKV]\n" in text
    assert "tag quantization ('quantizes'" in out
    assert "wrote data/papers/flashkv.yaml" in out
    inputs, problems = load_inputs(project)
    assert problems == [] and [p.id for p in inputs.papers] == ["flashkv"]


def test_new_entry_from_a_digest_snippet_on_stdin(make_project, monkeypatch, capsys):
    project = make_project({}, taxonomy=TAXONOMY)
    assert run(project, "--from", "-", stdin=f"{TITLE}\n\n{ABSTRACT}\n", monkeypatch=monkeypatch) == 0
    assert (project.papers_dir / "flashkv.yaml").is_file()


def test_dry_run_prints_the_entry_and_writes_nothing(make_project, capsys):
    project = make_project({}, taxonomy=TAXONOMY)
    assert run(project, "--dry-run", "--title", TITLE, "--abstract", ABSTRACT, "--arxiv", "2511.00001") == 0
    out = capsys.readouterr().out
    assert "arxiv: '2511.00001'\n" in out
    assert not any(project.papers_dir.iterdir())


def test_a_paper_already_in_the_atlas_is_refused(make_project, capsys):
    project = make_project({"flashkv.yaml": entry("flashkv", TITLE)}, taxonomy=TAXONOMY)
    assert run(project, "--title", TITLE.upper(), "--abstract", ABSTRACT) == 1
    err = capsys.readouterr().err
    assert "is already in the atlas: flashkv (same title)" in err
    assert sorted(p.name for p in project.papers_dir.iterdir()) == ["flashkv.yaml"]


def test_a_taken_or_reserved_id_is_refused(make_project, capsys):
    project = make_project({"flashkv.yaml": entry("flashkv", "Something Else Entirely")}, taxonomy=TAXONOMY)
    assert run(project, "--id", "flashkv", "--title", TITLE, "--abstract", ABSTRACT) == 1
    assert run(project, "--id", "index", "--title", TITLE, "--abstract", ABSTRACT) == 1
    assert run(project, "--id", "../evil", "--title", TITLE, "--abstract", ABSTRACT) == 1
    assert sorted(p.name for p in project.papers_dir.iterdir()) == ["flashkv.yaml"]
    assert run(project, "--title", TITLE, "--abstract", ABSTRACT) == 0
    assert (project.papers_dir / "flashkv-2.yaml").is_file()


def test_an_entry_the_checks_would_reject_is_not_written(make_project, capsys):
    project = make_project({}, taxonomy=TAXONOMY)
    assert run(project, "--title", TITLE, "--abstract", ABSTRACT, "--link", "code=javascript:alert(1)") == 1
    assert "links.code: URL has 'javascript:'" in capsys.readouterr().err
    assert not any(project.papers_dir.iterdir())


def test_without_title_and_abstract_it_explains_what_to_give(make_project, capsys):
    project = make_project({}, taxonomy=TAXONOMY)
    assert run(project, "--title", TITLE) == 1
    assert "give --title and --abstract, or --from a digest snippet" in capsys.readouterr().err


def test_a_paper_with_a_known_arxiv_id_is_refused(make_project, capsys):
    project = make_project({"other.yaml": entry("other", "Another Title Entirely", arxiv="'2511.00001'")},
                           taxonomy=TAXONOMY)
    assert run(project, "--arxiv", "2511.00001", "--title", TITLE, "--abstract", ABSTRACT) == 1
    assert "is already in the atlas: other (same arXiv id 2511.00001)" in capsys.readouterr().err
