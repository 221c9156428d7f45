"""The contributing page shows real output: its failing-check example is re-run here."""

from __future__ import annotations

import re

from atlas.cli import main
from conftest import REPO

PAGE = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = PAGE.index(f"## {title}")
    following = PAGE.find("\n## ", start + 1)
    return PAGE[start: following if following != -1 else len(PAGE)]


def test_the_failing_check_shown_is_what_atlas_check_prints(make_project, capsys):
    text = section("What a failing check looks like")
    entry_yaml = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    shown = re.search(r"```text\n\$ \.venv/bin/atlas check\n(.*?)```", text, re.S).group(1).splitlines()
    project = make_project({"galore.yaml": entry_yaml})
    assert main(["--root", str(project.root), "check"]) == 1
    assert capsys.readouterr().err.splitlines() == shown


def test_the_page_covers_the_three_ways_to_add_a_paper():
    text = section("Add a paper")
    for way in ("Suggest a paper", "atlas new", "by hand"):
        assert way in text, way
