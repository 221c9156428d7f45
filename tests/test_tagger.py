"""The tagger: rules from the taxonomy, neighbour evidence, and the facets every paper needs."""

from __future__ import annotations

import textwrap

import pytest

from atlas.load import load_taxonomy
from atlas.model import Paper
from atlas.neighbours import TaggedCorpus
from atlas.tagger import Neighbour, suggest_tags


def taxonomy_with(rules_yaml: str):
    """A two-facet taxonomy whose tags carry the given rules (YAML under each tag id)."""
    text = textwrap.dedent("""\
        facets:
          - id: technique
            name: Technique
            tags:
              - id: kv-cache
                name: KV cache
                description: d
                rules: {kv}
              - id: pruning-sparsity
                name: Pruning
                description: d
                rules: {pruning}
          - id: contribution
            name: Contribution
            tags:
              - id: method
                name: Method
                description: d
                rules: {method}
              - id: system
                name: System
                description: d
                rules: {system}
        """)
    rules = {"kv": "{phrases: [kv cache], min_score: 2}", "pruning": "{phrases: [pruning], not: [token pruning]}",
             "method": "{phrases: [we propose], fallback: true, excluded_by: [system]}",
             "system": "{phrases: [serving system], min_score: 2}"}
    rules.update(rules_yaml)
    taxonomy, problems = load_taxonomy(text.format(**rules).encode(), "data/taxonomy.yaml")
    assert problems == []
    return taxonomy


def tags_of(suggestions):
    return sorted(s.tag for s in suggestions)


def test_phrase_in_title_counts_double_and_reaches_the_bar():
    taxonomy = taxonomy_with({})
    suggestions = suggest_tags("Compressing the KV-cache", "A study.", taxonomy)
    kv = next(s for s in suggestions if s.tag == "kv-cache")
    assert kv.score == 2.0 and kv.evidence == ("'kv cache' (in title)",)


def test_single_mention_in_abstract_stays_below_a_bar_of_two():
    taxonomy = taxonomy_with({})
    assert "kv-cache" not in tags_of(suggest_tags("A title", "It also has a KV cache.", taxonomy))


def test_repeated_mentions_add_up_to_three():
    taxonomy = taxonomy_with({})
    text = "KV cache. KV cache. KV cache. KV cache. KV cache."
    kv = next(s for s in suggest_tags("A title", text, taxonomy) if s.tag == "kv-cache")
    assert kv.score == 3.0 and kv.evidence == ("'kv cache' (×5)",)


def test_not_phrase_blanks_out_a_look_alike():
    taxonomy = taxonomy_with({})
    assert "pruning-sparsity" not in tags_of(suggest_tags("Adaptive token pruning", "We do token pruning.", taxonomy))
    assert "pruning-sparsity" in tags_of(suggest_tags("Weight pruning", "No tokens here.", taxonomy))


def test_weighted_phrase_counts_more():
    taxonomy = taxonomy_with({"kv": "{phrases: [{kv cache: 2}], min_score: 2}"})
    assert "kv-cache" in tags_of(suggest_tags("A title", "One KV cache.", taxonomy))


def test_requires_gates_the_tag():
    taxonomy = taxonomy_with({"kv": "{phrases: [kv cache], requires: [serving]}"})
    assert "kv-cache" not in tags_of(suggest_tags("KV cache", "Offline only.", taxonomy))
    assert "kv-cache" in tags_of(suggest_tags("KV cache", "For serving.", taxonomy))


def test_system_excludes_method_and_evidence_says_so():
    taxonomy = taxonomy_with({})
    suggestions = suggest_tags("A serving system", "We propose a serving system.", taxonomy)
    assert tags_of(suggestions) == ["system"]


def test_tag_gives_way_only_to_a_stronger_or_equal_tag():
    taxonomy = taxonomy_with({"kv": "{phrases: [kv cache], gives_way_to: [pruning-sparsity]}"})
    weaker_kv = suggest_tags("Weight pruning", "Pruning, and a KV cache.", taxonomy)
    assert "kv-cache" not in tags_of(weaker_kv) and "pruning-sparsity" in tags_of(weaker_kv)
    stronger_kv = suggest_tags("KV cache", "A KV cache. A KV cache, and pruning.", taxonomy)
    assert {"kv-cache", "pruning-sparsity"} <= set(tags_of(stronger_kv))


def test_pattern_matches_before_the_phrases_inside_it():
    taxonomy = taxonomy_with({"system": "{phrases: [system], patterns: ['we built a \\w+ system': 3], min_score: 3}"})
    system = next(s for s in suggest_tags("A title", "We built a serving system.", taxonomy) if s.tag == "system")
    assert system.score == 3.0 and system.evidence == ("'we built a serving system' (×1)",)


def test_contribution_falls_back_to_method_when_nothing_matches():
    taxonomy = taxonomy_with({})
    method = next(s for s in suggest_tags("Something", "Nothing to see.", taxonomy) if s.tag == "method")
    assert method.evidence == ("no other contribution tag matched",)


def test_neighbours_confirm_a_near_miss_and_are_named_in_the_evidence():
    taxonomy = taxonomy_with({})
    near = [Neighbour("alisa", 0.5, ("kv-cache",)), Neighbour("lserve", 0.4, ("kv-cache",))]
    kv = next(s for s in suggest_tags("A title", "It keeps a KV cache.", taxonomy, near) if s.tag == "kv-cache")
    assert "2 of 2 similar papers: alisa, lserve" in kv.evidence


