"""Load entries and the taxonomy from file contents (bytes in, records and problems out).

Pure: the caller reads the disk (`atlas.sources`) and hands over `{path: bytes}`, so
the same code serves the CLI, the MkDocs hook and the tests.
"""

from __future__ import annotations

import functools
import math
import posixpath
import re

from .memo import Memo
from .model import Facet, Paper, Tag, Taxonomy
from .problems import Problem
from .schema import did_you_mean, validate_entry
from .yamlsafe import TAXONOMY_MAX_DEPTH, read_yaml

_TAG_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# tags/index.md is "Browse by topic"; a tag with this id would overwrite it.
RESERVED_TAG_IDS = ("index",)
_RULE_KEYS = {"phrases", "patterns", "not", "weight", "requires", "min_score", "fallback",
              "excluded_by", "gives_way_to"}


def check_rule(rule: dict, path: str, line_of) -> list[Problem]:
    """Phrases and patterns are text (or `text: weight`), and every pattern compiles.

    `line_of(key)` is the line of `rules.<key>` in the taxonomy file.
    """
    problems = []
    for key in ("phrases", "patterns", "not", "requires", "excluded_by", "gives_way_to"):
        items = rule.get(key, [])
        line = line_of(key)
        if not isinstance(items, list):
            problems.append(Problem(path, line, f"tags.rules.{key}", "expected a list", f"write `{key}: [a, b]`"))
            continue
        for item in items:
            text, weight = (next(iter(item.items())) if isinstance(item, dict) and len(item) == 1 else (item, 1))
            if not isinstance(text, str) or isinstance(weight, bool) or not isinstance(weight, (int, float)):
                problems.append(Problem(path, line, f"tags.rules.{key}", f"{item!r} is not text or `text: weight`",
                                        "quote the phrase; a weight is a number"))
            elif key == "patterns":
                try:
                    re.compile(text)
                except re.error as error:
                    problems.append(Problem(path, line, "tags.rules.patterns",
                                            f"{text!r} is not a regular expression: {error}",
                                            "fix the pattern (single-quote it in YAML)"))
    for key in ("weight", "min_score"):
        value = rule.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            problems.append(Problem(path, line_of(key), f"tags.rules.{key}", f"expected a number of 0 or more, got {value!r}",
                                    f"write a plain number, e.g. `{key}: 2`"))
    if not isinstance(rule.get("fallback", False), bool):
        problems.append(Problem(path, line_of("fallback"), "tags.rules.fallback",
                                f"expected true or false, got {rule['fallback']!r}", "write `fallback: true`"))
    return problems


# Entries per job when many are parsed in worker processes (`atlas.parallel`); below
# PARALLEL_MIN_FILES, starting the workers costs more than parsing here.
_FILES_PER_JOB = 250
PARALLEL_MIN_FILES = 1000


def load_papers(files: dict[str, bytes]) -> tuple[list[Paper], list[Problem]]:
    """Parse and schema-check every entry; papers come back sorted by id.

    Each file is read on its own, so a large atlas's files are shared among worker
    processes; the problems are listed in file order either way.
    """
    from .parallel import chunks, run_all

    parts = chunks([(path, files[path]) for path in sorted(files)], _FILES_PER_JOB)
    papers, problems = [], []
    for part, results in zip(parts, run_all([functools.partial(_load_each, part) for part in parts],
                                            len(files) >= PARALLEL_MIN_FILES)):
        for key, (paper, found) in zip(part, results):
            _PARSED.keep(key, (paper, found))
            problems += found
            if paper is not None:
                papers.append(paper)
    return sorted(papers, key=lambda p: p.id), problems


# An entry's paper and problems depend only on its path and bytes (`mkdocs serve` rebuilds).
_PARSED = Memo("parsed entries")


def _load_each(files: list[tuple[str, bytes]]) -> list[tuple[Paper | None, list[Problem]]]:
    return [_PARSED.get((path, raw), functools.partial(_load_paper, path, raw)) for path, raw in files]


def _load_paper(path: str, raw: bytes) -> tuple[Paper | None, list[Problem]]:
    file_id = posixpath.basename(path).rsplit(".", 1)[0]
    doc, problems = read_yaml(raw, path)
    if doc is None:
        return None, problems
    paper, found = validate_entry(doc, path, file_id)
    return paper, [*problems, *found]


# Pure in its inputs, and parsing the taxonomy is most of a small build's time: every
# `atlas check` in one process (tests, `mkdocs serve` rebuilds) reuses the last result.
def load_taxonomy(raw: bytes, path: str) -> tuple[Taxonomy | None, list[Problem]]:
    """Parse `data/taxonomy.yaml` into facets and tags, checking ids are unique and well-formed."""
    taxonomy, problems = _load_taxonomy(raw, path)
    return taxonomy, list(problems)


