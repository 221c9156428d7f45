"""A map of the atlas: papers as dots coloured by their main technique, lines for links.

Drawn at build time as inline SVG, so it works without JavaScript and without any outside
host: each dot is an `<a>` to its paper with an `aria-label` and a `<title>` tooltip, the
SVG has a `<title>`/`<desc>` and a legend. Every piece of entry text is XML-escaped here
(`xml_text`), because the SVG is raw HTML that Markdown passes through untouched.

Edges are the links a reader can trust: mentions (one paper names another) and related
links scoring at least `related.STRONG_SCORE`. The layout is networkx's spring layout with a
fixed seed, coordinates rounded to one decimal, so two builds are byte-identical. Spring
layout is quadratic in the number of nodes, so the whole-atlas map shows at most
`MAP_NODE_CAP` papers, the most connected first, and says so; a paper's neighbourhood map
(the paper, its related papers and mentions) is a star, linear in its few nodes.
"""

from __future__ import annotations

import functools
import html
import math
import re
from collections import Counter
from dataclasses import dataclass

import networkx as nx

from .model import Atlas, EnrichedPaper, Taxonomy
from .related import STRONG_SCORE

MAP_NODE_CAP = 150
NEIGHBOURHOOD_CAP = 16  # papers round the centre: the page stays small however famous the paper
# Side of a component's cell is CELL_UNIT·√(its papers); padding leaves room for labels.
CELL_UNIT = 70
CELL_PADDING = 40
LAYOUT_SEED = 7
# Distinct hues that read on both the light and the dark scheme; techniques beyond these reuse them.
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#8cd17d", "#d37295", "#86bcb6")
OTHER_COLOUR = "#9e9e9e"
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(value: object) -> str:
    """Text for an XML element or a double-quoted attribute: nothing in it is markup."""
    return _xml_text(str(value))


def forget() -> None:
    """Drop the escaped titles and layouts kept for the maps (a process that builds only once)."""
    _xml_text.cache_clear()
    _spring_layout.cache_clear()


@functools.lru_cache(maxsize=1 << 16)
def _xml_text(text: str) -> str:
    # A paper's title is written on every map it is on (its neighbours' pages): once per process here.
    return html.escape(_XML_INVALID.sub("", " ".join(text.split())), quote=True)


@dataclass(frozen=True)
class Node:
    id: str
    title: str
    label: str
    technique: str  # a technique tag id, "" when the paper has none
    x: float
    y: float
    central: bool = False


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    kind: str  # "mention" or "related"


@dataclass(frozen=True)
class Map:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]
    width: int
    height: int
    legend: tuple[tuple[str, str, str], ...]  # (tag id, name, colour)
    papers_total: int
    papers_connected: int = 0


def main_technique(tags: tuple[str, ...], taxonomy: Taxonomy, known: dict | None = None) -> str:
    """The paper's first technique tag (entries list their main technique first), or ""."""
    known = taxonomy.tags if known is None else known
    return next((t for t in tags if t in known and known[t].facet == "technique"), "")


def technique_colours(taxonomy: Taxonomy) -> dict[str, str]:
    """One colour per technique tag, in taxonomy order: stable as papers are added."""
    facet = next((f for f in taxonomy.facets if f.id == "technique"), None)
    return {tag.id: PALETTE[i % len(PALETTE)] for i, tag in enumerate(facet.tags if facet else ())}


def label_of(title: str, short_name: str | None, limit: int = 22) -> str:
    text = short_name or title
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def atlas_edges(atlas: Atlas) -> dict[tuple[str, str], str]:
    """(a, b) with a < b → "mention" or "related"; a mention wins when a pair is both."""
    known = {item.paper.id for item in atlas.papers}
    edges: dict[tuple[str, str], str] = {}
    for item in atlas.papers:
        for link in item.related:
            if link.score >= STRONG_SCORE and link.paper_id in known:
                edges.setdefault(tuple(sorted((item.paper.id, link.paper_id))), "related")
    for item in atlas.papers:
        for mention in item.mentions:
            if mention.target in known and mention.target != item.paper.id:
                edges[tuple(sorted((item.paper.id, mention.target)))] = "mention"
    return dict(sorted(edges.items()))


def _scaled(positions: dict, width: int, height: int, margin: int) -> dict[str, tuple[float, float]]:
    xs = [float(p[0]) for p in positions.values()] or [0.0]
    ys = [float(p[1]) for p in positions.values()] or [0.0]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {node: (round(margin + (float(x) - min(xs)) / span_x * (width - 2 * margin), 1),
                   round(margin + (float(y) - min(ys)) / span_y * (height - 2 * margin), 1))
            for node, (x, y) in sorted(positions.items())}


