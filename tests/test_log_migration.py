"""A 0.1.0 log brought forward by the first command that may write: it says so in one
note, then verifies; and the space the migration freed is given back (the old table is
copied, then dropped: without that the file doubles)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli

FIXTURE_010 = Path(__file__).parent / "fixtures" / "quotes-0.1.0.db"
NOTE = (
    "Note: brought {db} up to date: added the hash chain: hashed the 11 entries saved "
    "before it (by ketacost 0.1.0); keyed the chain with the clinic key {key}: every entry "
    "after the first 11 carries a MAC; allowed superbills and claim payments in the log"
)


@pytest.mark.parametrize(
    "command", [["quotes", "init"], ["quote", "--start", "2026-12-07"]], ids=["init", "quote"]
)
def test_the_first_writing_command_migrates_and_says_so(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    db = tmp_path / "quotes.db"
    shutil.copyfile(FIXTURE_010, db)
    db.chmod(0o600)
    size = db.stat().st_size
    result = runner.invoke(cli, [*command, "--db", str(db)])
    assert result.exit_code == 0, result.output
    from ketacost.store.key import load_key

    key = load_key()
    assert key is not None  # made by the first command that may write
    assert result.stderr.splitlines() == [NOTE.format(db=db, key=key.id)]
    assert db.stat().st_size <= size * 1.1  # not doubled: the freed pages are gone
    verified = runner.invoke(cli, ["quotes", "verify", "--db", str(db)])
    assert verified.exit_code == 0, verified.output
    again = runner.invoke(cli, [*command, "--db", str(db)])
    assert "Note:" not in again.stderr
