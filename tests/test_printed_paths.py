"""Every path or log name ketacost prints after a success goes through the terminal
escaping: a file name holding an escape sequence, a carriage return or a bidi override is
shown with them made visible, never sent raw to the desk's terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.render.safe_text import terminal_text

HOSTILE = "a\x1b[2J\u202eb\rc"
"""A name part with an erase-screen sequence, a right-to-left override and a carriage
return: all legal in a file name."""
RAW = ("\x1b", "\u202e", "\r")


def assert_escaped(output: str, path: Path) -> None:
    """No raw control reaches the output, and the path is there, escaped."""
    assert not [c for c in RAW if c in output], repr(output)
    assert terminal_text(str(path)) in output, output


def saved_log(runner: CliRunner, db: Path) -> None:
    result = runner.invoke(cli, ["quote", "--db", str(db), "-f", "json", "-o", "-"])
    assert result.exit_code == 0, result.output


def test_quote_saved_and_written_to_a_hostile_path(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / f"{HOSTILE}.json"
    result = runner.invoke(cli, ["quote", "--db", str(tmp_path / "q.db"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Saved as quote" in result.output
    assert_escaped(result.output, out)


def test_batch_written_to_a_hostile_path(runner: CliRunner, tmp_path: Path) -> None:
    requests = tmp_path / "calls.csv"
    requests.write_text("id,sessions\nQ1,6\n", encoding="utf-8")
    out = tmp_path / f"{HOSTILE}.csv"
    result = runner.invoke(cli, ["batch", str(requests), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert_escaped(result.output, out)


@pytest.mark.parametrize("command", [["verify"], ["init"]])
def test_a_log_with_a_hostile_name(runner: CliRunner, tmp_path: Path, command: list[str]) -> None:
    db = tmp_path / f"{HOSTILE}.db"
    saved_log(runner, db)
    result = runner.invoke(cli, ["quotes", *command, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert_escaped(result.output, db)


def test_checkpoint_to_a_hostile_file(runner: CliRunner, tmp_path: Path) -> None:
    db, heads = tmp_path / f"{HOSTILE}.db", tmp_path / f"{HOSTILE}.txt"
    saved_log(runner, db)
    result = runner.invoke(cli, ["quotes", "checkpoint", str(heads), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert_escaped(result.output, heads)
    assert_escaped(result.output, db)


def test_backup_and_restore_with_hostile_names(runner: CliRunner, tmp_path: Path) -> None:
    db, copy = tmp_path / f"{HOSTILE}.db", tmp_path / f"{HOSTILE}-backup.db"
    saved_log(runner, db)
    backed = runner.invoke(cli, ["quotes", "backup", str(copy), "--db", str(db)])
    assert backed.exit_code == 0, backed.output
    assert_escaped(backed.output, copy)
    restored = runner.invoke(cli, ["quotes", "restore", str(copy), "--db", str(db)])
    assert restored.exit_code == 0, restored.output
    assert_escaped(restored.output, copy)
    assert_escaped(restored.output, db)
    assert "kept as" in restored.output


def test_copy_between_logs_with_hostile_names(runner: CliRunner, tmp_path: Path) -> None:
    source, target = tmp_path / f"{HOSTILE}-1.db", tmp_path / f"{HOSTILE}-2.db"
    saved_log(runner, source)
    for _ in range(2):  # entries copied, then nothing left to copy
        result = runner.invoke(cli, ["quotes", "copy", "--from", str(source), "--to", str(target)])
        assert result.exit_code == 0, result.output
        assert_escaped(result.output, source)
        assert_escaped(result.output, target)
