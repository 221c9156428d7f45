"""The one network function: bounded, identified, and clear when offline. No real network here."""

import urllib.error

import pytest

from atlas import fetch as fetch_module
from atlas.fetch import fetch
from atlas.problems import AtlasError


class FakeResponse:
    def __init__(self, body: bytes):
        self.body = body

    def read(self, limit):
        return self.body[:limit]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_offline_is_reported_with_what_to_do(monkeypatch):
    def offline(request, timeout):
        raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")

    monkeypatch.setattr(fetch_module.urllib.request, "urlopen", offline)
    with pytest.raises(AtlasError) as caught:
        fetch("https://huggingface.co/api/daily_papers")
    assert str(caught.value.problems[0]) == (
        "https://huggingface.co/api/daily_papers: network: could not fetch ([Errno -3] Temporary failure in name "
        "resolution) — are you offline? download the response and pass the file instead")


def test_requests_carry_a_user_agent_and_a_timeout(monkeypatch):
    seen = {}

    def answer(request, timeout):
        seen.update(agent=request.get_header("User-agent"), timeout=timeout)
        return FakeResponse(b"[]")

    monkeypatch.setattr(fetch_module.urllib.request, "urlopen", answer)
    assert fetch("https://example.org/x", timeout=5) == b"[]"
    assert seen == {"agent": fetch_module.USER_AGENT, "timeout": 5}


def test_responses_over_the_size_cap_are_refused(monkeypatch):
    monkeypatch.setattr(fetch_module.urllib.request, "urlopen", lambda request, timeout: FakeResponse(b"x" * 11))
    with pytest.raises(AtlasError, match="larger than 10 bytes"):
        fetch("https://example.org/x", max_bytes=10)


def test_only_http_urls_are_fetched():
    with pytest.raises(AtlasError, match="not an http"):
        fetch("file:///etc/passwd")
