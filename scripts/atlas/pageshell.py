"""Page shells: the theme's page template rendered once with placeholders, filled in per page.

Material renders every page through the same large template (header, palette, search box,
sidebars, footer, scripts): ~3.5 ms a page, 35 s of a 10,000-paper build, although pages
outside the nav in one folder differ only in a few values — title, description, canonical
and edit URLs, the article, its table of contents and its tag list. A `Shell` is that
template's output with a placeholder where each such value goes; filling it is a join.

`Shell` only splits and fills text. `PageShells` is the theme template's side (installed
by scripts/mkdocs_hooks.py, called from overrides/atlas-page.html): it decides which pages
share a shell and proves each shell on real pages before trusting it, so a theme change
that prints some other page value costs speed, never correctness.
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass

import jinja2

log = logging.getLogger("mkdocs.hooks.atlas")

# Unlikely in any page, unchanged by HTML escaping and by `striptags`.
_MARK = "@@atlas-slot-{}-7c1e@@"
_ANY_MARK = re.compile(re.escape(_MARK).replace(r"\{\}", "([a-z]+)"))


def placeholder(slot: str) -> str:
    """The text a slot's value is replaced by while the shell is rendered."""
    return _MARK.format(slot)


class ShellError(ValueError):
    """A shell that cannot be used: it names a slot nobody fills, or (when every page is
    checked) its fill differs from the full render."""


@dataclass(frozen=True)
class Shell:
    """Literal text interleaved with slot names: literals[0] slot[0] literals[1] ..."""

    literals: tuple[str, ...]
    slots: tuple[str, ...]

    @classmethod
    def parse(cls, rendered: str, expected: set[str]) -> "Shell":
        """Split rendered text at its placeholders; each must name one of the `expected` slots
        (a slot may also not occur, e.g. no description on the page)."""
        parts = _ANY_MARK.split(rendered)
        literals, slots = tuple(parts[0::2]), tuple(parts[1::2])
        unknown = set(slots) - expected
        if unknown:
            raise ShellError(f"unexpected slots {sorted(unknown)}")
        return cls(literals, slots)

    def fill(self, values: dict[str, str]) -> str:
        out = [self.literals[0]]
        for slot, literal in zip(self.slots, self.literals[1:]):
            out.append(values[slot])
            out.append(literal)
        return "".join(out)


SHELL_TEMPLATE = "atlas-page.html"
# Page values that differ between pages sharing a shell; everything else in the front
# matter must be equal for two pages to share one.
SHELL_SLOTS = {"title", "description", "canonical", "edit", "content", "toc", "tags"}
_SLOT_META = {"title", "description", "tags", "atlas_source", "template"}
# Checked against a full render before a shell is trusted for the rest of its group.
PROOF_PAGES = 2