def _legend(nodes, taxonomy: Taxonomy, colours: dict[str, str]) -> tuple:
    used = {n.technique for n in nodes}
    legend = [(t, taxonomy.tags[t].name, colours[t]) for t in colours if t in used]
    if "" in used:
        legend.append(("", "No technique tag", OTHER_COLOUR))
    return tuple(legend)


def _component_layout(graph: nx.Graph, nodes: list[str]) -> dict[str, tuple[float, float]]:
    """A spring layout of one connected component, in [0, 1]²; a pair sits side by side."""
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.5)}
    if len(nodes) == 2:  # one above the other, so both labels have room
        return {n: (0.2, 0.15 + 0.7 * i) for i, n in enumerate(sorted(nodes))}
    edges = tuple(sorted(tuple(sorted(edge)) for edge in graph.subgraph(nodes).edges()))
    return dict(_spring_layout(tuple(sorted(nodes)), edges))


@functools.lru_cache(maxsize=256)
def _spring_layout(nodes: tuple[str, ...], edges: tuple[tuple[str, str], ...]) -> tuple:
    """(node, (x, y)) of a component's spring layout: the same graph gets the same layout, so a
    rebuild whose links did not change (`mkdocs serve`) does not lay it out again."""
    # A fresh graph in sorted order, not graph.subgraph(nodes): a subgraph view iterates its
    # nodes from a set, in an order that changes with Python's string hashing from run to run,
    # and the spring layout depends on that order.
    sub = nx.Graph()
    sub.add_nodes_from(nodes)
    sub.add_edges_from(edges)
    positions = nx.spring_layout(sub, seed=LAYOUT_SEED, iterations=200)
    return tuple(_scaled(positions, 1, 1, margin=0).items())


def _pack_components(graph: nx.Graph, width: int) -> tuple[dict[str, tuple[float, float]], int]:
    """Each connected component laid out on its own, in a cell whose side grows with √size, cells
    placed in rows, biggest first: separate groups stay apart and none is squeezed to a point."""
    components = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    at: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for nodes in components:
        side = min(width - 2 * CELL_PADDING, CELL_UNIT * len(nodes) ** 0.5)
        cell_w, cell_h = side + 2 * CELL_PADDING, (side if len(nodes) > 1 else 0) + 2 * CELL_PADDING
        if x + cell_w > width and x > 0:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (nx_, ny_) in _component_layout(graph, nodes).items():
            at[node] = (round(x + CELL_PADDING + nx_ * side, 1), round(y + CELL_PADDING + ny_ * (cell_h - 2 * CELL_PADDING), 1))
        x += cell_w
        row_height = max(row_height, cell_h)
    return at, int(y + row_height) or 1


def whole_map(atlas: Atlas, cap: int = MAP_NODE_CAP, width: int = 900) -> Map:
    """The `cap` most connected papers (ties by id) and the links among them, spring-laid out.

    Papers with no mention or strong link are left out: as dots on their own they would push
    the connected ones together and say nothing about the atlas's structure.
    """
    edges = atlas_edges(atlas)
    degree = Counter(node for pair in edges for node in pair)
    connected = [i for i in atlas.papers if degree[i.paper.id]]
    chosen = sorted(connected, key=lambda i: (-degree[i.paper.id], i.paper.id))[:cap]
    chosen_ids = {i.paper.id for i in chosen}
    kept = {pair: kind for pair, kind in edges.items() if pair[0] in chosen_ids and pair[1] in chosen_ids}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(chosen_ids))
    graph.add_edges_from(sorted(kept))
    at, height = _pack_components(graph, width)
    colours = technique_colours(atlas.taxonomy)
    nodes = tuple(Node(i.paper.id, i.paper.title, label_of(i.paper.title, i.paper.short_name),
                       main_technique(i.paper.tags, atlas.taxonomy), *at[i.paper.id])
                  for i in sorted(chosen, key=lambda i: i.paper.id))
    return Map(nodes, tuple(Edge(a, b, kind) for (a, b), kind in kept.items()), width, height,
               _legend(nodes, atlas.taxonomy, colours), len(atlas.papers), len(connected))


def adjacency(edges: dict[tuple[str, str], str]) -> dict[str, dict[str, str]]:
    """paper id → {linked paper id: edge kind}, for looking up a few papers' links in O(degree)."""
    out: dict[str, dict[str, str]] = {}
    for (a, b), kind in edges.items():
        out.setdefault(a, {})[b] = kind
        out.setdefault(b, {})[a] = kind
    return out


