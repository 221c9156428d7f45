"""Read untrusted YAML: a strict, located subset that PyYAML alone does not enforce.

PyYAML's safe loader still accepts anchors and aliases (a "billion laughs" file expands
exponentially), silently keeps the last of duplicate keys, and gives no line numbers for
values. So we compose the node graph ourselves, refuse what a paper entry never needs,
and return every scalar's line and source text so later checks can point at it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.events import AliasEvent, ScalarEvent, SequenceStartEvent, MappingStartEvent
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .problems import Problem

MAX_BYTES = 64 * 1024
MAX_DEPTH = 6  # an entry: mapping > links mapping > URL, with room to spare
TAXONOMY_MAX_DEPTH = 10  # facets > facet > tags > tag > rules > phrases > phrase

# Core YAML tags a data file may use; any other tag (`!!python/object`, `!!binary`, custom
# `!tags`) is refused before it reaches a constructor.
_ALLOWED_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

# Characters that hide or reorder text ("Trojan Source"): zero-width and bidi controls.
_INVISIBLE = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space (BOM)",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u061c": "arabic letter mark",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
    **{chr(c): "bidirectional override" for c in range(0x202A, 0x202F)},
    **{chr(c): "bidirectional isolate" for c in range(0x2066, 0x206A)},
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Any character `check_characters` reports; one scan of clean text instead of a per-character loop.
_SUSPECT = re.compile("[" + "".join(_INVISIBLE) + r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\t]")

Path = tuple  # a key path into the document, e.g. ("links", "code") or ("tags", 0)


@dataclass
class YamlDocument:
    """A parsed document plus where each value came from."""

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    # Source text of plain (unquoted) scalars, to explain YAML 1.1 surprises such as `no`.
    plain: dict[Path, str] = field(default_factory=dict)

    def line(self, *path: Any) -> int:
        """Line of the value at `path`, else of its nearest located ancestor, else 1."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return 1


class _Refused(Exception):
    def __init__(self, line: int, field_: str, message: str, fix: str):
        super().__init__(message)
        self.line, self.field, self.message, self.fix = line, field_, message, fix


class _Strict:
    """Refuses anchors, aliases and excessive nesting as they are met (shared by both loaders)."""

    _max_depth = MAX_DEPTH

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, AliasEvent):
            raise _Refused(line, "yaml", f"alias '*{event.anchor}' is not allowed",
                           "write the value out in full; entries may not use anchors or aliases")
        if isinstance(event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)) and event.anchor:
            raise _Refused(line, "yaml", f"anchor '&{event.anchor}' is not allowed",
                           "remove the anchor and write values out in full")
        self._depth += 1
        try:
            if self._depth > self._max_depth:
                raise _Refused(line, "yaml", f"nesting deeper than {self._max_depth} levels",
                               "entries are flat: a mapping of fields, lists of strings and a links mapping")
            return Composer.compose_node(self, parent, index)
        finally:
            self._depth -= 1


class _StrictLoader(_Strict, yaml.SafeLoader):
    """PyYAML's pure-Python loader with the checks: always available, and the reference."""

    def __init__(self, stream: str, max_depth: int = MAX_DEPTH):
        super().__init__(stream)
        self._depth = 0
        self._max_depth = max_depth


try:
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None

if CParser is not None:
    class _FastStrictLoader(_Strict, Composer, CParser, SafeConstructor, yaml.resolver.Resolver):
        """libyaml's scanner and parser (C, ~10x faster) under the same Python composer and checks.

        Only used for files that load cleanly: on any error the file is parsed again with
        `_StrictLoader`, so problems read the same whichever parser is installed.
        """

        def __init__(self, stream: str, max_depth: int = MAX_DEPTH):
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._depth = 0
            self._max_depth = max_depth
else:  # pragma: no cover - PyYAML built without libyaml
    _FastStrictLoader = None


def _depth(node, limit: int = MAX_DEPTH) -> int:
    if isinstance(node, MappingNode):
        return 1 + max((_depth(v, limit - 1) for _, v in node.value), default=0) if limit > 0 else 1
    if isinstance(node, SequenceNode):
        return 1 + max((_depth(v, limit - 1) for v in node.value), default=0) if limit > 0 else 1
    return 1


