"""``ketacost estimate`` from the command line: figures via JSON, errors, the table."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost import __version__
from ketacost.cli import cli
from tests.helpers import estimate_json as json_of
from tests.helpers import figures as column

MONDAY = ["--start", "2026-11-23"]


def test_json_contract(runner: CliRunner) -> None:
    """JSON holds scenarios low/typical/high (docs/json.md), the inputs, sheet and version."""
    data = json_of(runner)
    for name in ("low", "typical", "high"):
        scenario = data["scenarios"][name]
        for field in ("per_session", "charges", "insurance_pays", "out_of_pocket", "other_costs"):
            assert isinstance(scenario[field], str)
            assert scenario[field].count(".") == 1
            assert len(scenario[field].split(".")[1]) == 2
        assert isinstance(scenario["sessions"], int)
    assert data["ketacost"] == __version__
    assert data["sheet"]["name"] == "National averages (US, self-pay)"
    assert len(data["sheet"]["sha256"]) == 64
    assert data["inputs"]["condition"] == "depression"
    assert data["inputs"]["sessions"] == 6
    assert data["inputs"]["start"] == "2026-11-23"
    assert "not medical or financial advice" in data["disclaimer"]


@pytest.mark.parametrize(
    ("args", "charges"),
    [
        ((), ["2400.00", "3600.00", "4800.00"]),
        (("--condition", "pain"), ["4200.00", "8100.00", "12000.00"]),
        (("--condition", "ptsd"), ["2400.00", "3600.00", "4800.00"]),
        (("--sessions", "1"), ["400.00", "600.00", "800.00"]),
        (("--maintenance", "every 4 weeks", "--months", "12"), ["7600.00", "11400.00", "15200.00"]),
        (("--price", "450"), ["2700.00", "2700.00", "2700.00"]),
        (("--price-range", "500-700"), ["3000.00", "3600.00", "4200.00"]),
    ],
)
def test_figures(runner: CliRunner, args: tuple[str, ...], charges: list[str]) -> None:
    """The issue's figures: charges and (self-pay) out of pocket per scenario."""
    data = json_of(runner, *args)
    assert column(data, "charges") == charges
    assert column(data, "out_of_pocket") == charges


@pytest.mark.parametrize(
    ("plan", "sessions"),
    [("every 4 weeks", 19), ("4w", 19), ("monthly", 18), ("every 6 weeks", 14)],
)
def test_session_counts(runner: CliRunner, plan: str, sessions: int) -> None:
    """Maintenance plans over 12 months give 19, 18 and 14 sessions in all."""
    assert column(json_of(runner, "--maintenance", plan), "sessions") == [sessions] * 3


def test_schedule_in_json(runner: CliRunner) -> None:
    """--start 2026-12-28 dates the induction to the day, with phases: New Year's Day
    moves to Monday 01-04, and that Monday's session to Tuesday (issue 19)."""
    result = runner.invoke(
        cli, ["estimate", "--start", "2026-12-28", "--maintenance", "4w", "--format", "json"]
    )
    data = json.loads(result.output)
    induction = [s["date"] for s in data["schedule"] if s["phase"] == "induction"]
    assert induction == [
        "2026-12-28",
        "2026-12-30",
        "2027-01-04",
        "2027-01-05",
        "2027-01-06",
        "2027-01-08",
    ]
    boosters = [s for s in data["schedule"] if s["phase"] == "maintenance"]
    assert boosters[0]["date"] == "2027-02-05"
    assert len(boosters) == 13


def test_ride(runner: CliRunner) -> None:
    """--ride 25: other costs 150.00 in every scenario, charges unchanged."""
    data = json_of(runner, "--ride", "25")
    assert column(data, "other_costs") == ["150.00"] * 3
    assert column(data, "charges") == ["2400.00", "3600.00", "4800.00"]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (("--sessions", "0"), "--sessions"),
        (("--sessions", "-3"), "--sessions"),
        (("--sessions", "six"), "--sessions"),
        (("--price", "abc"), "--price"),
        (("--price", "1e400"), "--price"),
        (("--price", "NaN"), "--price"),
        (("--price", "-5"), "--price"),
        (("--price-range", "800-400"), "--price-range"),
        (("--price-range", "400"), "--price-range"),
        (("--condition", "migraine"), "--condition"),
        (("--start", "2026-02-30"), "--start"),
        (("--start", "tomorrow"), "--start"),
        (("--maintenance", "sometimes"), "--maintenance"),
        (("--format", "xlsx"), "--format"),
        (("-o", "estimate.xlsx"), "--output"),
        (("-o", "estimate.docx"), "--output"),
        (("--months", "-1"), "--months"),
        (("--ride", "lots"), "--ride"),
        (("--coinsurance", "120"), "--coinsurance"),
        (("--plan-year-start", "13-40"), "--plan-year-start"),
    ],
)
def test_bad_input_is_one_line_status_2(
    runner: CliRunner, args: tuple[str, ...], option: str
) -> None:
    """Each bad value exits 2 with one line on stderr naming the option; no traceback."""
    result = runner.invoke(cli, ["estimate", *args])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert option in lines[0]
    assert "Traceback" not in result.stderr


