"""The records the core passes around. Frozen, so every stage returns new values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Paper:
    """One entry from `data/papers/<id>.yaml`, after validation.

    `source_path` is the entry's path relative to the project root, used for error messages
    and for the "edit this page" button; `tags_suggested` is True when the entry had no
    `tags:` and the tagger filled them in.
    """

    id: str
    title: str
    abstract: str
    arxiv: str | None = None
    aliases: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    added: str | None = None
    source: str | None = None
    authors: tuple[str, ...] = ()
    year: int | None = None
    venue: str | None = None
    published: str | None = None
    categories: tuple[str, ...] = ()
    source_path: str = ""
    tags_suggested: bool = False
    field_lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, name: str) -> int:
        """Line of a field (`"tags"`, `"links.code"`) in the entry file, 1 when unknown."""
        return dict(self.field_lines).get(name, 1)

    @property
    def link_map(self) -> dict[str, str]:
        return dict(self.links)

    @property
    def short_name(self) -> str | None:
        """The name before the colon in a title ("GaLore" in "GaLore: Memory-Efficient ..."),
        when it is short enough to be a system's name."""
        head, sep, _ = self.title.partition(":")
        words = head.split()
        # "Multimodal Mamba" or "Beyond Efficiency" are ordinary words, not a coined name.
        if sep and (len(words) == 1 or (len(words) == 2 and re.search(r"[a-z0-9][A-Z]|[A-Z]{2}|-", head))):
            return head.strip()
        return None


@dataclass(frozen=True)
class Tag:
    id: str
    facet: str
    name: str
    description: str


@dataclass(frozen=True)
class Facet:
    id: str
    name: str
    question: str
    tags: tuple[Tag, ...]


@dataclass(frozen=True)
class Taxonomy:
    facets: tuple[Facet, ...]
    # Tagger rules per tag id, kept opaque here; `atlas.tagger` interprets them.
    rules: dict = field(default_factory=dict, compare=False, hash=False)

    @cached_property
    def tags(self) -> dict[str, Tag]:
        """Every tag by id. Built once per taxonomy (read-only by convention): the maps of
        10,000 paper pages and the related-papers search look tags up millions of times."""
        return {tag.id: tag for facet in self.facets for tag in facet.tags}

    def facet_of(self, tag_id: str) -> str:
        return self.tags[tag_id].facet


@dataclass(frozen=True)
class RelatedLink:
    """A related paper with the evidence for the link, so readers can judge it."""

    paper_id: str
    score: float
    shared_tags: tuple[str, ...]
    shared_terms: tuple[str, ...]


@dataclass(frozen=True)
class Mention:
    """A span of a paper's title or abstract that names another paper in the atlas."""

    start: int
    end: int
    target: str
    field: str = "abstract"


@dataclass(frozen=True)
class EnrichedPaper:
    paper: Paper
    related: tuple[RelatedLink, ...] = ()
    mentions: tuple[Mention, ...] = ()
    mentioned_by: tuple[str, ...] = ()
    tag_evidence: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Atlas:
    """Everything the renderer needs, in a deterministic order (papers sorted by id)."""

    papers: tuple[EnrichedPaper, ...]
    taxonomy: Taxonomy

    @property
    def by_id(self) -> dict[str, EnrichedPaper]:
        return {p.paper.id: p for p in self.papers}