def _fast_nodes(text: str, max_depth: int = MAX_DEPTH) -> list | None:
    """The document's nodes via libyaml, or None when unavailable or anything is off.

    Text without `&` and `*` cannot hold an anchor or alias, so libyaml may compose it
    entirely in C; otherwise the Python composer checks every event.
    """
    if _FastStrictLoader is None:
        return None
    if "&" not in text and "*" not in text:
        loader = yaml.CSafeLoader(text)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            return None
        finally:
            loader.dispose()
        return [node] if node is not None and _depth(node, max_depth) <= max_depth else None
    loader = _FastStrictLoader(text, max_depth)
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
        return nodes if len(nodes) == 1 else None
    except (_Refused, yaml.YAMLError):
        return None
    finally:
        loader.dispose()


def _locate_bad_bytes(raw: bytes, error: UnicodeDecodeError) -> tuple[int, str]:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return 1, "file is UTF-16 (it starts with a UTF-16 byte order mark), not UTF-8"
    line = raw.count(b"\n", 0, error.start) + 1
    return line, f"bytes are not valid UTF-8 at byte offset {error.start} (0x{raw[error.start]:02x})"


def character_problem(text: str) -> tuple[str, str] | None:
    """The first hidden or control character in `text`, as (what, fix); None when clean."""
    for ch in text:
        if ch in _INVISIBLE:
            return (f"invisible character U+{ord(ch):04X} ({_INVISIBLE[ch]})",
                    "delete it; it can hide or reorder text")
        if _CONTROL.match(ch):
            name = "NUL" if ch == "\x00" else f"U+{ord(ch):04X}"
            return f"control character {name}", "delete it; entries are plain text"
    return None


def check_characters(text: str, path: str) -> list[Problem]:
    """Report control, zero-width and bidi characters: they hide or reorder what reviewers see."""
    if not _SUSPECT.search(text):
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        found = character_problem(line)
        if found:
            problems.append(Problem(path, number, "text", *found))
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            problems.append(Problem(path, number, "yaml", "tab used for indentation",
                                    "indent with spaces; YAML does not allow tabs there"))
    return problems


def decode_yaml_bytes(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes to text: size cap, UTF-8 only (a BOM is accepted), CRLF normalised to LF."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(path, 1, "file", f"file is {len(raw)} bytes, over the {MAX_BYTES}-byte cap",
                              "an entry is one paper: title, abstract, links and tags")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, message = _locate_bad_bytes(raw, error)
        return None, [Problem(path, line, "file", message, "save the file as UTF-8")]
    return text.replace("\r\n", "\n"), []


