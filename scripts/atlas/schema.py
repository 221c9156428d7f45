"""The entry schema: one declaration that drives validation, docs and the JSON Schema.

Each field says its type and the rule it must meet; `validate_entry` turns a located YAML
document into a `Paper` or a list of problems, and `json_schema` publishes the same
rules for editors (kept in sync by a test).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass
from typing import Any

from .model import Paper
from .problems import Problem
from .urls import url_problem
from .yamlsafe import YamlDocument

ID_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ID_MAX = 64
ARXIV_PATTERN = r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})$"
DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
LINK_KINDS = ("code", "project", "dataset", "model")
# Ids that name a generated page of their own: papers/index.md is the list of all papers.
RESERVED_IDS = ("index",)
# The JSON Schema's approximation of urls.url_problem, for editors: http(s), a host, no
# whitespace, none of the characters a URL may not hold, no trailing sentence punctuation.
URL_PATTERN = r"^https?://[^\s/?#<>\"`{}|\\^@]+(?:[/?#][^\s<>\"`{}|\\^]*)?(?<![.,;:!?'\]])$"
# Words contributors reach for instead of a link kind.
_LINK_KIND_HINTS = {"github": "code", "gitlab": "code", "repo": "code", "repository": "code", "source": "code",
                    "homepage": "project", "website": "project", "page": "project", "blog": "project",
                    "demo": "project", "data": "dataset", "weights": "model", "checkpoint": "model",
                    "huggingface": "model", "hf": "model"}
TITLE_MAX = 300
ABSTRACT_MAX = 6000


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # "str", "list", "links", "int"
    description: str
    required: bool = False
    pattern: str | None = None
    max_length: int | None = None
    example: str = ""


FIELDS: tuple[Field, ...] = (
    Field("id", "str", "Short kebab-case slug; equal to the file name without `.yaml`.", True,
          ID_PATTERN, ID_MAX, "galore"),
    Field("title", "str", "The paper's title, on one line.", True, None, TITLE_MAX,
          "'GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection'"),
    Field("abstract", "str", "The abstract, cleaned of LaTeX remnants.", True, None, ABSTRACT_MAX),
    Field("arxiv", "str", "arXiv identifier without version, quoted.", False, ARXIV_PATTERN, None,
          "'2403.03507'"),
    Field("aliases", "list", "Names the paper's system goes by in text; other abstracts that use them "
          "link here.", example="[GaLore]"),
    Field("links", "links", "URLs: `code`, `project`, `dataset`, `model` (https).",
          example="{code: https://github.com/jiaweizzhao/GaLore}"),
    Field("tags", "list", "Taxonomy tag ids (see data/taxonomy.yaml). Leave out to have them suggested.",
          example="[pre-training, low-rank, method]"),
    Field("added", "str", "Date the entry was added, quoted ISO date.", False, DATE_PATTERN, None,
          "'2026-11-27'"),
    Field("source", "str", "Where the entry came from (a digest name, `arxiv`, `manual`).", max_length=200),
    Field("authors", "list", "Author names, in order.", example="[Jiawei Zhao, Zhenyu Zhang]"),
    Field("year", "int", "Year of publication.", example="2024"),
    Field("venue", "str", "Where it was published (conference, journal).", max_length=200),
    Field("published", "str", "Date of first publication, quoted ISO date.", False, DATE_PATTERN, None,
          "'2024-03-06'"),
    Field("categories", "list", "arXiv categories, primary first.", example="[cs.LG, cs.CL]"),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
_BY_NAME = {f.name: f for f in FIELDS}


def did_you_mean(word: str, choices) -> str:
    """The hint `did you mean 'x'?` for the choice closest to a misspelt `word`; empty if none is close."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _yaml_surprise(doc: YamlDocument, key_path: tuple, value: Any) -> str:
    """Explain a YAML 1.1 implicit conversion, e.g. `no` read as false."""
    raw = doc.plain.get(key_path)
    if raw is None:
        return ""
    kind = {bool: "a boolean", int: "a number", float: "a number", dt.date: "a date",
            dt.datetime: "a date-time", type(None): "null"}.get(type(value), type(value).__name__)
    return f"YAML read `{raw}` as {kind}; quote it: '{raw}'"


