"""Generated paths stay inside docs/: the manifest can never make a build touch elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from atlas.output import is_inside, replacing, write_atomically


@pytest.mark.parametrize("rel", ["index.md", "papers/galore.md", "./papers/x.md", "tags//kv-cache.md", "a/..b"])
def test_plain_relative_paths_are_inside(rel):
    assert is_inside(Path("docs"), rel)


@pytest.mark.parametrize("rel", ["", ".", "/etc/passwd", "//etc", "../secret", "papers/../../x", "..", "a\\b"])
def test_empty_absolute_parent_and_backslash_paths_are_not(rel):
    assert not is_inside(Path("docs"), rel)


def test_serve_ignores_the_files_the_build_wrote_but_not_hand_written_pages(tmp_path):
    import os

    from atlas.output import MANIFEST, GeneratedFiles, write_tree

    docs = tmp_path / "docs"
    (docs / "papers").mkdir(parents=True)
    (docs / "contributing.md").write_text("# Contributing\n")
    write_tree(docs, {"papers/galore.md": "GaLore\n", "index.md": "Home\n"})
    generated = GeneratedFiles(docs)
    assert generated.covers(str(docs / "papers" / "galore.md")) and generated.covers(str(docs / "index.md"))
    assert generated.covers(str(docs / "papers" / ".galore.md.x1y2.tmp"))  # the writer's temporary file
    assert not generated.covers(str(docs / "contributing.md"))
    assert not generated.covers(str(docs / "papers" / "lora.md"))
    write_tree(docs, {"papers/galore.md": "GaLore\n", "papers/lora.md": "LoRA\n", "index.md": "Home\n"})
    os.utime(docs / MANIFEST, ns=(1, 1))  # a new time even if the clock did not tick between writes
    assert generated.covers(str(docs / "papers" / "lora.md"))  # the manifest is read again when it changes


def test_an_atomic_write_leaves_the_old_content_when_the_writer_fails_and_no_temporary_file(tmp_path):
    path = tmp_path / "cache" / "texts.npz"
    write_atomically(path, b"first")
    with pytest.raises(RuntimeError):
        with replacing(path) as out:
            out.write(b"half of the sec")
            raise RuntimeError("the writer failed")
    assert path.read_bytes() == b"first"
    # Two writers at once (two builds of one project) each have a temporary file of their own.
    with replacing(path) as first, replacing(path) as second:
        first.write(b"from the first")
        second.write(b"from the second")
    assert path.read_bytes() in (b"from the first", b"from the second")
    assert sorted(p.name for p in path.parent.iterdir()) == ["texts.npz"]
