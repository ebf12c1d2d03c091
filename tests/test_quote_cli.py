"""``ketacost quote`` and ``ketacost quotes``: saving, reprinting exactly, listing and
exporting safely (docs/quote-log.md)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.report.to_data import to_data
from tests.clinic import clinic_sheet

BASE = ["--start", "2026-11-23"]


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def quote_json(runner: CliRunner, db: Path, *args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        run(runner, "quote", "--db", str(db), *BASE, *args, "--format", "json").stdout
    )
    return data


def test_quote_prints_the_estimate_with_its_id(runner: CliRunner, tmp_path: Path) -> None:
    """A table headed by the new id; JSON carries "id" and the estimate's contract."""
    db = tmp_path / "q.db"
    table = run(runner, "quote", "--db", str(db), *BASE, "--patient", "Ann Lee").stdout
    assert table.startswith("Quote Q-")
    assert "patient Ann Lee" in table
    assert "Out of pocket" in table
    data = quote_json(runner, db)
    assert data["id"].startswith("Q-")
    assert data["kind"] == "quote"
    assert data["scenarios"]["typical"]["out_of_pocket"] == "3600.00"


def test_round_trip_show_equals_what_was_quoted(runner: CliRunner, tmp_path: Path) -> None:
    """`quotes show ID` prints exactly what `quote` printed, as a table and as JSON."""
    db = tmp_path / "q.db"
    args = [
        "--patient",
        "Ann Lee",
        "--dob",
        "1980-04-30",
        "--prepared-by",
        "Sam",
        "--maintenance",
        "monthly",
        "--deductible",
        "1500",
        "--coinsurance",
        "20",
    ]
    table = run(runner, "quote", "--db", str(db), *BASE, *args).stdout
    entry_id = table.split()[1].rstrip(",")
    assert run(runner, "quotes", "show", entry_id, "--db", str(db)).stdout == table
    data = quote_json(runner, db, *args)
    shown = json.loads(
        run(runner, "quotes", "show", data["id"], "--db", str(db), "--format", "json").stdout
    )
    assert shown == data
    for fmt in ("csv", "markdown"):
        first = run(runner, "quotes", "show", data["id"], "--db", str(db), "-f", fmt).stdout
        assert first  # and it is drawn from the saved data, like the rest
        assert (
            first
            == run(runner, "quotes", "show", data["id"].lower(), "--db", str(db), "-f", fmt).stdout
        )


def test_show_is_unchanged_after_the_sheet_changes(runner: CliRunner, tmp_path: Path) -> None:
    """The saved result, not the sheet, is what is reprinted."""
    db = tmp_path / "q.db"
    sheet = clinic_sheet(tmp_path)
    table = run(runner, "quote", "--db", str(db), *BASE, "--sheet", str(sheet)).stdout
    data = quote_json(runner, db, "--sheet", str(sheet))
    sheet.write_text(sheet.read_text().replace("low = 400\nhigh = 800", "low = 450\nhigh = 900"))
    now = json.loads(run(runner, "estimate", *BASE, "--sheet", str(sheet), "-f", "json").stdout)
    assert now["scenarios"]["high"]["per_session"] == "900.00"  # the sheet did change
    shown = json.loads(
        run(runner, "quotes", "show", data["id"], "--db", str(db), "-f", "json").stdout
    )
    assert shown["scenarios"] == data["scenarios"]
    assert shown == data
    assert (
        run(runner, "quotes", "show", table.split()[1].rstrip(","), "--db", str(db)).stdout == table
    )


def test_replaces_names_an_existing_entry(runner: CliRunner, tmp_path: Path) -> None:
    """--replaces must exist (status 2); the old entry stays and says it was replaced."""
    db = tmp_path / "q.db"
    first = quote_json(runner, db)
    bad = run(runner, "quote", "--db", str(db), *BASE, "--replaces", "Q-20000101-AAAAAA", code=2)
    assert "'--replaces'" in bad.stderr
    second = quote_json(runner, db, "--sessions", "4", "--replaces", first["id"].lower())
    assert second["replaces"] == first["id"]
    old = json.loads(
        run(runner, "quotes", "show", first["id"], "--db", str(db), "-f", "json").stdout
    )
    assert old == first
    assert (
        f"REPLACED BY {second['id']}"
        in run(runner, "quotes", "show", first["id"], "--db", str(db)).stdout
    )


