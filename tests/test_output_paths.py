"""Generated paths stay inside docs/: the manifest can never make a build touch elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.output import is_inside


@pytest.mark.parametrize("rel", ["index.md", "papers/galore.md", "./papers/x.md", "tags//kv-cache.md", "a/..b"])
def test_plain_relative_paths_are_inside(rel):
    assert is_inside(Path("docs"), rel)


@pytest.mark.parametrize("rel", ["", ".", "/etc/passwd", "//etc", "../secret", "papers/../../x", "..", "a\\b"])
def test_empty_absolute_parent_and_backslash_paths_are_not(rel):
    assert not is_inside(Path("docs"), rel)
