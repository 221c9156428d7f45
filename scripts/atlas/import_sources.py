"""`atlas import SOURCE`: turn any supported source into candidates, whatever its format.

SOURCE is a file, an http(s) URL, or `arxiv:ID[,ID...]`. The format is recognised from the
content (JSON: Hugging Face Daily Papers; Atom XML: the arXiv API; anything else: a digest)
unless one is named. Each format lives in its own module; this one only dispatches, so a
new format is one new module and one line here.
"""

from __future__ import annotations

import json
from pathlib import Path

from .digest import parse_digest
from .fetch import Fetcher, fetch, is_url
from .importer import Candidate, read_arxiv_ids
from .problems import Problem
from .sources_arxiv import looks_like_atom, parse_arxiv_atom, query_url
from .sources_common import SourceRead
from .sources_hf import looks_like_daily_papers, parse_daily_papers

ARXIV_PREFIX = "arxiv:"


def source_address(source: str) -> str:
    """Where SOURCE's bytes come from: `arxiv:2403.03507,2401.00001` becomes an API query URL."""
    if source.startswith(ARXIV_PREFIX):
        ids = [i.strip() for i in source[len(ARXIV_PREFIX):].split(",") if i.strip()]
        return query_url(ids)
    return source


def read_bytes(source: str, fetcher: Fetcher | None = None) -> tuple[bytes | None, list[Problem]]:
    """The raw bytes of a file or URL (the only place an import touches disk or network)."""
    address = source_address(source)
    if is_url(address):
        return (fetcher or fetch)(address), []
    path = Path(source)
    if not path.is_file():
        return None, [Problem(source, 0, "source", "file not found",
                              "give a digest, Daily Papers JSON or arXiv Atom file, a URL, or arxiv:ID")]
    return path.read_bytes(), []


def detect_format(raw: bytes) -> str:
    """`arxiv` for Atom XML, `daily-papers` for JSON, else `digest` (a digest may start with "[")."""
    if looks_like_atom(raw):
        return "arxiv"
    if looks_like_daily_papers(raw):
        try:
            json.loads(raw.decode("utf-8-sig"))
            return "daily-papers"
        except (UnicodeDecodeError, json.JSONDecodeError):
            pass
    return "digest"


def parse_source(raw: bytes, name: str, fmt: str = "auto", arxiv_ids_text: str | None = None) -> tuple[str, SourceRead]:
    """(format used, what was read) for the bytes of one source."""
    fmt = detect_format(raw) if fmt == "auto" else fmt
    if fmt == "arxiv":
        return fmt, parse_arxiv_atom(raw, name)
    if fmt == "daily-papers":
        return fmt, parse_daily_papers(raw, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return fmt, SourceRead(problems=(Problem(name, 0, "source", f"not UTF-8 at byte {error.start}",
                                                 "save it as UTF-8"),))
    parsed = parse_digest(text, name)
    candidates = tuple(Candidate(i.title, i.abstract, origin=f"{name}:{i.line}") for i in parsed.items)
    table = read_arxiv_ids(arxiv_ids_text) if arxiv_ids_text else {}
    return fmt, SourceRead(candidates, problems=parsed.problems, chrome=parsed.chrome,
                           arxiv_ids=tuple(sorted(table.items())))


def read_source(source: str, fmt: str = "auto", *, arxiv_ids_path: str | None = None,
                fetcher: Fetcher | None = None) -> tuple[str, SourceRead]:
    """Read and parse SOURCE; a digest file's `arxiv-ids.tsv` neighbour is used when present."""
    raw, problems = read_bytes(source, fetcher)
    if raw is None:
        return fmt, SourceRead(problems=tuple(problems))
    ids_text = None
    if arxiv_ids_path is not None:
        ids_path = Path(arxiv_ids_path)
    elif not is_url(source_address(source)):
        ids_path = Path(source).with_name("arxiv-ids.tsv")
    else:
        ids_path = None
    if ids_path is not None and ids_path.is_file():
        ids_text = ids_path.read_text(encoding="utf-8")
    return parse_source(raw, source, fmt, ids_text)