def test_neighbours_alone_never_add_a_tag():
    taxonomy = taxonomy_with({})
    split = [Neighbour("a", 0.5, ("pruning-sparsity",)), Neighbour("b", 0.5, ("pruning-sparsity",))]
    assert "pruning-sparsity" not in tags_of(suggest_tags("A title", "Text.", taxonomy, split))


def test_corpus_finds_the_most_similar_curated_paper_and_ignores_suggested_ones():
    papers = [
        Paper("kv", "KV cache compression", "We compress the key value cache of attention for long inputs.",
              tags=("kv-cache",)),
        Paper("prune", "Weight pruning", "We prune weights of large networks with structured sparsity.",
              tags=("pruning-sparsity",)),
        Paper("guess", "KV cache eviction", "Evicting key value cache entries.", tags=("kv-cache",),
              tags_suggested=True),
    ]
    corpus = TaggedCorpus.from_papers(papers)
    nearest = corpus.nearest("Cache compression", "Compress the key value cache for long inputs.", k=1)
    assert [n.paper_id for n in nearest] == ["kv"] and "guess" not in corpus.tags


def test_every_seed_tag_has_a_rule(repo_project):
    taxonomy, problems = load_taxonomy(repo_project.taxonomy_path.read_bytes(), "data/taxonomy.yaml")
    assert problems == []
    assert sorted(t for t in taxonomy.tags if not (taxonomy.rules.get(t) or {}).get("phrases")) == []


def _kv_cache_taxonomy(*rule_lines: str) -> bytes:
    """A taxonomy of one tag, kv-cache, whose rules are `rule_lines` (from line 9 of the file)."""
    head = textwrap.dedent("""\
        facets:
          - id: technique
            name: Technique
            tags:
              - id: kv-cache
                name: KV cache
                description: d
                rules:
        """)
    return (head + "".join(f"          {line}\n" for line in rule_lines)).encode()


def test_a_broken_pattern_is_a_located_problem_not_a_traceback():
    taxonomy, problems = load_taxonomy(_kv_cache_taxonomy("patterns: ['kv(cache']"), "data/taxonomy.yaml")
    assert taxonomy is None
    assert [(p.line, p.field) for p in problems] == [(9, "tags.rules.patterns")]
    assert "'kv(cache' is not a regular expression" in problems[0].message


@pytest.mark.parametrize("setting, says", [
    ("min_score: [2]", "tags.rules.min_score: expected a number of 0 or more, got [2]"),
    ("min_score: .nan", "tags.rules.min_score: expected a number of 0 or more, got nan"),
    ("weight: -1", "tags.rules.weight: expected a number of 0 or more, got -1"),
    ("weight: true", "tags.rules.weight: expected a number of 0 or more, got True"),
    ("fallback: 'yes'", "tags.rules.fallback: expected true or false, got 'yes'"),
])
def test_a_rule_setting_that_is_not_a_number_or_flag_is_a_located_problem(setting, says):
    # Read as they are, these would fail the build with a traceback or tag nothing, silently.
    taxonomy, problems = load_taxonomy(_kv_cache_taxonomy("phrases: [kv cache]", setting), "data/taxonomy.yaml")
    assert taxonomy is None
    assert [str(p).split(" — ")[0] for p in problems] == [f"data/taxonomy.yaml:10: {says}"]


@pytest.mark.parametrize("change, says", [
    (("    name: Technique", "    questin: What technique?\n    name: Technique"),
     "data/taxonomy.yaml:3: facets.questin: is not a taxonomy field — did you mean 'question'?"),
    (("        description: d", "        description: d\n        colour: red"),
     "data/taxonomy.yaml:8: tags.colour: is not a taxonomy field — use id, name, description, rules"),
    (("facets:", "facet_order: [technique]\nfacets:"),
     "data/taxonomy.yaml:1: facet_order: is not a taxonomy field — use version, facets"),
    (("facets:", "version: 2\nfacets:"),
     "data/taxonomy.yaml:1: version: 2 is not a taxonomy version this build reads — write `version: 1` "
     "(the format described at the top)"),
    (("    name: Technique", "    name: Technique\n    question: [What technique?]"),
     "data/taxonomy.yaml:4: facets.question: expected text — write the question the facet answers, in quotes"),
])
def test_a_misspelt_or_unknown_taxonomy_field_is_a_located_problem_not_dropped(change, says):
    text = _kv_cache_taxonomy("phrases: [kv cache]").decode().replace(*change, 1)
    taxonomy, problems = load_taxonomy(text.encode(), "data/taxonomy.yaml")
    assert taxonomy is None
    assert [str(p) for p in problems] == [says]


def test_an_unquoted_comma_in_a_phrase_list_is_caught():
    text = textwrap.dedent("""\
        facets:
          - id: hardware
            name: Hardware
            tags:
              - id: supercomputers
                name: Supercomputers
                description: d
                rules:
                  phrases: [10,000 GPUs]
        """)
    _, problems = load_taxonomy(text.encode(), "data/taxonomy.yaml")
    assert [p.field for p in problems] == ["tags.rules.phrases"]


def test_phrase_patterns_match_whole_words_only_wherever_the_phrase_starts():
    import re

    from atlas.tagger import phrase_pattern

    text = "kv cache, kv-cache and kvcache; xkv cache, kv cachex, _kv cache, é-kv cache, (kv  cache)"
    spans = [m.span() for m in phrase_pattern("KV cache").finditer(text)]
    found = [text[a:b] for a, b in spans]
    assert found == ["kv cache", "kv-cache", "kvcache", "kv cache"]
    # The same matches as the plain "no word character before" form it replaces.
    assert spans == [m.span() for m in re.finditer(r"(?<![\w])kv[\s-]?cache(?![\w])", text)]
