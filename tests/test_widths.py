"""Terminal widths: the estimate's title and ``sheet show`` at 60, 80 and 120 columns; every
table-printing command from 40 columns up."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.render.console import console
from tests.clinic import CO_PROVIDER, clinic_sheet
from tests.sheet_samples import write

WIDTHS = (60, 80, 120)
CLINIC = Path(__file__).parent / "fixtures" / "clinic-0.1.0.toml"
"""A sheet with two treatments, fees, discounts, plans and a clinic."""
TITLE = "Estimated cost of ketamine infusion therapy"


def lines_at(runner: CliRunner, width: int, *args: str) -> list[str]:
    console.cache_clear()  # a new console reads COLUMNS, as a new process would
    result = runner.invoke(cli, list(args), env={"COLUMNS": str(width)})
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("price", [("--price", "450"), ()])
def test_title_is_one_line_when_it_fits(
    runner: CliRunner, width: int, price: tuple[str, ...]
) -> None:
    """The title is not folded to the table's width: one line whenever the screen is wide
    enough for it, on an exact price (one narrow column) as on a range."""
    lines = lines_at(runner, width, "estimate", "--start", "2026-11-23", *price)
    assert lines[0].rstrip() == TITLE
    assert lines[1].lstrip().startswith("┏")  # the table starts on the next line


def test_title_wraps_only_at_the_screen_edge(runner: CliRunner) -> None:
    """Narrower than the title, it wraps at the screen's width, never past it."""
    lines = lines_at(runner, 30, "estimate", "--price", "450")
    assert " ".join(line.strip() for line in lines[:2]) == TITLE
    assert all(len(line.rstrip()) <= 30 for line in lines[:2])


@pytest.mark.parametrize("width", WIDTHS)
def test_sheet_show_fits_the_screen(runner: CliRunner, width: int) -> None:
    """No line runs past the screen; every table keeps its right border (nothing cut)."""
    lines = lines_at(runner, width, "sheet", "show", str(CLINIC))
    assert max(len(line.rstrip()) for line in lines) <= width
    ruled = [line.rstrip() for line in lines if line.startswith(("│", "┃", "┏", "┌", "└"))]
    assert ruled
    assert all(line[-1] in "│┃┓┐┘┛┤┩" for line in ruled), "a table was cut at the edge"
    text = "\n".join(lines)
    for figure in ("$450.00", "$400.00", "low $700.00", "high $1,500.00", "$375.00"):
        assert figure in text
    for word in ("fibromyalgia", "consultation", "Psychiatric", "membership"):
        assert word in text, f"{word} was broken across lines"


def test_sheet_show_at_60_lists_one_field_per_line(runner: CliRunner) -> None:
    """At 60 columns a part too wide for its columns shows one field per line."""
    text = "\n".join(lines_at(runner, 60, "sheet", "show", str(CLINIC)))
    assert "│ Per session │ low $700.00" in text
    assert "│ Label    │ Psychiatric evaluation │" in text
    wide = "\n".join(lines_at(runner, 120, "sheet", "show", str(CLINIC)))
    assert "┃ Treatment" in wide and "Per session ┃" in wide  # columns when they fit


def test_sheet_labels_are_not_markup(runner: CliRunner, tmp_path: Path) -> None:
    """A label that looks like Rich markup is shown as written, at any width."""
    sheet = write(
        tmp_path,
        """\
        [sheet]
        name = "Markup"
        [treatments.a]
        label = "[bold red]A[/] and [link=x]B[/link]"
        price = 100
        [fees.f]
        label = "[red]Fee[/red]"
        amount = 5
        per = "once"
        """,
    )
    for width in WIDTHS:
        text = "\n".join(lines_at(runner, width, "sheet", "show", str(sheet)))
        assert "[bold red]A[/] and" in text
        assert "[red]Fee[/red]" in text


FIGURE = re.compile(r"\$?\d[\d,.\-]*\d")
"""A money amount, a date, an id's digits: any run of digits with separators."""
EVERY_WIDTH = (40, 60, 80, 120)


