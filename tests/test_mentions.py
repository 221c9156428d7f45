"""Mention links: the seed's true mentions are linked, its near-misses are not."""

import pytest
import yaml

from atlas.build import load_inputs
from atlas.mentions import find_mentions
from atlas.model import Paper

from conftest import REPO

CURATED = yaml.safe_load((REPO / "tests" / "data" / "mentions.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def seed(repo_project):
    inputs, problems = load_inputs(repo_project)
    assert not problems
    papers = {p.id: p for p in inputs.papers}
    return papers, find_mentions(inputs.papers)


def linked_texts(papers, mentions, source, target, field):
    paper = papers[source]
    text = paper.title if field == "title" else paper.abstract
    return [text[m.start:m.end] for m in mentions[source] if m.target == target and m.field == field]


@pytest.mark.parametrize("case", CURATED["mentions"], ids=lambda c: f"{c['from']}->{c['to']}")
def test_every_true_abstract_mention_in_the_seed_is_linked(seed, case):
    papers, mentions = seed
    found = linked_texts(papers, mentions, case["from"], case["to"], "abstract")
    standalone = papers[case["from"]].abstract.count(case["text"]) - papers[case["from"]].abstract.count(
        "-" + case["text"])
    assert found == [case["text"]] * standalone and standalone > 0


@pytest.mark.parametrize("case", CURATED["title_mentions"], ids=lambda c: f"{c['from']}->{c['to']}")
def test_every_title_mention_in_the_seed_is_linked(seed, case):
    papers, mentions = seed
    assert linked_texts(papers, mentions, case["from"], case["to"], "title") == [case["text"]]


@pytest.mark.parametrize("case", CURATED["not_mentions"], ids=lambda c: f"{c['from']}-/->{c['to']}")
def test_no_near_miss_in_the_seed_is_linked(seed, case):
    _, mentions = seed
    assert [m for m in mentions[case["from"]] if m.target == case["to"]] == []


def test_the_seed_has_no_mention_links_beyond_the_curated_ones(seed):
    _, mentions = seed
    expected = {(c["from"], c["to"]) for c in CURATED["mentions"] + CURATED["title_mentions"]}
    assert {(source, m.target) for source, found in mentions.items() for m in found} == expected


def paper(id, title, abstract="", aliases=()):
    return Paper(id=id, title=title, abstract=abstract, aliases=tuple(aliases))


def targets(papers, source):
    return [(m.target, m.field) for m in find_mentions(papers)[source]]


GALORE = paper("galore", "GaLore: Memory-Efficient LLM Training", aliases=["GaLore"])


def test_a_name_inside_a_hyphenated_name_is_not_a_mention():
    citing = paper("q-galore", "Q-GaLore: Quantized Training", "Q-GaLore and Q-GaLore-8bit beat LoRA.")
    assert targets([GALORE, citing], "q-galore") == []


def test_a_standalone_name_after_a_hyphenated_one_is_a_mention():
    citing = paper("q-galore", "Q-GaLore: Quantized Training", "Q-GaLore improves on GaLore.")
    assert targets([GALORE, citing], "q-galore") == [("galore", "abstract")]


def test_matching_is_case_sensitive():
    greater = paper("greater", "GReaTer: Prompt Optimizers", aliases=["GReaTer"])
    alisa = paper("alisa", "ALISA: Sparse KV Caching", aliases=["ALISA"])
    citing = paper("other", "Other Work", "A greater efficiency through formalisation, not alisa.")
    assert targets([greater, alisa, citing], "other") == []


def test_a_longer_name_wins_over_its_prefix():
    minicpm = paper("minicpm", "MiniCPM: Small Models", aliases=["MiniCPM"])
    minicpm_v = paper("minicpm-v", "MiniCPM-V: A Phone MLLM", "MiniCPM-V and MiniCPM-Llama3-V 2.5 run on phones.",
                      aliases=["MiniCPM-V", "MiniCPM-Llama3-V 2.5"])
    assert targets([minicpm, minicpm_v], "minicpm-v") == []


def test_names_inside_urls_are_left_alone():
    citing = paper("other", "Other Work", "Code: https://github.com/jiaweizzhao/GaLore and more.")
    assert targets([GALORE, citing], "other") == []


def test_names_inside_inline_code_are_left_alone():
    citing = paper("other", "Other Work", "Call `GaLore.step()` after GaLore warms up.")
    assert [(m.target, m.start) for m in find_mentions([GALORE, citing])["other"]] == [("galore", 27)]


def test_a_page_never_links_to_itself():
    own = paper("galore", "GaLore: Memory-Efficient LLM Training", "We propose GaLore.", aliases=["GaLore"])
    assert targets([own], "galore") == []


def test_a_name_two_papers_claim_links_to_neither():
    a = paper("a", "Phantom: One", aliases=["Phantom"])
    b = paper("b", "Phantom: Two", aliases=["Phantom"])
    citing = paper("c", "Third", "Unlike Phantom, we ...")
    assert targets([a, b, citing], "c") == []
