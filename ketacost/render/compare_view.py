"""A comparison for the terminal: options side by side when they fit, one option per row
when they do not, and one small card per option on a narrow screen."""

from __future__ import annotations

from collections.abc import Sequence

from rich.columns import Columns
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ketacost.comparison import Compared, Comparison
from ketacost.money import format_money
from ketacost.render.compare_text import difference_text
from ketacost.render.fit import Fit
from ketacost.render.safe_text import terminal_text

TITLE = "Options side by side"


def _oop(option: Compared, *, split: bool) -> Text:
    """Typical out of pocket, bold, with the low-high range under it (dim)."""
    scenarios = option.report.scenarios
    text = Text(format_money(scenarios["typical"].out_of_pocket), style="bold")
    if not option.report.exact:
        text.append(
            f"\n{format_money(scenarios['low'].out_of_pocket)} to"
            + ("\n" if split else " ")
            + format_money(scenarios["high"].out_of_pocket),
            style="dim",
        )
    return text


def _cells(option: Compared, index: int, *, split: bool) -> list[str | Text]:
    return [
        str(option.sessions),
        Text(terminal_text(option.induction), no_wrap=False),  # words wrap; money never
        Text(terminal_text(option.boosters), no_wrap=False),
        format_money(option.report.scenarios["typical"].charges),
        _oop(option, split=split),
        format_money(option.first_month),
        difference_text(option, index == 0),
    ]


ROWS = (
    "Sessions",
    "Induction",
    "Boosters",
    "Clinic charges",
    "Out of pocket",
    "First month",
    "Difference",
)
WORDS = ("Induction", "Boosters")
"""Rows in words, which may wrap (money never does)."""
SECTIONS = (3, 4, 5)
"""Rows that start a block: the money, out of pocket, the first month."""


def across(compared: Sequence[Compared], split: bool = True) -> Table:
    """One column per option, one row per figure."""
    table = Table(title=TITLE, title_justify="left")
    table.add_column("")
    for option in compared:
        table.add_column(Text(terminal_text(option.label)), justify="right")
    cells = [_cells(option, i, split=split) for i, option in enumerate(compared)]
    for row, label in enumerate(ROWS):
        if row in SECTIONS[1:]:
            table.add_section()
        table.add_row(label, *(column[row] for column in cells))
    return table


def down(compared: Sequence[Compared], split: bool = True) -> Table:
    """One row per option, one column per figure."""
    table = Table(title=TITLE, title_justify="left")
    table.add_column("Option")
    table.add_column("Sessions", justify="right", no_wrap=True)
    table.add_column("Induction")
    table.add_column("Boosters")
    for header in ("Clinic\ncharges", "Out of\npocket", "First\nmonth", "Difference"):
        table.add_column(header, justify="right", no_wrap=True)
    for index, option in enumerate(compared):
        if index:
            table.add_section()
        table.add_row(Text(terminal_text(option.label)), *_cells(option, index, split=split))
    return table


def cards(compared: Sequence[Compared]) -> Columns:
    """A small two-column table per option, as many per line as fit."""
    result = []
    for index, option in enumerate(compared):
        card = Table(
            title=Text(terminal_text(option.label)), title_justify="left", show_header=False
        )
        cells = _cells(option, index, split=True)
        # The figures never wrap; the words (induction, boosters) wrap within their width.
        widest = max(len(line) for cell in cells for line in str(cell).splitlines())
        figures = max(
            len(line)
            for row, cell in enumerate(cells)
            if ROWS[row] not in WORDS
            for line in str(cell).splitlines()
        )
        card.add_column("")
        card.add_column("", justify="right", no_wrap=True, max_width=min(widest, figures))
        for label, cell in zip(ROWS, cells, strict=True):
            card.add_row(label, cell)
        result.append(card)
    return Columns(result, padding=(0, 2))


def compare_view(comparison: Comparison) -> RenderableType:
    """The comparison in the layout that fits, then its notes (the last: the disclaimer)."""
    compared = comparison.options
    notes = comparison.notes
    layouts = (
        across(compared, split=False),
        across(compared),
        down(compared, split=False),
        down(compared),
        cards(compared),
    )
    return Group(
        Fit(*layouts),
        *(
            Text(terminal_text(line), style="dim" if i < len(notes) - 1 else "italic")
            for i, line in enumerate(notes)
        ),
    )
