"""Compiled Jinja templates kept from one build to the next in the same process.

MkDocs creates a new Jinja environment for the theme on every build, and the atlas one for
its pages, so under `mkdocs serve` every rebuild compiled Material's ~80 templates and the
atlas's own again (about a second of a 1,000-paper rebuild). Jinja's bytecode cache keeps
the compiled code; Jinja checks each entry against a checksum of the template's source, so
an edited template is compiled afresh. The compiled code also depends on the environment's
settings (autoescape, finalize, whitespace control), so each kind of environment has a
cache of its own.
"""

from __future__ import annotations

import jinja2


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, in memory."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_CACHES: dict[str, CompiledTemplates] = {}


def compiled_templates(kind: str) -> CompiledTemplates:
    """The cache for environments of one `kind` (environments of a kind share every setting)."""
    return _CACHES.setdefault(kind, CompiledTemplates())
