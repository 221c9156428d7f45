"""The atlas map: a static, accessible SVG graph of papers and their links, safe and bounded."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx

from atlas import atlasmap
from atlas.atlasmap import MapPages, atlas_edges, main_technique, neighbourhood_map, whole_map
from atlas.build import build_pages
from atlas.model import Atlas, EnrichedPaper, Facet, Mention, Paper, RelatedLink, Tag, Taxonomy
from atlas.related import STRONG_SCORE

from conftest import entry

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE_TITLE = '</title><script>alert(1)</script><a href="javascript:alert(1)">x</a> & "q" \x0b'
TAXONOMY = Taxonomy(facets=(
    Facet("stage", "Stage", "When?", (Tag("inference", "stage", "Inference", ""),)),
    Facet("technique", "Technique", "How?", (Tag("quantization", "technique", "Quantization", ""),
                                              Tag("kv-cache", "technique", "KV cache", "")))))


def paper(pid: str, tags=("inference", "quantization"), title: str | None = None) -> Paper:
    return Paper(id=pid, title=title or pid.title(), abstract="An abstract.", tags=tags)


def link(target: str, score: float) -> RelatedLink:
    return RelatedLink(target, score, (), ())


def small_atlas() -> Atlas:
    return Atlas(papers=(
        EnrichedPaper(paper("a", ("inference", "kv-cache", "quantization")), related=(link("b", 0.9), link("c", 0.31)),
                      mentions=(Mention(0, 1, "d"),)),
        EnrichedPaper(paper("b"), related=(link("a", 0.9),)),
        EnrichedPaper(paper("c"), related=(link("a", 0.31),)),
        EnrichedPaper(paper("d", ("inference",), title=HOSTILE_TITLE), mentioned_by=("a",)),
        EnrichedPaper(paper("e")),
    ), taxonomy=TAXONOMY)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_edges_are_mentions_and_strong_related_links_only():
    assert atlas_edges(small_atlas()) == {("a", "b"): "related", ("a", "d"): "mention"}
    assert STRONG_SCORE > 0.31


def test_the_main_technique_is_the_first_technique_tag():
    assert main_technique(("inference", "kv-cache", "quantization"), TAXONOMY) == "kv-cache"
    assert main_technique(("inference",), TAXONOMY) == ""


def test_whole_map_shows_linked_papers_as_links_with_labels_a_title_and_a_legend():
    graph, svg = MapPages(small_atlas()).whole()
    root = parse(svg)
    assert root.get("aria-labelledby") == "atlas-map-title atlas-map-desc"
    assert root.find(f"{SVG}title").text == "Map of the atlas" and root.find(f"{SVG}desc").text
    links = root.findall(f".//{SVG}a")
    assert sorted(a.get("href") for a in links) == ["../papers/a/", "../papers/b/", "../papers/d/"]
    for a in links:
        assert a.get("aria-label") and a.find(f"{SVG}title").text and a.find(f"{SVG}circle") is not None
    legend = " ".join(t.text for t in root.find(f"{SVG}g[@class='atlas-map-legend']").iter(f"{SVG}text"))
    assert "KV cache" in legend and "Quantization" in legend and "No technique tag" in legend
    assert (graph.papers_total, graph.papers_connected) == (5, 3)


def test_a_hostile_title_stays_text_inside_the_svg():
    atlas = small_atlas()
    for svg in (MapPages(atlas).whole()[1], MapPages(atlas).neighbourhood(atlas.papers[0])):
        root = parse(svg)  # well-formed XML: nothing closed the <title> early
        assert not [e for e in root.iter() if e.tag in (f"{SVG}script", "script")]
        hostile = next(a for a in root.iter(f"{SVG}a") if a.get("href").endswith("d/"))
        expected = " ".join(HOSTILE_TITLE.replace("\x0b", "").split())
        assert hostile.find(f"{SVG}title").text == expected
        assert hostile.get("aria-label").startswith(expected)
        assert all("javascript" not in (a.get("href") or "") for a in root.iter(f"{SVG}a"))


def test_neighbourhood_has_the_paper_in_the_middle_with_its_related_papers_and_mentions():
    atlas = small_atlas()
    graph = neighbourhood_map(atlas, atlas.papers[0])
    assert [n.id for n in graph.nodes] == ["a", "b", "c", "d"]
    centre = graph.nodes[0]
    assert centre.central and (centre.x, centre.y) == (graph.width / 2, graph.height / 2)
    assert {(e.a, e.b, e.kind) for e in graph.edges} == {("a", "b", "related"), ("a", "c", "related"),
                                                        ("a", "d", "mention")}
    assert neighbourhood_map(atlas, atlas.papers[4]) is None
    assert MapPages(atlas).neighbourhood(atlas.papers[4]) == ""


def test_the_whole_map_is_capped_to_the_most_connected_papers_and_lays_out_no_more(monkeypatch):
    papers = [EnrichedPaper(paper(f"p{i:05d}"), related=tuple(link(f"p{(i + d) % 2000:05d}", 0.8) for d in (1, 2)))
              for i in range(2000)]
    papers[7] = EnrichedPaper(papers[7].paper, related=papers[7].related + (link("p00100", 0.8), link("p00200", 0.8)))
    atlas = Atlas(papers=tuple(papers), taxonomy=TAXONOMY)
    laid_out = _count_layouts(monkeypatch)
    atlasmap.forget()  # no layout kept from another test
    graph = whole_map(atlas, cap=40)
    assert len(graph.nodes) == 40 and graph.papers_connected == 2000
    assert "p00007" in {n.id for n in graph.nodes}  # the most connected paper is kept
    assert 0 < sum(laid_out) <= 40


def _count_layouts(monkeypatch) -> list[int]:
    """The sizes of the graphs given to networkx's spring layout from now on."""
    laid_out: list[int] = []
    real_spring = nx.spring_layout
    monkeypatch.setattr(atlasmap.nx, "spring_layout", lambda g, **kw: laid_out.append(len(g)) or real_spring(g, **kw))
    return laid_out


