"""Page shells: the theme template rendered once per kind of page, filled in per page,
and only ever used where it gives exactly the bytes of a full render."""

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest

from atlas.pageshell import SHELL_TEMPLATE, PageShells, Shell, ShellError, _printed_toc, _toc_key, placeholder

REPO = Path(__file__).resolve().parent.parent


def test_a_shell_puts_each_page_value_where_its_placeholder_was():
    shell = Shell.parse(f"<title>{placeholder('title')}</title><main>{placeholder('content')}</main>"
                        f"<h1>{placeholder('title')}</h1>", {"title", "content"})
    assert shell.fill({"title": "GaLore", "content": "<p>Abstract</p>"}) == \
        "<title>GaLore</title><main><p>Abstract</p></main><h1>GaLore</h1>"


def test_a_placeholder_for_an_unknown_value_is_refused():
    with pytest.raises(ShellError, match="author"):
        Shell.parse(f"<b>{placeholder('author')}</b>", {"title"})


def page(name: str, **meta) -> SimpleNamespace:
    return SimpleNamespace(
        title=f"Paper {name}", meta={"title": f"Paper {name}", "description": f"About {name}.", **meta},
        content=f"<h1>Paper {name}</h1><p>{name} & more</p>", url=f"papers/{name}/",
        canonical_url=f"https://example.org/papers/{name}/", edit_url=f"https://example.org/edit/{name}.yaml",
        toc=[], atlas_fragment_key="papers", file=SimpleNamespace(src_uri=f"papers/{name}.md"))


def render_all(main_html: str, pages: list) -> tuple[list[str], list[str], PageShells]:
    """Each page through the shells, and through main.html directly."""
    templates = {"main.html": main_html, SHELL_TEMPLATE: "{{ atlas_page_shell() }}",
                 "partials/toc.html": "<nav>{% for item in page.toc %}{{ item }}{% endfor %}</nav>",
                 "partials/tags.html": "{% for tag in tags %}<i>{{ tag.name }}</i>{% endfor %}",
                 "partials/language.html": "{% macro t(key) %}{{ key }}{% endmacro %}"}
    env = jinja2.Environment(loader=jinja2.DictLoader(templates))
    shells = PageShells(env)
    env.globals["atlas_page_shell"] = shells.render
    through_shells = [env.get_template(SHELL_TEMPLATE).render(page=p, tags=[]) for p in pages]
    direct = [env.get_template("main.html").render(page=p, tags=[]) for p in pages]
    return through_shells, direct, shells


MAIN = ("<html><title>{{ page.meta.title }} - Atlas</title><meta content=\"{{ page.meta.description }}\">"
        "<link href=\"{{ page.canonical_url }}\">{% include 'partials/toc.html' %}"
        "<a href=\"{{ page.edit_url }}\">edit</a>{% include 'partials/tags.html' %}{{ page.content }}</html>")


def test_pages_that_differ_only_in_their_own_values_share_one_shell_and_keep_their_bytes():
    pages = [page(name) for name in ("a", "b", "c", "d", "e", "f")]
    through_shells, direct, shells = render_all(MAIN, pages)
    assert through_shells == direct
    # The first page of a group is rendered in full; the shell made from the second is
    # checked against full renders of the next two, then used for the rest.
    assert shells.filled == 5 and "5 pages filled in from 1 page shells" == shells.summary()


def test_a_page_value_the_shell_does_not_know_makes_its_pages_render_in_full():
    pages = [page(name) for name in ("a", "b", "c", "d", "e")]
    through_shells, direct, shells = render_all(MAIN.replace("</html>", "{{ page.url }}</html>"), pages)
    assert through_shells == direct
    assert shells.filled == 0


def test_pages_with_other_front_matter_do_not_share_a_shell():
    pages = [page("a", atlas_feed="feed-a"), page("b", atlas_feed="feed-b"), page("c", atlas_feed="feed-c")]
    through_shells, direct, shells = render_all(MAIN.replace("</html>", "{{ page.meta.atlas_feed }}</html>"), pages)
    assert through_shells == direct
    assert shells.filled == 0


def _toc(*items):
    from mkdocs.structure.toc import AnchorLink
    made = []
    for title, anchor, level, children in items:
        link = AnchorLink(title, anchor, level)
        link.children = list(children)
        made.append(link)
    return made


def test_pages_whose_tables_of_contents_print_the_same_share_one_rendered_table():
    sections = [("Abstract", "abstract", 2, ()), ("Cite", "cite", 2, ())]
    galore = _toc(("GaLore", "galore", 1, _toc(*sections)))
    qlora = _toc(("QLoRA", "qlora", 1, _toc(*sections)))
    shorter = _toc(("QLoRA", "qlora", 1, _toc(sections[0])))
    # Material's partials/toc.html prints a leading level-1 heading's children only.
    assert _toc_key(_printed_toc(galore)) == _toc_key(_printed_toc(qlora))
    assert _toc_key(_printed_toc(galore)) != _toc_key(_printed_toc(shorter))
    # Without a leading level-1 heading every entry is printed, so every entry counts.
    assert _toc_key(_printed_toc(_toc(*sections))) != _toc_key(_printed_toc(_toc(("Intro", "intro", 2, ()), *sections[1:])))


def test_every_seed_page_filled_from_a_shell_is_byte_identical_to_materials_own_render(tmp_path):
    # ATLAS_SHELL_CHECK=1 renders every shelled page both ways and fails the build on a difference.
    env = dict(os.environ, ATLAS_SHELL_CHECK="1", NO_MKDOCS_2_WARNING="1")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
                            cwd=REPO, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr[-3000:]
    filled = next(line for line in result.stderr.splitlines() if "pages filled in from" in line)
    assert int(filled.split("atlas: ")[1].split()[0]) >= 70  # the 71 paper pages, less the first
