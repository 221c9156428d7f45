"""Mention links: where an abstract names another paper of the atlas, link the name.

Names are a paper's `aliases` plus the short name before its title's colon. Matching is
case-sensitive and respects word and hyphen boundaries (`GaLore` inside `Q-GaLore`, or
`MiniCPM` inside `MiniCPM-V`, is not a mention), skips URLs and inline code, never links
a page to itself, and ignores a name that two papers claim. One pass over the text: candidate names are
looked up by the word they start with, so the cost does not grow with the number of papers.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import partial

from .memo import Memo, digest
from .model import Mention, Paper
from .parallel import chunks, run_all
from .urls import find_urls

# Inline code (`galore.step()`) is left alone, like URLs.
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_WORD_START = re.compile(r"(?<![\w\-.+/])[\w]+")
_FIRST_WORD = re.compile(r"^\w+")
_NAME_END_OK = re.compile(r"(?![\w]|-\w|\+)")
MIN_NAME_LENGTH = 3


def paper_names(paper: Paper) -> list[str]:
    names = list(paper.aliases)
    if paper.short_name and paper.short_name not in names:
        names.append(paper.short_name)
    return [n for n in names if len(n) >= MIN_NAME_LENGTH and _FIRST_WORD.match(n)]


class MentionIndex:
    """Names of all papers, indexed by their first word."""

    def __init__(self, papers: list[Paper]):
        owners: dict[str, set[str]] = defaultdict(set)
        for paper in papers:
            for name in paper_names(paper):
                owners[name].add(paper.id)
        self.by_first_word: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name in sorted(owners, key=lambda n: (-len(n), n)):
            if len(owners[name]) == 1:
                self.by_first_word[_FIRST_WORD.match(name).group(0)].append((name, next(iter(owners[name]))))

    def find(self, text: str, self_id: str, field: str = "abstract") -> list[Mention]:
        """Non-overlapping mentions of other papers in `text`, left to right."""
        blocked = find_urls(text) + [(m.start(), m.end(), "code") for m in _CODE_SPAN.finditer(text)]
        mentions = []
        position = 0
        by_first_word = self.by_first_word
        for match in _WORD_START.finditer(text):
            candidates = by_first_word.get(match.group(0))
            if not candidates:  # most words start no name: nothing else is looked at
                continue
            start = match.start()
            if start < position or any(a <= start < b for a, b, _ in blocked):
                continue
            for name, target in candidates:
                end = start + len(name)
                if text.startswith(name, start) and _NAME_END_OK.match(text, end):
                    # The longest name wins; a paper's own names are consumed but not linked.
                    if target != self_id:
                        mentions.append(Mention(start, end, target, field))
                    position = end
                    break
        return mentions


def find_mentions(papers: list[Paper], parallel: bool = False) -> dict[str, tuple[Mention, ...]]:
    """Mentions in each paper's title and abstract; with `parallel`, papers are shared among worker processes."""
    index = MentionIndex(papers)
    names = digest(repr(sorted(index.by_first_word.items())))
    parts = chunks(papers, _PAPERS_PER_JOB)
    found = run_all([partial(_mentions_in, index, names, part) for part in parts], parallel)
    result = {}
    for part, results in zip(parts, found):
        for paper, mentions in zip(part, results):
            result[paper.id] = _FOUND.keep(_key(names, paper), mentions)
    return result


_PAPERS_PER_JOB = 500
# A paper's mentions depend on its id, title and abstract and on the names of all papers.
_FOUND = Memo("mentions")


def _key(names: str, paper: Paper) -> tuple[str, str, str, str]:
    return names, paper.id, paper.title, paper.abstract


def _mentions_in(index: MentionIndex, names: str, papers: list[Paper]) -> list[tuple[Mention, ...]]:
    return [_FOUND.get(_key(names, p), lambda p=p: tuple(index.find(p.title, p.id, "title") + index.find(p.abstract, p.id)))
            for p in papers]