def neighbourhood_map(atlas: Atlas, item: EnrichedPaper, links: dict | None = None, by_id: dict | None = None,
                      width: int = 640, height: int = 300) -> Map | None:
    """The paper in the middle, its related papers, mentions and mentioners around it; None if alone.

    Pass `links` (adjacency of atlas_edges) and `by_id` when drawing every paper: computing them
    per paper would make the whole build quadratic.
    """
    links = adjacency(atlas_edges(atlas)) if links is None else links
    by_id = atlas.by_id if by_id is None else by_id
    centre = item.paper.id
    kinds: dict[str, str] = {}
    for link in item.related:
        kinds[link.paper_id] = "related"
    for target in [m.target for m in item.mentions] + list(item.mentioned_by):
        if target != centre:
            kinds[target] = "mention"
    # Related papers first, then the papers it names, then those naming it (as the page lists
    # them); a famous paper is named by thousands, so the map stops at NEIGHBOURHOOD_CAP.
    order = [l.paper_id for l in item.related] + [m.target for m in item.mentions] + list(item.mentioned_by)
    others = [pid for pid in dict.fromkeys(order) if pid in by_id and pid != centre][:NEIGHBOURHOOD_CAP]
    if not others:
        return None
    # A star: the paper in the middle, the others evenly round an ellipse (what networkx's
    # shell_layout computes, without building a graph per paper).
    half_w, half_h = width / 2 - 130, height / 2 - 24  # room for labels at the sides
    at = {centre: (width / 2, height / 2)}
    for i, pid in enumerate(others):
        angle = 2 * math.pi * i / len(others)
        at[pid] = (round(width / 2 + math.cos(angle) * half_w, 1), round(height / 2 + math.sin(angle) * half_h, 1))
    colours = technique_colours(atlas.taxonomy)
    known = atlas.taxonomy.tags
    nodes = tuple(Node(pid, by_id[pid].paper.title, label_of(by_id[pid].paper.title, by_id[pid].paper.short_name),
                       main_technique(by_id[pid].paper.tags, atlas.taxonomy, known), *at[pid], central=pid == centre)
                  for pid in [centre, *others])
    ids = set(at)
    lines = {tuple(sorted((centre, pid))): kind for pid, kind in kinds.items() if pid in ids}
    # Pairs among the few papers shown (a famous one has thousands of links: not walked).
    shown = sorted(ids)
    lines.update({tuple(sorted((a, b))): kind for a in shown for b in shown
                  if (kind := links.get(a, {}).get(b)) is not None})
    return Map(nodes, tuple(Edge(a, b, kind) for (a, b), kind in sorted(lines.items())), width, height,
               _legend(nodes, atlas.taxonomy, colours), len(atlas.papers))


LABEL_CHAR_WIDTH = 5.6  # px per character at the map's 10px font (a generous average)
LABEL_HEIGHT = 11


def _radius(node) -> int:
    return 9 if node.central else 6


def _label_anchor(node, width: int) -> tuple[str, int, int]:
    """How a node's label is placed: text-anchor and offset (dx, dy) from the dot."""
    radius = _radius(node)
    if node.central:  # below the dot, clear of the lines that leave it sideways
        return "middle", 0, radius + 13
    if node.x > width * 0.8:
        return "end", -(radius + 3), 4
    return "start", radius + 3, 4


def _label_box(node, width: int) -> tuple[float, float, float, float]:
    """Where a node's label is drawn (see render_svg): left, top, right, bottom."""
    anchor, dx, dy = _label_anchor(node, width)
    text_width = len(node.label) * LABEL_CHAR_WIDTH
    x0 = node.x + dx - {"start": 0, "middle": text_width / 2, "end": text_width}[anchor]
    y = node.y + dy
    return x0, y - LABEL_HEIGHT + 2, x0 + text_width, y + 2


def _labels_that_fit(graph: Map) -> set[str]:
    """Nodes whose label overlaps no label or dot placed before it (the centre first, then by id).

    In a dense cluster overlapping labels are unreadable; a dot without a label still has its
    title (shown on hover) and its accessible name.
    """
    placed: list[tuple[float, float, float, float]] = []
    dots = [(n.x, n.y, _radius(n)) for n in graph.nodes]
    chosen = set()
    for node in sorted(graph.nodes, key=lambda n: not n.central):  # stable: by id otherwise
        box = _label_box(node, graph.width)
        hits_label = any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in placed)
        hits_dot = any(box[0] < x + r and x - r < box[2] and box[1] < y + r and y - r < box[3]
                       for x, y, r in dots if (x, y) != (node.x, node.y))
        if not hits_label and not hits_dot:
            placed.append(box)
            chosen.add(node.id)
    return chosen


