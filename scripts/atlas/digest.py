"""Parse a digest: page chrome, then papers as title line / blank line / abstract paragraph.

This is the format of a copy-pasted "trending papers" page. Short lines before the first
paper (menus, dates, "Subscribe") are page chrome and are reported as skipped; anything
after the first paper that is not a title/abstract pair is an error, never dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from .problems import Problem

# An abstract is a long paragraph; a title is a single short line.
ABSTRACT_MIN_CHARS = 200
TITLE_MAX_CHARS = 300


@dataclass(frozen=True)
class DigestItem:
    title: str
    abstract: str
    line: int  # 1-based line of the title in the digest


@dataclass(frozen=True)
class DigestParse:
    items: tuple[DigestItem, ...]
    chrome: tuple[str, ...]
    problems: tuple[Problem, ...]


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """Paragraphs as (first line number, lines), split on blank lines."""
    blocks, current, start = [], [], 0
    for number, line in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def _is_title(lines: list[str]) -> bool:
    return len(lines) == 1 and len(lines[0]) <= TITLE_MAX_CHARS


def _is_abstract(lines: list[str]) -> bool:
    return len(" ".join(lines)) >= ABSTRACT_MIN_CHARS


def parse_digest(text: str, path: str) -> DigestParse:
    """Split a digest into papers; chrome before the first paper is skipped, and reported."""
    blocks = _blocks(text)
    items, chrome, problems = [], [], []
    index = 0
    while index < len(blocks):
        line, lines = blocks[index]
        following = blocks[index + 1][1] if index + 1 < len(blocks) else None
        if _is_title(lines) and following is not None and _is_abstract(following):
            items.append(DigestItem(lines[0], " ".join(following), line))
            index += 2
            continue
        if not items:
            chrome.append(" ".join(lines))
        else:
            snippet = " ".join(lines)[:60]
            problems.append(Problem(path, line, "digest", f"paragraph is not a title followed by an abstract: {snippet!r}",
                                    "put each paper as: title line, blank line, abstract paragraph "
                                    f"(at least {ABSTRACT_MIN_CHARS} characters)"))
        index += 1
    if not items:
        problems.append(Problem(path, 0, "digest", "no papers found",
                                "each paper is a title line, a blank line, then its abstract paragraph"))
    return DigestParse(tuple(items), tuple(chrome), tuple(problems))