@pytest.fixture
def quote_log(runner: CliRunner, tmp_path: Path) -> tuple[str, str, Path]:
    """A log with a quote whose Good Faith Estimate is due, and a two-provider GFE: the
    path of the sheet, the GFE's id and the log."""
    db = tmp_path / "q.db"
    sheet = clinic_sheet(tmp_path, extra=CO_PROVIDER)
    args = ("--db", str(db), "--sheet", str(sheet), "--patient", "Ann Lee")
    quoted = runner.invoke(cli, ["quote", *args, "--scheduled", "2026-12-07"])
    assert quoted.exit_code == 0, quoted.output
    issued = runner.invoke(
        cli, ["gfe", *args, "--dob", "1980-04-30", "--dx", "F33.1", "-f", "json"]
    )
    assert issued.exit_code == 0, issued.output
    return str(sheet), json.loads(issued.stdout)["id"], db


def table_commands(sheet: str, gfe_id: str, db: Path) -> list[list[str]]:
    """Every command that prints a table, with what makes its table widest."""
    start = ("--start", "2026-11-23")
    out_of_network = ("--network", "out", "--deductible", "1500", "--coinsurance", "30",
                      "--allowed", "450", "--oop-max", "5000")  # fmt: skip
    log = ("--db", str(db))
    return [
        ["estimate", *start],
        ["estimate", *start, *out_of_network, "--hsa-rate", "22", "--finance", "12"],
        ["estimate", *start, "--by-session"],
        ["estimate", *start, "--by-session", *out_of_network],
        ["estimate", *start, "--by-month", "--maintenance", "monthly"],
        ["estimate", *start, "--by-month", *out_of_network],
        ["compare", "-c", "depression", "-c", "spravato", "-c", "kap", *start],
        ["estimate", *start, "--sheet", sheet],  # as quote prints it
        ["quotes", "list", *log],
        ["quotes", "show", gfe_id, *log],
        ["gfe", "due", *log],
        [
            "gfe",
            "check-bill",
            gfe_id,
            "--billed",
            "1234567893=4100",
            "--billed",
            "1679576722=300",
            *log,
        ],
        ["sheet", "show", sheet],
    ]


@pytest.mark.parametrize("width", EVERY_WIDTH)
def test_no_figure_is_ever_cut(
    runner: CliRunner, quote_log: tuple[str, str, Path], width: int
) -> None:
    """At 40 to 120 columns every table-printing command fits the screen and cuts no
    amount, date or id: nothing ends in an ellipsis, and every figure printed is one the
    widest screen prints too (a figure folded or cut short would be a new one). A column
    may go (a narrow screen shows fewer scenarios), but the typical total never does."""
    for args in table_commands(*quote_log):
        wide = "\n".join(lines_at(runner, 400, *args))
        lines = lines_at(runner, width, *args)
        text = "\n".join(lines)
        assert max(len(line.rstrip()) for line in lines) <= width, (args, text)
        assert "…" not in text, (args, text)
        shown = set(FIGURE.findall(text))
        assert shown <= set(FIGURE.findall(wide)), (args, shown - set(FIGURE.findall(wide)))
        for figure in ("$3,600.00", "3,600.00", "$3,900.00", "$4,100.00", "2026-11-23"):
            assert (figure in wide) <= (figure in text), (args, figure, text)


@pytest.mark.parametrize("width", [40, 50])
def test_a_long_name_does_not_cut_the_due_date_when_stacked(
    runner: CliRunner, tmp_path: Path, width: int
) -> None:
    """`gfe due` one quote at a time on a narrow screen: a patient's long name wraps on its
    own line; it does not widen the value column past the screen, which cut every due
    date to "20" and dropped the field names."""
    db = str(tmp_path / "q.db")
    name = "Maria Guadalupe Fernandez-Rodriguez de la Cruz"
    saved = runner.invoke(cli, ["quote", "--patient", name, "--db", db, "--start", "2026-11-23"])
    assert saved.exit_code == 0, saved.output
    lines = lines_at(runner, width, "gfe", "due", "--db", db)
    text = "\n".join(lines)
    assert max(len(line.rstrip()) for line in lines) <= width, text
    assert re.search(r"Due +\d{4}-\d{2}-\d{2}$", text, re.MULTILINE), text
    assert "Patient" in text and "Maria" in text and "Cruz" in text, text
