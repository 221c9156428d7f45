"""The least any build script of this stack could do, timed by `atlas bench` beside the real one.

The issue's target "build script ≤ 15% of the full build" leaves the script ~2.6 s at 10,000
papers, since MkDocs with its search index takes ~15 s of its own. Whether that budget can
be met at all is a question about the stack (Python, PyYAML, Jinja, the machine's file
system), not about this script, so the bench measures the floor in the same run: read
every entry, parse it with libyaml, render one short page from its own fields with Jinja,
write it, in one forked worker per core, and nothing else: no checks, no tags, mentions,
related papers, maps, tag pages or indexes. The real script does all of that on top, so
if the floor alone takes a large part of the budget, the target is out of reach by design.

Run as `python -m atlas.floorbench ENTRIES_DIR OUT_DIR`; it prints the pages written.
"""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

import jinja2
import yaml

from .parallel import chunks, run_all, worker_count

# A page from an entry's own fields only: less than any real paper page.
PAGE = jinja2.Environment(autoescape=True, keep_trailing_newline=True).from_string(
    "---\ntitle: {{ entry.title | tojson }}\n---\n\n# {{ entry.title }}\n\n"
    "<p class=\"authors\">{{ entry.authors | join(', ') }}</p>\n"
    "<ul class=\"tags\">{% for tag in entry.tags %}<li><a href=\"../../tags/{{ tag }}/\">{{ tag }}</a></li>{% endfor %}</ul>\n\n"
    "{{ entry.abstract }}\n")


# libyaml, as the build's own loader uses where PyYAML has it (atlas.yamlsafe).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def render_entry(raw: bytes) -> str:
    entry = yaml.load(raw, Loader=_LOADER)
    return PAGE.render(entry=entry)


def _write_pages(names: list[str], entries: Path, out: Path) -> int:
    for name in names:
        page = render_entry((entries / name).read_bytes())
        (out / f"{Path(name).stem}.md").write_text(page, encoding="utf-8")
    return len(names)


def write_floor_pages(entries: Path, out: Path) -> int:
    """One page per `*.yaml` in `entries` into `out` (created), shared among the workers."""
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(p.name for p in entries.glob("*.yaml"))
    size = max(1, -(-len(names) // (4 * worker_count())))  # a few jobs per worker
    jobs = [partial(_write_pages, part, entries, out) for part in chunks(names, size)]
    return sum(run_all(jobs, parallel=len(jobs) > 1))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m atlas.floorbench ENTRIES_DIR OUT_DIR", file=sys.stderr)
        return 2
    written = write_floor_pages(Path(argv[0]), Path(argv[1]))
    print(f"floor: {written} pages written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
