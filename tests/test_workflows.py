"""The GitHub side: workflows zizmor finds nothing in, least privilege, and a contribution path.

zizmor is the security linter for GitHub Actions (pinned in requirements-dev.txt); the
other tests state the rules we rely on even where zizmor would not object.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from atlas.schema import FIELD_NAMES, LINK_KINDS
from conftest import REPO

GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); map it back.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def zizmor_executable() -> str | None:
    beside_python = Path(sys.executable).with_name("zizmor")
    return str(beside_python) if beside_python.is_file() else shutil.which("zizmor")


def test_zizmor_reports_nothing():
    zizmor = zizmor_executable()
    if zizmor is None:
        pytest.skip("zizmor is not installed; `make venv` installs it from requirements-dev.txt")
    result = subprocess.run([zizmor, "--offline", "--no-progress", ".github/workflows"], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_grants_nothing_by_default_and_bounds_every_job(path):
    workflow = load(path)
    assert workflow.get("permissions") == {}, "top-level permissions: {}"
    assert "pull_request_target" not in workflow["on"]
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), f"{name}: timeout-minutes"
        assert "permissions" in job, f"{name}: job-level permissions"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_and_checkouts_keep_no_credentials(path):
    for job in load(path)["jobs"].values():
        for step in job["steps"]:
            uses = step.get("uses")
            if uses is None:
                continue
            assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", uses), f"not pinned to a commit: {uses}"
            if uses.startswith("actions/checkout@"):
                assert step.get("with", {}).get("persist-credentials") is False, uses


def test_pages_deploys_queue_up_and_are_never_cancelled():
    ci = load(GITHUB / "workflows" / "ci.yml")
    deploying = [job for job in ci["jobs"].values()
                 if any("deploy-pages" in step.get("uses", "") for step in job["steps"])]
    assert deploying
    for job in deploying:
        assert job["concurrency"] == {"group": "pages", "cancel-in-progress": False}
        assert job["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def test_ci_runs_the_makefile_targets_that_exist():
    targets = set(re.findall(r"^([a-z-]+):", (REPO / "Makefile").read_text(), re.MULTILINE))
    for path in WORKFLOWS:
        for command in re.findall(r"\bmake ([a-z-]+)", path.read_text()):
            assert command in targets, f"{path.name}: make {command}"


def test_suggest_a_paper_form_maps_to_entry_fields():
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "suggest-a-paper.yml").read_text(encoding="utf-8"))
    ids = [item["id"] for item in form["body"] if "id" in item]
    fields = {i for i in ids if i in FIELD_NAMES} | {f"links.{i[:-4]}" for i in ids if i.endswith("_url")}
    assert {"title", "abstract", "arxiv", "tags", "aliases"} <= fields
    assert {f"links.{kind}" for kind in LINK_KINDS} <= fields
    assert all(i in FIELD_NAMES or i.endswith("_url") or i == "notes" for i in ids), ids
    required = {item["id"] for item in form["body"] if item.get("validations", {}).get("required")}
    assert required == {"title", "abstract"}


def test_codeowners_guards_what_runs_code():
    owned = {line.split()[0] for line in (GITHUB / "CODEOWNERS").read_text().splitlines()
             if line.strip() and not line.startswith("#")}
    assert {"/mkdocs.yml", "/scripts/", "/templates/", "/.github/"} <= owned


def test_dependabot_watches_actions_and_python_packages():
    config = yaml.safe_load((GITHUB / "dependabot.yml").read_text())
    assert {u["package-ecosystem"] for u in config["updates"]} == {"github-actions", "pip"}


def test_pull_request_template_has_a_checklist():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text()
    assert text.count("- [ ]") >= 4 and "make check" in text