def render_svg(graph: Map, taxonomy: Taxonomy, href_prefix: str, title: str, description: str,
               element_id: str = "atlas-map") -> str:
    """The map as one line-per-element SVG, no blank lines (Markdown keeps it as one HTML block).

    `href_prefix` turns a paper id into its page URL from the page the map is on.
    """
    colours = technique_colours(taxonomy)
    names = taxonomy.tags
    legend_height = 18 * -(-(len(graph.legend) + 2) // 3) + 12
    total_height = graph.height + legend_height
    at = {n.id: n for n in graph.nodes}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="atlas-map" viewBox="0 0 {graph.width} {total_height}" '
           f'role="group" aria-labelledby="{element_id}-title {element_id}-desc">',
           f'<title id="{element_id}-title">{xml_text(title)}</title>',
           f'<desc id="{element_id}-desc">{xml_text(description)}</desc>',
           '<g class="atlas-map-edges" aria-hidden="true">']
    for edge in graph.edges:
        a, b = at[edge.a], at[edge.b]
        out.append(f'<line class="atlas-map-edge atlas-map-edge--{edge.kind}" x1="{a.x}" y1="{a.y}" x2="{b.x}" y2="{b.y}"/>')
    out.append('</g>')
    out.append('<g class="atlas-map-nodes">')
    labelled = _labels_that_fit(graph)
    for node in sorted(graph.nodes, key=lambda n: (n.central, n.id)):
        technique = names[node.technique].name if node.technique else "no technique tag"
        colour = colours.get(node.technique, OTHER_COLOUR)
        radius = _radius(node)
        anchor, dx, dy = _label_anchor(node, graph.width)
        label = xml_text(node.title)
        centre_class = ' class="atlas-map-centre"' if node.central else ""
        out.append(f'<a href="{xml_text(href_prefix + node.id)}/" aria-label="{label} ({xml_text(technique)})">'
                   f'<title>{label}</title>'
                   f'<circle cx="{node.x}" cy="{node.y}" r="{radius}" fill="{colour}"'
                   f'{centre_class}/>'
                   + (f'<text x="{round(node.x + dx, 1)}" y="{round(node.y + dy, 1)}" text-anchor="{anchor}"'
                      f' aria-hidden="true">{xml_text(node.label)}</text>' if node.id in labelled else "")
                   + '</a>')
    out.append('</g>')
    out.append(f'<g class="atlas-map-legend" transform="translate(0 {graph.height + 8})">')
    entries = [('<line class="atlas-map-edge atlas-map-edge--mention" x1="0" y1="0" x2="14" y2="0"/>', "mentions"),
               ('<line class="atlas-map-edge atlas-map-edge--related" x1="0" y1="0" x2="14" y2="0"/>',
                f"related (score ≥ {STRONG_SCORE})" if graph.width > 700 else "related")]
    entries = [(f'<circle cx="7" cy="0" r="6" fill="{colour}"/>', name) for _, name, colour in graph.legend] + entries
    column = graph.width // 3
    for i, (mark, name) in enumerate(entries):
        x, y = (i % 3) * column + 8, (i // 3) * 18 + 6
        out.append(f'<g transform="translate({x} {y})">{mark}<text x="20" y="4">{xml_text(name)}</text></g>')
    out.append('</g>')
    out.append('</svg>')
    return "\n".join(out)


class MapPages:
    """The maps a build needs, with the atlas-wide edges and index computed once."""

    def __init__(self, atlas: Atlas, cap: int = MAP_NODE_CAP):
        self.atlas = atlas
        self.cap = cap
        self.links = adjacency(atlas_edges(atlas))
        self.by_id = atlas.by_id

    def whole(self) -> tuple[Map, str]:
        """The whole-atlas map and its SVG, for `map.md` (papers at ../papers/<id>/)."""
        graph = whole_map(self.atlas, self.cap)
        kinds = Counter(e.kind for e in graph.edges)
        description = (f"{len(graph.nodes)} of the atlas's {graph.papers_total} papers as dots coloured by their "
                       f"main technique, with {kinds['mention']} mention links and {kinds['related']} strong "
                       f"related links between them. Each dot links to its paper.")
        return graph, render_svg(graph, self.atlas.taxonomy, "../papers/", "Map of the atlas", description)

    def neighbourhood(self, item: EnrichedPaper) -> str:
        """A paper's neighbourhood map as SVG for its page (other papers at ../<id>/), "" if it has none."""
        graph = neighbourhood_map(self.atlas, item, self.links, self.by_id)
        if graph is None:
            return ""
        shown = len(graph.nodes) - 1
        total = len({l.paper_id for l in item.related} | {m.target for m in item.mentions} | set(item.mentioned_by)
                    - {item.paper.id})
        which = f"the {shown} papers" if shown == total else f"{shown} of the {total} papers"
        description = (f"{item.paper.title} in the middle, linked to {which} it is "
                       f"related to, mentions or is mentioned by. Each dot links to its paper.")
        return render_svg(graph, self.atlas.taxonomy, "../", f"Neighbourhood of {item.paper.title}", description,
                          element_id="atlas-neighbourhood")
