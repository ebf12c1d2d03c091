"""Several desks, one log (docs/front-desk.md, docs/quote-log.md): every quote command on a
PostgreSQL database, set up exactly as the front desk guide says (a desks' role with INSERT
and SELECT only); the desk of each entry; one-line errors that never repeat a password;
psycopg loaded only for PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from tests.clinic import clinic_sheet
from tests.pg_server import PASSWORD, PgServer
from tests.test_startup import loaded

GUIDE = Path(__file__).parent.parent / "docs" / "front-desk.md"
PATIENT = ["--patient", "Ann Lee", "--dob", "1980-04-30"]


@pytest.fixture(autouse=True)
def no_libpq_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The desk's own PG* settings play no part."""
    for name in ("PGHOST", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketacost.cli import clock

    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 20))


def run(runner: CliRunner, *args: str, code: int = 0, **env: str) -> Result:
    result = runner.invoke(cli, list(args), env=env or None)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def readme_sql() -> list[str]:
    """The two SQL blocks of docs/front-desk.md's "Several desks, one log"."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Several desks, one log", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


@pytest.fixture
def clinic_db(pg_server: PgServer) -> Iterator[dict[str, str]]:
    """The front desk guide's set-up on the test server: its SQL as written (the passwords aside),
    the owner's ``quotes init``, then the grants. URLs for the owner and the desks."""
    first, grants = readme_sql()
    owner_pw, desk_pw = "owner-" + PASSWORD, "desk-" + PASSWORD
    for statement in (
        first.replace("change-me-owner", owner_pw).replace("change-me-desk", desk_pw).split(";\n")
    ):
        if statement.strip():
            pg_server.admin(statement)
    urls = {
        "owner": pg_server.url("ketacost", "ketacost_owner", owner_pw),
        "desk": pg_server.url("ketacost", "ketacost_desk", desk_pw),
        "grants": grants,
    }
    try:
        yield urls
    finally:
        pg_server.admin("DROP DATABASE IF EXISTS ketacost WITH (FORCE)")
        pg_server.admin("DROP ROLE IF EXISTS ketacost_desk")
        pg_server.admin("DROP ROLE IF EXISTS ketacost_owner")


def test_three_desks_share_one_log_set_up_as_the_readme_says(
    runner: CliRunner, clinic_db: dict[str, str]
) -> None:
    """Before the owner makes the tables, a desk is told to ask them (status 1, one line);
    then three desks save, each sees the others' quotes with their desk, and the desks'
    role can neither change nor delete anything."""
    owner, desk = clinic_db["owner"], clinic_db["desk"]
    early = run(runner, "quote", "--db", desk, code=1)
    assert "quotes init" in early.stderr and len(early.stderr.splitlines()) == 1
    assert "The quote log" in run(runner, "quotes", "init", "--db", owner).stdout
    import psycopg

    with psycopg.connect(owner, autocommit=True) as conn:
        for statement in clinic_db["grants"].split(";\n"):
            if statement.strip():
                conn.execute(statement.encode())
    ids = {}
    for place in ("Main Street", "Oak Park", "Riverside"):
        saved = run(runner, "quote", "--patient", f"Patient at {place}", "--format", "json",
                    KETACOST_DB=desk, KETACOST_DESK=place)  # fmt: skip
        data = json.loads(saved.stdout)
        assert data["desk"] == place
        ids[place] = data["id"]
    for place in ids:
        listed = run(runner, "quotes", "list", KETACOST_DB=desk, KETACOST_DESK=place,
                     COLUMNS="120").stdout  # fmt: skip
        assert "Desk" in listed
        for other, entry_id in ids.items():
            assert entry_id in listed and other in listed
    assert "intact, 3 entries" in run(runner, "quotes", "verify", "--db", desk).stdout
    with psycopg.connect(desk, autocommit=True) as conn:
        for statement in (
            "UPDATE ketacost.entries SET patient = 'Eve'",
            "DELETE FROM ketacost.entries",
            "TRUNCATE ketacost.entries",
            "DELETE FROM ketacost.history",
            "CREATE TABLE ketacost.other (x int)",
            "DROP TRIGGER entries_never_updated ON ketacost.entries",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement.encode())


