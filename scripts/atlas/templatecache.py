"""Compiled Jinja templates kept from one build to the next in the same process.

MkDocs creates a new Jinja environment for the theme on every build, and the atlas one for
its pages, so under `mkdocs serve` every rebuild compiled Material's ~80 templates and the
atlas's own again (about a second of a 1,000-paper rebuild). Jinja's bytecode cache keeps
the compiled code; Jinja checks each entry against a checksum of the template's source, so
an edited template is compiled afresh. The compiled code also depends on the environment's
settings (autoescape, finalize, whitespace control), so each kind of environment has a
cache of its own.

Where the template lies does not change its code, only the file name the code reports in
tracebacks: entries are kept by template name, and code taken for a template that lies
elsewhere gets that template's file name. A process that builds several projects (the
test suite builds ~160 throw-away copies of the seed) compiles each template once.
"""

from __future__ import annotations

import types

import jinja2


def _relocated(code: types.CodeType, filename: str) -> types.CodeType:
    """`code` and the code nested in it (blocks, macros), reporting `filename`."""
    consts = tuple(_relocated(c, filename) if isinstance(c, types.CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


class CompiledTemplates(jinja2.BytecodeCache):
    """Jinja's bytecode cache, in memory."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        return super().get_cache_key(name)

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        bucket = super().get_bucket(environment, name, filename, source)
        if bucket.code is not None and filename and bucket.code.co_filename != filename:
            bucket.code = _relocated(bucket.code, filename)
        return bucket

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
