"""--by-session: one row per session, in table, CSV and Markdown."""

from __future__ import annotations

import csv
import io

from click.testing import CliRunner

from ketacost.cli import cli
from tests.conftest import START

PLAN = ["--deductible", "1500", "--coinsurance", "20", "--copay", "25"]


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, ["estimate", "--start", START.isoformat(), *args, "--by-session"])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_table_has_a_row_per_session_and_a_total(runner: CliRunner) -> None:
    """The typical scenario, one row per session, then the total row (plain text)."""
    out = run(runner, *PLAN, "--format", "table")
    assert "Per session, typical estimate: 6 sessions at $600.00, in US dollars" in out
    lines = [line.rstrip() for line in out.splitlines()]
    at = lines.index("Induction")
    assert lines[at + 1].split() == [
        "2026-11-23",
        "1",
        "600.00",
        "600.00",
        "0.00",
        "0.00",
        "600.00",
        "0.00",
    ]
    assert lines[at + 3].split() == [
        "2026-11-27",
        "3",
        "600.00",
        "300.00",
        "25.00",
        "55.00",
        "380.00",
        "220.00",
    ]
    total = next(line for line in lines if line.startswith("Total"))
    assert total.split() == [
        "Total",
        "3,600.00",
        "1,500.00",
        "100.00",
        "400.00",
        "2,000.00",
        "1,600.00",
    ]


def test_table_columns_name_every_step(runner: CliRunner) -> None:
    """Headers: date, session, charge, to deductible, copay, coinsurance, who pays."""
    out = run(runner, *PLAN)
    for word in (
        "Date",
        "Charge",
        "To",
        "deductible",
        "Copay",
        "Co-",
        "insurance",
        "Patient",
        "Plan",
        "pays",
    ):
        assert word in out


def test_out_of_network_shows_allowed_and_balance_bill(runner: CliRunner) -> None:
    """Out of network the table adds the allowed amount and the balance bill."""
    out = run(
        runner, "--price", "600", "--network", "out", "--allowed", "500", "--coinsurance", "40",
        "--deductible", "0",
    )  # fmt: skip
    assert "Allowed" in out
    assert "Balance" in out
    total = next(line for line in out.splitlines() if line.startswith("Total"))
    assert total.split() == [
        "Total",
        "3,600.00",
        "3,000.00",
        "0.00",
        "1,200.00",
        "600.00",
        "1,800.00",
        "1,800.00",
    ]


def test_narrow_out_of_network_table_drops_allowed_rather_than_cut_amounts(
    runner: CliRunner,
) -> None:
    """At 80 columns, with a copay too, the allowed column gives way; no amount is cut."""
    out = run(
        runner,
        "--price",
        "600",
        "--network",
        "out",
        "--allowed",
        "500",
        "--coinsurance",
        "40",
        "--deductible",
        "0",
        "--copay",
        "20",
        "--maintenance",
        "monthly",
    )
    assert "…" not in out
    assert "Allowed" not in out
    assert "allowed $500.00 per session" in out


def test_scenario_switches_the_rows(runner: CliRunner) -> None:
    """--scenario high shows the high price's sessions."""
    out = run(runner, *PLAN, "--scenario", "high")
    assert "high estimate: 6 sessions at $800.00" in out
    assert "4,800.00" in out


def test_maintenance_rows_come_under_their_phase(runner: CliRunner) -> None:
    """Boosters follow a Maintenance heading, numbered after the induction."""
    out = run(runner, "--maintenance", "monthly", "--months", "2")
    lines = [line.rstrip() for line in out.splitlines()]
    at = lines.index("Maintenance")
    assert lines[at + 1].split()[:2] == ["2027-01-04", "7"]


def test_csv_has_every_column_and_a_total(runner: CliRunner) -> None:
    """CSV: a header, one row per claim, then the total; money as 1234.50."""
    out = run(runner, *PLAN, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == [
        "date",
        "session",
        "phase",
        "item",
        "charge",
        "allowed",
        "to_deductible",
        "copay",
        "coinsurance",
        "balance_bill",
        "patient_pays",
        "plan_pays",
    ]
    assert rows[3] == [
        "2026-11-27",
        "3",
        "induction",
        "Session 3",
        "600.00",
        "600.00",
        "300.00",
        "25.00",
        "55.00",
        "0.00",
        "380.00",
        "220.00",
    ]
    assert rows[-1][0] == "total"
    assert rows[-1][-2:] == ["2000.00", "1600.00"]
    assert len(rows) == 8


def test_markdown_table(runner: CliRunner) -> None:
    """Markdown: a header row, one row per claim, a bold total, then the notes."""
    out = run(runner, *PLAN, "--format", "markdown")
    assert "| Date | Session | Phase | Charge | Allowed |" in out
    assert "| 2026-11-27 | 3 | induction | $600.00 | $600.00 | $300.00 | $25.00 |" in out
    assert "| **Total** |" in out
    assert "not medical or financial advice" in out


def test_by_session_to_a_file(runner: CliRunner, tmp_path: object) -> None:
    """-o sessions.csv writes the per-session CSV."""
    from pathlib import Path

    target = Path(str(tmp_path)) / "sessions.csv"
    result = runner.invoke(
        cli, ["estimate", "--start", START.isoformat(), *PLAN, "--by-session", "-o", str(target)]
    )
    assert result.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("date,session,phase,item,")


def test_bad_scenario(runner: CliRunner) -> None:
    """--scenario accepts only low, typical or high (status 2, naming the option)."""
    result = runner.invoke(cli, ["estimate", "--by-session", "--scenario", "median"])
    assert result.exit_code == 2
    assert "'--scenario'" in result.stderr
