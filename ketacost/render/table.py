"""The estimate as a Rich table, with its assumptions and disclaimer beneath."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ketacost.estimate import Estimate
from ketacost.money import format_money
from ketacost.render.summary import assumptions, column_titles, rows


def estimate_table(est: Estimate) -> Table:
    # Text, not str: labels come from price sheets and must not be read as Rich markup
    # (or emoji codes, whose table alone takes milliseconds to load).
    table = Table(title=Text("Estimated cost of ketamine infusion therapy", style="table.title"),
                  title_justify="left")
    table.add_column(Text(""), no_wrap=False)
    for title in column_titles(est):
        table.add_column(Text(title), justify="right", no_wrap=True)
    for row in rows(est):
        if row.section:
            table.add_section()
        table.add_row(Text(row.label), *(Text(format_money(v)) for v in row.values),
                      style="bold" if row.total else None)
    return table


def estimate_view(est: Estimate) -> RenderableType:
    """The table and, under it, the assumption lines (the last is the disclaimer)."""
    notes = [Text(line, style="dim" if i < 2 else "italic") for i, line in
             enumerate(assumptions(est))]
    return Group(estimate_table(est), *notes)


def render_text(renderable: RenderableType, width: int = 100) -> str:
    """Plain text of a renderable at a fixed width, no colour (for files and tests)."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    console.print(renderable)
    return buffer.getvalue()
