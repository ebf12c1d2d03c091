"""A quote log written by ketacost 0.1.0 keeps working: every entry reprints as 0.1.0 printed
it (JSON: every key 0.1.0 had, with the same value; a Good Faith Estimate's page byte for
byte), both exports carry the same figures, and new entries can still be added to it.

The log (tests/fixtures/quotes-0.1.0.db) and the golden outputs (tests/fixtures/upgrade-0.1.0)
were made by tests/fixtures/make_quotes_010.py with 0.1.0. Tests only ever open a copy of the
log: ketacost turns a log it writes to WAL mode, which would change the committed file.
Every test runs on the log as 0.1.0 left it (read-only commands never migrate it) and on
the log after the migration that hash-chains its entries (any saving command runs it).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
LOG = FIXTURES / "quotes-0.1.0.db"
GOLDEN = FIXTURES / "upgrade-0.1.0"
CLINIC = FIXTURES / "clinic-0.1.0.toml"
LOG_SHA256 = "954834e2dbac36125ee5382eff46551c73472425dcdc75a7d957d932912c93b4"
CLINIC_SHA256 = "c99813e321ac2a9b2fcbb6b32014168595bcaa03fe2a6192a49a57c7e7fe4e99"

QUOTES = {
    "Q-20261130-6DCMQ0": "built-in sheet, no patient",
    "Q-20261130-3MGW0X": "pain, boosters every 4 weeks, ride, patient",
    "Q-20261130-W5V5VV": "in network, monthly boosters across a plan year",
    "Q-20261130-XZ3TDN": "out of network, HSA",
    "Q-20261130-Y10BJZ": "exact price, HSA, deferred-interest plan",
    "Q-20261130-066A03": "clinic sheet: fees, discounts, named plan",
    "Q-20261130-KSC35T": "replaces Q-20261130-3MGW0X",
    "Q-20261130-58AVZ3": "price range, one session, boosters every 2 weeks",
}
GFES = {
    "G-20261130-KDWPKF": "induction series",
    "G-20261130-48ANXN": "over 12 months, cut to 12",
    "G-20261130-HWB706": "replaces G-20261130-KDWPKF",
}
ENTRIES = [*QUOTES, *GFES]  # in the order they were saved


@pytest.fixture(params=["as-0.1.0", "migrated"])
def db(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A copy of the 0.1.0 log (the committed file is never opened), as 0.1.0 left it or
    brought forward by opening it for writing."""
    copy = tmp_path / "copy" / "quotes.db"
    copy.parent.mkdir()
    shutil.copyfile(LOG, copy)
    if request.param == "migrated":
        from ketacost.store.opening import open_quote_log

        with open_quote_log(copy) as log:
            assert log.verify().intact
    return copy


def run(runner: CliRunner, *args: str) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def golden_json(name: str) -> Any:
    return json.loads((GOLDEN / name).read_text(encoding="utf-8"))


def differences(golden: Any, new: Any, where: str = "$") -> list[str]:
    """Where ``new`` departs from ``golden``: a dict may gain keys but must keep every key
    of the golden one, with an equal value; a list keeps its length and order; any other
    value is equal and of the same JSON type (``"6"`` is not ``6``, ``true`` is not ``1``)."""
    if isinstance(golden, dict):
        if not isinstance(new, dict):
            return [f"{where}: {new!r} is not an object"]
        return [
            d
            for key, value in golden.items()
            for d in (
                differences(value, new[key], f"{where}.{key}")
                if key in new
                else [f"{where}.{key}: missing"]
            )
        ]
    if isinstance(golden, list):
        if not isinstance(new, list) or len(new) != len(golden):
            return [f"{where}: {new!r} is not a list of {len(golden)}"]
        return [
            d
            for i, (g, n) in enumerate(zip(golden, new, strict=True))
            for d in differences(g, n, f"{where}[{i}]")
        ]
    if type(golden) is not type(new) or golden != new:
        return [f"{where}: {new!r}, 0.1.0 gave {golden!r}"]
    return []


def test_the_comparison_allows_added_keys_only() -> None:
    golden = {"a": "1.00", "b": [{"n": 6, "ok": True}], "c": None}
    assert differences(golden, {**golden, "new": 1}) == []
    assert differences(golden, {**golden, "b": [{"n": 6, "ok": True, "new": 2}]}) == []
    assert differences(golden, {"b": golden["b"], "c": None}) == ["$.a: missing"]
    assert differences(golden, {**golden, "a": "1.0"}) == ["$.a: '1.0', 0.1.0 gave '1.00'"]
    assert differences(golden, {**golden, "b": [{"n": "6", "ok": True}]}) != []
    assert differences(golden, {**golden, "b": [{"n": 6, "ok": 1}]}) != []
    assert differences(golden, {**golden, "b": []}) != []
    assert differences(golden, {**golden, "c": "0.00"}) != []


def test_the_fixture_is_one_self_contained_file() -> None:
    """Checkpointed, not in WAL mode (header bytes 18-19 are 1), nothing beside it."""
    header = LOG.read_bytes()[:100]
    assert header.startswith(b"SQLite format 3\x00")
    assert header[18:20] == b"\x01\x01"
    assert sorted(p.name for p in FIXTURES.glob(LOG.name + "*")) == [LOG.name]
    assert sorted(p.stem for p in GOLDEN.glob("*.json") if p.stem[:2] in ("Q-", "G-")) == sorted(
        ENTRIES
    )
    assert sorted(p.stem for p in GOLDEN.glob("*.html")) == sorted(GFES)


