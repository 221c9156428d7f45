"""Tokenisation and sparse similarity for related papers."""

from atlas.textindex import build_vectors, surface_forms, terms, top_k_similar


def test_coined_names_and_number_formats_are_single_terms():
    found = terms("Q-GaLore trains in INT4 while ZeroQuant-FP uses W4A8 and FP8 with 4-bit weights")
    for term in ("q-galore", "int4", "w4a8", "fp8", "4-bit"):
        assert term in found


def test_a_coined_compound_also_says_its_parts():
    assert "galor" in terms("Q-GaLore")  # the stem of "GaLore": Q-GaLore's text finds GaLore's


def test_kv_cache_spellings_are_one_term():
    spellings = ["KV cache", "KV-cache", "KVCache", "key-value cache", "kv caches"]
    found = [set(terms(s)) for s in spellings]
    assert all("kv cach" in f for f in found), found


def test_grammatical_forms_meet_at_one_stem():
    assert set(terms("quantized")) == set(terms("quantization")) == set(terms("quantizes"))


def test_no_bigram_across_punctuation():
    found = terms("We compress the cache. Speculative decoding, then (sparse) attention")
    assert "speculativ decod" in found
    assert "cach speculativ" not in found
    assert "decod spars" not in found


def test_stopwords_and_numbers_are_not_terms():
    assert terms("we propose the 7 large language models") == []


def test_surface_forms_show_terms_as_readers_write_them():
    forms = surface_forms({"a": "KV Cache Compression. The KV-cache grows.", "b": "Speculative Decoding"})
    assert forms["kv cach"] == "KV cache"
    assert forms["speculativ decod"] == "speculative decoding"


def test_surface_forms_keep_capitals_inside_names():
    assert surface_forms({"a": "GaLore and Q-GaLore"})["q-galore"] == "Q-GaLore"


def test_top_k_similar_finds_the_document_sharing_a_rare_term():
    texts = {f"filler-{i}": f"topic{i} words{i} here{i}" for i in range(20)}
    texts |= {"galore": "GaLore gradient projection", "q-galore": "Q-GaLore quantized gradient projection"}
    neighbours = top_k_similar(build_vectors(texts), k=1)
    assert neighbours["galore"][0][0] == "q-galore"
    assert neighbours["filler-3"] == []


def test_top_k_scores_are_exact_cosines_even_with_frequent_terms_skipped():
    texts = {f"d{i}": f"common shared words plus topic{i % 4} and detail{i}" for i in range(12)}
    vectors = build_vectors(texts)
    neighbours = top_k_similar(vectors, k=3, max_df_share=0.1, min_postings=1)
    for key, found in neighbours.items():
        for other, score in found:
            exact = sum(w * vectors[other].get(t, 0.0) for t, w in vectors[key].items())
            assert abs(score - exact) < 1e-12
        assert all(other.startswith("d") and int(other[1:]) % 4 == int(key[1:]) % 4 for other, _ in found)


def test_what_a_token_adds_is_learnt_once_and_is_the_same_in_any_context(monkeypatch):
    from atlas import textindex

    text = "Q-GaLore quantizes the KV cache; key-value caches of LLM-based low-rank models. KVCache"
    monkeypatch.setattr(textindex, "_PLANS", {})
    first = textindex.terms_with_surface(text)
    assert {"Q-GaLore", "KVCache", "low-rank", "the"} <= textindex._PLANS.keys()
    # The same tokens in another order and among other words: learnt plans, fresh result.
    other = "low-rank KVCache, the Q-GaLore quantizes: LLM-based KV cache key-value caches"
    learnt = textindex.terms_with_surface(other)
    monkeypatch.setattr(textindex, "_PLANS", {})
    assert textindex.terms_with_surface(other) == learnt
    assert textindex.terms_with_surface(text) == first
    assert ("kv cach", "KV cache") in first and ("quant kv", "quantizes KV") not in first  # "the" between
