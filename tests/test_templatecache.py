"""Compiled templates are kept per process by template name, checked against their source,
and report the file of the template they were taken for (atlas.templatecache)."""

from __future__ import annotations

import traceback

import jinja2
import pytest

from atlas.templatecache import CompiledTemplates

TEMPLATE = "{% macro shout(x) %}{{ x | upper }}!{% endmacro %}{% block body %}{{ shout(name) }}{{ missing.attr }}{% endblock %}"


def _environment(folder, cache) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache,
                              undefined=jinja2.StrictUndefined)


@pytest.fixture
def compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiled from source."""
    names: list[str] = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def _second_after_first(tmp_path, second_source: str = TEMPLATE):
    """page.j2 of a second folder, loaded through the cache after the first folder's (TEMPLATE)."""
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "page.j2").write_text(TEMPLATE)
    (second / "page.j2").write_text(second_source)
    cache = CompiledTemplates()
    _environment(first, cache).get_template("page.j2")
    return _environment(second, cache).get_template("page.j2"), second / "page.j2"


def test_the_same_template_in_another_folder_is_not_compiled_again(tmp_path, compiles):
    template, _ = _second_after_first(tmp_path)
    assert compiles == ["page.j2"]
    assert template.render(name="a", missing={"attr": "z"}) == "A!z"


def test_a_template_taken_from_the_cache_reports_its_own_file_in_errors(tmp_path, compiles):
    template, path = _second_after_first(tmp_path)
    assert compiles == ["page.j2"]
    assert template.filename == str(path)
    with pytest.raises(jinja2.UndefinedError) as caught:
        template.render(name="x")
    frames = traceback.extract_tb(caught.value.__traceback__)
    template_frames = [frame.filename for frame in frames if frame.filename.endswith("page.j2")]
    assert template_frames and set(template_frames) == {str(path)}


def test_a_template_with_other_source_is_compiled_afresh(tmp_path, compiles):
    template, _ = _second_after_first(tmp_path, second_source="{{ name }} twice {{ name }}")
    assert compiles == ["page.j2", "page.j2"]
    assert template.render(name="x") == "x twice x"