def test_unknown_condition_lists_the_known(runner: CliRunner) -> None:
    """The message for an unknown condition lists what is known."""
    result = runner.invoke(cli, ["estimate", "--condition", "migraine"])
    assert "depression" in result.stderr and "pain" in result.stderr


def test_price_and_range_together(runner: CliRunner) -> None:
    """--price and --price-range contradict each other."""
    result = runner.invoke(cli, ["estimate", "--price", "500", "--price-range", "400-800"])
    assert result.exit_code == 2
    assert "--price" in result.stderr


TABLE = """\
Estimated cost of ketamine infusion therapy
┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━┳━━━━━━━━━━━┓
┃                             ┃       Low ┃   Typical ┃      High ┃
┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━╇━━━━━━━━━━━┩
│ Price per session           │   $400.00 │   $600.00 │   $800.00 │
│ Induction sessions (6)      │ $2,400.00 │ $3,600.00 │ $4,800.00 │
├─────────────────────────────┼───────────┼───────────┼───────────┤
│ Clinic charges              │ $2,400.00 │ $3,600.00 │ $4,800.00 │
│ Insurance pays              │     $0.00 │     $0.00 │     $0.00 │
├─────────────────────────────┼───────────┼───────────┼───────────┤
│ Out of pocket               │ $2,400.00 │ $3,600.00 │ $4,800.00 │
├─────────────────────────────┼───────────┼───────────┼───────────┤
│ Other costs: rides home (6) │   $150.00 │   $150.00 │   $150.00 │
└─────────────────────────────┴───────────┴───────────┴───────────┘
Condition: Depression and other mood conditions. 6 induction sessions over 2 weeks (Mon 2026-11-23
to Fri 2026-12-04); no maintenance sessions.
"""


def test_table_as_text(runner: CliRunner) -> None:
    """The default table: rows for sessions, charges, insurance, out of pocket, other costs."""
    result = runner.invoke(cli, ["estimate", *MONDAY, "--ride", "25"], env={"COLUMNS": "100"})
    assert result.exit_code == 0
    text = "\n".join(line.rstrip() for line in result.output.splitlines())
    assert text.startswith(TABLE.rstrip("\n").split("\nCondition")[0])
    assert "Condition: Depression and other mood conditions." in text
    assert "sha256" in text
    assert text.rstrip().endswith("This is an estimate, not medical or financial advice.")
    assert "\x1b[" not in result.output


def test_exact_price_table_has_one_column(runner: CliRunner) -> None:
    """With an exact price the table does not pretend there is a range."""
    result = runner.invoke(cli, ["estimate", "--price", "450"], env={"COLUMNS": "100"})
    assert "Estimate" in result.output
    assert "Typical" not in result.output and "Low" not in result.output


def test_csv_and_markdown(runner: CliRunner) -> None:
    """CSV carries two-decimal money; Markdown the same rows and the disclaimer."""
    csv_out = runner.invoke(cli, ["estimate", "--format", "csv"]).output
    assert csv_out.splitlines()[0] == "item,low,typical,high"
    assert "Out of pocket,2400.00,3600.00,4800.00" in csv_out
    md = runner.invoke(cli, ["estimate", "--format", "markdown"]).output
    assert "| **Out of pocket** | **$2,400.00** | **$3,600.00** | **$4,800.00** |" in md
    assert "not medical or financial advice" in md


def test_output_file(runner: CliRunner, tmp_path: Path) -> None:
    """-o writes the file (format from its suffix) and prints nothing."""
    target = tmp_path / "estimate.json"
    result = runner.invoke(cli, ["estimate", "-o", str(target)])
    assert result.exit_code == 0 and result.output == ""
    assert json.loads(target.read_text())["scenarios"]["low"]["charges"] == "2400.00"


def test_output_to_missing_directory_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    """A file that cannot be written is a one-line error, status 1."""
    result = runner.invoke(cli, ["estimate", "-o", str(tmp_path / "no" / "such.json")])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1


def test_version(runner: CliRunner) -> None:
    """--version prints the version."""
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_python_dash_m_and_help_imports_no_rich() -> None:
    """`python -m ketacost --help` works and loads neither rich nor any command module."""
    code = (
        "import sys, runpy; sys.argv=['ketacost','--help'];\n"
        "try:\n runpy.run_module('ketacost', run_name='__main__')\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith(('rich','ketacost.render'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "estimate" in out
    assert out.strip().splitlines()[-1] == "[]"
