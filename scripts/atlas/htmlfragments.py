"""The small HTML pieces every row of the HTML pages repeats: headings, paper links, tag links.

At 10,000 papers these pieces are written about a million times (five related papers and
their shared tags on each paper page, every paper of a tag on its tag page, every paper on
the papers index). As Jinja macros each call cost tens of microseconds of call machinery,
more than half of the time spent rendering paper pages; as Python functions they cost a
string format. They escape exactly as the templates' HTML autoescape does (markupsafe's
`escape`, Markup left alone), so the pages are the same to the byte, and they are Jinja
globals: the templates call them like the macros they replace (see templates/_html.j2).
"""

from __future__ import annotations

import jinja2
from markupsafe import Markup, escape


def heading(level: int, anchor: str, text: object) -> Markup:
    """A heading with its id and the permalink the theme's Markdown headings carry."""
    anchor = escape(anchor)
    return Markup(f'<h{level} id="{anchor}">{escape(text)}<a class="headerlink" href="#{anchor}" '
                  f'title="Permanent link">&para;</a></h{level}>')


def tag_url(tag_id: str, root: str) -> Markup:
    """The URL of a tag's page, relative to a page whose path to the site root is `root`."""
    return Markup(f"{escape(root)}tags/{escape(tag_id)}/")


def tag_chip(tag, root: str) -> Markup:
    """A tag as a chip coloured by its facet."""
    return Markup(f'<a class="atlas-chip atlas-chip--{escape(tag.facet)}" href="{tag_url(tag.id, root)}">'
                  f"{escape(tag.name)}</a>")


@jinja2.pass_context
def paper_link(context, paper, root: str = "") -> Markup:
    """A link to a paper's page, titled; `papers_root` (from the page) is the path to the paper pages."""
    return Markup(f'<a href="{escape(context["papers_root"])}{escape(paper.id)}/">{escape(paper.title)}</a>')


@jinja2.pass_context
def inline_tags(context, tag_ids, root: str, skip: str = "") -> Markup:
    """The paper's known tags (except `skip`) as comma-separated links."""
    tags = context["tags"]
    return Markup(", ".join(f'<a href="{tag_url(tag_id, root)}">{escape(tags[tag_id].name)}</a>'
                            for tag_id in tag_ids if tag_id in tags and tag_id != skip))


GLOBALS = {"heading": heading, "tag_url": tag_url, "tag_chip": tag_chip, "paper_link": paper_link,
           "inline_tags": inline_tags}
