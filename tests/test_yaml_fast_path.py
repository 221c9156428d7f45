"""The libyaml fast path reads entries exactly as the pure-Python reference reader does."""

from __future__ import annotations

import pytest

from atlas import yamlsafe


def _both(text: str):
    fast = yamlsafe.parse_yaml(text, "e.yaml")
    saved = yamlsafe._FastStrictLoader
    yamlsafe._FastStrictLoader = None
    try:
        reference = yamlsafe.parse_yaml(text, "e.yaml")
    finally:
        yamlsafe._FastStrictLoader = saved

    def view(result):
        doc, problems = result
        return (doc.data, doc.lines, doc.plain) if doc else None, problems

    return view(fast), view(reference)


def test_every_seed_entry_reads_the_same_with_both_parsers(repo_project):
    for path in sorted(repo_project.papers_dir.glob("*.yaml")):
        fast, reference = _both(path.read_text(encoding="utf-8"))
        assert fast == reference, path.name


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",                      # anchor and alias: refused
    "title: Q&A systems\nabstract: 5 * 3\n",  # & and * as plain text
    "a: 1\na: 2\n",                           # duplicate key
    "a: [\n",                                 # syntax error
    "a: b: c\n",                              # syntax error
    "---\na: 1\n---\nb: 2\n",                 # two documents
    "a: !!python/object x\n",                 # unsafe tag
    "x: no\ny: 0123\nz: 2026-11-20\n",        # YAML 1.1 surprises, recorded as plain text
    "a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g: 1\n",  # too deep
    "a: 'quoted'\nb: \"double\"\nc: >-\n  folded\n  text\n",
    "",
])
def test_tricky_documents_read_the_same_with_both_parsers(text):
    fast, reference = _both(text)
    assert fast == reference
