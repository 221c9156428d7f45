"""`make serve`: a contributor saves an entry and the served page shows the change."""

import os
import shutil

from atlas.corpus import copy_project
from atlas.servebench import measure_serve_edit


def test_an_entry_saved_under_mkdocs_serve_shows_on_its_served_page_after_one_rebuild(tmp_path, repo_project):
    project = copy_project(repo_project, tmp_path / "project")
    shutil.copytree(repo_project.papers_dir, project.papers_dir)
    entry = project.papers_dir / "galore.yaml"
    before = entry.read_bytes()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=str(project.root / "scripts"))
    figures = measure_serve_edit(project.root, entry, env, timeout=240)
    assert "error" not in figures, figures
    assert figures["edit shown after (s)"] > 0
    # The pages the build writes into docs/ do not set off a second rebuild.
    assert figures["rebuilds per save"] == 1
    assert entry.read_bytes() == before  # the entry is put back