@pytest.fixture
def sheet(tmp_path: Path) -> str:
    return str(clinic_sheet(tmp_path))


def test_every_quote_command_works_on_postgresql(
    runner: CliRunner, pg_url: str, tmp_path: Path, sheet: str
) -> None:
    """quote, gfe, quotes list/show/export/verify/backup/copy, gfe due and check-bill."""
    quoted = json.loads(run(runner, "quote", "--db", pg_url, "--sheet", sheet, *PATIENT,
                            "--requested", "--format", "json").stdout)  # fmt: skip
    due = json.loads(run(runner, "gfe", "due", "--db", pg_url, "--format", "json").stdout)
    assert [duty["quote"] for duty in due["duties"]] == [quoted["id"]]
    page = tmp_path / "gfe.html"
    issued = run(runner, "gfe", "--db", pg_url, "--sheet", sheet, "--quote", quoted["id"],
                 "--dx", "F33.1", "--format", "json", "--desk", "Oak Park")  # fmt: skip
    gfe = json.loads(issued.stdout)
    assert gfe["desk"] == "Oak Park"
    run(runner, "quotes", "show", gfe["id"], "--db", pg_url, "-o", str(page))
    assert page.read_text(encoding="utf-8") == gfe["html"] if "html" in gfe else page.exists()
    due = json.loads(run(runner, "gfe", "due", "--db", pg_url, "--format", "json").stdout)
    assert due["duties"] == []
    bill = run(runner, "gfe", "check-bill", gfe["id"], "--billed", "9999", "--db", pg_url,
               "--format", "json")  # fmt: skip
    assert json.loads(bill.stdout)["providers"][0]["eligible"] is True
    shown = json.loads(run(runner, "quotes", "show", quoted["id"], "--db", pg_url,
                           "--format", "json").stdout)  # fmt: skip
    assert shown == quoted
    exported = json.loads(run(runner, "quotes", "export", "-f", "json", "--db", pg_url).stdout)
    assert [e["id"] for e in exported] == [quoted["id"], gfe["id"]]
    assert "Oak Park" in run(runner, "quotes", "list", "--db", pg_url, COLUMNS="120").stdout
    verified = run(runner, "quotes", "verify", "--db", pg_url).stdout
    assert "intact, 2 entries" in verified and "postgres@" in verified
    backup = tmp_path / "backup.db"
    done = run(runner, "quotes", "backup", str(backup), "--db", pg_url).stdout
    head = verified.split("last hash ")[1].strip()
    assert f"Backed up 2 entries to {backup}; verified, last hash {head}" in done
    assert backup.stat().st_mode & 0o777 == 0o600
    assert not list(tmp_path.glob(".backup.db*"))
    again = run(runner, "quotes", "backup", str(backup), "--db", pg_url, code=2)
    assert "--force" in again.stderr
    assert json.loads(run(runner, "quotes", "show", gfe["id"], "--db", str(backup),
                          "-f", "json").stdout)["desk"] == "Oak Park"  # fmt: skip
    assert "intact, 2 entries" in run(runner, "quotes", "verify", "--db", str(backup)).stdout


def test_the_desk_is_kept_in_the_hashed_result_and_shown(runner: CliRunner, tmp_path: Path) -> None:
    """On SQLite too: --desk or KETACOST_DESK; an entry without one has no desk key."""
    db = str(tmp_path / "q.db")
    one = json.loads(run(runner, "quote", "--db", db, "--desk", "Front 1", "-f", "json").stdout)
    two = json.loads(run(runner, "quote", "--db", db, "-f", "json", KETACOST_DESK="Front 2").stdout)
    three = json.loads(run(runner, "quote", "--db", db, "-f", "json").stdout)
    assert (one["desk"], two["desk"], "desk" not in three) == ("Front 1", "Front 2", True)
    listed = run(runner, "quotes", "list", "--db", db, COLUMNS="120").stdout
    assert "Desk" in listed and "Front 1" in listed and "Front 2" in listed
    run(runner, "quotes", "verify", "--db", db)
    exported = run(runner, "quotes", "export", "-f", "csv", "--db", db).stdout
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert [row["desk"] for row in rows] == ["Front 1", "Front 2", ""]
    assert exported.splitlines()[0].endswith(",desk")
    bad = run(runner, "quote", "--db", db, "--desk", "Front\x1b[2J", code=2)
    assert "'--desk'" in bad.stderr and len(bad.stderr.splitlines()) == 1