class PageShells:
    """Render the atlas's HTML pages outside the nav through shells.

    Pages share a shell when they are in the same folder (`page.atlas_fragment_key`, set by
    the hook; so relative links and the sidebar are the same) and their front matter
    differs only in slot values. The shell is Material's main.html rendered with
    placeholders for the page's values and for the two partials that list them (toc,
    tags), which are rendered per page. A shell is used
    only after it gave exactly the full render's bytes on the PROOF_PAGES pages after the
    one it was made from; otherwise its group is rendered in full.
    ATLAS_SHELL_CHECK=1 compares every page and fails the build on a difference (tests).
    """

    def __init__(self, env: jinja2.Environment):
        self.env = env
        slot_partials = {"partials/toc.html": placeholder("toc"), "partials/tags.html": placeholder("tags")}
        self.shell_env = env.overlay(loader=jinja2.ChoiceLoader([jinja2.DictLoader(slot_partials), env.loader]))
        self.groups: dict[tuple, _Group] = {}
        self.check_every_page = os.environ.get("ATLAS_SHELL_CHECK") == "1"
        self.lang = None
        self.filled = 0
        # Many pages have the same table of contents (a paper page's sections) or tag list.
        self.partials: dict[tuple, str] = {}

    @jinja2.pass_context
    def render(self, context) -> str:
        variables = context.get_all()
        page = variables["page"]
        key = self._key(page)
        if key is None:
            return self._full(variables)
        group = self.groups.get(key)
        if group is None:
            # A shell is always right for the page it is made from: prove it on others.
            self.groups[key] = _Group(self._make_shell(variables, page))
            return self._full(variables)
        if group.shell is None:
            return self._full(variables)
        filled = group.shell.fill(self._values(page, variables))
        if group.proven < PROOF_PAGES or self.check_every_page:
            full = self._full(variables)
            if filled != full:
                if self.check_every_page:
                    raise ShellError(f"the page shell of {page.file.src_uri} differs from its full render")
                log.debug(f"atlas: no shell for pages like {page.file.src_uri}: it differs from the full render")
                group.shell = None
                return full
            group.proven += 1
        self.filled += 1
        group.filled += 1
        return filled

    def summary(self) -> str:
        shells = sum(1 for group in self.groups.values() if group.filled)
        return f"{self.filled} pages filled in from {shells} page shells"

    def _full(self, variables: dict) -> str:
        return self.env.get_template("main.html").render(variables)

    @staticmethod
    def _key(page) -> tuple | None:
        folder = getattr(page, "atlas_fragment_key", None)
        if folder is None or not page.content:
            return None
        rest = tuple(sorted((k, repr(v)) for k, v in page.meta.items() if k not in _SLOT_META))
        first = next(iter(page.toc), None)
        return (folder, rest, bool(page.meta.get("description")), bool(page.edit_url),
                bool(page.canonical_url), "<h1" in page.content, first.url if first else None)

    def _make_shell(self, variables: dict, page) -> Shell | None:
        try:
            rendered = self.shell_env.get_template("main.html").render(dict(variables, page=_ShellPage(page)))
            return Shell.parse(rendered, SHELL_SLOTS)
        except ShellError:
            return None

    def _values(self, page, variables: dict) -> dict[str, str]:
        if self.lang is None:
            self.lang = self.env.get_template("partials/language.html").make_module(variables)
        hide = repr(page.meta.get("hide"))
        toc_key = ("toc", hide, _toc_key(_printed_toc(page.toc)))
        if toc_key not in self.partials:
            self.partials[toc_key] = self.env.get_template("partials/toc.html").render(dict(variables, lang=self.lang))
        tags = variables.get("tags") or ()
        tags_key = ("tags", hide, tuple((t.name, t.url, getattr(t, "hidden", False)) for t in tags))
        if tags_key not in self.partials:
            self.partials[tags_key] = self.env.get_template("partials/tags.html").render(variables)
        return {
            "title": page.meta.get("title", ""), "description": page.meta.get("description", ""),
            "canonical": page.canonical_url or "", "edit": page.edit_url or "", "content": page.content,
            "toc": self.partials[toc_key], "tags": self.partials[tags_key],
        }


def _printed_toc(toc) -> list:
    """The entries partials/toc.html prints: when the first is a level-1 heading (the page's
    title), its children alone. So paper pages with the same sections share one rendered
    table of contents, whatever their titles (10,000 renders of it were ~4 s of a build)."""
    items = list(toc)
    if items and items[0].level == 1:
        return list(items[0].children)
    return items


def _toc_key(items) -> tuple:
    """Everything of a table of contents that partials/toc.html and toc-item.html print."""
    return tuple((item.url, item.title, item.level, repr(getattr(item, "typeset", None)), _toc_key(item.children))
                 for item in items)


class _Group:
    def __init__(self, shell: Shell | None):
        self.shell = shell
        self.proven = 0
        self.filled = 0


class _SlotText(str):
    """A placeholder that answers `in` like the page's real text (content.html asks "<h1" in it)."""

    def __new__(cls, slot: str, real: str):
        text = super().__new__(cls, placeholder(slot))
        text.real = real
        return text

    def __contains__(self, part) -> bool:
        return part in self.real


class _ShellPage:
    """The page as the shell sees it: its own values replaced by placeholders."""

    def __init__(self, page):
        self._page = page
        meta = dict(page.meta)
        for name in ("title", "description"):
            if meta.get(name):
                meta[name] = placeholder(name)
        self.meta = meta
        self.title = placeholder("title")
        self.canonical_url = placeholder("canonical") if page.canonical_url else page.canonical_url
        self.edit_url = placeholder("edit") if page.edit_url else page.edit_url
        self.content = _SlotText("content", page.content)

    def __getattr__(self, name):
        return getattr(self._page, name)
