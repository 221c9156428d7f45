"""Paper Atlas: turn a folder of paper entries into a browsable, cross-linked MkDocs site.

The package is a pure core (load -> validate -> enrich -> render) with disk access kept
in `atlas.cli`, `atlas.output` and the MkDocs hook in `scripts/mkdocs_hooks.py`.
"""

__version__ = "0.1.0"
