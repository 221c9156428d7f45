"""Write entries as YAML that humans edit: fixed field order, quoted dates, folded abstract.

Writing goes through PyYAML's emitter (never string formatting), so any title or abstract
round-trips exactly; `tests/test_entry_yaml.py` checks that.
"""

from __future__ import annotations

import yaml

from .model import Paper

SCHEMA_COMMENT = "# yaml-language-server: $schema=../paper.schema.json\n"
_ORDER = ("id", "title", "arxiv", "authors", "year", "venue", "published", "categories", "aliases",
          "links", "tags", "added", "source", "abstract")
FIELD_ORDER = _ORDER  # the order fields appear in an entry file


class _Folded(str):
    """A string emitted as a folded block scalar (`>-`), readable in diffs."""


class _Quoted(str):
    """A string always single-quoted, so YAML 1.1 never reads it as a date or number."""


class _Dumper(yaml.SafeDumper):
    pass


def _flow_list(dumper, data):
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


_Dumper.add_representer(_Folded, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", str(s), style=">"))
_Dumper.add_representer(_Quoted, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", str(s), style="'"))
_Dumper.add_representer(tuple, _flow_list)


def paper_to_mapping(paper: Paper) -> dict:
    """The fields an entry file holds, omitting empty ones."""
    values = {
        "id": paper.id, "title": paper.title, "arxiv": _Quoted(paper.arxiv) if paper.arxiv else None,
        "authors": tuple(paper.authors), "year": paper.year, "venue": paper.venue,
        "published": _Quoted(paper.published) if paper.published else None,
        "categories": tuple(paper.categories), "aliases": tuple(paper.aliases),
        "links": dict(paper.links) or None,
        "tags": tuple(paper.tags) if not paper.tags_suggested else (),
        "added": _Quoted(paper.added) if paper.added else None, "source": paper.source,
        "abstract": _Folded(paper.abstract),
    }
    return {key: values[key] for key in _ORDER if values[key] not in (None, (), "")}


def dump_entry(paper: Paper) -> str:
    """The text of `data/papers/<id>.yaml` for `paper`."""
    body = yaml.dump(paper_to_mapping(paper), Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     width=100, default_flow_style=False)
    return SCHEMA_COMMENT + body
