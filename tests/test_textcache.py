"""The per-text cache: unchanged texts are reused across builds, edited ones recomputed, bad files ignored."""

from __future__ import annotations

import numpy as np
import pytest

from atlas import embed, textcache, textindex
from atlas.build import build


@pytest.fixture(autouse=True)
def fresh_memos(monkeypatch):
    """Each test starts like a new process: nothing remembered in memory."""
    monkeypatch.setattr(textindex, "TOKENISED", {})
    monkeypatch.setattr(embed, "EMBEDDED", {})
    monkeypatch.setattr(textcache, "_ON_DISK", {})


def _forget_in_memory(monkeypatch):
    monkeypatch.setattr(textindex, "TOKENISED", {})
    monkeypatch.setattr(embed, "EMBEDDED", {})
    monkeypatch.setattr(textcache, "_ON_DISK", {})


def _remember(text: str, seed: int) -> np.ndarray:
    textindex.tokenised(text)
    vector = np.random.default_rng(seed).random(textcache.DIM).astype(np.float32)
    embed.EMBEDDED[text] = vector
    return vector


def test_unchanged_text_is_read_back_without_tokenising_or_embedding(tmp_path, monkeypatch):
    text = "Q-GaLore: quantized low-rank KV cache for LLM inference. We propose Q-GaLore."
    vector = _remember(text, 1)
    expected = textindex.tokenised(text)
    assert textcache.save(tmp_path, [text])
    _forget_in_memory(monkeypatch)
    monkeypatch.setattr(textindex, "terms_with_surface", lambda t: pytest.fail("tokenised again"))
    monkeypatch.setattr(embed, "_model", lambda: pytest.fail("embedded again"))

    assert textcache.load(tmp_path) == 1
    assert textindex.tokenised(text) == expected
    assert np.array_equal(embed.Embeddings({"p": text}).matrix[0], vector.astype(np.float64))


def test_edited_text_is_tokenised_again_and_the_old_one_dropped(tmp_path, monkeypatch):
    old, new = "Speculative decoding with a draft model.", "Speculative decoding with two draft models."
    _remember(old, 1)
    textcache.save(tmp_path, [old])
    _forget_in_memory(monkeypatch)
    textcache.load(tmp_path)
    calls = []
    real = textindex.terms_with_surface
    monkeypatch.setattr(textindex, "terms_with_surface", lambda t: calls.append(t) or real(t))

    textindex.tokenised(old)
    textindex.tokenised(new)
    assert calls == [new]
    embed.EMBEDDED[new] = np.zeros(textcache.DIM, dtype=np.float32)
    assert textcache.save(tmp_path, [new])
    _forget_in_memory(monkeypatch)
    assert textcache.load(tmp_path) == 1
    assert old not in textindex.TOKENISED and new in textindex.TOKENISED


def test_an_unchanged_set_of_texts_is_not_written_again(tmp_path):
    text = "FlashAttention: fast exact attention."
    _remember(text, 2)
    assert textcache.save(tmp_path, [text])
    assert not textcache.save(tmp_path, [text])


@pytest.mark.parametrize("content", [b"", b"not a zip file at all", b"PK\x03\x04broken"])
def test_a_corrupt_cache_is_ignored(tmp_path, content):
    path = tmp_path / textcache.CACHE_PATH
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert textcache.load(tmp_path) == 0
    assert textindex.TOKENISED == {} and embed.EMBEDDED == {}


def test_a_cache_from_other_code_is_ignored(tmp_path, monkeypatch):
    text = "PagedAttention for LLM serving."
    _remember(text, 3)
    textcache.save(tmp_path, [text])
    _forget_in_memory(monkeypatch)
    monkeypatch.setattr(textcache, "stamp", lambda: "another tokeniser")
    assert textcache.load(tmp_path) == 0
    assert textindex.TOKENISED == {}


def test_a_build_from_the_cache_writes_the_same_pages(make_project, monkeypatch):
    from conftest import entry

    project = make_project({f"paper-{i}.yaml": entry(f"paper-{i}", tags="[kv-cache, inference, method]")
                            for i in range(3)})
    build(project, use_cache=False)
    first = {p: p.read_bytes() for p in sorted(project.docs_dir.rglob("*")) if p.is_file()}
    assert (project.root / textcache.CACHE_PATH).is_file()
    _forget_in_memory(monkeypatch)
    monkeypatch.setattr(embed, "_model", lambda: pytest.fail("embedded again"))
    build(project, use_cache=False)
    assert {p: p.read_bytes() for p in sorted(project.docs_dir.rglob("*")) if p.is_file()} == first