def parse_yaml(text: str, path: str, max_depth: int = MAX_DEPTH) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML document from `text`; return it with its locations, or the problems."""
    problems = check_characters(text, path)
    # Tabs in indentation and control characters stop here: PyYAML would refuse them with a
    # less helpful message (or, for control characters, before any line is known).
    if problems and any(p.field == "yaml" or p.message.startswith("control") for p in problems):
        return None, problems
    nodes = _fast_nodes(text, max_depth)
    if nodes is not None:
        document = YamlDocument(data=None)
        convert_problems: list[Problem] = []
        document.data = _convert(nodes[0], (), document, path, convert_problems)
        return document, problems + convert_problems
    try:
        loader = _StrictLoader(text, max_depth)
    except yaml.YAMLError as error:
        return None, problems + [Problem(path, 1, "yaml", f"cannot read YAML: {error}", "fix the YAML syntax")]
    try:
        nodes = []
        while loader.check_node():
            nodes.append(loader.get_node())
            if len(nodes) > 1:
                line = _separator_line(text, nodes[1].start_mark.line)
                return None, problems + [Problem(path, line, "yaml", "file holds more than one YAML document",
                                                 "remove the '---' separator; one file holds one entry")]
    except _Refused as refused:
        return None, problems + [Problem(path, refused.line, refused.field, refused.message, refused.fix)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = (error.problem or str(error)).strip()
        # An unclosed quote or bracket is only noticed at the end of the file; the line to
        # fix is where it was opened, which PyYAML gives as the context.
        if error.context_mark and error.problem_mark and not text[error.problem_mark.index:].strip():
            mark = error.context_mark
            opened = error.context.replace("while scanning ", "").replace("while parsing ", "")
            what = f"{opened} opened here is never closed ({what})"
        line = mark.line + 1 if mark else 1
        column = f", column {mark.column + 1}" if mark else ""
        return None, problems + [Problem(path, line, "yaml", f"syntax error{column}: {what}",
                                         "fix the YAML syntax; quote values that contain ': ' or start with a symbol")]
    except yaml.YAMLError as error:
        return None, problems + [Problem(path, 1, "yaml", f"cannot read YAML: {error}", "fix the YAML syntax")]
    finally:
        loader.dispose()
    if not nodes:
        return None, problems + [Problem(path, 1, "file", "file is empty",
                                         "write the entry's fields: id, title, abstract, tags")]
    document = YamlDocument(data=None)
    convert_problems: list[Problem] = []
    document.data = _convert(nodes[0], (), document, path, convert_problems)
    return document, problems + convert_problems


def _separator_line(text: str, second_start: int) -> int:
    """Line of the `---` that starts the second document (0-based start line given)."""
    lines = text.split("\n")
    for index in range(min(second_start, len(lines) - 1), -1, -1):
        if lines[index].startswith("---"):
            return index + 1
    return second_start + 1


_constructor = SafeConstructor()


def _convert(node, key_path: Path, doc: YamlDocument, path: str, problems: list[Problem]) -> Any:
    """Node to plain Python, recording locations; refuses unknown tags and duplicate keys."""
    line = node.start_mark.line + 1
    doc.lines.setdefault(key_path, line)
    if node.tag not in _ALLOWED_TAGS:
        where = key_path[0] if key_path else "yaml"
        problems.append(Problem(path, line, str(where), f"YAML tag '{node.tag}' is not allowed",
                                "remove the tag; entries hold plain strings, lists and mappings"))
        return None
    if isinstance(node, MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
                shown = f"key '{key_node.value}'" if isinstance(key_node, ScalarNode) else "a list or mapping as key"
                problems.append(Problem(path, key_line, "yaml", f"{shown} is not a plain name",
                                        "use field names such as 'title' as keys"))
                continue
            key = key_node.value
            if key in result:
                first = doc.lines.get(key_path + (key,), 0)
                problems.append(Problem(path, key_line, key, f"duplicate key (first at line {first})",
                                        "keep one; YAML would silently use the last"))
                continue
            doc.lines[key_path + (key,)] = key_line
            result[key] = _convert(value_node, key_path + (key,), doc, path, problems)
        return result
    if isinstance(node, SequenceNode):
        return [_convert(item, key_path + (index,), doc, path, problems)
                for index, item in enumerate(node.value)]
    if not node.style and node.tag != "tag:yaml.org,2002:str":  # plain: None, or "" from libyaml
        doc.plain[key_path] = node.value
    try:
        value = _constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError):
        # Shaped like a date but no date (2024-13-01): kept as the text written, which the
        # schema then checks like any quoted date (atlas.schema names the field and the fix).
        return node.value
    # Double-quoted escapes ("\u202E", "\x07") put characters in the value that the file's
    # text does not show, so the value is checked as well as the text.
    if isinstance(value, str) and node.style == '"':
        found = character_problem(value)
        if found:
            where = _field_name(key_path)
            problems.append(Problem(path, line, where, f"escape sequence gives an {found[0]}"
                                    if found[0].startswith("invisible") else f"escape sequence gives a {found[0]}",
                                    found[1]))
    return value


def _field_name(key_path: Path) -> str:
    """`links.code`, `tags[2]`: the field a value sits in, as a contributor would name it."""
    return "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in key_path).lstrip(".") or "yaml"


def read_yaml(raw: bytes, path: str, max_depth: int = MAX_DEPTH) -> tuple[YamlDocument | None, list[Problem]]:
    """Bytes of a file to a located document, or the problems that stop it loading."""
    text, problems = decode_yaml_bytes(raw, path)
    if text is None:
        return None, problems
    return parse_yaml(text, path, max_depth)


def nfc(text: str) -> str:
    """Unicode NFC, so that visually identical titles compare equal."""
    return unicodedata.normalize("NFC", text)
