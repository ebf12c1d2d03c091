"""The clinic's key (docs/quote-log.md, "The clinic's key"): made owner-only by `quotes
init` or the first save, beside the data and never in the log; named by KETACOST_KEY; a
desk without the log's key may read but not save; a key file others can read is refused."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.store.key import key_path


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def test_init_makes_a_private_key_beside_the_data_and_keys_the_log(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = tmp_path / "quotes.db"
    assert not key_path().exists()
    out = run(runner, "quotes", "init", "--db", str(db)).stdout
    key = key_path()
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_text().strip()) == 64
    assert key.parent != db.parent and "keyed with the clinic key" in out
    secret = key.read_text().strip()
    assert secret.encode() not in db.read_bytes()


def test_a_desk_without_the_logs_key_may_read_but_not_save(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "quotes.db")
    run(runner, "quote", "--db", db, "--patient", "Ann Lee")
    monkeypatch.setenv("KETACOST_KEY", str(tmp_path / "other.key"))
    refused = run(runner, "quote", "--db", db, "--patient", "Bo", code=1)
    assert "this desk does not hold it" in refused.stderr and "KETACOST_KEY" in refused.stderr
    assert "Saved as" not in refused.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 1
    conn.close()
    printed = run(runner, "quotes", "verify", "--db", db, code=1).stdout
    assert "this desk holds no clinic key, so its MACs were not checked" in printed
    run(runner, "quotes", "list", "--db", db)


def test_a_desk_whose_key_file_went_missing_is_told_what_to_do(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The log was keyed, then this desk lost its key file (a new PC, a cleaned profile):
    'quotes init' no longer says the log is ready (it could not save to it), and verify
    says where the key belongs; no new key is made."""
    db = str(tmp_path / "quotes.db")
    run(runner, "quote", "--db", db, "--patient", "Ann Lee")
    key_path().unlink()
    refused = run(runner, "quotes", "init", "--db", db, code=1)
    assert "is ready" not in refused.stdout
    assert "this desk does not hold it" in refused.stderr and "KETACOST_KEY" in refused.stderr
    printed = run(runner, "quotes", "verify", "--db", db, code=1).stdout
    assert f"copy the clinic's key file to {key_path()}" in printed and "KETACOST_KEY" in printed
    assert not key_path().exists()


def test_the_key_named_by_ketacost_key_is_used_and_shared(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two desks with copies of one key file save to one log and both verify it."""
    db = str(tmp_path / "quotes.db")
    run(runner, "quote", "--db", db, "--patient", "Ann Lee")
    shared = tmp_path / "desk2" / "clinic.key"
    shared.parent.mkdir()
    shared.write_bytes(key_path().read_bytes())
    shared.chmod(0o600)
    monkeypatch.setenv("KETACOST_KEY", str(shared))
    run(runner, "quote", "--db", db, "--patient", "Bo")
    assert "intact, 2 entries" in run(runner, "quotes", "verify", "--db", db).stdout


def test_a_key_file_others_can_read_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "quotes.db")
    run(runner, "quote", "--db", db, "--patient", "Ann Lee")
    os.chmod(key_path(), 0o644)
    result = run(runner, "quotes", "verify", "--db", db, code=1)
    assert "is readable by others (mode 0644): run chmod 600 on it" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_keyed_log_is_not_copied_by_a_desk_without_its_key(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its MACs could not be checked: refused before any target or key is made."""
    db = str(tmp_path / "quotes.db")
    run(runner, "quote", "--db", db, "--patient", "Ann Lee")
    elsewhere = tmp_path / "elsewhere.key"
    monkeypatch.setenv("KETACOST_KEY", str(elsewhere))
    copy = tmp_path / "copy.db"
    result = run(runner, "quotes", "copy", "--from", db, "--to", str(copy), code=1)
    assert (
        "which this desk does not hold" in result.stderr and "nothing was copied" in result.stderr
    )
    assert not copy.exists() and not elsewhere.exists()
