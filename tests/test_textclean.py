"""The importer's cleaner turns LaTeX and copy-paste remnants from the seed into readable text."""

import pytest

from atlas.textclean import clean_text


@pytest.mark.parametrize("raw, clean", [
    ("achieves 6.0times higher energy efficiency", "achieves 6.0× higher energy efficiency"),
    ("up to 2.4\\times speedup", "up to 2.4× speedup"),
    ("with 200times fewer tokens", "with 200× fewer tokens"),
    ("removing a small portion of neurons (sim5%) at a time", "removing a small portion of neurons (~5%) at a time"),
    ("baselines with 100M sim 1B parameters", "baselines with 100M ~ 1B parameters"),
    ("leading to ~20% overheads", "leading to ~20% overheads"),
    ("from 100\\% Few-shot NER", "from 100% Few-shot NER"),
    ("We then present M\\'elange, a framework", "We then present Mélange, a framework"),
    ("Combine (DC^2), a novel training-free framework", "Combine (DC²), a novel training-free framework"),
    ("long documents.~Working in progress.\\url{https://github.com/wbbeyourself/SCM4LLMs}",
     "long documents. Working in progress. https://github.com/wbbeyourself/SCM4LLMs"),
])
def test_seed_remnants_become_readable(raw, clean):
    assert clean_text(raw)[0] == clean


def test_every_change_is_listed_with_its_rule():
    _, changes = clean_text("M\\'elange is 2.4\\times faster at 30\\% cost")
    assert [(c.before, c.after) for c in changes] == [("\\'e", "é"), ("\\times", "×"), ("\\%", "%")]
    assert all(c.rule for c in changes)


def test_words_that_contain_times_or_sim_are_left_alone():
    text = "Sometimes the simulator runs several times; similarity is high."
    assert clean_text(text) == (text, [])


def test_clean_text_is_idempotent():
    once, _ = clean_text("6.0times and sim5% and M\\'elange and \\url{https://x.org/a}")
    assert clean_text(once) == (once, [])