def test_list_filters_and_shows_names_as_text(runner: CliRunner, tmp_path: Path) -> None:
    """Newest first, --patient, --since, --limit; markup in a name is printed as typed."""
    db = tmp_path / "q.db"
    assert "empty" in run(runner, "quotes", "list", "--db", str(db)).stdout
    assert not db.exists()
    ids = [
        quote_json(runner, db, "--patient", name)["id"]
        for name in ("[bold]Ann[/bold] Lee", "Bo Chan", "Cy Lee")
    ]
    listing = run(runner, "quotes", "list", "--db", str(db)).stdout
    assert [
        line.split()[0] for line in listing.splitlines() if line.strip().startswith("Q-")
    ] == ids[::-1]
    assert "[bold]Ann[/bold]" in listing
    lees = run(runner, "quotes", "list", "--db", str(db), "--patient", "LEE").stdout
    assert ids[0] in lees
    assert ids[2] in lees
    assert ids[1] not in lees
    assert ids[2] in run(runner, "quotes", "list", "--db", str(db), "-n", "1").stdout
    assert ids[1] not in run(runner, "quotes", "list", "--db", str(db), "-n", "1").stdout
    later = run(runner, "quotes", "list", "--db", str(db), "--since", "2999-01-01").stdout
    assert "No entries match" in later


FORMULAS = ['=HYPERLINK("http://x")', "+1+2", "-3", "@SUM(A1)", "\tTab", "\rCR"]


