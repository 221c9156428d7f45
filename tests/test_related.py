"""Related papers: blended score, minimum score, symmetry and readable reasons."""

import pytest

from atlas.load import load_taxonomy
from atlas.model import Paper
from atlas.related import GENERIC_TAGS, MAX_RELATED, related_papers

from conftest import REPO


@pytest.fixture(scope="module")
def taxonomy():
    taxonomy, problems = load_taxonomy((REPO / "data" / "taxonomy.yaml").read_bytes(), "data/taxonomy.yaml")
    assert not problems
    return taxonomy


KV = ("We compress the KV cache of long-context LLM inference with token eviction, keeping important "
      "keys and values in GPU memory and evicting the rest to cut KV-cache memory and latency.")


def kv_paper(id: str, extra: str = "") -> Paper:
    return Paper(id=id, title=f"{id.upper()}: KV Cache Eviction for Long-Context Inference",
                 abstract=KV + extra, tags=("inference", "kv-cache", "long-context", "method"))


COOKING = Paper(id="sourdough", title="Sourdough: Baking Bread at Home",
                abstract="A sourdough starter ferments flour and water; we knead, proof and bake loaves "
                         "in a cast-iron pot and compare crust and crumb across hydration levels.",
                tags=("evaluation",))


def test_a_strong_pair_links_both_ways(taxonomy):
    related = related_papers([kv_paper("alpha"), kv_paper("beta"), COOKING], taxonomy)
    assert [link.paper_id for link in related["alpha"]] == ["beta"]
    assert [link.paper_id for link in related["beta"]] == ["alpha"]


def test_an_unrelated_paper_is_not_padded_in(taxonomy):
    related = related_papers([kv_paper("alpha"), kv_paper("beta"), COOKING], taxonomy)
    assert related["sourdough"] == ()
    assert all(link.paper_id != "sourdough" for links in related.values() for link in links)


def test_at_most_max_related_strongest_first(taxonomy):
    papers = [kv_paper(f"p{i}", extra=f" Variant {i}.") for i in range(MAX_RELATED + 3)]
    related = related_papers(papers, taxonomy)
    for links in related.values():
        assert len(links) == MAX_RELATED
        assert [link.score for link in links] == sorted((link.score for link in links), reverse=True)


def test_reasons_are_meaningful_tags_and_readable_terms(taxonomy):
    link = related_papers([kv_paper("alpha"), kv_paper("beta")], taxonomy)["alpha"][0]
    assert link.shared_tags[0] in {"kv-cache", "long-context"}  # technique tags come first
    assert not set(link.shared_tags) & GENERIC_TAGS
    assert "KV cache" in link.shared_terms
    assert all(term == term.strip() and "kv-cache" not in term for term in link.shared_terms)


def test_related_papers_are_deterministic(taxonomy):
    papers = [kv_paper("alpha"), kv_paper("beta", " Also prefill."), kv_paper("gamma", " Also decoding."), COOKING]
    assert related_papers(papers, taxonomy) == related_papers(list(reversed(papers)), taxonomy)
