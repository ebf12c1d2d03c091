"""A stored row changed by hand (chain recomputed, so only reading it can tell) is one line
naming the entry in every command that reads it: list, show (every format), export, gfe
--quote, gfe due; the other entries are shown; never a traceback (docs/quote-log.md, "One
bad entry is one bad entry")."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacost.cli import cli
from ketacost.store.chain import GENESIS, HASHED_COLUMNS, entry_sha256
from ketacost.store.key import load_key
from tests.clinic import clinic_sheet

Row = dict[str, Any]


def _result(change: Callable[[dict[str, Any]], None]) -> Callable[[Row], None]:
    def rewrite(row: Row) -> None:
        result = json.loads(row["result"])
        change(result)
        row["result"] = json.dumps(result)

    return rewrite


def _set(path: str, value: object) -> Callable[[Row], None]:
    def change(result: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = result
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[int(last) if isinstance(node, list) else last] = value

    return _result(change)


def _column(name: str, value: object) -> Callable[[Row], None]:
    def rewrite(row: Row) -> None:
        row[name] = value

    return rewrite


DAMAGE = {
    "empty lines": _set("scenarios.typical.lines", []),
    "amount 1e999": _set("scenarios.typical.lines.0.amount", "1e999"),
    "total 1e999": _set("scenarios.typical.out_of_pocket", "1e999"),
    "amount a float": _set("scenarios.typical.charges", 1e308),
    "disclaimer an object": _set("disclaimer", {"a": 1}),
    "note an object": _set("notes", [{"a": 1}]),
    "label a number": _set("labels.treatment", 7),
    "time in year 1": _column("created", "0001-01-01T00:00:00+00:00"),
    "time in year 9999": _column("created", "9999-12-31T23:59:59+00:00"),
    "time without a zone": _column("created", "2026-11-23T10:00:00"),
    "empty dob": _column("dob", ""),
    "dob not a date": _column("dob", "1980-13-45"),
}


def rechain(db: Path, seq: int, damage: Callable[[Row], None]) -> None:
    """Change one row as an insider holding the clinic's key would: triggers dropped, every
    hash and MAC recomputed, so the chain still verifies and only reading the row can
    tell."""
    key = load_key()
    conn = sqlite3.connect(db, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    columns = ", ".join((*HASHED_COLUMNS, "key_id", "origin"))
    rows = conn.execute(f"SELECT seq, {columns} FROM entries ORDER BY seq").fetchall()
    prev = GENESIS
    for number, *values in rows:
        row = dict(zip((*HASHED_COLUMNS, "key_id", "origin"), values, strict=True))
        if number == seq:
            damage(row)
        sha256 = entry_sha256(row, prev)
        mac = None if key is None or row["key_id"] is None else key.mac(sha256)
        assignments = ", ".join(f"{c} = ?" for c in HASHED_COLUMNS)
        conn.execute(
            f"UPDATE entries SET {assignments}, prev_sha256 = ?, sha256 = ?, mac = ? WHERE seq = ?",
            [*(row[c] for c in HASHED_COLUMNS), prev, sha256, mac, number],
        )
        prev = sha256
    conn.close()


@pytest.fixture(scope="module")
def good_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[str]]:
    """A log of a quote with a duty (patient, dob), a Good Faith Estimate and a quote."""
    folder = tmp_path_factory.mktemp("good")
    sheet = clinic_sheet(folder)
    db = folder / "q.db"
    runner = CliRunner()
    env = {
        "HOME": str(folder),
        "XDG_DATA_HOME": str(folder / "data"),
        "KETACOST_KEY": str(folder / "clinic.key"),
    }
    for args in (
        ["quote", "--patient", "Ann Lee", "--dob", "1980-04-30", "--scheduled", "2026-12-21"],
        ["gfe", "--patient", "Bo Diaz", "--dob", "1975-02-11", "--dx", "F33.1"],
        ["quote", "--patient", "Cy Ortiz", "--start", "2026-12-21"],
    ):
        out = ["-o", str(folder / "gfe.html")] if args[0] == "gfe" else []
        result = runner.invoke(cli, [*args, "--sheet", str(sheet), *out, "--db", str(db)], env=env)
        assert result.exit_code == 0, result.output
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM entries ORDER BY seq")]
    conn.close()
    return db, sheet, ids


@pytest.fixture(params=["America/New_York", "Asia/Tokyo"])
def zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """West and east of UTC: a time at either end of the calendar overflows in one."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def _commands(bad: str, folder: Path, sheet: Path) -> list[list[str]]:
    return [
        ["quotes", "list"],
        ["quotes", "export", "-f", "csv"],
        ["quotes", "export", "-f", "json"],
        ["gfe", "due"],
        ["gfe", "due", "-f", "json"],
        ["quotes", "show", bad],
        ["quotes", "show", bad, "-f", "json"],
        ["quotes", "show", bad, "-f", "markdown"],
        ["quotes", "show", bad, "-o", str(folder / "page.html")],
    ]


