"""Terminal widths: the estimate's title and ``sheet show`` at 60, 80 and 120 columns."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.render.console import console
from ketacost.render.table import TITLE
from tests.sheet_samples import write

WIDTHS = (60, 80, 120)
CLINIC = Path(__file__).parent / "fixtures" / "clinic-0.1.0.toml"
"""A sheet with two treatments, fees, discounts, plans and a clinic."""


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
