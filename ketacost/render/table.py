"""The estimate as a Rich table, with its assumptions and disclaimer beneath."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ketacost.estimate import Estimate
from ketacost.money import format_money
from ketacost.render.summary import assumptions, column_titles, rows
from ketacost.sheet import Scenario


def estimate_table(est: Estimate) -> Table:
    table = Table(title="Estimated cost of ketamine infusion therapy", title_justify="left")
    table.add_column("", no_wrap=False)
    for title in column_titles(est):
        table.add_column(title, justify="right", no_wrap=True)
    for row in rows(est):
        if row.section:
            table.add_section()
        table.add_row(row.label, *(format_money(v) for v in row.values),
                      style="bold" if row.total else None)
    return table


def notes(est: Estimate, scenario: Scenario = "typical") -> list[Text]:
    """The assumption lines: what was assumed (dim), how it is paid, the disclaimer."""
    lines = assumptions(est, scenario)
    return [Text(line, style="dim" if i < 2 else "italic" if i == len(lines) - 1 else "")
            for i, line in enumerate(lines)]


def estimate_view(est: Estimate, scenario: Scenario = "typical") -> RenderableType:
    """The table and, under it, the assumption lines (the last is the disclaimer)."""
    return Group(estimate_table(est), *notes(est, scenario))


def render_text(renderable: RenderableType, width: int = 100) -> str:
    """Plain text of a renderable at a fixed width, no colour (for files and tests)."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False,
                      emoji=False)
    console.print(renderable)
    return buffer.getvalue()