@pytest.fixture(autouse=True)
def clinic_key(good_log: tuple[Path, Path, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every command here runs at the desk that made the log, holding its clinic key (as
    does the insider who changes a row)."""
    monkeypatch.setenv("KETACOST_KEY", str(good_log[0].parent / "clinic.key"))


@pytest.mark.parametrize("seq", [1, 2], ids=["quote", "gfe"])
@pytest.mark.parametrize("damage", list(DAMAGE.values()), ids=list(DAMAGE))
def test_a_damaged_row_is_one_line_naming_it_in_every_command(
    good_log: tuple[Path, Path, list[str]],
    tmp_path: Path,
    zone: str,
    damage: Callable[[Row], None],
    seq: int,
) -> None:
    """Listing and exporting: status 0, one warning naming the entry, every other entry
    shown; showing it: status 1, that one line, nothing written."""
    source, sheet, ids = good_log
    db = tmp_path / "q.db"
    db.write_bytes(source.read_bytes())
    db.chmod(0o600)
    rechain(db, seq, damage)
    bad, rest = ids[seq - 1], [i for n, i in enumerate(ids) if n != seq - 1]
    runner = CliRunner()
    for command in _commands(bad, tmp_path, sheet):
        result = runner.invoke(cli, [*command, "--db", str(db)])
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            command,
            result.exception,
        )
        lines = result.stderr.splitlines()
        if command[0] == "gfe":  # it reads the times, the duty and the GFE record only
            assert len(lines) <= 1, lines
            assert all(bad in line for line in lines)
            assert result.exit_code == 0, lines
            continue
        assert len(lines) == 1, (command, lines)
        assert bad in lines[0], (command, lines)
        if command[1] == "show":
            assert result.exit_code == 1, command
            assert result.stdout == ""
            assert not (tmp_path / "page.html").exists()
        else:
            assert result.exit_code == 0, (command, lines)
            if command[0] == "quotes":
                assert all(i in result.stdout for i in rest), command
                assert bad not in result.stdout, command


@pytest.mark.parametrize("damage", list(DAMAGE.values()), ids=list(DAMAGE))
def test_a_gfe_is_never_issued_from_a_damaged_quote(
    good_log: tuple[Path, Path, list[str]], tmp_path: Path, damage: Callable[[Row], None]
) -> None:
    """gfe --quote of a damaged quote: status 1, one line naming it, nothing saved."""
    source, sheet, ids = good_log
    db = tmp_path / "q.db"
    db.write_bytes(source.read_bytes())
    db.chmod(0o600)
    rechain(db, 1, damage)
    before = db.read_bytes()
    out = tmp_path / "gfe.html"
    args = ["gfe", "--quote", ids[0], "--dx", "F33.1", "--sheet", str(sheet), "-o", str(out)]
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [result.stderr.splitlines()[0]] and ids[0] in result.stderr
    assert not out.exists()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 3
    conn.close()
    assert os.path.getsize(db) == len(before)


@pytest.mark.parametrize(
    ("seq", "damage"),
    [
        (1, _set("duty.due", "2026-02-30")),
        (1, _set("duty", {"kind": 1})),
        (2, _set("gfe.period.end", 7)),
        (2, _set("gfe.providers", 7)),
        (1, DAMAGE["time in year 9999"]),
        (2, DAMAGE["empty dob"]),
    ],
    ids=["due date", "duty", "period", "providers", "time", "dob"],
)
def test_gfe_due_names_an_entry_whose_duty_or_record_is_damaged(
    good_log: tuple[Path, Path, list[str]], tmp_path: Path, seq: int, damage: Callable[[Row], None]
) -> None:
    """A damaged duty would silently drop a Good Faith Estimate owed: it is named."""
    source, _, ids = good_log
    db = tmp_path / "q.db"
    db.write_bytes(source.read_bytes())
    db.chmod(0o600)
    rechain(db, seq, damage)
    result = CliRunner().invoke(cli, ["gfe", "due", "--db", str(db)])
    assert result.exit_code == 0, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Warning: entry {ids[seq - 1]} cannot be read (")


def test_gfe_due_shows_a_hostile_id_escaped_and_not_as_markup(
    good_log: tuple[Path, Path, list[str]], tmp_path: Path
) -> None:
    """An owed quote's id rewritten to hold an escape sequence, a bidi override and Rich
    markup: gfe due shows it with the controls made visible and the brackets as typed (the
    patient's name was escaped already; the id went to the table raw)."""
    source, _, _ = good_log
    db = tmp_path / "q.db"
    db.write_bytes(source.read_bytes())
    db.chmod(0o600)
    rechain(db, 1, _column("id", "Q-\x1b[31mEVIL\u202e[bold]X[/bold]"))
    result = CliRunner().invoke(cli, ["gfe", "due", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert "[bold]X[/bold]" in result.stdout


def _leaves(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every path to a value in a JSON tree."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, (*path, index))
    yield path


HOSTILE: list[object] = [
    None, {}, [], "", "1e999", "-1e999", "NaN", 1e308, -1, 10**30, True, "x" * 10_000,
    "\x1b[2J\u202e", {"a": [1]}, "2026-02-30", "9999-12-31", "0001-01-01",
]  # fmt: skip


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), seq=st.sampled_from([1, 2]), value=st.sampled_from(HOSTILE))
def test_any_stored_value_changed_is_at_most_one_line_naming_it(
    good_log: tuple[Path, Path, list[str]],
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
    seq: int,
    value: object,
) -> None:
    """Any one value anywhere in a saved estimate replaced by a hostile one: every
    reading command ends 0 or 1, with no traceback and at most one line, naming the
    entry; showing it either prints it or fails naming it."""
    source, sheet, ids = good_log
    folder = tmp_path_factory.mktemp("any")
    db = folder / "q.db"
    db.write_bytes(source.read_bytes())
    db.chmod(0o600)
    conn = sqlite3.connect(db)
    result = json.loads(
        conn.execute("SELECT result FROM entries WHERE seq = ?", (seq,)).fetchone()[0]
    )
    conn.close()
    paths = [p for p in _leaves(result) if p]
    path = data.draw(st.sampled_from(paths))

    def change(stored: dict[str, Any]) -> None:
        node: Any = stored
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    rechain(db, seq, _result(change))
    bad = ids[seq - 1]
    runner = CliRunner()
    for command in _commands(bad, folder, sheet):
        outcome = runner.invoke(cli, [*command, "--db", str(db)])
        assert outcome.exception is None or isinstance(outcome.exception, SystemExit), (
            command,
            path,
            outcome.exception,
        )
        assert outcome.exit_code in (0, 1), (command, path, outcome.output)
        lines = outcome.stderr.splitlines()
        assert len(lines) <= 1, (command, path, lines)
        assert all(bad in line for line in lines), (command, path, lines)