def _type_name(value: Any) -> str:
    return {str: "text", list: "a list", dict: "a mapping", bool: "a boolean", int: "a number",
            float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


def _check_text(path: str, doc: YamlDocument, spec: Field, value: Any, key_path: tuple) -> list[Problem]:
    line = doc.line(*key_path)
    name = ".".join(str(k) for k in key_path)
    if not isinstance(value, str):
        surprise = _yaml_surprise(doc, key_path, value)
        if surprise:
            return [Problem(path, line, name, f"expected text, got {_type_name(value)}", surprise)]
        return [Problem(path, line, name, f"expected text, got {_type_name(value)}",
                        f"write it as a quoted string, e.g. {name}: {spec.example or chr(39) + '...' + chr(39)}")]
    problems = []
    if not value.strip():
        problems.append(Problem(path, line, name, "is empty", "fill it in or remove the field"))
    if spec.max_length and len(value) > spec.max_length:
        problems.append(Problem(path, line, name, f"is {len(value)} characters, over {spec.max_length}",
                                "shorten it"))
    if spec.pattern and not re.match(spec.pattern, value):
        problems.append(Problem(path, line, name, f"'{value}' does not match the expected form",
                                f"write it like {spec.example}" if spec.example else f"match {spec.pattern}"))
    elif spec.pattern == DATE_PATTERN:
        try:
            dt.date.fromisoformat(value)
        except ValueError as error:  # the form of a date, but no such day: '2024-13-01', '2024-02-30'
            problems.append(Problem(path, line, name, f"'{value}' is not a date ({error})",
                                    f"write a real day as YYYY-MM-DD, like {spec.example}"))
    if "\t" in value:
        problems.append(Problem(path, line, name, "contains a TAB character (a double-quoted YAML string "
                                "turns '\\t' in '\\times' into TAB + 'imes')",
                                "use single quotes or a block scalar (>-) for text with backslashes, "
                                "or write × instead of \\times"))
    return problems


def _check_string_list(path, doc, spec: Field, value, key_path) -> list[Problem]:
    name = spec.name
    line = doc.line(*key_path)
    if not isinstance(value, list):
        hint = f"write a list: {name}: [{value}]" if isinstance(value, str) else f"write a list, e.g. {name}: {spec.example}"
        return [Problem(path, line, name, f"expected a list, got {_type_name(value)}", hint)]
    problems = []
    seen = set()
    for index, item in enumerate(value):
        item_path = key_path + (index,)
        if not isinstance(item, str):
            problems.append(Problem(path, doc.line(*item_path), f"{name}[{index}]",
                                    f"expected text, got {_type_name(item)}",
                                    _yaml_surprise(doc, item_path, item)
                                    or ("write each item as text, not a list or mapping in the list"
                                        if isinstance(item, (list, dict)) else "quote the item")))
        elif not item.strip():
            problems.append(Problem(path, doc.line(*item_path), f"{name}[{index}]", "is empty", "remove it"))
        elif item in seen:
            problems.append(Problem(path, doc.line(*item_path), f"{name}[{index}]",
                                    f"'{item}' is listed twice", "remove the repeat"))
        else:
            seen.add(item)  # text only: a nested list cannot be hashed, and is reported above
    return problems


def _check_links(path, doc, value, key_path) -> list[Problem]:
    line = doc.line(*key_path)
    if not isinstance(value, dict):
        return [Problem(path, line, "links", f"expected a mapping, got {_type_name(value)}",
                        "write e.g. links: {code: https://github.com/org/repo}")]
    problems = []
    for kind, url in value.items():
        item_path = key_path + (kind,)
        field_name = f"links.{kind}"
        if kind not in LINK_KINDS:
            hint = (f"did you mean '{_LINK_KIND_HINTS[kind.lower()]}'?" if str(kind).lower() in _LINK_KIND_HINTS
                    else did_you_mean(kind, LINK_KINDS) or f"use one of: {', '.join(LINK_KINDS)}")
            problems.append(Problem(path, doc.line(*item_path), field_name, "unknown link kind", hint))
            continue
        if not isinstance(url, str):
            problems.append(Problem(path, doc.line(*item_path), field_name,
                                    f"expected a URL, got {_type_name(url)}", "write an https:// URL"))
            continue
        problem = url_problem(url)
        if problem:
            problems.append(Problem(path, doc.line(*item_path), field_name, problem[0], problem[1]))
    return problems


def validate_entry(doc: YamlDocument, path: str, file_id: str) -> tuple[Paper | None, list[Problem]]:
    """Check one entry against the schema; return the Paper only when it has no problems."""
    data = doc.data
    if not isinstance(data, dict):
        return None, [Problem(path, doc.line(), "file", f"expected a mapping of fields, got {_type_name(data)}",
                              "start the file with 'id: <id>' and one field per line")]
    problems: list[Problem] = []
    misspelled = set()
    for key in data:
        if key not in _BY_NAME:
            close = difflib.get_close_matches(key, FIELD_NAMES, n=1, cutoff=0.6)
            misspelled.update(close)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields: {', '.join(FIELD_NAMES)}"
            problems.append(Problem(path, doc.line(key), key, "unknown field", hint))
    for spec in FIELDS:
        if spec.name not in data:
            # `tittle:` already says "did you mean 'title'?"; "title is missing" would repeat it.
            if spec.required and spec.name not in misspelled:
                problems.append(Problem(path, 1, spec.name, "required field is missing",
                                        f"add '{spec.name}: ...'" + (f", e.g. {spec.name}: {spec.example}" if spec.example else "")))
            continue
        value = data[spec.name]
        key_path = (spec.name,)
        if spec.kind == "str":
            problems += _check_text(path, doc, spec, value, key_path)
        elif spec.kind == "list":
            problems += _check_string_list(path, doc, spec, value, key_path)
        elif spec.kind == "links":
            problems += _check_links(path, doc, value, key_path)
        elif spec.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2100:
                problems.append(Problem(path, doc.line(*key_path), spec.name,
                                        f"expected a year such as 2024, got {value!r}", "write a four-digit year"))
    entry_id = data.get("id")
    if entry_id in RESERVED_IDS:
        problems.append(Problem(path, doc.line("id"), "id", f"'{entry_id}' is reserved: its page would replace "
                                f"papers/{entry_id}.md", f"choose another id, e.g. {entry_id}-paper"))
    if isinstance(entry_id, str) and re.match(ID_PATTERN, entry_id) and entry_id != file_id:
        problems.append(Problem(path, doc.line("id"), "id", f"'{entry_id}' does not match the file name '{file_id}.yaml'",
                                f"rename the file to {entry_id}.yaml or set id: {file_id}"))
    if isinstance(data.get("title"), str) and "\n" in data["title"].strip():
        problems.append(Problem(path, doc.line("title"), "title", "spans several lines", "write the title on one line"))
    if problems:
        return None, problems
    return _to_paper(data, path, doc), []


def _to_paper(data: dict, path: str, doc: YamlDocument) -> Paper:
    links = data.get("links") or {}
    field_lines = tuple(sorted((".".join(map(str, key)), line) for key, line in doc.lines.items()
                               if key and all(isinstance(k, str) for k in key)))
    return Paper(
        id=data["id"],
        title=" ".join(data["title"].split()),
        abstract=data["abstract"].strip(),
        arxiv=data.get("arxiv"),
        aliases=tuple(data.get("aliases") or ()),
        links=tuple((kind, links[kind]) for kind in LINK_KINDS if kind in links),
        tags=tuple(data.get("tags") or ()),
        added=data.get("added"),
        source=data.get("source"),
        authors=tuple(data.get("authors") or ()),
        year=data.get("year"),
        venue=data.get("venue"),
        published=data.get("published"),
        categories=tuple(data.get("categories") or ()),
        source_path=path,
        tags_suggested="tags" not in data,
        field_lines=field_lines,
    )


def json_schema(tag_ids: list[str] | None = None) -> dict:
    """A JSON Schema (draft 2020-12) for entries, generated from FIELDS."""
    properties: dict[str, Any] = {}
    for spec in FIELDS:
        if spec.kind == "str":
            prop: dict[str, Any] = {"type": "string", "minLength": 1}
            if spec.pattern:
                prop["pattern"] = spec.pattern
            if spec.max_length:
                prop["maxLength"] = spec.max_length
            if spec.name == "id":
                prop["not"] = {"enum": list(RESERVED_IDS)}
        elif spec.kind == "int":
            prop = {"type": "integer", "minimum": 1900, "maximum": 2100}
        elif spec.kind == "links":
            prop = {"type": "object", "additionalProperties": False,
                    "properties": {k: {"type": "string", "pattern": URL_PATTERN} for k in LINK_KINDS}}
        else:
            items: dict[str, Any] = {"type": "string", "minLength": 1}
            if spec.name == "tags" and tag_ids:
                items = {"enum": sorted(tag_ids)}
            prop = {"type": "array", "items": items, "uniqueItems": True}
        prop["description"] = spec.description
        properties[spec.name] = prop
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "paper.schema.json",
        "title": "Paper Atlas entry",
        "description": "One paper: data/papers/<id>.yaml. Generated by `atlas schema`; do not edit by hand.",
        "type": "object",
        "required": [f.name for f in FIELDS if f.required],
        "additionalProperties": False,
        "properties": properties,
    }


def json_schema_text(tag_ids: list[str] | None = None) -> str:
    """`data/paper.schema.json` as written by `atlas schema`: stable, two-space indented."""
    return json.dumps(json_schema(tag_ids), indent=2, ensure_ascii=False) + "\n"
