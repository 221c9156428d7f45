"""Files readers download rather than read: BibTeX and feeds, for the atlas and each tag.

`api/atlas.bib` and `api/tags/<tag>.bib` hold BibTeX. Feeds sit at the site root:
`feed.xml` (Atom) and `feed.json` (JSON Feed) for the atlas, `feed-<tag>.xml|.json` for a
tag, because Material's JavaScript treats every `<link rel="alternate">` as a translation
and fetches `sitemap.xml` beside it: only at the root does that file exist (a 404 there
would be a console error on every page). A tag with no dated paper has no feed (an Atom
feed needs a date); `tag_feed_path` says which tags have one. `robots.txt` points crawlers
at the sitemap MkDocs writes (its URL must be absolute, hence generated).
"""

from __future__ import annotations

from collections import defaultdict

from .bibtex import bibtex_entry, bibtex_file
from .feeds import Feed, atom_feed, json_feed, new_papers
from .model import Atlas, Paper, Tag

ATLAS_FEED = Feed("Paper Atlas: new papers", "Papers newly added to the Paper Atlas.", "", "feed")


def tag_feed(tag: Tag) -> Feed:
    return Feed(f"Paper Atlas: new papers on {tag.name}", tag.description, f"tags/{tag.id}/", f"feed-{tag.id}")


def tag_feed_path(tag_id: str, tagged: list[Paper]) -> str | None:
    """`feed-<tag>` (the feed's path without extension) when the tag, whose papers are
    `tagged`, has a feed, else None."""
    return f"feed-{tag_id}" if new_papers(tagged) else None


def papers_by_tag(papers: list[Paper]) -> dict[str, list[Paper]]:
    """Each tag's papers, in the order of `papers`: one pass, not one per tag (48 passes
    over 10,000 papers took ~0.8 s)."""
    tagged: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        for tag_id in dict.fromkeys(paper.tags):
            tagged[tag_id].append(paper)
    return tagged


def render_downloads(atlas: Atlas, site_url: str) -> dict[str, str]:
    """Every download, keyed by its path relative to docs/."""
    tags = atlas.taxonomy.tags
    names = {tag_id: tag.name for tag_id, tag in tags.items()}
    papers = [item.paper for item in atlas.papers]
    entries = {p.id: bibtex_entry(p) for p in papers}
    files = {"api/atlas.bib": bibtex_file(papers, f"Paper Atlas: all {len(papers)} papers", entries),
             "robots.txt": f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"}
    feeds = [(ATLAS_FEED, papers)]
    by_tag = papers_by_tag(papers)
    for tag_id, tag in tags.items():
        tagged = by_tag.get(tag_id, [])
        if tagged:
            files[f"api/tags/{tag_id}.bib"] = bibtex_file(tagged, f"Paper Atlas: {len(tagged)} papers on {tag.name}",
                                                            entries)
        feeds.append((tag_feed(tag), tagged))
    for feed, members in feeds:
        atom = atom_feed(feed, members, site_url, names)
        if atom is not None:
            files[feed.feed_path + ".xml"] = atom
            files[feed.feed_path + ".json"] = json_feed(feed, members, site_url, names)
    return files