_TAXONOMY_KEYS = ("version", "facets")
_FACET_KEYS = ("id", "name", "question", "tags")
_TAG_KEYS = ("id", "name", "description", "rules")


def _unknown_keys(mapping: dict, known: tuple[str, ...], path: str, line_of, prefix: str) -> list[Problem]:
    """A problem for each key of `mapping` the taxonomy does not have: a misspelt key
    (`questin:`) would otherwise be dropped without a word."""
    return [Problem(path, line_of(key), f"{prefix}{key}", "is not a taxonomy field",
                    did_you_mean(str(key), known) or f"use {', '.join(known)}")
            for key in mapping if key not in known]


@functools.lru_cache(maxsize=4)
def _load_taxonomy(raw: bytes, path: str) -> tuple[Taxonomy | None, tuple[Problem, ...]]:
    """Parse `data/taxonomy.yaml` into facets and tags, checking ids are unique and well-formed."""
    doc, problems = read_yaml(raw, path, TAXONOMY_MAX_DEPTH)
    if doc is None:
        return None, tuple(problems)
    data = doc.data
    if not isinstance(data, dict) or not isinstance(data.get("facets"), list):
        return None, tuple(problems) + (Problem(path, doc.line(), "facets", "expected a mapping with a 'facets' list",
                                                "see the header comment of data/taxonomy.yaml"),)
    problems += _unknown_keys(data, _TAXONOMY_KEYS, path, lambda key: doc.line(key), "")
    if data.get("version", 1) != 1:
        problems.append(Problem(path, doc.line("version"), "version", f"{data['version']!r} is not a taxonomy "
                                "version this build reads", "write `version: 1` (the format described at the top)"))
    facets, rules, seen = [], {}, {}
    for f_index, facet in enumerate(data["facets"]):
        where = ("facets", f_index)
        if not isinstance(facet, dict) or not all(isinstance(facet.get(k), str) for k in ("id", "name")) \
                or not isinstance(facet.get("tags"), list):
            problems.append(Problem(path, doc.line(*where), "facets", "a facet needs id, name and a tags list",
                                    "copy the shape of an existing facet"))
            continue
        problems += _unknown_keys(facet, _FACET_KEYS, path, lambda key, where=where: doc.line(*where, key), "facets.")
        if not isinstance(facet.get("question", ""), str):
            problems.append(Problem(path, doc.line(*where, "question"), "facets.question",
                                    "expected text", "write the question the facet answers, in quotes"))
        if not _TAG_ID.match(facet["id"]):
            problems.append(Problem(path, doc.line(*where), "facets.id", f"'{facet['id']}' is not a kebab-case id",
                                    "use lowercase words joined by '-'"))
            continue
        tags = []
        for t_index, tag in enumerate(facet["tags"]):
            tag_where = where + ("tags", t_index)
            line = doc.line(*tag_where)
            if not isinstance(tag, dict) or not all(isinstance(tag.get(k), str) for k in ("id", "name", "description")):
                problems.append(Problem(path, line, "tags", "a tag needs id, name and description (text)",
                                        "copy the shape of an existing tag"))
                continue
            problems += _unknown_keys(tag, _TAG_KEYS, path, lambda key, where=tag_where: doc.line(*where, key), "tags.")
            tag_id = tag["id"]
            if not _TAG_ID.match(tag_id):
                problems.append(Problem(path, line, "tags.id", f"'{tag_id}' is not a kebab-case id",
                                        "use lowercase words joined by '-'"))
                continue
            if tag_id in RESERVED_TAG_IDS:
                problems.append(Problem(path, line, "tags.id", f"'{tag_id}' is reserved: its page would replace "
                                        f"tags/{tag_id}.md", "choose another id"))
                continue
            if tag_id in seen:
                problems.append(Problem(path, line, "tags.id", f"'{tag_id}' is defined twice (first at line {seen[tag_id]})",
                                        "tag ids are unique across all facets"))
                continue
            seen[tag_id] = line
            rule = tag.get("rules") or {}
            unknown = set(rule) - _RULE_KEYS if isinstance(rule, dict) else {"(not a mapping)"}
            if unknown:
                problems.append(Problem(path, line, "tags.rules", f"unknown rule keys {sorted(unknown)}",
                                        f"use {sorted(_RULE_KEYS)}"))
                rule = {}
            problems += check_rule(rule, path, lambda key, where=tag_where: doc.line(*where, "rules", key))
            rules[tag_id] = rule
            tags.append(Tag(tag_id, facet["id"], tag["name"], tag["description"]))
        facets.append(Facet(facet["id"], facet["name"], facet.get("question", ""), tuple(tags)))
    if problems:
        return None, tuple(problems)
    return Taxonomy(tuple(facets), rules), ()
