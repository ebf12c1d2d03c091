"""Arguments that are not UTF-8 text (a name typed in another encoding, a file name from
an old disk: click passes their bytes as lone surrogates) are one line, status 2, naming
the option but not repeating the value, and nothing is written: every command, every
option and argument."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ketacost.cli import cli

BAD = os.fsdecode(b"Ann \xff\xfe Lee")  # what click hands over for those bytes
"""A value holding bytes that are not UTF-8."""


def _commands(
    group: click.Group, path: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*path, name))


def _cases() -> Iterator[tuple[list[str], str]]:
    for path, command in _commands(cli, ()):
        for param in command.params:
            if isinstance(param, click.Option) and not param.is_flag and param.opts[0] != "--help":
                long = max(param.opts, key=len)
                yield [*path, long, BAD], f"'{long}'"
                if long.startswith("--"):
                    yield [*path, f"{long}={BAD}"], f"'{long}'"
            elif isinstance(param, click.Argument):
                yield [*path, BAD], "argument"


CASES = list(_cases())


def test_the_walk_reaches_every_command() -> None:
    """The walk below covers the commands that take names, ids and paths."""
    walked = {" ".join(args[: args.index(BAD) if BAD in args else -1]) for args, _ in CASES}
    for expected in ("quote --patient", "gfe --dob", "quotes show", "quotes export --output"):
        assert expected in walked, expected
    assert len(CASES) > 100


@pytest.mark.parametrize(("args", "named"), CASES, ids=[" ".join(a[:-1]) for a, _ in CASES])
def test_non_utf8_bytes_are_one_line_status_2_and_nothing_written(
    runner: CliRunner, isolated_home: Path, tmp_path: Path, args: list[str], named: str
) -> None:
    """Status 2, one line naming the option (never the value), no file made anywhere."""
    folder = tmp_path / "work"
    folder.mkdir()
    before = sorted(isolated_home.rglob("*"))
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        result = runner.invoke(cli, args)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2, (result.output, result.exception)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert "not UTF-8 text" in lines[0]
    assert named in lines[0]
    assert "Ann" not in lines[0]
    assert list(folder.iterdir()) == []
    assert sorted(isolated_home.rglob("*")) == before


def test_a_ketacost_variable_that_is_not_utf8_is_one_line(runner: CliRunner) -> None:
    """KETACOST_DESK (or _DB, _SHEET) holding such bytes: one line naming the variable."""
    result = runner.invoke(cli, ["quotes", "list"], env={"KETACOST_DESK": BAD})
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: KETACOST_DESK is not UTF-8 text; nothing was done"
    ]
