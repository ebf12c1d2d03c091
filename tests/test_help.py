"""Every command teaches by example and is documented in the README or its guides."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.cli.app import COMMANDS

ROOT = Path(__file__).parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
GUIDES = README + "".join(
    (ROOT / "docs" / name).read_text(encoding="utf-8") for name in ("guide.md", "front-desk.md")
)
"""The README and the guides it sends a reader to."""


def walk(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += walk(command, (*prefix, name))
    return found


ALL = walk(cli)


def test_top_level_help_lists_every_command(runner: CliRunner) -> None:
    """`ketacost --help` lists each command with its one-line summary."""
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for name, lazy in COMMANDS.items():
        assert name in result.output
        assert lazy.summary is not None and lazy.summary[:30] in result.output


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_each_command_has_help_with_an_example(runner: CliRunner, path: tuple[str, ...]) -> None:
    """Each command's help has a summary and a real `ketacost ...` example."""
    result = runner.invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    assert f"ketacost {' '.join(path)}" in result.output


@pytest.mark.parametrize("path", ALL, ids=" ".join)
def test_each_command_is_in_the_guides(path: tuple[str, ...]) -> None:
    """The README or its guides (docs/guide.md, docs/front-desk.md) show every command in use."""
    assert f"ketacost {' '.join(path)}" in GUIDES


def test_lazy_summaries_match_the_commands() -> None:
    """The summaries shown by `ketacost --help` are the commands' own first lines."""
    ctx = click.Context(cli)
    for name, lazy in COMMANDS.items():
        command = cli.get_command(ctx, name)
        assert command is not None and command.help is not None
        assert command.help.splitlines()[0].strip() == lazy.summary


def test_readme_opens_with_the_two_setup_commands() -> None:
    """README's first code block is exactly: install and run; install test tools and test."""
    block = README.split("```")[1].strip().splitlines()
    assert block == ["pip install . && ketacost estimate", "pip install -e '.[test]' && pytest"]


def test_ci_runs_the_readme_test_command() -> None:
    """.ci/run runs the README's test command verbatim."""
    ci = (Path(__file__).parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install -e '.[test]' && pytest" in ci
