"""Superbills and claim payments in the quote log, whatever keeps it: hash-chained like
quotes and GFEs, and a log written before them (schema 3) migrates to hold them."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest

from ketacost.entries import Entry, new_entry, new_id
from ketacost.store import QuoteLog, StoreError, pg_schema, schema
from ketacost.store.opening import open_quote_log
from tests.storage_targets import old_schema

RESULT: dict[str, Any] = {
    "ketacost": "0.2.0",
    "sheet": {"name": "Clinic", "sha256": "0" * 64},
    "inputs": {"source": "G-20261201-ABCDEF"},
    "superbill": {"charged": "600.00"},
}


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "quotes.db")
    url: str = request.getfixturevalue("pg_url")
    return url


def _add(log: QuoteLog, kind: Any) -> Entry:
    created = datetime.now(UTC).replace(microsecond=0)
    entry = new_entry(kind, RESULT, entry_id=new_id(kind, created), created=created)
    return log.add(entry)


def test_superbills_and_payments_are_chained_like_the_rest(target: str) -> None:
    with open_quote_log(target) as log:
        bill = _add(log, "superbill")
        paid = _add(log, "claim")
    assert bill.id.startswith("S-") and paid.id.startswith("C-")
    with open_quote_log(target, write=False) as log:
        assert log.verify().intact
        again = log.get(bill.id)
        assert again is not None and again.kind == "superbill" and again.flaw is None
        assert again.result == RESULT
        assert paid.prev_sha256 == bill.sha256


def test_a_log_of_schema_3_migrates_and_keeps_its_entries(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log as 0.2 left it (its entries' kind limited to quote and gfe) is brought
    forward by the first save; its entries keep their hashes and the chain verifies."""
    with old_schema(monkeypatch, 3), open_quote_log(target) as log:
        quote = _add(log, "quote")
        with pytest.raises((sqlite3.IntegrityError, StoreError, psycopg.Error)):
            _add(log, "superbill")  # the database's own CHECK refuses it
    with open_quote_log(target) as log:
        bill = _add(log, "superbill")
        assert log.verify().intact
        kept = log.get(quote.id)
        assert kept is not None and kept.sha256 == quote.sha256
        assert bill.prev_sha256 == quote.sha256


def test_the_schemas_agree_on_the_kinds() -> None:
    assert schema.KINDS == ("quote", "gfe", "superbill", "claim")
    assert all(f"'{kind}'" in " ".join(pg_schema.V4) for kind in schema.KINDS)


def test_the_log_commands_pass_superbills_by(tmp_path: Path) -> None:
    """quotes list and export, and gfe due, read quotes and GFEs: a superbill or a payment
    in the log is neither listed as one nor taken for a damaged entry."""
    from click.testing import CliRunner

    from ketacost.cli.app import cli
    from ketacost.report.to_data import to_data
    from tests.helpers import report_with

    db = tmp_path / "q.db"
    with open_quote_log(db) as log:
        created = datetime.now(UTC).replace(microsecond=0)
        quote = log.add(
            new_entry(
                "quote",
                to_data(report_with()),
                entry_id=new_id("quote", created),
                created=created,
                patient="Ann Lee",
            )
        )
        _add(log, "superbill")
        _add(log, "claim")
    runner = CliRunner()
    listed = runner.invoke(cli, ["quotes", "list", "--db", str(db)])
    assert listed.exit_code == 0 and quote.id in listed.stdout
    assert "S-" not in listed.stdout and not listed.stderr
    exported = runner.invoke(cli, ["quotes", "export", "--format", "csv", "--db", str(db)])
    assert exported.exit_code == 0 and not exported.stderr
    assert len(exported.stdout.strip().splitlines()) == 2  # the header and the quote
    due = runner.invoke(cli, ["gfe", "due", "--db", str(db)])
    assert due.exit_code == 0 and not due.stderr