def test_list_names_every_entry(runner: CliRunner, db: Path) -> None:
    listing = run(runner, "quotes", "list", "--db", str(db)).stdout
    assert [entry_id for entry_id in ENTRIES if entry_id not in listing] == []


@pytest.mark.parametrize("entry_id", ENTRIES)
def test_show_json_keeps_every_figure(runner: CliRunner, db: Path, entry_id: str) -> None:
    golden = golden_json(f"{entry_id}.json")
    assert golden["id"] == entry_id
    shown = json.loads(
        run(runner, "quotes", "show", entry_id, "--format", "json", "--db", str(db)).stdout
    )
    assert differences(golden, shown) == []


@pytest.mark.parametrize("entry_id", list(GFES))
def test_gfe_page_reprints_byte_for_byte(
    runner: CliRunner, db: Path, tmp_path: Path, entry_id: str
) -> None:
    page = tmp_path / "page.html"
    run(runner, "quotes", "show", entry_id, "--format", "html", "-o", str(page), "--db", str(db))
    golden = (GOLDEN / f"{entry_id}.html").read_bytes()
    assert b"Good Faith Estimate" in golden
    assert page.read_bytes() == golden


def test_export_csv_keeps_every_column(runner: CliRunner, db: Path) -> None:
    def rows(text: str) -> list[dict[str, str]]:
        return list(csv.DictReader(io.StringIO(text)))

    golden = rows((GOLDEN / "export.csv").read_text(encoding="utf-8"))
    new = rows(run(runner, "quotes", "export", "--format", "csv", "--db", str(db)).stdout)
    assert [row["id"] for row in golden] == ENTRIES
    assert [row.get("id") for row in new] == ENTRIES
    for old_row, new_row in zip(golden, new, strict=True):
        assert {k: new_row.get(k) for k in old_row} == old_row


def test_export_json_keeps_every_figure(runner: CliRunner, db: Path) -> None:
    golden = golden_json("export.json")
    new = json.loads(run(runner, "quotes", "export", "--format", "json", "--db", str(db)).stdout)
    assert [entry["id"] for entry in golden] == ENTRIES
    assert [entry.get("id") for entry in new] == ENTRIES
    for old_entry, new_entry in zip(golden, new, strict=True):
        assert differences(old_entry, new_entry, old_entry["id"]) == []
    assert [e["html"].encode() for e in new if "html" in e] == [
        (GOLDEN / f"{entry_id}.html").read_bytes() for entry_id in GFES
    ]


def test_a_replaced_entry_names_its_revision(runner: CliRunner, db: Path) -> None:
    shown = run(runner, "quotes", "show", "Q-20261130-3MGW0X", "--db", str(db)).stdout
    assert "REPLACED BY Q-20261130-KSC35T" in " ".join(shown.split())


def test_new_entries_go_into_the_old_log(runner: CliRunner, db: Path, tmp_path: Path) -> None:
    """A revision of a 0.1.0 quote and of a 0.1.0 GFE is saved beside them, and the old
    entries still reprint as they were. (The 0.1.0 sheet's anti-nausea fee has no service
    code, which a Good Faith Estimate now refuses: the revision leaves it out.)"""
    quote = json.loads(
        run(
            runner,
            "quote",
            "--db",
            str(db),
            "--start",
            "2026-12-07",
            "--sessions",
            "5",
            "--replaces",
            "Q-20261130-6DCMQ0",
            "--format",
            "json",
        ).stdout
    )
    run(
        runner,
        "gfe",
        "--db",
        str(db),
        "--sheet",
        str(CLINIC),
        "--patient",
        "Eve Moss",
        "--dob",
        "1968-12-01",
        "--condition",
        "pain",
        "--without",
        "anti-nausea",
        "--dx",
        "M79.7",
        "--scheduled",
        "2027-01-04",
        "--replaces",
        "G-20261130-48ANXN",
        "-o",
        str(tmp_path / "new.html"),
    )
    listing = " ".join(run(runner, "quotes", "list", "--db", str(db)).stdout.split())
    assert quote["id"] in listing
    assert [entry_id for entry_id in ENTRIES if entry_id not in listing] == []
    new_gfes = [word for word in listing.split() if word.startswith("G-") and word not in GFES]
    assert len(new_gfes) == 1
    shown = json.loads(
        run(
            runner, "quotes", "show", "G-20261130-48ANXN", "--format", "json", "--db", str(db)
        ).stdout
    )
    assert differences(golden_json("G-20261130-48ANXN.json"), shown) == []


def test_the_committed_fixtures_are_unchanged() -> None:
    """Last in this module, so it also sees what the tests above did (they use copies)."""
    assert hashlib.sha256(LOG.read_bytes()).hexdigest() == LOG_SHA256
    assert sorted(p.name for p in FIXTURES.glob(LOG.name + "*")) == [LOG.name]
    # the sheet the GFEs and the clinic quote were computed from, recorded in the log
    assert hashlib.sha256(CLINIC.read_bytes()).hexdigest() == CLINIC_SHA256
    assert golden_json("Q-20261130-066A03.json")["sheet"]["sha256"] == CLINIC_SHA256
