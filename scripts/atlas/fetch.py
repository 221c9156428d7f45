"""The one door to the network: a bounded HTTP GET with a clear message when it fails.

Every importer that reads a URL goes through `fetch`, so timeouts, the User-Agent and the
size cap are set in one place, and tests can hand importers a fake instead of the network.
Failures are `AtlasError`s naming the URL and what to do, never a traceback.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Callable

from .problems import AtlasError, Problem

USER_AGENT = "paper-atlas/0.1 (+https://github.com/; atlas import)"
TIMEOUT_SECONDS = 30.0
MAX_BYTES = 20 * 1024 * 1024

Fetcher = Callable[[str], bytes]


def is_url(text: str) -> bool:
    return text.startswith(("https://", "http://"))


def fetch(url: str, *, timeout: float = TIMEOUT_SECONDS, max_bytes: int = MAX_BYTES) -> bytes:
    """The body of `url` (at most `max_bytes`), or an AtlasError explaining the failure."""
    if not is_url(url):
        raise AtlasError([Problem(url, 0, "url", "not an http(s) URL", "give an https:// address")])
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (scheme checked)
            body = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise AtlasError([Problem(url, 0, "network", f"HTTP {error.code} {error.reason}",
                                  "check the address, or try again later")]) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise AtlasError([Problem(url, 0, "network", f"could not fetch ({reason})",
                                  "are you offline? download the response and pass the file instead")]) from None
    if len(body) > max_bytes:
        raise AtlasError([Problem(url, 0, "network", f"response is larger than {max_bytes} bytes",
                                  "ask for fewer papers at a time")])
    return body
