"""`atlas check`: every problem at once, located, exit 1 — and never a traceback.

The per-case table lives in test_bad_entries.py; these are the cases that need more than
one bad file: symlinks, a broken taxonomy, encodings that must be accepted, and random
damage to a valid entry.
"""

from __future__ import annotations

import os
import random
import re

import pytest

from atlas.cli import main
from atlas.load import load_papers
from conftest import entry

LOCATED = re.compile(r"^[^:]+:[1-9]\d*: [^:]+: .+ — .+$")


def check(project, capsys) -> tuple[int, list[str], list[str]]:
    code = main(["--root", str(project.root), "check"])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_valid_entries_pass(make_project, capsys):
    code, out, err = check(make_project({"galore.yaml": entry("galore", tags="[low-rank]")}), capsys)
    assert (code, err) == (0, [])
    assert out[0].startswith("ok: 1 entries")


def test_all_problems_of_all_files_are_reported_at_once(make_project, capsys):
    project = make_project({"a.yaml": entry("a", tags="[quantisation]"),
                            "b.yaml": entry("b", tittle="'x'", venue="no"),
                            "c.yaml": "id: c\ntitle: 'C'\ntitle: 'D'\nabstract: 'x'\n"})
    code, _, err = check(project, capsys)
    assert code == 1
    assert err == [
        "data/papers/a.yaml:3: tags: tag 'quantisation' is not in the taxonomy — did you mean 'quantization'?",
        "data/papers/b.yaml:3: tittle: unknown field — did you mean 'title'?",
        "data/papers/b.yaml:4: venue: expected text, got a boolean — YAML read `no` as a boolean; quote it: 'no'",
        "data/papers/c.yaml:3: title: duplicate key (first at line 2) — keep one; YAML would silently use the last",
        "4 problems found.",
    ]


def test_a_utf8_bom_and_crlf_line_ends_are_accepted(make_project, capsys):
    text = "\ufeff" + entry("galore", tags="[low-rank]").replace("\n", "\r\n")
    code, _, err = check(make_project({"galore.yaml": text.encode("utf-8")}), capsys)
    assert (code, err) == (0, [])


