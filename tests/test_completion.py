"""Shell completion offers the active sheet's conditions, plans and --without keys, and
the quote log's ids (read only: the log is never created or changed)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.shell_completion import ShellComplete
from click.testing import CliRunner

from ketacost.cli import cli
from tests.sheet_samples import FIGURE

PLANNED = FIGURE + '\n[plans.club]\nlabel = "Booster club"\nevery = "every 5 weeks"\n'


def completions(*words: str) -> list[str]:
    """What Tab offers after ``ketacost WORDS`` (the last word being typed)."""
    *args, incomplete = words
    complete = ShellComplete(cli, {}, "ketacost", "_KETACOST_COMPLETE")
    return [item.value for item in complete.get_completions(args, incomplete)]


def test_conditions_of_the_builtin_sheet() -> None:
    from ketacost.sheet.load import load_sheet

    names = completions("estimate", "--condition", "")
    assert set(names) == set(load_sheet().conditions())
    assert names[:2] == ["depression", "pain"]  # the treatments' keys come first
    assert {"anxiety", "crps", "spravato", "esketamine", "kap"} <= set(names)
    assert completions("estimate", "-c", "P") == ["pain", "ptsd"]


def test_the_sheet_on_the_line_the_env_var_and_the_config_sheet(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Completion reads the sheet the command would use."""
    sheet = tmp_path / "clinic.toml"
    sheet.write_text(PLANNED, encoding="utf-8")
    assert completions("estimate", "--sheet", str(sheet), "--condition", "") == ["depression"]
    assert completions("estimate", "--sheet", str(sheet), "-m", "c") == ["club"]
    assert completions("quote", "--sheet", str(sheet), "--without", "") == ["prepaid"]
    monkeypatch.setenv("KETACOST_SHEET", str(sheet))
    assert completions("compare", "--condition", "") == ["depression"]
    monkeypatch.delenv("KETACOST_SHEET")
    assert runner.invoke(cli, ["sheet", "init"]).exit_code == 0  # the config sheet
    assert "membership" in completions("estimate", "--maintenance", "")
    assert completions("gfe", "--without", "") == ["prepaid", "anti-nausea"]
    assert completions("estimate", "--sheet", "builtin", "-m", "") == [
        "none",
        "monthly",
        "every 4 weeks",
        "every 6 weeks",
        "every 2 months",
    ]


def test_a_bad_sheet_completes_nothing(tmp_path: Path) -> None:
    sheet = tmp_path / "bad.toml"
    sheet.write_text("[sheet\n", encoding="utf-8")
    assert completions("estimate", "--sheet", str(sheet), "--condition", "") == []
    assert completions("estimate", "--sheet", str(tmp_path / "missing.toml"), "-c", "") == []


def save_quotes(runner: CliRunner, db: Path, count: int) -> list[str]:
    ids = []
    for _ in range(count):
        result = runner.invoke(cli, ["quote", "--db", str(db), "-f", "json"])
        assert result.exit_code == 0, result.output
        ids.append(json.loads(result.stdout)["id"])
    return ids


def test_quote_ids_newest_first_read_only(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "log" / "quotes.db"
    ids = save_quotes(runner, db, 3)
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in db.parent.iterdir()}
    offered = completions("quotes", "show", "--db", str(db), "Q-")
    assert offered == ids[::-1]
    assert completions("quotes", "show", "--db", str(db), ids[0].lower()) == [ids[0]]
    assert completions("quotes", "show", "--db", str(db), "G-") == []
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in db.parent.iterdir()}
    assert after == before


def test_quote_ids_from_the_default_log_and_never_creating_it(runner: CliRunner) -> None:
    from ketacost.store import default_path

    assert completions("quotes", "show", "") == []
    assert not default_path().exists()
    assert not default_path().parent.exists()
    ids = save_quotes(runner, default_path(), 1)
    assert completions("quotes", "show", "") == ids


def test_a_file_that_is_not_a_log_completes_nothing(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_text("not a database", encoding="utf-8")
    assert completions("quotes", "show", "--db", str(junk), "") == []
    assert junk.read_text(encoding="utf-8") == "not a database"


def test_bash_completion_end_to_end(tmp_path: Path) -> None:
    """Through click's real machinery, as bash calls it."""
    sheet = tmp_path / "clinic.toml"
    sheet.write_text(PLANNED, encoding="utf-8")
    line = f"ketacost estimate --sheet {sheet} --maintenance "
    env = {
        **os.environ,
        "_KETACOST_COMPLETE": "bash_complete",
        "COMP_WORDS": line,
        "COMP_CWORD": str(len(line.split())),
    }
    result = subprocess.run(
        [sys.executable, "-m", "ketacost"], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["plain,club", "plain,none"]