def test_csv_export_neutralizes_formulas(runner: CliRunner, tmp_path: Path) -> None:
    """Every text cell a spreadsheet would run as a formula starts with a quote mark."""
    db = tmp_path / "q.db"
    quote_json(runner, db, "--prepared-by", "=1+1")
    for text in FORMULAS[:4]:  # names cannot hold tabs or carriage returns at all
        quote_json(runner, db, "--patient", text)
    out = tmp_path / "export.csv"
    run(runner, "quotes", "export", "--db", str(db), "--format", "csv", "-o", str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    patients = [r["patient"] for r in rows if r["patient"]]
    assert patients == ["'" + t for t in FORMULAS[:4]]
    assert {r["prepared_by"] for r in rows if r["prepared_by"]} == {"'=1+1"}
    assert all(r["out_of_pocket_typical"] == "3600.00" for r in rows)


def test_safe_cell_covers_tab_and_carriage_return() -> None:
    """The cells a spreadsheet runs: =, +, -, @, tab and carriage return."""
    from ketacost.render.safe_text import csv_cell as safe_cell

    assert [safe_cell(t) for t in FORMULAS] == ["'" + t for t in FORMULAS]
    assert safe_cell("Ann Lee") == "Ann Lee"


def test_json_export_holds_every_entry_in_full(runner: CliRunner, tmp_path: Path) -> None:
    """Oldest first, each entry as `quotes show --format json` gives it."""
    db = tmp_path / "q.db"
    first, second = quote_json(runner, db, "--patient", "Ann"), quote_json(runner, db)
    exported = json.loads(run(runner, "quotes", "export", "--db", str(db), "-f", "json").stdout)
    assert exported == [first, second]


def test_markdown_heading_cannot_carry_html(runner: CliRunner, tmp_path: Path) -> None:
    """A name with HTML in it is escaped in Markdown output."""
    out = run(
        runner,
        "quote",
        "--db",
        str(tmp_path / "q.db"),
        *BASE,
        "-f",
        "markdown",
        "--patient",
        "<script>alert(1)</script>",
    ).stdout
    assert "<script>" not in out
    assert "&lt;script&gt;" in out


def test_db_from_environment_and_default_location(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """KETACOST_DB chooses the log; without it, quotes.db in the data directory, 0600."""
    default = Path.home() / ".local" / "share" / "ketacost" / "quotes.db"
    run(runner, "quote", *BASE)
    assert stat.S_IMODE(default.stat().st_mode) == 0o600
    monkeypatch.setenv("KETACOST_DB", str(tmp_path / "env.db"))
    run(runner, "quote", *BASE)
    assert (tmp_path / "env.db").exists()
    assert len(json.loads(run(runner, "quotes", "export", "-f", "json").stdout)) == 1


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    "command",
    [
        ["quote", *BASE],
        ["quotes", "list"],
        ["quotes", "show", "Q-1"],
        ["quotes", "export", "-f", "csv"],
    ],
)
def test_a_foreign_file_is_a_clear_error_and_untouched(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    """Status 1, one line naming the file, and the file exactly as it was."""
    db = tmp_path / "notes.db"
    db.write_text("my notes, not a database\n" * 20)
    before = digest(db)
    result = run(runner, *command, "--db", str(db), code=1)
    assert result.stderr.startswith("Error: ")
    assert "is not a ketacost quote log" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert digest(db) == before


def test_show_errors(runner: CliRunner, tmp_path: Path) -> None:
    """An unknown id is bad input (2); no log yet (1). A quote's page names its id."""
    db = tmp_path / "q.db"
    run(runner, "quotes", "show", "Q-1", "--db", str(db), code=1)
    entry = quote_json(runner, db)
    assert "no entry 'Q-2'" in run(runner, "quotes", "show", "Q-2", "--db", str(db), code=2).stderr
    page = run(runner, "quotes", "show", entry["id"], "--db", str(db), "-f", "html").stdout
    assert page.startswith("<!DOCTYPE html>") and f"Quote {entry['id']}" in page


LONG_NAME = "Maximiliana Wolfeschlegelsteinhausen-Bergerdorff"


@pytest.mark.parametrize("columns", [80, 120])
def test_list_shows_date_preparer_and_replaced_mark_without_squeezing_names(
    runner: CliRunner, tmp_path: Path, columns: int
) -> None:
    """At 80 and 120 columns: the date saved, who prepared it, `*` on a replaced entry
    (explained under the table), the total; a long name is not folded into a narrow
    column; nothing runs past the width."""
    db = tmp_path / "q.db"
    first = quote_json(runner, db, "--patient", "Ann Lee", "--prepared-by", "Sam Okafor")
    quote_json(runner, db, "--patient", LONG_NAME, "--prepared-by", "Sam Okafor")
    quote_json(runner, db, "--patient", "Ann Lee", "--replaces", first["id"])
    result = runner.invoke(cli, ["quotes", "list", "--db", str(db)], env={"COLUMNS": str(columns)})
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    header = lines[0].split()
    assert header[:3] == ["ID", "Saved", "Patient"]
    assert "Total" in header
    assert ("Sessions" in header) == (columns >= 100)
    row = next(line for line in lines if line.startswith(first["id"]))
    assert row.split()[1] == "*"
    assert "Sam Okafor" in row
    assert "$3,600.00" in row
    assert first["created"][:10] in row  # local date; the test runs in UTC or close to it
    assert any(line.startswith("* replaced by a later entry") for line in lines)
    patient_width = lines[0].index("Prepared") - lines[0].index("Patient")
    assert patient_width >= (20 if columns == 80 else len(LONG_NAME))
    if columns >= 120:
        assert LONG_NAME in result.stdout  # on one line


def test_list_without_replacements_has_no_mark(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    entry = quote_json(runner, db, "--patient", "Bo Chan")
    listing = run(runner, "quotes", "list", "--db", str(db)).stdout
    assert "replaced" not in listing
    assert f"{entry['id']} " in listing


def test_json_export_streams_one_entry_at_a_time(tmp_path: Path) -> None:
    """Structurally: the export asks for the next entry only when the one before is
    written, and the pieces join to exactly what a single JSON dump gives."""
    from ketacost.entries import Entry
    from ketacost.render.log import export_json
    from ketacost.report.to_data import dumps
    from ketacost.store.opening import open_quote_log
    from tests.helpers import add_entry, report_with

    with open_quote_log(tmp_path / "q.db") as log:
        for n in range(4):
            add_entry(log, "quote", to_data(report_with()), patient=f"P{n}", dob="1980-01-02")
        entries = list(log.entries(newest_first=False))
    pulled: list[int] = []

    def source() -> Iterator[Entry]:
        for n, entry in enumerate(entries):
            pulled.append(n)
            yield entry

    pieces = export_json(source())
    assert next(pieces) == "["
    assert pulled == []
    next(pieces)
    assert pulled == [0]
    rest = "".join(pieces)
    assert pulled == [0, 1, 2, 3]
    from ketacost.entries import entry_data

    whole = dumps([entry_data(e, with_html=True) for e in entries])
    assert "".join(export_json(iter(entries))) == whole
    assert "".join(export_json(iter([]))) == dumps([])
    assert rest.endswith("]\n")


def test_export_writes_through_a_stream(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command hands the log's entries to the exporter one by one: the log is read
    lazily (an iterator, never a list) while the file is written."""
    from ketacost.render import log as render_log

    db = tmp_path / "q.db"
    for _ in range(3):
        quote_json(runner, db)
    seen: list[str] = []
    original = render_log.export_json

    def spy(entries: Iterable[Any]) -> Iterator[str]:
        seen.append(type(entries).__name__)
        return original(entries)

    monkeypatch.setattr("ketacost.cli.quotes_cmd.export_json", spy)  # the name it calls
    out = tmp_path / "e.json"
    run(runner, "quotes", "export", "-f", "json", "--db", str(db), "-o", str(out))
    assert seen == ["generator"]
    assert len(json.loads(out.read_text())) == 3
