"""Entries written by the importer read back exactly, and committed entries are valid."""

import pytest

from atlas.entry_yaml import dump_entry
from atlas.model import Paper
from atlas.schema import validate_entry
from atlas.yamlsafe import read_yaml

TRICKY = [
    "GaLore: a * test | <script>alert(1)</script> & [x](javascript:alert(1))",
    "no", "2026-11-20", "0123", "Training \\times 'quotes' \"double\" # not a comment: colon",
    "Ünïcode — em dash · middot × times ~ tilde",
]


@pytest.mark.parametrize("text", TRICKY)
def test_any_title_and_abstract_round_trip_through_an_entry_file(text):
    paper = Paper(id="x", title=text, abstract=(text + " ") * 20 + "end.", arxiv="2403.03507",
                  aliases=(text[:10],), tags=("method",), added="2026-11-27", source="test")
    doc, problems = read_yaml(dump_entry(paper).encode("utf-8"), "x.yaml")
    assert problems == []
    loaded, problems = validate_entry(doc, "x.yaml", "x")
    assert problems == []
    assert (loaded.title, loaded.abstract, loaded.aliases, loaded.arxiv, loaded.added) == \
        (" ".join(text.split()), paper.abstract.strip(), paper.aliases, "2403.03507", "2026-11-27")


def test_every_committed_entry_starts_with_the_schema_comment(repo_project):
    for path in sorted(repo_project.papers_dir.glob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../paper.schema.json\n"), path


def test_the_taxonomy_may_nest_tagger_rules_deeper_than_an_entry_may(make_project):
    from atlas.load import load_taxonomy
    from atlas.yamlsafe import read_yaml

    taxonomy = (b"facets:\n  - id: stage\n    name: Stage\n    tags:\n      - id: serving\n        name: Serving\n"
                b"        description: Serving.\n        rules:\n          phrases: [llm serving]\n")
    loaded, problems = load_taxonomy(taxonomy, "data/taxonomy.yaml")
    assert not problems and loaded.rules["serving"] == {"phrases": ["llm serving"]}
    _, problems = read_yaml(taxonomy, "data/papers/x.yaml")
    assert [p.message for p in problems] == ["nesting deeper than 6 levels"]
