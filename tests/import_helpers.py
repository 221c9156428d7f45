"""Shared bits for the import and enrich tests: recorded responses, a project with a scope."""

from __future__ import annotations

import re
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "data" / "fixtures"
DAILY_PAPERS = FIXTURES / "daily_papers.json"
ARXIV_QUERY = FIXTURES / "arxiv_query.atom"
REPO = FIXTURES.parent.parent.parent


def copy_scope_without_confidence(project) -> None:
    """The real data/scope.yaml with `min_confidence: 0`, so that import tests depend on its
    phrases but not on the taxonomy's tagger rules (tests/test_scope.py covers confidence)."""
    text = (REPO / "data" / "scope.yaml").read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^min_confidence: .*$", "min_confidence: 0", text)
    assert count == 1
    (project.root / "data" / "scope.yaml").write_text(text, encoding="utf-8")
