"""Every way a contributor can break an entry gives one located, actionable problem.

Each case is a small project: one valid neighbour entry plus the broken file(s). The
build must fail with a problem naming the exact file and field, printed as
`data/papers/<file>:<line>: <field>: <what> — <fix>`, and must write no page at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from atlas.build import build
from atlas.cli import main
from atlas.problems import AtlasError
from atlas.yamlsafe import MAX_BYTES
from conftest import entry

NEIGHBOUR = {"neighbour.yaml": entry("neighbour", "A Perfectly Valid Neighbour Entry",
                                     tags="[inference, quantization]")}
PROBLEM_LINE = re.compile(r"^(?P<path>data/papers/[^:]+):(?P<line>[1-9]\d*): (?P<field>[^:]+): (?P<what>.+) — (?P<fix>.+)$")


@dataclass
class Case:
    name: str
    files: dict[str, str | bytes]
    path: str  # the file the problem must name, relative to data/papers/
    field: str
    says: str = ""  # a fragment the message or fix must contain
    line: int | None = None


def bad(id_: str = "bad", **fields) -> str:
    return entry(id_, **fields)


BILLION_LAUGHS = "id: bad\n" + "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(9))
DEEP = "id: bad\ntitle: 'Deep'\nabstract: 'x'\nlinks: " + "[" * 50 + "]" * 50 + "\n"

CASES = [
    # --- YAML: the file cannot be read as one plain mapping ---------------------------------
    Case("empty file", {"bad.yaml": ""}, "bad.yaml", "file", "empty"),
    Case("only a comment", {"bad.yaml": "# nothing here\n"}, "bad.yaml", "file", "empty"),
    Case("not a mapping", {"bad.yaml": "- id: bad\n- title: x\n"}, "bad.yaml", "file", "mapping"),
    Case("several documents", {"bad.yaml": bad() + "---\n" + bad()}, "bad.yaml", "yaml", "more than one", line=5),
    Case("tab indentation", {"bad.yaml": "id: bad\nlinks:\n\tcode: https://github.com/a/b\n"}, "bad.yaml", "yaml",
         "tab", line=3),
    Case("unclosed quote", {"bad.yaml": "id: bad\ntitle: 'unclosed\nabstract: x\n"}, "bad.yaml", "yaml",
         "column 8: a quoted scalar opened here is never closed", line=2),
    Case("unclosed bracket", {"bad.yaml": "id: bad\ntags: [inference\n"}, "bad.yaml", "yaml",
         "a flow sequence opened here is never closed", line=2),
    Case("colon in plain title", {"bad.yaml": "id: bad\ntitle: GaLore: Memory: Efficient\nabstract: x\n"},
         "bad.yaml", "yaml", "syntax error", line=2),
    Case("duplicate key", {"bad.yaml": "id: bad\ntitle: 'First'\ntitle: 'Second'\nabstract: 'x'\n"}, "bad.yaml",
         "title", "duplicate key (first at line 2)", line=3),
    Case("anchor and alias", {"bad.yaml": "id: bad\ntitle: &t 'T'\nabstract: *t\n"}, "bad.yaml", "yaml", "anchor"),
    Case("billion laughs", {"bad.yaml": BILLION_LAUGHS}, "bad.yaml", "yaml", "anchor", line=2),
    Case("python object tag", {"bad.yaml": bad(venue="!!python/object/apply:os.system ['true']")}, "bad.yaml",
         "venue", "tag"),
    Case("custom tag", {"bad.yaml": bad(venue="!include ../../etc/passwd")}, "bad.yaml", "venue", "tag"),
    Case("merge key", {"bad.yaml": bad(links="{<<: {code: https://github.com/a/b}}")}, "bad.yaml", "yaml",
         "plain name"),
    Case("list as a key", {"bad.yaml": "? [a, b]\n: x\nid: bad\n"}, "bad.yaml", "yaml", "a list or mapping as key"),
    Case("over-deep nesting", {"bad.yaml": DEEP}, "bad.yaml", "yaml", "nesting", line=4),
    Case("file over the size cap", {"bad.yaml": bad(abstract="x" * (MAX_BYTES + 1))}, "bad.yaml", "file", "cap"),
    Case("not UTF-8", {"bad.yaml": b"id: bad\ntitle: 'Caf\xe9'\n"}, "bad.yaml", "file", "byte offset 19", line=2),
    Case("UTF-16", {"bad.yaml": entry("bad").encode("utf-16")}, "bad.yaml", "file", "UTF-16", line=1),
    Case("NUL byte", {"bad.yaml": bad(venue="'a\x00b'")}, "bad.yaml", "text", "NUL"),
    Case("control character", {"bad.yaml": bad(venue="'a\x1bb'")}, "bad.yaml", "text", "control"),
    Case("zero-width space", {"bad.yaml": bad(title="'Ga\u200bLore'")}, "bad.yaml", "text", "zero-width"),
    Case("bidi override", {"bad.yaml": bad(venue="'abc\u202edcba'")}, "bad.yaml", "text", "bidi"),
    Case("escaped bidi override in double quotes", {"bad.yaml": bad(venue='"abc\\u202Edcba"')}, "bad.yaml",
         "venue", "bidi"),
    Case("escaped control character in double quotes", {"bad.yaml": bad(venue='"a\\x07b"')}, "bad.yaml",
         "venue", "control"),
    Case("unicode line separator", {"bad.yaml": bad(venue="'a\u2028b'")}, "bad.yaml", "text", "line separator"),
    # --- Schema: the mapping has the wrong fields or types ----------------------------------
    Case("missing title", {"bad.yaml": "id: bad\nabstract: 'x'\n"}, "bad.yaml", "title", "missing"),
    Case("missing abstract", {"bad.yaml": "id: bad\ntitle: 'T'\n"}, "bad.yaml", "abstract", "missing"),
    Case("misspelled field", {"bad.yaml": bad(tittle="'Oops'")}, "bad.yaml", "tittle", "did you mean 'title'?"),
    Case("tags as a string", {"bad.yaml": bad(tags="ml")}, "bad.yaml", "tags", "expected a list"),
    Case("title as a number", {"bad.yaml": "id: bad\ntitle: 123\nabstract: 'x'\n"}, "bad.yaml", "title", "number"),
    Case("no read as false", {"bad.yaml": bad(venue="no")}, "bad.yaml", "venue", "quote it"),
    Case("unquoted date", {"bad.yaml": bad(added="2026-11-27")}, "bad.yaml", "added", "date"),
    # Shaped like a date, but no such day: YAML cannot make a date of it (no traceback), and
    # quoted it is no date either.
    Case("unquoted day that does not exist", {"bad.yaml": bad(published="2024-13-01")}, "bad.yaml", "published",
         "'2024-13-01' is not a date (month must be in 1..12)"),
    Case("a list inside a list", {"bad.yaml": bad(aliases="[[GaLore]]")}, "bad.yaml", "aliases[0]",
         "expected text, got a list"),
    Case("quoted day that does not exist", {"bad.yaml": bad(added="'2024-02-30'")}, "bad.yaml", "added",
         "'2024-02-30' is not a date (day is out of range for month)"),
    Case("octal-looking number", {"bad.yaml": bad(arxiv="0123")}, "bad.yaml", "arxiv", "`0123`"),
    Case("unquoted arxiv id is a float", {"bad.yaml": bad(arxiv="2403.03507")}, "bad.yaml", "arxiv", "quote it"),
    Case("year out of range", {"bad.yaml": bad(year="24")}, "bad.yaml", "year", "four-digit"),
    Case("id differs from file name", {"bad.yaml": entry("other")}, "bad.yaml", "id", "file name"),
    Case("id with capitals", {"Bad.yaml": entry("Bad")}, "Bad.yaml", "id", "expected form"),
    Case("id escaping the output folder", {"bad.yaml": bad().replace("id: bad", "id: ../../../etc/cron")},
         "bad.yaml", "id", "expected form"),
    Case("id that would overwrite the papers index", {"index.yaml": entry("index")}, "index.yaml", "id",
         "reserved"),
    Case("file name that is not an id", {"bad entry.yaml": entry("bad-entry")}, "bad entry.yaml", "file",
         "kebab-case"),
    Case("names differing only in case", {"galore.yaml": entry("galore"), "GaLore.yaml": entry("galore", "Other")},
         "galore.yaml", "file", "only in letter case"),
    Case("not a .yaml file", {"bad.yml": entry("bad")}, "bad.yml", "file", ".yaml"),
    Case("title on several lines", {"bad.yaml": "id: bad\ntitle: |\n  one\n  two\nabstract: 'x'\n"},
         "bad.yaml", "title", "several lines"),
    Case("empty title", {"bad.yaml": bad(title=" ")}, "bad.yaml", "title", "empty"),
    Case("alias listed twice", {"bad.yaml": bad(aliases="[GaLore, GaLore]")}, "bad.yaml", "aliases[1]", "twice"),
    Case("unknown link kind", {"bad.yaml": bad(links="{github: https://github.com/a/b}")}, "bad.yaml",
         "links.github", "did you mean 'code'?"),
    Case("links as a list", {"bad.yaml": bad(links="[https://github.com/a/b]")}, "bad.yaml", "links", "mapping"),
    Case("LaTeX mangled by double quotes", {"bad.yaml": "id: bad\ntitle: 'T'\nabstract: \"a 6.0\\times speedup\"\n"},
         "bad.yaml", "abstract", "TAB", line=3),
    # --- Content: URLs, taxonomy and other entries -----------------------------------------
    Case("javascript: link", {"bad.yaml": bad(links="{project: 'javascript:alert(1)'}")}, "bad.yaml",
         "links.project", "only http(s)"),
    Case("data: link", {"bad.yaml": bad(links="{project: 'data:text/html,<script>alert(1)</script>'}")},
         "bad.yaml", "links.project", "only http(s)"),
    Case("scheme-relative link", {"bad.yaml": bad(links="{code: //github.com/a/b}")}, "bad.yaml", "links.code",
         "no scheme"),
    Case("link with a space", {"bad.yaml": bad(links="{code: 'https://github.com/a/b c'}")}, "bad.yaml",
         "links.code", "whitespace"),
    Case("link with trailing dot", {"bad.yaml": bad(links="{code: 'https://github.com/a/b.'}")}, "bad.yaml",
         "links.code", "trailing '.'"),
    Case("link with a quote character", {"bad.yaml": bad(links="{code: 'https://github.com/a/b\"onmouseover=x'}")},
         "bad.yaml", "links.code", "not allowed in a URL"),
    Case("link with credentials", {"bad.yaml": bad(links="{code: 'https://user:pw@github.com/a/b'}")}, "bad.yaml",
         "links.code", "password"),
    Case("tag not in the taxonomy", {"bad.yaml": bad(tags="[quantisation]")}, "bad.yaml", "tags",
         "did you mean 'quantization'?"),
    Case("same title as another entry", {"bad.yaml": bad(title="a perfectly  VALID neighbour entry")},
         "neighbour.yaml", "title", "same title as data/papers/bad.yaml"),
    Case("same title in another Unicode form", {"a.yaml": entry("a", "M\u00e9lange Serving Cost"),
                                                "b.yaml": entry("b", "Me\u0301lange serving   COST")},
         "b.yaml", "title", "same title as data/papers/a.yaml"),
    Case("same arXiv id", {"a.yaml": entry("a", arxiv="'2403.03507'"), "b.yaml": entry("b", arxiv="'2403.03507'")},
         "b.yaml", "arxiv", "same arXiv id as data/papers/a.yaml"),
    Case("same code URL", {"a.yaml": entry("a", links="{code: https://github.com/o/r}"),
                           "b.yaml": entry("b", links="{code: https://github.com/O/R/}")},
         "b.yaml", "links.code", "same code URL"),
]


def _cases():
    return [pytest.param(case, id=case.name) for case in CASES]


def test_there_are_at_least_thirty_cases():
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", _cases())
def test_bad_entry_is_reported_at_its_file_and_field_and_nothing_is_written(case, make_project, capsys):
    project = make_project({**NEIGHBOUR, **case.files})
    with pytest.raises(AtlasError) as failure:
        build(project)
    assert not any(project.docs_dir.iterdir()), "a failed build wrote pages"

    problems = failure.value.problems
    wanted = f"data/papers/{case.path}"
    matching = [p for p in problems if p.path == wanted and p.field == case.field]
    assert matching, f"no problem for {wanted} / {case.field}; got:\n" + "\n".join(map(str, problems))
    if case.says:
        assert any(case.says in f"{p.message} — {p.fix}" for p in matching), "\n".join(map(str, matching))
    if case.line is not None:
        assert any(p.line == case.line for p in matching), "\n".join(map(str, matching))

    # `atlas check` prints every problem as path:line: field: what — fix, and exits 1.
    assert main(["--root", str(project.root), "check"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == f"{len(problems)} problem{'s' if len(problems) > 1 else ''} found."
    assert all(PROBLEM_LINE.match(line) for line in err[:-1]), "\n".join(err)
    assert any(line.startswith(f"{wanted}:") and f": {case.field}: " in line for line in err[:-1])


def test_an_entry_in_a_subfolder_is_reported_not_left_out(make_project, capsys):
    project = make_project(NEIGHBOUR)
    (project.papers_dir / "2024").mkdir()
    (project.papers_dir / "2024" / "galore.yaml").write_text(entry("galore"))
    with pytest.raises(AtlasError) as failure:
        build(project)
    assert [(p.path, p.field) for p in failure.value.problems] == [("data/papers/2024", "folder")]
    assert not any(project.docs_dir.iterdir())
    assert main(["--root", str(project.root), "check"]) == 1
    assert "data/papers/2024: folder: entries in a subfolder are not read — move its files into data/papers/" \
        in capsys.readouterr().err
