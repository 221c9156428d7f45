"""The embedding shortcut gives what WordLlama itself gives, bit for bit (pages must not drift)."""

from __future__ import annotations

import numpy as np
import pytest

from atlas import embed
from atlas.build import load_inputs
from atlas.related import paper_text

# Texts that break the word-by-word rule one way or another: spacing, byte fallback, the
# tokenizer's own marker and special tokens' names.
ODD_TEXTS = ["x", " leading space", "trailing space ", "two  spaces and   three", "   ", "tab\tand\nnewline",
             "émigré naïve 数据 🙂 ∑", "a▁b", "a <s> b</s>", "<unk>x", "non\u00a0breaking", "ends.", "KV-cache (4-bit)"]


@pytest.fixture(scope="module")
def seed_texts(repo_project) -> list[str]:
    inputs, _ = load_inputs(repo_project)
    return sorted(paper_text(p) for p in inputs.papers)


def test_word_by_word_token_ids_are_the_tokenizers_ids_for_whole_texts(seed_texts, monkeypatch):
    monkeypatch.setattr(embed, "_PIECE_IDS", {})
    texts = seed_texts + ODD_TEXTS
    whole = [e.ids for e in embed._unpadded_tokenizer().encode_batch(texts, add_special_tokens=False)]
    assert embed.token_ids(texts) == whole
    assert len(embed._PIECE_IDS) < sum(len(t.split()) for t in seed_texts) / 3  # words repeat: each is tokenised once


def test_embeddings_equal_wordllamas_own_bit_for_bit(seed_texts):
    texts = seed_texts + ODD_TEXTS
    assert np.array_equal(embed.embed_texts(texts), embed._model().embed(texts, norm=True))


def test_the_shortcut_rests_on_the_models_vocabulary():
    # No token has a "▁" after another character: no BPE merge joins a word to the next one.
    assert embed._pieces_are_independent()
    assert "<s>" in embed._special_names()
