"""The estimate as a Rich table, with its assumptions and disclaimer beneath."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ketacost.money import format_money
from ketacost.render.summary import Data, column_titles, notes, rows


def estimate_table(data: Data) -> Table:
    # Text, not str: labels come from price sheets and must not be read as Rich markup
    # (or emoji codes, whose table alone takes milliseconds to load).
    table = Table(title=Text("Estimated cost of ketamine infusion therapy", style="table.title"),
                  title_justify="left")
    table.add_column(Text(""), no_wrap=False)
    for title in column_titles(data):
        table.add_column(Text(title), justify="right", no_wrap=True)
    for row in rows(data):
        if row.section:
            table.add_section()
        table.add_row(Text(row.label), *(Text(format_money(v)) for v in row.values),
                      style="bold" if row.total else None)
    return table


def note_texts(lines: Sequence[str]) -> list[Text]:
    """The assumption lines: what was assumed (dim), how it is paid, the disclaimer."""
    return [Text(line, style="dim" if i < 2 else "italic" if i == len(lines) - 1 else "")
            for i, line in enumerate(lines)]


def estimate_view(data: Data, lines: Sequence[str] | None = None) -> RenderableType:
    """The table and, under it, the assumption lines (the last is the disclaimer), from an
    estimate's data (a fresh ``estimate_data`` or a saved quote). ``lines`` replaces the
    saved notes (e.g. the payment lines of another scenario)."""
    return Group(estimate_table(data), *note_texts(notes(data) if lines is None else lines))


def render_text(renderable: RenderableType, width: int = 100) -> str:
    """Plain text of a renderable at a fixed width, no colour (for files and tests)."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False,
                      emoji=False)
    console.print(renderable)
    return buffer.getvalue()
