"""The Python pieces of the HTML pages write what the Jinja macros they replaced wrote."""

from __future__ import annotations

import jinja2
from markupsafe import Markup

from atlas import htmlfragments
from atlas.model import Tag

# The macros as they were in templates/_html.j2, the reference for the byte-identical pages.
MACROS = """
{% macro heading(level, id, text) -%}
<h{{ level }} id="{{ id }}">{{ text }}<a class="headerlink" href="#{{ id }}" title="Permanent link">&para;</a></h{{ level }}>
{%- endmacro %}
{% macro tag_url(tag_id, root) -%}
{{ root }}tags/{{ tag_id }}/
{%- endmacro %}
{% macro tag_chip(tag, root) -%}
<a class="atlas-chip atlas-chip--{{ tag.facet }}" href="{{ tag_url(tag.id, root) }}">{{ tag.name }}</a>
{%- endmacro %}
{% macro paper_link(paper, root) -%}
<a href="{{ papers_root }}{{ paper.id }}/">{{ paper.title }}</a>
{%- endmacro %}
{% macro inline_tags(tag_ids, root, skip="") -%}
{% for tag_id in tag_ids if tag_id in tags and tag_id != skip %}<a href="{{ tag_url(tag_id, root) }}">{{ tags[tag_id].name }}</a>{% if not loop.last %}, {% endif %}{% endfor %}
{%- endmacro %}
"""
CALLS = """{{ heading(2, "key-numbers", "Key <numbers> & (" ~ 3 ~ ")") }}|{{ heading(1, "paper", title) }}|\
{{ tag_url("kv-cache", root) }}|{{ tag_chip(tags["kv-cache"], root) }}|{{ paper_link(paper, root) }}|\
{{ inline_tags(["kv-cache", "unknown", "q&a", "serving"], root) }}|{{ inline_tags(["kv-cache", "q&a"], root, "q&a") }}|\
{{ inline_tags([], root) }}"""
TAGS = {t.id: t for t in (Tag("kv-cache", "technique", "KV <cache>", ""), Tag("q&a", "domain", "Q&A \"quoted\"", ""),
                          Tag("serving", "stage", "Serving", ""))}


class _Paper:
    id = "q&a-paper"
    title = "Q&A: <b>bold</b> 'claims' & \"quotes\""


def _render(with_macros: bool) -> str:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    if not with_macros:
        env.globals.update(htmlfragments.GLOBALS)
    template = env.from_string((MACROS if with_macros else "") + CALLS)
    return template.render(tags=TAGS, paper=_Paper(), root="../../", papers_root="../<x>/",
                           title=Markup("<em>already markup</em> & co")).strip()


def test_fragments_write_what_the_macros_wrote_byte_for_byte():
    assert _render(with_macros=False) == _render(with_macros=True)


def test_entry_text_in_a_fragment_is_escaped():
    link = _render(with_macros=False).split("|")[4]
    assert link == '<a href="../&lt;x&gt;/q&amp;a-paper/">Q&amp;A: &lt;b&gt;bold&lt;/b&gt; &#39;claims&#39; &amp; &#34;quotes&#34;</a>'


def test_pieces_escape_exactly_as_markupsafe_does():
    from markupsafe import Markup, escape

    from atlas.htmlfragments import _escaped

    for value in ["plain", "a & b < c > d", "it's \"quoted\"", "&amp; already", "", "ünï©ødé ✓", 42, None,
                  Markup("<b>kept</b>"), "<script>alert('x')</script>"]:
        assert _escaped(value) == str(escape(value)), value
