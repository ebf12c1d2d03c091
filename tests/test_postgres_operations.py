"""A shared PostgreSQL log under a hostile or broken neighbour (docs/quote-log.md,
"Several desks, one log"): a session of another role holding the chain's lock makes a
save fail in one line after a bounded wait, never hang; a desk's own INSERT with a time
out of range is refused by the database; and a bad row already stored is one line for
the other desks, whose lists still show everything else."""

from __future__ import annotations

import contextlib
import json
import time
from typing import Any

import pytest
from click.testing import CliRunner

from ketacost.store import pg_schema, postgres
from ketacost.store.chain import HASHED_COLUMNS
from tests.pg_server import PASSWORD, PgServer
from tests.test_postgres_cli import clinic_db, run  # noqa: F401  (a fixture)


def _ready(runner: CliRunner, clinic_db: dict[str, str]) -> tuple[str, str]:  # noqa: F811
    """The README's set-up: tables made by the owner, grants given; the two URLs."""
    import psycopg

    owner, desk = clinic_db["owner"], clinic_db["desk"]
    run(runner, "quotes", "init", "--db", owner)
    with psycopg.connect(owner, autocommit=True) as conn:
        for statement in clinic_db["grants"].split(";\n"):
            if statement.strip():
                conn.execute(statement.encode())
    return owner, desk


def test_a_held_chain_lock_is_a_bounded_wait_and_one_line(
    runner: CliRunner,
    pg_server: PgServer,
    clinic_db: dict[str, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Any role may take an advisory lock: a session of a role with no grants at all
    holds the chain's; a desk's save waits the lock timeout, then fails (status 1) in one
    line naming the lock, and nothing is saved."""
    import psycopg

    owner, desk = _ready(runner, clinic_db)
    pg_server.admin(f"CREATE ROLE intruder LOGIN PASSWORD 'x-{PASSWORD}'")
    pg_server.admin("GRANT CONNECT ON DATABASE ketacost TO intruder")  # nothing more
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_SECONDS", 1)
    try:
        with psycopg.connect(
            pg_server.url("ketacost", "intruder", f"x-{PASSWORD}"), autocommit=True
        ) as intruder:
            intruder.execute("SELECT pg_advisory_lock(%s)", (pg_schema.CHAIN_LOCK,))
            started = time.monotonic()
            result = run(runner, "quote", "--patient", "Ann Lee", "--db", desk, code=1)
            assert time.monotonic() - started < 20
        [line] = result.stderr.splitlines()
        assert "waited 1 s for the log's lock" in line and "nothing was saved" in line
        assert "Ann" not in line
        listed = run(runner, "quotes", "list", "--db", owner)
        assert "empty" in listed.stdout
    finally:
        pg_server.admin("REVOKE CONNECT ON DATABASE ketacost FROM intruder")
        pg_server.admin("DROP ROLE IF EXISTS intruder")


def _row(conn: Any, created: str, entry_id: str = "Q-20261123-ZZZZZZ") -> list[Any]:
    """A hand-made entry that extends the chain, saved at ``created``."""
    last = conn.execute("SELECT sha256 FROM ketacost.entries ORDER BY seq DESC LIMIT 1")
    prev = last.fetchone()[0]
    first = conn.execute(f"SELECT {', '.join(HASHED_COLUMNS)} FROM ketacost.entries LIMIT 1")
    values = dict(zip(HASHED_COLUMNS, first.fetchone(), strict=True))
    values.update(id=entry_id, created=created)
    return [*(values[c] for c in HASHED_COLUMNS), prev, "f" * 64]


INSERT = (
    f"INSERT INTO ketacost.entries ({', '.join(HASHED_COLUMNS)}, prev_sha256, sha256) "
    f"VALUES ({', '.join(['%s'] * (len(HASHED_COLUMNS) + 2))})"
)


@pytest.mark.parametrize(
    "created",
    ["9999-12-31T23:59:59+00:00", "0001-01-01T00:00:00+00:00", "2026-11-23 10:00", "soon"],
)
def test_a_desks_insert_with_a_time_out_of_range_is_refused(
    runner: CliRunner,
    clinic_db: dict[str, str],  # noqa: F811
    created: str,
) -> None:
    """The desks' role may INSERT, but never its own time: the server's replaces it (a row
    so written then fails its hash, and verify names it); the owner, whose copies keep
    their times, is refused a time no desk could show by the database itself."""
    import psycopg

    owner, desk = _ready(runner, clinic_db)
    run(runner, "quote", "--patient", "Ann Lee", "--db", desk)
    with psycopg.connect(desk, autocommit=True) as conn:
        with contextlib.suppress(psycopg.errors.CheckViolation):
            conn.execute(INSERT, _row(conn, created))
        times = [row[0] for row in conn.execute("SELECT created FROM ketacost.entries")]
    assert created not in times
    with psycopg.connect(owner, autocommit=True) as conn:
        row = _row(conn, created, "Q-20261123-YYYYYY")
        with pytest.raises(psycopg.errors.CheckViolation):
            conn.execute(INSERT, row)


def test_a_bad_row_already_stored_never_stops_another_desks_list(
    runner: CliRunner,
    pg_server: PgServer,
    clinic_db: dict[str, str],  # noqa: F811
) -> None:
    """A row stored before the check existed (year 9999: shown east of UTC it would
    overflow): list, export and gfe due name it in one line, status 0, the rest shown."""
    import psycopg

    owner, desk = _ready(runner, clinic_db)
    first = json.loads(run(runner, "quote", "--format", "json", "--db", desk).stdout)["id"]
    pg_server.admin(
        "ALTER TABLE ketacost.entries DROP CONSTRAINT entries_created_in_range", "ketacost"
    )
    with psycopg.connect(owner, autocommit=True) as conn:  # a desk's time is the server's
        conn.execute(INSERT, _row(conn, "9999-12-31T23:59:59+00:00"))
    for command in (["quotes", "list"], ["quotes", "export", "-f", "csv"], ["gfe", "due"]):
        result = run(runner, *command, "--db", desk)
        [line] = result.stderr.splitlines()
        assert "Q-20261123-ZZZZZZ" in line  # out of range, or failing the log's check
        if command[0] == "quotes":
            assert first in result.stdout


def test_a_statement_that_never_ends_is_cut_short_in_one_line(
    runner: CliRunner,
    pg_server: PgServer,
    clinic_db: dict[str, str],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The table locked by another session (its owner, say, mid-maintenance): a list
    stops after the statement timeout, status 1, one line; it never hangs."""
    import psycopg

    _, desk = _ready(runner, clinic_db)
    monkeypatch.setattr(postgres, "STATEMENT_TIMEOUT_SECONDS", 1)
    monkeypatch.setattr(postgres, "LOCK_TIMEOUT_SECONDS", 60)
    with psycopg.connect(pg_server.url("ketacost")) as holder:
        holder.execute("LOCK TABLE ketacost.entries IN ACCESS EXCLUSIVE MODE")
        started = time.monotonic()
        result = run(runner, "quotes", "list", "--db", desk, code=1)
        assert time.monotonic() - started < 20
        holder.rollback()
    [line] = result.stderr.splitlines()
    assert "took more than 1 s to answer" in line
