"""A `make serve` rebuild is a full one exactly when a page not built again could be stale."""

import os

from atlas.liveserve import ServeSession, layout_fingerprint


def _project(tmp_path):
    (tmp_path / "docs" / "papers").mkdir(parents=True)
    (tmp_path / "docs" / "papers" / "a.md").write_text("A")
    (tmp_path / "overrides").mkdir()
    (tmp_path / "overrides" / "main.html").write_text("{% extends 'base.html' %}")
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "hook.py").write_text("pass\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: X\n")
    return lambda: layout_fingerprint(tmp_path, tmp_path / "mkdocs.yml", tmp_path / "docs")


def test_a_changed_page_source_keeps_the_layout(tmp_path):
    fingerprint = _project(tmp_path)
    before = fingerprint()
    (tmp_path / "docs" / "papers" / "a.md").write_text("A, edited")
    (tmp_path / "docs" / ".atlas-generated").write_text("papers/a.md\n")  # hidden: not a page
    assert fingerprint() == before


def test_an_added_or_removed_page_changes_the_layout(tmp_path):
    fingerprint = _project(tmp_path)
    before = fingerprint()
    (tmp_path / "docs" / "papers" / "b.md").write_text("B")
    added = fingerprint()
    assert added != before
    (tmp_path / "docs" / "papers" / "b.md").unlink()
    assert fingerprint() == before


def test_configuration_overrides_and_hook_code_change_the_layout(tmp_path):
    fingerprint = _project(tmp_path)
    seen = {fingerprint()}
    (tmp_path / "mkdocs.yml").write_text("site_name: Y\n")
    seen.add(fingerprint())
    (tmp_path / "overrides" / "main.html").write_text("{% extends 'base.html' %}{# changed #}")
    seen.add(fingerprint())
    hook = tmp_path / "scripts" / "hook.py"
    hook.write_text("pass  \n")
    os.utime(hook, ns=(1, 1))
    seen.add(fingerprint())
    assert len(seen) == 4


def test_a_dirty_session_builds_everything_first_then_only_changes_until_the_layout_or_a_build_fails():
    session = ServeSession()
    session.start(dirty=True)
    assert session.begin_build("layout-1")
    session.search_documents["papers/a/"] = "document"
    assert not session.begin_build("layout-1")
    assert session.search_documents == {"papers/a/": "document"}  # kept for the pages not built again
    assert session.begin_build("layout-2")
    assert session.search_documents == {}
    session.build_failed()
    assert session.begin_build("layout-2")


def test_without_dirty_every_build_is_full():
    session = ServeSession()
    session.start(dirty=False)
    assert session.begin_build("same") and session.begin_build("same")


def test_make_serve_sees_changes_through_file_events_and_ignores_reads(tmp_path):
    import time
    from types import SimpleNamespace

    from watchdog.events import FileSystemEventHandler
    from watchdog.observers.polling import PollingObserver

    from atlas.liveserve import watch_with_file_events

    data, later = tmp_path / "data", tmp_path / "templates"
    data.mkdir(), later.mkdir()
    entry, template = data / "entry.yaml", later / "page.j2"
    entry.write_text("title: A\n"), template.write_text("{{ x }}")
    server = SimpleNamespace(observer=PollingObserver(timeout=0.1), _watch_refs={})
    server._watch_refs[str(data)] = server.observer.schedule(FileSystemEventHandler(), str(data), recursive=True)
    rebuilds, later_events = [], []
    assert watch_with_file_events(server, lambda: rebuilds.append(1)) is None
    assert not isinstance(server.observer, PollingObserver)
    # A path watched afterwards (MkDocs watches `watch:` paths after the hook) sees only changes too.
    handler = FileSystemEventHandler()
    handler.on_any_event = later_events.append
    server.observer.schedule(handler, str(later), recursive=True)
    server.observer.start()

    def settled() -> None:
        time.sleep(0.5)

    try:
        entry.read_text(), template.read_text()  # what every build does
        settled()
        assert rebuilds == [] and later_events == []
        entry.write_text("title: B\n")
        template.write_text("{{ y }}")
        settled()
        assert rebuilds and later_events
    finally:
        server.observer.stop()
        server.observer.join()