def test_the_map_is_identical_across_builds():
    atlasmap.forget()
    first = MapPages(small_atlas()).whole()[1]
    atlasmap.forget()  # laid out afresh, not taken from the first build
    assert first == MapPages(small_atlas()).whole()[1]


def test_a_rebuild_with_the_same_links_lays_nothing_out_again_until_forgotten(monkeypatch):
    atlasmap.forget()
    laid_out = _count_layouts(monkeypatch)
    first = MapPages(small_atlas()).whole()[1]
    assert laid_out
    laid_out.clear()
    assert MapPages(small_atlas()).whole()[1] == first
    assert laid_out == []
    atlasmap.forget()
    assert MapPages(small_atlas()).whole()[1] == first
    assert laid_out


def test_the_map_page_and_paper_pages_carry_the_maps(make_project):
    project = make_project({
        "galore.yaml": entry("galore", "GaLore: Low-Rank Projection", tags="[fine-tuning, low-rank]"),
        "q-galore.yaml": entry("q-galore", "Q-GaLore: Quantized GaLore", tags="[fine-tuning, low-rank, quantization]",
                               abstract="Q-GaLore builds on GaLore with INT4 projections and reduces memory by 50%."),
    })
    _, pages = build_pages(project)
    assert "<svg" in pages["map.md"] and 'href="../papers/galore/"' in pages["map.md"]
    assert 'href="../galore/"' in pages["papers/q-galore.md"]
    for path in ("map.md", "papers/q-galore.md"):
        body = pages[path]
        svg = body[body.index("<svg"):body.index("</svg>") + len("</svg>")]
        assert "\n\n" not in svg  # one raw HTML block for Markdown
        parse(svg)


def test_labels_never_overlap_each_other_and_most_dots_keep_theirs(repo_project):
    from atlas.atlasmap import _label_box, _labels_that_fit, whole_map
    from atlas.build import build_atlas

    graph = whole_map(build_atlas(repo_project))
    labelled = [n for n in graph.nodes if n.id in _labels_that_fit(graph)]
    boxes = [_label_box(n, graph.width) for n in labelled]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]), (a, b)
    assert len(labelled) >= 0.6 * len(graph.nodes)


def test_a_famous_papers_neighbourhood_map_stays_small(make_project):
    from atlas.atlasmap import NEIGHBOURHOOD_CAP, MapPages
    from atlas.build import build_atlas

    entries = {"galore.yaml": entry("galore", "GaLore: Memory-Efficient Training", aliases="[GaLore]")}
    for n in range(40):
        entries[f"follow-{n}.yaml"] = entry(f"follow-{n}", f"Follow-up number {n} on training",
                                            abstract=f"We extend GaLore to setting {n} with new results.")
    atlas = build_atlas(make_project(entries))
    svg = MapPages(atlas).neighbourhood(atlas.by_id["galore"])
    assert svg.count('<a href="../follow-') == NEIGHBOURHOOD_CAP
    assert f"{NEIGHBOURHOOD_CAP} of the 40 papers" in svg


def test_the_whole_map_is_the_same_whatever_the_string_hashing(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import REPO

    code = ("import sys; from pathlib import Path; from atlas.sources import Project; "
            "from atlas.build import build_atlas; from atlas.atlasmap import MapPages; "
            "sys.stdout.write(MapPages(build_atlas(Project(Path(sys.argv[1])))).whole()[1])")
    maps = {subprocess.run([sys.executable, "-c", code, str(REPO)], capture_output=True, text=True, check=True,
                           env=dict(os.environ, PYTHONHASHSEED=seed)).stdout
            for seed in ("1", "2", "3")}
    assert len(maps) == 1 and "<svg" in next(iter(maps))
