"""URLs: find them in abstracts, classify them into entry links, and refuse unsafe ones.

Only `http(s)://host/...` targets ever reach a page; `javascript:`, `data:` and URLs with
whitespace or control characters are refused, and sentence punctuation that copy-paste
glues to a URL ("... at https://github.com/org/repo.") is not part of it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

URL_IN_TEXT = re.compile(r"https?://[^\s<>\"'\\{}|^`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""
# Characters RFC 3986 never allows in a URL; in a page they could end an attribute or a tag.
_NOT_IN_URLS = set('<>"`{}\\^|')
_NOT_IN_URLS_PATTERN = re.compile("[" + re.escape("".join(sorted(_NOT_IN_URLS))) + "]")
# Whitespace as str.isspace() sees it (re's \s is the same set), control characters and DEL.
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$", re.IGNORECASE)


def strip_trailing_punctuation(url: str) -> str:
    """Drop punctuation that ends the sentence, keeping a ')' that closes one in the URL."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """Spans (start, end, url) of the URLs in `text`, trailing punctuation excluded."""
    spans = []
    for match in URL_IN_TEXT.finditer(text):
        url = strip_trailing_punctuation(match.group(0))
        if url_problem(url) is None:
            spans.append((match.start(), match.start() + len(url), url))
    return spans


def url_problem(url: str) -> tuple[str, str] | None:
    """Why `url` may not be published, as (message, fix), or None when it is fine."""
    if _SPACE_OR_CONTROL.search(url):
        return "URL contains whitespace or control characters", "remove them; encode spaces as %20"
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in ("http", "https"):
        shown = f"'{scheme}:'" if scheme else "no scheme"
        return f"URL has {shown}; only http(s) links are published", "use an https:// URL"
    bad = sorted(set(_NOT_IN_URLS_PATTERN.findall(url)))
    if bad:
        shown = " ".join(bad)
        return f"URL contains {shown}, which is not allowed in a URL", "remove it, or percent-encode it (e.g. %22 for a double quote)"
    parts = urlsplit(url)
    if not url.lower().startswith(("http://", "https://")) or not parts.hostname or not _HOST.match(parts.hostname):
        return "URL has no valid host", "write it as https://host/path"
    if parts.username or parts.password:
        return "URL carries a user name or password", "remove the credentials"
    if url[-1] in _TRAILING and strip_trailing_punctuation(url) != url:
        return f"URL ends with '{url[-1]}', which is punctuation, not part of the address", \
            f"remove the trailing '{url[-1]}'"
    return None


def classify_url(url: str) -> str:
    """Which entry link a URL is: code, dataset, model or project."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    path = [p for p in parts.path.split("/") if p]
    if host in ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org"):
        return "code" if len(path) >= 2 else "project"
    if host in ("huggingface.co", "hf.co"):
        if path[:1] == ["datasets"]:
            return "dataset"
        if path[:1] in (["spaces"], ["papers"], ["blog"]) or len(path) < 2:
            return "project"
        return "model"
    return "project"


def _name_score(url: str, names: list[str]) -> int:
    path = urlsplit(url).path.lower()
    return sum(1 for name in names if name and re.sub(r"[^a-z0-9]", "", name.lower()) in re.sub(r"[^a-z0-9/]", "", path))


def extract_links(text: str, names: list[str] = ()) -> tuple[dict[str, str], list[str]]:
    """Links found in `text` by kind, and the URLs left over when a kind has several.

    When an abstract cites several repositories, the one whose path carries the paper's
    name is its code; the others are reported, and stay in the abstract text.
    """
    by_kind: dict[str, list[str]] = {}
    for _, _, url in find_urls(text):
        urls = by_kind.setdefault(classify_url(url), [])
        if url not in urls:
            urls.append(url)
    links, leftover = {}, []
    for kind, urls in by_kind.items():
        best = max(urls, key=lambda u: _name_score(u, list(names)))
        links[kind] = best
        leftover += [u for u in urls if u != best]
    return links, leftover