def test_a_symlinked_entry_is_refused(make_project, capsys, tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text(entry("secret"))
    project = make_project({"galore.yaml": entry("galore")})
    os.symlink(outside, project.papers_dir / "secret.yaml")
    code, _, err = check(project, capsys)
    assert code == 1
    assert err[0].startswith("data/papers/secret.yaml:1: file: is a symbolic link — ")


def test_a_symlink_in_the_docs_tree_is_refused(make_project, capsys):
    project = make_project({"galore.yaml": entry("galore")})
    os.symlink("/etc", project.docs_dir / "etc")
    code, _, err = check(project, capsys)
    assert code == 1
    assert err[0].startswith("docs/etc:1: file: is a symbolic link — ")


BROKEN_TAXONOMIES = {
    "syntax error": ("facets:\n  - id: x\n   name: y\n", "yaml"),
    "not a mapping": ("- stage\n- technique\n", "facets"),
    "facet without tags": ("facets:\n  - id: stage\n    name: Stage\n", "facets"),
    "tag without description": ("facets:\n  - id: stage\n    name: Stage\n    tags:\n      - id: x\n        name: X\n",
                                "tags"),
    "tag id reserved": ("facets:\n  - id: stage\n    name: Stage\n    tags:\n      - id: index\n        name: X\n"
                        "        description: d\n", "tags.id"),
    "facet id escaping the folder": ("facets:\n  - id: ../../x\n    name: Stage\n    tags: []\n", "facets.id"),
    "duplicate tag id": ("facets:\n  - id: stage\n    name: Stage\n    tags:\n      - {id: x, name: X, description: d}\n"
                         "      - {id: x, name: Y, description: d}\n", "tags.id"),
    "anchor": ("facets: &f []\nmore: *f\n", "yaml"),
    "invalid tagger regex": ("facets:\n  - id: stage\n    name: Stage\n    tags:\n      - id: x\n        name: X\n"
                             "        description: d\n        rules: {patterns: ['(unclosed']}\n", "tags.rules.patterns"),
    "tagger phrases not a list": ("facets:\n  - id: stage\n    name: Stage\n    tags:\n      - id: x\n"
                                  "        name: X\n        description: d\n        rules: {phrases: kv cache}\n",
                                  "tags.rules.phrases"),
}


@pytest.mark.parametrize("name", sorted(BROKEN_TAXONOMIES))
def test_a_broken_taxonomy_is_reported_not_raised(name, make_project, capsys):
    text, field = BROKEN_TAXONOMIES[name]
    project = make_project({"galore.yaml": entry("galore")}, taxonomy=text)
    code, _, err = check(project, capsys)
    assert code == 1
    assert any(line.startswith("data/taxonomy.yaml:") and f": {field}: " in line for line in err), err
    assert all(LOCATED.match(line) for line in err[:-1]), err


def test_a_billion_laughs_file_at_the_size_cap_is_refused_at_its_first_anchor():
    levels = "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 400))
    text = ("id: bad\nl0: &l0 'lol'\n" + levels).encode()
    _, problems = load_papers({"data/papers/bad.yaml": text[:60_000]})
    assert [(p.line, p.field) for p in problems] == [(2, "yaml")]
    assert "anchor '&l0'" in problems[0].message


def test_random_damage_to_an_entry_never_raises():
    """Deterministic fuzzing: cut, duplicate and replace bytes of a valid entry 400 times."""
    valid = entry("galore", tags="[low-rank]", links="{code: https://github.com/a/b}", arxiv="'2403.03507'").encode()
    alphabet = b"\x00\t\n\r :-'\"&*!|>{}[]#%@`\\\xe2\x80\xae\xff" + bytes(range(32, 127))
    rng = random.Random(20261127)
    for _ in range(400):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 6)):
            at = rng.randrange(len(data))
            action = rng.choice(("cut", "copy", "byte"))
            if action == "cut":
                del data[at: at + rng.randint(1, 20)]
            elif action == "copy":
                data[at:at] = data[rng.randrange(len(data)):][: rng.randint(1, 40)]
            else:
                data[at] = rng.choice(alphabet)
        papers, problems = load_papers({"data/papers/galore.yaml": bytes(data)})
        assert papers or problems
        for problem in problems:
            assert problem.path == "data/papers/galore.yaml" and problem.line >= 1 and problem.field, problem
            assert problem.message and problem.fix, problem


def test_an_entry_with_schema_problems_still_gets_its_tags_checked(make_project, capsys):
    text = entry("galore", tags="[low-rank, quantisation]", added="2026-11-27").replace("title:", "tittle:")
    code, _, err = check(make_project({"galore.yaml": text}), capsys)
    assert code == 1
    assert err == [
        "data/papers/galore.yaml:2: tittle: unknown field — did you mean 'title'?",
        "data/papers/galore.yaml:3: tags: tag 'quantisation' is not in the taxonomy — did you mean 'quantization'?",
        "data/papers/galore.yaml:4: added: expected text, got date — YAML read `2026-11-27` as a date; quote it: "
        "'2026-11-27'",
        "3 problems found.",
    ]


def test_random_damage_to_a_taxonomy_never_raises():
    from atlas.load import load_taxonomy

    valid = (b"facets:\n  - id: stage\n    name: Stage\n    question: 'Where?'\n    tags:\n"
             b"      - id: inference\n        name: Inference\n        description: 'Running models.'\n"
             b"        rules: {phrases: [inference], patterns: ['\\\\bdecod']}\n")
    assert load_taxonomy(valid, "data/taxonomy.yaml")[0] is not None
    rng = random.Random(6)
    for _ in range(300):
        data = bytearray(valid)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data))
            if rng.random() < 0.5:
                del data[at: at + rng.randint(1, 12)]
            else:
                data[at] = rng.choice(b"\t\n :-'\"&*!|>{}[]#\x00\xff")
        taxonomy, problems = load_taxonomy(bytes(data), "data/taxonomy.yaml")
        assert taxonomy is not None or problems
        assert all(p.line >= 1 and p.message for p in problems), problems
