"""Every command has Vietnamese help with an example, and the README documents it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cancu.cli import cli

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_with_example_and_is_in_readme(name):
    result = CliRunner().invoke(cli, [name, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert "Ví dụ:" in result.output
    assert f"`cancu {name}`" in README


def test_readme_states_the_two_commands_and_ci_runs_the_test_command():
    blocks = re.findall(r"```\n(.+?)\n```", README, re.S)
    install, tests = blocks[0], blocks[1]
    assert "pip install ." in install and "cancu ingest" in install
    assert "python -m pytest" in tests
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert tests.strip() in ci
