"""Cross-links as readers and scripts see them: the paper page and api/papers.json."""

import json

import pytest

from atlas.build import build_pages

from conftest import entry, section

GALORE = ("Training LLMs is memory-hungry. We propose Gradient Low-Rank Projection (GaLore), a "
          "memory-efficient low-rank training strategy that keeps the KV-cache aside and projects gradients.")
Q_GALORE = ("Q-GaLore extends GaLore with INT4 projection and layer-adaptive low-rank gradients; GaLore "
            "projections are quantized, and the KV cache is untouched. Q-GaLore trains a 7B model on 16 GB.")


Q_GALORE_LINK = '<a href="../q-galore/">Q-GaLore: Quantized GaLore with INT4 Projection</a>'


@pytest.fixture
def pages(make_project):
    project = make_project({
        "galore.yaml": entry("galore", "GaLore: Memory-Efficient LLM Training by Gradient Low-Rank Projection",
                             GALORE, aliases="[GaLore]", tags="[pre-training, low-rank, method]"),
        "q-galore.yaml": entry("q-galore", "Q-GaLore: Quantized GaLore with INT4 Projection", Q_GALORE,
                               aliases="[Q-GaLore]", tags="[pre-training, low-rank, quantization, method]"),
    })
    return build_pages(project)[1]


def test_papers_json_carries_related_mentions_and_backlinks(pages):
    papers = {p["id"]: p for p in json.loads(pages["api/papers.json"])["papers"]}
    assert papers["q-galore"]["related"] == ["galore"]
    assert papers["galore"]["related"] == ["q-galore"]
    assert papers["q-galore"]["mentions"] == ["galore"]
    assert papers["galore"]["mentioned_by"] == ["q-galore"]
    assert papers["galore"]["mentions"] == [] and papers["q-galore"]["mentioned_by"] == []


def test_papers_json_holds_one_paper_or_tag_per_line_so_a_diff_names_the_changed_paper(pages):
    lines = pages["api/papers.json"].splitlines()
    data = json.loads(pages["api/papers.json"])
    records = [json.loads(line.rstrip(",")) for line in lines if line.startswith('{"id"')]
    assert records == data["papers"] + data["tags"]
    assert [line for line in lines if '"galore"' in line.split(",", 1)[0]] == [
        json.dumps(data["papers"][0], ensure_ascii=False) + ","]


def test_related_item_says_why_with_tags_and_readable_terms(pages):
    page = pages["papers/galore.md"]
    related = section(page, "Related papers")
    assert Q_GALORE_LINK in related
    assert 'Shared tags: <a href="../../tags/low-rank/">Low-rank methods</a>' in related
    assert "Method" not in related.split("Shared terms", 1)[0]  # a generic type is no reason
    terms = related.split("Shared terms: ", 1)[1].split("</span>", 1)[0]
    assert "low-rank" in terms.split(", ")


def test_shared_terms_are_shown_as_written_not_as_index_keys(make_project):
    kv = ("Long-context inference keeps a huge KV cache. We evict KV-cache entries of unimportant "
          "tokens, so the KV cache fits in GPU memory and decoding gets faster.")
    project = make_project({
        "alpha.yaml": entry("alpha", "Alpha: KV Cache Eviction", kv, tags="[inference, kv-cache]"),
        "beta.yaml": entry("beta", "Beta: KV Cache Compression", kv + " Also quantized.", tags="[inference, kv-cache]"),
    })
    related = section(build_pages(project)[1]["papers/alpha.md"], "Related papers")
    terms = related.split("Shared terms: ", 1)[1].split("</span>", 1)[0].split(", ")
    assert terms[0] == "KV cache"


def test_mentioned_by_lists_the_citing_paper(pages):
    page = pages["papers/galore.md"]
    assert f"<li>{Q_GALORE_LINK}</li>" in section(page, "Mentioned by")


def test_mentions_in_the_abstract_link_to_the_paper_but_not_inside_longer_names(pages):
    abstract = section(pages["papers/q-galore.md"], "Abstract")
    assert abstract.count('<a href="../galore/">GaLore</a>') == 2
    assert "Q-<a" not in abstract
