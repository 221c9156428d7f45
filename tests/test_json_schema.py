"""The published JSON Schema is generated from the checker's own field list, and committed."""

from __future__ import annotations

import json
import re

import pytest
import yaml

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
                "data:text/html,x", "https://a.b/c d", 'https://a.b/"x', "//github.com/a", "https://u:p@a.b/",
                "https://github.com/a/b.", "https://github.com/a/b,", "https://a.b/x?q=1;"]:
        assert bool(re.match(URL_PATTERN, url)) == (url_problem(url) is None), url


def test_schema_check_command_reports_a_stale_file(make_project, capsys):
    project = make_project({})
    assert main(["--root", str(project.root), "schema", "--check"]) == 1
    assert "data/paper.schema.json:1: file: is out of date" in capsys.readouterr().err
    assert main(["--root", str(project.root), "schema"]) == 0
    assert main(["--root", str(project.root), "schema", "--check"]) == 0


def entry_validator():
    jsonschema = pytest.importorskip("jsonschema", reason="jsonschema is in requirements-dev.txt")
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_entry_is_valid_under_the_json_schema():
    validator = entry_validator()
    for path in sorted((REPO / "data" / "papers").glob("*.yaml")):
        errors = [e.message for e in validator.iter_errors(yaml.safe_load(path.read_text(encoding="utf-8")))]
        assert errors == [], (path.name, errors)


VALID = {"id": "galore", "title": "GaLore", "abstract": "We propose GaLore.", "tags": ["low-rank"],
         "links": {"code": "https://github.com/jiaweizzhao/GaLore"}, "arxiv": "2403.03507", "year": 2024}


@pytest.mark.parametrize("change", [
    {"tittle": "x"}, {"tags": "low-rank"}, {"tags": ["quantisation"]}, {"tags": ["low-rank", "low-rank"]},
    {"title": 123}, {"title": ""}, {"id": "../etc/passwd"}, {"id": "GaLore"}, {"id": "index"},
    {"links": {"github": "https://github.com/a/b"}}, {"links": {"code": "javascript:alert(1)"}},
    {"links": {"code": "data:text/html,x"}}, {"links": {"code": "https://github.com/a b"}},
    {"links": {"code": "https://github.com/a/b."}}, {"arxiv": "arXiv:2403.03507"}, {"year": 24}, {"added": "27/11/2026"},
], ids=str)
def test_the_json_schema_rejects_what_the_checker_rejects(change):
    validator = entry_validator()
    assert list(validator.iter_errors(VALID)) == []
    assert list(validator.iter_errors({**VALID, **change})), change
