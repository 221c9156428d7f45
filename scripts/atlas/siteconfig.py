"""The site's public URL, read from mkdocs.yml the way MkDocs reads it (`!ENV` included).

Feeds need absolute links, and `atlas build` (run alone or by the MkDocs hook) must write
the same feeds either way, so both take the URL from here rather than from MkDocs' config.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from yaml_env_tag import construct_env_tag

# Used when mkdocs.yml names no site_url: the address `mkdocs serve` uses.
FALLBACK_SITE_URL = "http://127.0.0.1:8000/"


class _ConfigLoader(yaml.SafeLoader):
    """Safe loader that resolves `!ENV` and ignores other tags (`!!python/name:` etc.)."""


_ConfigLoader.add_constructor("!ENV", construct_env_tag)
_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def site_url_from_config(text: str) -> str:
    """`site_url` from mkdocs.yml text, with a trailing slash."""
    data = yaml.load(text, Loader=_ConfigLoader) or {}
    url = data.get("site_url") if isinstance(data, dict) else None
    url = str(url).strip() if url else FALLBACK_SITE_URL
    return url if url.endswith("/") else url + "/"


def read_site_url(root: Path) -> str:
    config = root / "mkdocs.yml"
    return site_url_from_config(config.read_text(encoding="utf-8")) if config.is_file() else FALLBACK_SITE_URL
