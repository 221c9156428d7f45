"""Links are pulled out of abstracts, classified, and only safe http(s) URLs are accepted."""

import pytest

from atlas.urls import classify_url, extract_links, find_urls, url_problem


def test_trailing_dot_is_not_part_of_code_url():
    assert [u for _, _, u in find_urls("is publicly available at https://github.com/AlibabaPAI/llumnix.")] == \
        ["https://github.com/AlibabaPAI/llumnix"]


@pytest.mark.parametrize("text, url", [
    ("code: https://github.com/wbbeyourself/SCM4LLMs}", "https://github.com/wbbeyourself/SCM4LLMs"),
    ("(see https://janghyuncho.github.io/Cube-LLM).", "https://janghyuncho.github.io/Cube-LLM"),
    ("at https://yxxxb.github.io/ATP-LLaVA-page/.", "https://yxxxb.github.io/ATP-LLaVA-page/"),
])
def test_closing_braces_and_parentheses_are_not_part_of_urls(text, url):
    assert [u for _, _, u in find_urls(text)] == [url]


@pytest.mark.parametrize("url, kind", [
    ("https://github.com/OpenBMB/MiniCPM", "code"),
    ("https://huggingface.co/datasets/StarBottle/MIBench", "dataset"),
    ("https://huggingface.co/OpenGVLab/HoVLE", "model"),
    ("https://yxxxb.github.io/ATP-LLaVA-page/", "project"),
    ("https://www.nexaai.com/models", "project"),
])
def test_urls_are_classified_by_host_and_path(url, kind):
    assert classify_url(url) == kind


def test_the_repository_named_after_the_paper_is_its_code_link():
    text = ("built on https://github.com/OpenGVLab/InternGPT. Code is at "
            "https://github.com/OpenGVLab/VisionLLM.")
    links, leftover = extract_links(text, ["VisionLLM"])
    assert links == {"code": "https://github.com/OpenGVLab/VisionLLM"}
    assert leftover == ["https://github.com/OpenGVLab/InternGPT"]


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "ftp://example.org/x",
    "https://exa mple.org/", "https://github.com/org/repo.", "https:///nohost", "https://user:pw@example.org/",
])
def test_unsafe_or_malformed_urls_are_refused(url):
    assert url_problem(url) is not None


def test_plain_https_url_is_accepted():
    assert url_problem("https://github.com/jiaweizzhao/GaLore") is None


def test_every_kind_of_whitespace_and_control_character_is_refused():
    from atlas.urls import url_problem

    for code in [*range(0x3100), 0xFEFF, 0x205F, 0x3000]:
        ch = chr(code)
        refused = url_problem(f"https://example.org/a{ch}b") is not None
        if ch.isspace() or code < 32 or code == 127:
            assert refused, hex(code)
