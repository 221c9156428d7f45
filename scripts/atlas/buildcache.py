"""Skip a build when its inputs and outputs are exactly as the last build left them.

A no-op build must be cheap: `mkdocs serve` runs the hook on every change anywhere
in the project, and at 10,000 papers loading, cross-linking and rendering everything
takes far longer than reading the files. The fingerprint covers everything a build
reads (entry bytes, taxonomy, templates, mkdocs.yml and the environment variables it reads,
the atlas code, Python and Jinja versions); the outputs are checked by size and
modification time, so a hand-edited or deleted page forces a real build. Anything unexpected (no cache, unreadable cache) means "build".
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from importlib.util import find_spec
from pathlib import Path

from .output import write_atomically
from .sources import Project

CACHE_PATH = ".atlas-cache/build.json"
# `!ENV NAME` or `!ENV [NAME, ...]` in mkdocs.yml: the site URL (in feeds and BibTeX) can come
# from the environment, e.g. SITE_URL under `make serve`.
_ENV_TAG = re.compile(r"!ENV\s+\[?\s*([A-Za-z_][A-Za-z0-9_]*)")
_CODE_DIR = Path(__file__).resolve().parent


def fingerprint(project: Project, entries: dict[str, bytes]) -> str:
    """A hash of every input of a build."""
    digest = hashlib.sha256()

    def add(name: str, data: bytes) -> None:
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)

    add("python", sys.version.encode())
    # Jinja's version, from its __init__.py, without importing it (a no-op build never renders).
    add("jinja2", Path(find_spec("jinja2").origin).read_bytes())
    for rel in sorted(entries):
        add(rel, entries[rel])
    if project.taxonomy_path.is_file():
        add("taxonomy", project.taxonomy_path.read_bytes())
    config = project.root / "mkdocs.yml"
    if config.is_file():
        text = config.read_bytes()
        add("mkdocs.yml", text)
        for name in sorted(set(_ENV_TAG.findall(text.decode("utf-8", "replace")))):
            add(f"env:{name}", os.environ.get(name, "\0unset").encode())
    for folder, prefix in ((project.templates_dir, "templates/"), (_CODE_DIR, "code/")):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and "__pycache__" not in path.parts:
                    add(prefix + path.relative_to(folder).as_posix(), path.read_bytes())
    return digest.hexdigest()


def output_state(docs_dir: Path, rels: list[str]) -> dict[str, list[int]] | None:
    """(size, mtime) of every generated file, or None if one is missing or not a file."""
    state = {}
    root = str(docs_dir)
    for rel in rels:
        try:
            stat = os.lstat(os.path.join(root, rel))
        except OSError:
            return None
        state[rel] = [stat.st_size, stat.st_mtime_ns]
    return state


def is_fresh(project: Project, key: str) -> bool:
    """True when the last recorded build had these inputs and its outputs are untouched."""
    try:
        cached = json.loads((project.root / CACHE_PATH).read_text(encoding="utf-8"))
        outputs = cached["outputs"]
        return cached["inputs"] == key and output_state(project.docs_dir, sorted(outputs)) == outputs
    except (OSError, ValueError, KeyError, TypeError):
        return False


def record(project: Project, key: str, rels: list[str]) -> None:
    """Remember a successful build (best effort: a read-only tree just means no cache)."""
    state = output_state(project.docs_dir, sorted(rels))
    if state is None:
        return
    path = project.root / CACHE_PATH
    try:
        write_atomically(path, json.dumps({"inputs": key, "outputs": state}, sort_keys=True).encode("utf-8"))
    except OSError:
        pass