def test_no_desk_no_desk_column(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    run(runner, "quote", "--db", db)
    assert "Desk" not in run(runner, "quotes", "list", "--db", db, COLUMNS="120").stdout


def failures(pg_server: PgServer, pg_database: str) -> list[tuple[list[str], int, str]]:
    """Command lines that fail, each with the status and a word of its one line."""
    wrong = pg_server.url(pg_database, password="wrong-" + PASSWORD)
    nowhere = f"postgresql://postgres:{PASSWORD}@/{pg_database}?host=/nonexistent/folder"
    missing = pg_server.url("no_such_database")
    syntax = f"host=x password={PASSWORD} junk"
    return [
        (["quotes", "list", "--db", wrong], 1, "password authentication failed"),
        (["quote", "--db", wrong], 1, "password authentication failed"),
        (["quotes", "verify", "--db", nowhere], 1, "cannot connect"),
        (["quotes", "show", "Q-20261123-AAAAAA", "--db", missing], 1, "does not exist"),
        (["quotes", "export", "-f", "csv", "--db", syntax], 2, "'--db'"),
        (["quotes", "copy", "--from", wrong, "--to", "x.db"], 1, "password"),
        (["quotes", "show", "Q-20261123-AAAAAA", "--db", pg_server.url(pg_database)], 1, "yet"),
    ]


def test_a_database_without_a_log_lists_as_empty(
    runner: CliRunner, pg_server: PgServer, pg_database: str
) -> None:
    """Before the owner's 'quotes init', quotes list and gfe due list nothing (status 0),
    as for an SQLite log not made yet; nothing is created."""
    url = pg_server.url(pg_database)
    listed = run(runner, "quotes", "list", "--db", url)
    assert listed.stdout == "The quote log is empty (nothing has been saved yet).\n"
    due = run(runner, "gfe", "due", "--format", "json", "--db", url)
    assert json.loads(due.stdout) == {"duties": [], "renewals": []}
    listed_again = run(runner, "quotes", "list", "--db", url)
    assert listed_again.stdout == listed.stdout


def test_errors_are_one_line_and_never_repeat_the_password(
    runner: CliRunner, pg_server: PgServer, pg_database: str
) -> None:
    for args, code, word in failures(pg_server, pg_database):
        result = run(runner, *args, code=code)
        output = result.stdout + result.stderr
        assert PASSWORD not in output and "Traceback" not in output
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert word in result.stderr, result.stderr


NO_PSYCOPG = """
import sys
sys.modules["psycopg"] = None  # as if the extra were not installed
from ketacost.cli import main
sys.argv = ["ketacost", *sys.argv[1:]]
main()
"""


def test_without_the_extra_a_postgresql_log_is_refused_naming_it(tmp_path: Path) -> None:
    url = f"postgresql://desk:{PASSWORD}@db.clinic.lan/ketacost"
    for args in (["quote", "--db", url], ["quotes", "list"], ["quotes", "copy", "--from",
                 str(tmp_path / "q.db"), "--to", url]):  # fmt: skip
        env = {"KETACOST_DB": url, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
        result = subprocess.run([sys.executable, "-c", NO_PSYCOPG, *args], capture_output=True,
                                text=True, env=env, check=False)  # fmt: skip
        assert result.returncode == 2, result.stderr
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"Error: Invalid value for '{'--to' if 'copy' in args else '--db'}'")
        assert line.endswith(
            "needs psycopg, which is not installed: pip install 'ketacost[postgres]'"
        )
        assert PASSWORD not in result.stderr


def test_an_sqlite_log_never_loads_psycopg(tmp_path: Path) -> None:
    """The SQLite path starts as before: psycopg is not imported, saving or reading."""
    db = str(tmp_path / "q.db")
    for args in (["quote", "--db", db], ["quotes", "list", "--db", db]):
        modules = loaded(*args)
        assert "ketacost.store.sqlite" in modules
        assert not {m for m in modules if m.split(".")[0] in ("psycopg", "psycopg_binary")}
