"""`atlas eval-links`: the expert pairs file, the measures, and the targets on the seed."""

import pytest
import yaml

from atlas.build import build_atlas
from atlas.cli import main
from atlas.linkeval import ExpertPair, evaluate_links, read_expert_pairs
from atlas.model import Atlas, EnrichedPaper, Paper, RelatedLink, Taxonomy

from conftest import REPO, entry

PAIRS_PATH = REPO / "tests" / "data" / "expected_links.yaml"


@pytest.fixture(scope="module")
def seed_atlas(repo_project):
    return build_atlas(repo_project)


def test_the_expert_pairs_file_is_complete(seed_atlas):
    pairs, problems = read_expert_pairs(PAIRS_PATH.read_bytes(), "tests/data/expected_links.yaml",
                                        {item.paper.id for item in seed_atlas.papers})
    assert problems == []
    assert len(pairs) >= 25
    assert all(p.reason for p in pairs)
    assert 0 < sum(p.holdout for p in pairs) < len(pairs) / 3


def test_unknown_ids_and_missing_reasons_are_reported_with_their_line():
    raw = b"pairs:\n  - a: galore\n    b: nope\n    reason: x\n    holdout: false\n  - a: galore\n    b: q-galore\n    holdout: no\n"
    _, problems = read_expert_pairs(raw, "pairs.yaml", {"galore", "q-galore"})
    assert [(p.line, p.field) for p in problems] == [(3, "b"), (6, "reason")]


def _atlas(links: dict[str, list[str]], tags: dict[str, tuple[str, ...]]) -> Atlas:
    return Atlas(papers=tuple(
        EnrichedPaper(paper=Paper(id=pid, title=pid, abstract="", tags=tags[pid]),
                      related=tuple(RelatedLink(o, 0.6, (), ()) for o in links.get(pid, [])))
        for pid in sorted(tags)), taxonomy=Taxonomy(facets=()))


def test_a_pair_counts_when_linked_in_either_direction_and_holdout_is_apart():
    atlas = _atlas({"a": ["b"]}, {"a": ("quantization",), "b": ("quantization",), "c": ("method",)})
    report = evaluate_links(atlas, [ExpertPair("b", "a", "r", False), ExpertPair("a", "c", "r", True)])
    assert (report.tuning.hits, report.tuning.total) == (1, 1)
    assert (report.holdout.hits, report.holdout.total) == (0, 1)
    assert report.missed == (ExpertPair("a", "c", "r", True),)


def test_generic_contribution_tags_do_not_count_as_shared():
    atlas = _atlas({"a": ["b", "c"]}, {"a": ("method", "fpga"), "b": ("method",), "c": ("fpga", "system")})
    report = evaluate_links(atlas, [])
    assert (report.tag_precision.hits, report.tag_precision.total) == (1, 2)
    assert report.untagged_links == (("a", "b"),)


def test_the_seed_meets_the_targets(seed_atlas):
    pairs, _ = read_expert_pairs(PAIRS_PATH.read_bytes(), "x", {item.paper.id for item in seed_atlas.papers})
    report = evaluate_links(seed_atlas, pairs)
    assert report.tuning.percent >= 85
    assert (report.tuning.hits + report.holdout.hits) / len(pairs) >= 0.85
    assert report.tag_precision.percent >= 90
    assert report.strong_reciprocated.percent == 100


def test_eval_links_command_prints_the_table(make_project, capsys):
    project = make_project({
        "alpha.yaml": entry("alpha", "Alpha: KV Cache Eviction", tags="[inference, kv-cache]"),
        "beta.yaml": entry("beta", "Beta: KV Cache Compression", tags="[inference, kv-cache]"),
    })
    pairs = project.root / "pairs.yaml"
    pairs.write_text(yaml.safe_dump({"pairs": [{"a": "alpha", "b": "beta", "reason": "both KV", "holdout": False}]}))
    assert main(["--root", str(project.root), "eval-links", "--pairs", str(pairs)]) == 0
    out = capsys.readouterr().out
    rows = {line.rsplit("  ", 1)[0].strip(): line.rsplit("  ", 1)[1] for line in out.splitlines()[2:10]}
    assert rows["expert pairs linked (tuning)"] == "1/1 = 100.0%"
    assert rows["expert pairs linked (holdout)"] == "0/0 = 0.0%"


def test_eval_links_reports_a_broken_pairs_file(make_project, capsys):
    project = make_project({"alpha.yaml": entry("alpha")})
    pairs = project.root / "pairs.yaml"
    pairs.write_text("pairs:\n  - a: alpha\n    b: ghost\n    reason: r\n    holdout: false\n")
    assert main(["--root", str(project.root), "eval-links", "--pairs", str(pairs)]) == 1
    assert "'ghost' is not a paper id" in capsys.readouterr().err
