"""``estimate --by-month``: the month table and bar chart, JSON ``months``, CSV, Markdown,
and the terminal conventions (plain when piped, no colour with NO_COLOR, width)."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from datetime import date

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.render.fit import bar
from ketacost.render.months_view import months_view
from ketacost.render.table import estimate_view, render_text
from ketacost.sheet.model import SCENARIOS
from tests.helpers import report_with

ARGS = ["estimate", "--start", "2026-11-23", "--maintenance", "6w"]


def test_json_months_sum_to_the_scenarios(runner: CliRunner) -> None:
    """JSON "months" (YYYY-MM, sessions, per-scenario strings) add up to the totals."""
    result = runner.invoke(
        cli, [*ARGS, "--deductible", "1500", "--coinsurance", "20", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    months = data["months"]
    assert months[0] == {
        "month": "2026-11",
        "sessions": 4,
        "charges": {"low": "1600.00", "typical": "2400.00", "high": "3200.00"},
        "out_of_pocket": {"low": "1520.00", "typical": "1680.00", "high": "1840.00"},
        "paid_up_front": {"low": "1520.00", "typical": "1680.00", "high": "1840.00"},
    }
    assert [m["month"] for m in months][-1] == "2027-11"
    for name in SCENARIOS:
        scenario = data["scenarios"][name]
        cents = sum(int(m["out_of_pocket"][name].replace(".", "")) for m in months)
        assert f"{cents // 100}.{cents % 100:02d}" == scenario["out_of_pocket"]
        charged = sum(int(m["charges"][name].replace(".", "")) for m in months)
        assert f"{charged // 100}.{charged % 100:02d}" == scenario["charges"]
    assert sum(m["sessions"] for m in months) == data["scenarios"]["typical"]["sessions"]


def test_by_month_table_and_chart(runner: CliRunner) -> None:
    """The table lists every month with a Total row; the chart draws the typical bars."""
    result = runner.invoke(cli, [*ARGS, "--by-month"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Month by month" in out
    assert "Nov 2026" in out
    assert "Mar 2027" in out  # a month without a booster still has its row
    assert "Total" in out
    assert "$8,400.00" in out  # the typical total
    assert "Out of pocket per month (typical)" in out
    chart = out.split("Out of pocket per month (typical)")[1]
    assert "█" in chart
    assert "This is an estimate, not medical or financial advice." in out


def test_piped_output_is_plain(runner: CliRunner) -> None:
    """A non-terminal stdout gets no ANSI escape sequences at all."""
    for args in ([*ARGS, "--by-month"], ARGS, ["compare", "-m", "none", "-m", "4w"]):
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output


def _in_terminal(args: list[str], **env: str) -> str:
    """Run ketacost in a pseudo-terminal (so Rich sees a TTY); its output as text."""
    master, slave = pty.openpty()
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    environ.update(TERM="xterm-256color", COLUMNS="80", **env)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ketacost", *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=environ,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode()


def test_no_color_in_a_terminal() -> None:
    """In a terminal there is colour; with NO_COLOR set there is none (Rich honours it)."""
    args = [*ARGS, "--by-month"]
    coloured = _in_terminal(args)
    assert "\x1b[36m" in coloured  # the cyan bars
    plain = _in_terminal(args, NO_COLOR="1")
    assert "\x1b[36m" not in plain
    assert "\x1b[3" not in plain.replace("\x1b[3m", "")  # no foreground colour at all


def _widest(text: str) -> int:
    return max(len(line.rstrip()) for line in text.splitlines())


def test_views_fit_60_and_80_columns() -> None:
    """The estimate and month views never run past 60 or 80 columns."""
    report = report_with(start=date(2026, 11, 23), maintenance="4w", months=12, condition="pain")
    for width in (60, 80):
        for view in (estimate_view(report), months_view(report)):
            assert _widest(render_text(view, width=width)) <= width


def test_month_table_wraps_sensibly_at_60() -> None:
    """At 60 columns the month table keeps the typical figure and running total whole."""
    report = report_with(start=date(2026, 11, 23), maintenance="4w", months=12)
    text = render_text(months_view(report), width=60)
    assert "│ Nov 2026 │        4 │  $2,400.00 │  $2,400.00 │" in text
    wide = render_text(months_view(report), width=100)
    assert "Charges" in wide
    assert "low" in wide


def test_bar_eighths() -> None:
    """Bars are drawn to an eighth of a cell; any amount above zero shows a sliver."""
    from decimal import Decimal

    assert bar(Decimal(100), Decimal(100), 10) == "█" * 10
    assert bar(Decimal(50), Decimal(100), 3) == "█▌"
    assert bar(Decimal("0.01"), Decimal(100), 10) == "▏"
    assert bar(Decimal(0), Decimal(100), 10) == ""
    assert bar(Decimal(50), Decimal(100), 4, ascii_only=True) == "##"


def test_by_month_csv_and_markdown(runner: CliRunner) -> None:
    """--by-month with CSV gives one row per month; Markdown a month table."""
    result = runner.invoke(cli, [*ARGS, "--by-month", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["month"] == "2026-11"
    assert rows[0]["out_of_pocket_typical"] == "2400.00"
    assert len(rows) == 13
    md = runner.invoke(cli, [*ARGS, "--by-month", "--format", "markdown"]).stdout
    assert "| Nov 2026 | 4 | $2,400.00 |" in md
    assert "| **Total** | **14** |" in md


def test_shell_completion(runner: CliRunner) -> None:
    """click's built-in completion (documented in the README) completes commands."""
    script = runner.invoke(cli, [], prog_name="ketacost", env={"_KETACOST_COMPLETE": "bash_source"})
    assert "_ketacost_completion()" in script.output
    done = runner.invoke(
        cli,
        [],
        prog_name="ketacost",
        env={
            "_KETACOST_COMPLETE": "bash_complete",
            "COMP_WORDS": "ketacost comp",
            "COMP_CWORD": "1",
        },
    )
    assert done.output.split() == ["plain,compare"]


def test_what_is_left_after_a_savings_program_is_the_cores_figure(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "You pay after the program", by month and in all, is a figure of the report (the
    month's and the scenario's ``after_program``), shown by the month table and the
    Markdown, never worked out by a renderer: made a sentinel in the core, every view shows
    the sentinel."""
    from decimal import Decimal

    from ketacost.estimate import ScenarioFigures
    from ketacost.months import Month

    month_left, total_left = Decimal("11111.11"), Decimal("22222.22")
    monkeypatch.setattr(
        Month,
        "after_program",
        property(
            lambda m: None if m.program_pays is None else dict.fromkeys(SCENARIOS, month_left)
        ),
    )
    made = ScenarioFigures.__post_init__

    def sentinel(figures: ScenarioFigures) -> None:
        made(figures)
        object.__setattr__(figures, "after_program", total_left)

    monkeypatch.setattr(ScenarioFigures, "__post_init__", sentinel)
    args = ["estimate", "-c", "spravato", "--savings", "--network", "in", "--deductible", "0",
            "--coinsurance", "20", "--by-month", "--months", "2"]  # fmt: skip
    table = runner.invoke(cli, args, env={"COLUMNS": "220"})
    markdown = runner.invoke(cli, [*args, "--format", "markdown"])
    for result in (table, markdown):
        assert result.exit_code == 0, result.output
        assert "$11,111.11" in result.stdout and "$22,222.22" in result.stdout, result.stdout
