"""The topic filter: include/exclude phrases and the tagger's confidence, each with a reason."""

from atlas.model import Facet, Tag, Taxonomy
from atlas.scope import Scope, judge, load_scope
from atlas.tagger import Suggestion, suggest_tags

from import_helpers import REPO

TAXONOMY = Taxonomy(
    (Facet("technique", "Technique", "How?", (Tag("kv-cache", "technique", "KV cache", "d"),)),
     Facet("contribution", "Contribution", "What?", (Tag("method", "contribution", "Method", "d"),))),
    rules={"kv-cache": {"phrases": ["kv cache"]}, "method": {"phrases": ["we propose"]}},
)
SCOPE = Scope(include=("language model",), exclude=("protein",), min_confidence=1,
              facets=("technique",))
KV_TITLE = "Compressing the KV Cache of a Language Model"
KV_ABSTRACT = "We propose to store the KV cache in two bits."


def verdict(title, abstract, scope=SCOPE):
    return judge(scope, title, abstract, suggest_tags(title, abstract, TAXONOMY), TAXONOMY)


def test_paper_with_an_include_phrase_and_a_topic_tag_is_in_scope_with_the_evidence():
    result = verdict(KV_TITLE, KV_ABSTRACT)
    assert result.in_scope
    assert result.reason == "mentions 'language model' in title; tagged kv-cache (3)"


def test_an_exclude_phrase_wins_over_everything_else():
    result = verdict(KV_TITLE, KV_ABSTRACT + " Applied to protein design.")
    assert (result.in_scope, result.reason) == (False, "excluded phrase 'protein'")


def test_paper_without_any_include_phrase_is_out_of_scope():
    result = verdict("Compressing the KV Cache", KV_ABSTRACT)
    assert (result.in_scope, result.reason) == (False, "no include phrase from data/scope.yaml appears")


def test_tags_outside_the_listed_facets_do_not_count_as_confidence():
    result = verdict("A Language Model for Poems", "We propose a model that writes poems.")
    assert not result.in_scope
    assert result.reason == "no taxonomy tag fits well enough (tagger confidence 0 below 1)"


def test_without_facets_every_tag_counts():
    scope = Scope(include=("language model",), min_confidence=1)
    assert verdict("A Language Model for Poems", "We propose a model that writes poems.", scope).in_scope


def test_confidence_is_the_best_tag_score():
    weak = [Suggestion("kv-cache", 1.0, ("'kv cache'",))]
    scope = Scope(min_confidence=2)
    assert not judge(scope, "t", "a", weak).in_scope
    assert judge(scope, "t", "a", [Suggestion("kv-cache", 2.0, ())]).in_scope


def test_the_shipped_scope_file_loads():
    scope, problems = load_scope((REPO / "data" / "scope.yaml").read_bytes())
    assert problems == []
    assert "language model" in scope.include and "protein" in scope.exclude


def test_a_scope_file_with_mistakes_names_each_line():
    _, problems = load_scope(b"include: language model\nexclude: [x]\nminimum: 2\nmin_confidence: high\n", "s.yaml")
    assert [str(p) for p in problems] == [
        "s.yaml:3: minimum: unknown key — use exclude, facets, include, min_confidence",
        "s.yaml:1: include: expected a list of phrases — write e.g. include: [language model, LLM]",
        "s.yaml:4: min_confidence: expected a number ≥ 0, got 'high' — write e.g. min_confidence: 2",
    ]


def test_a_taxonomy_without_tagger_rules_skips_the_confidence_check_and_says_so():
    bare = Taxonomy(TAXONOMY.facets, rules={})
    result = judge(SCOPE, KV_TITLE, KV_ABSTRACT, [], bare)
    assert result.in_scope
    assert result.reason == ("mentions 'language model' in title; "
                             "confidence not checked (data/taxonomy.yaml has no tagger rules)")
