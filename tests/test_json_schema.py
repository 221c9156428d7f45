"""The published JSON Schema is generated from the checker's own field list, and committed."""

from __future__ import annotations

import json
import re

from atlas.cli import main
from atlas.load import load_taxonomy
from atlas.schema import FIELDS, URL_PATTERN, json_schema_text
from atlas.urls import url_problem
from conftest import REPO

SCHEMA_PATH = REPO / "data" / "paper.schema.json"


def test_committed_schema_equals_the_generated_one():
    taxonomy, problems = load_taxonomy((REPO / "data" / "taxonomy.yaml").read_bytes(), "data/taxonomy.yaml")
    assert not problems
    assert SCHEMA_PATH.read_text(encoding="utf-8") == json_schema_text(list(taxonomy.tags)), \
        "data/paper.schema.json is stale: run `atlas schema` and commit it"


def test_schema_lists_every_field_and_every_tag():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    assert list(schema["properties"]) == [f.name for f in FIELDS]
    assert schema["additionalProperties"] is False
    assert schema["required"] == ["id", "title", "abstract"]
    assert "low-rank" in schema["properties"]["tags"]["items"]["enum"]


def test_every_entry_points_editors_at_the_schema():
    for path in sorted((REPO / "data" / "papers").glob("*.yaml")):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../paper.schema.json\n"), path


def test_schema_url_pattern_agrees_with_the_checker_on_typical_urls():
    for url in ["https://github.com/a/b", "http://example.org/x?y=1#z", "javascript:alert(1)",
                "data:text/html,x", "https://a.b/c d", 'https://a.b/"x', "//github.com/a", "https://u:p@a.b/"]:
        assert bool(re.match(URL_PATTERN, url)) == (url_problem(url) is None), url


def test_schema_check_command_reports_a_stale_file(make_project, capsys):
    project = make_project({})
    assert main(["--root", str(project.root), "schema", "--check"]) == 1
    assert "data/paper.schema.json:1: file: is out of date" in capsys.readouterr().err
    assert main(["--root", str(project.root), "schema"]) == 0
    assert main(["--root", str(project.root), "schema", "--check"]) == 0
