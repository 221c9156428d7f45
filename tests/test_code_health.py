"""Every name the code uses is defined: a command nobody ran recently still starts."""

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_no_undefined_names_in_the_package_or_the_tests():
    pytest.importorskip("pyflakes")
    result = subprocess.run([sys.executable, "-m", "pyflakes", "scripts", "tests"], cwd=REPO,
                            capture_output=True, text=True)
    undefined = [line for line in result.stdout.splitlines() if "undefined name" in line]
    assert undefined == []


def test_every_cli_subcommand_answers_help():
    from atlas.cli import make_parser

    parser = make_parser()
    commands = parser._subparsers._group_actions[0].choices
    assert {"check", "build", "site", "import", "new", "schema", "enrich", "eval-tags", "eval-links",
            "synth", "bench"} <= set(commands)
    for name in commands:
        result = subprocess.run([sys.executable, "-m", "atlas", name, "--help"], cwd=REPO,
                                capture_output=True, text=True, env={"PYTHONPATH": str(REPO / "scripts"),
                                                                      "PATH": "/usr/bin:/bin"})
        assert result.returncode == 0 and "usage: atlas" in result.stdout, (name, result.stderr[-500:])
