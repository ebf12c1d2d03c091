"""The estimate as a Rich table, with its assumptions and disclaimer beneath."""

from __future__ import annotations

import io
from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from ketacost.money import format_money
from ketacost.render.safe_text import terminal_text
from ketacost.report.model import Report


def estimate_table(report: Report) -> Table:
    """The figures, untitled: :func:`estimate_view` sets the title above it, where it
    wraps only at the screen's width, not at the table's (one narrow column on an exact
    price would otherwise fold it)."""
    # Text, not str: labels come from price sheets and must not be read as Rich markup.
    table = Table()
    table.add_column(Text(""), no_wrap=False)
    for title in report.column_titles:
        table.add_column(Text(title), justify="right", no_wrap=True)
    for row in report.rows:
        if row.section:
            table.add_section()
        table.add_row(
            Text(terminal_text(row.label)),
            *(Text(format_money(v)) for v in row.values),
            style="bold" if row.total else None,
        )
    return table


def note_texts(lines: Sequence[str]) -> list[Text]:
    """The assumption lines: what was assumed (dim), how it is paid, the disclaimer."""
    return [
        Text(terminal_text(line), style="dim" if i < 2 else "italic" if i == len(lines) - 1 else "")
        for i, line in enumerate(lines)
    ]


def estimate_view(report: Report, heading: str | None = None) -> RenderableType:
    """The table and, under it, the assumption lines (the last is the disclaimer);
    ``heading`` (a saved quote's id and date) above it."""
    parts: list[RenderableType] = [
        Text(report.title, style="table.title"),
        estimate_table(report),
        *note_texts(report.notes),
    ]
    if heading:
        parts.insert(0, Text(terminal_text(heading), style="bold"))
    return Group(*parts)


def render_text(renderable: RenderableType, width: int = 100) -> str:
    """Plain text of a renderable at a fixed width, no colour (for files and tests)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False, emoji=False)
    console.print(renderable)
    return buffer.getvalue()
