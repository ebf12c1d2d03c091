"""Renderables that adapt to the width they are given (a terminal, or a fixed width)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ketacost.money import format_money

_UNBOUNDED = 10_000
_EIGHTHS = " ▏▎▍▌▋▊▉"


def least_width(console: Console, options: ConsoleOptions, renderable: RenderableType) -> int:
    """The narrowest width that shows ``renderable`` whole. For a table: its wrapping
    columns at their longest word, its ``no_wrap`` columns (money, dates) at their widest
    cell, since Rich would cut those short (a table's own minimum counts them at their
    longest word, so "$3,100.00" would print as "$3,1..." and pass); a column that folds
    long words at its own ``min_width``."""
    wide = options.update(max_width=_UNBOUNDED)
    if not isinstance(renderable, Table):
        return Measurement.get(console, wide, renderable).minimum
    natural = Measurement.get(console, wide, renderable).maximum
    for column in renderable.columns:
        cells = [column.header, *column.cells] if renderable.show_header else [*column.cells]
        sizes = [Measurement.get(console, wide, cell) for cell in cells]
        widest = max((size.maximum for size in sizes), default=0)
        if column.no_wrap:
            continue
        if column.overflow == "fold":  # a long word is folded, not cut
            narrowest = 1
        else:
            narrowest = max((size.minimum for size in sizes), default=0)
        natural -= widest - min(max(narrowest, column.min_width or 0), widest)
    return natural


def stack(table: Table) -> Group:
    """``table`` one row at a time, for a screen too narrow for its columns: the row's
    first cell as a heading, then each other column's header and the row's value on a
    line of its own, so no figure is ever cut. A row with only its first cell (a phase's
    name) is a heading alone; an empty value is left out."""
    columns = table.columns
    if not columns:
        return Group()
    headers = [_header(column.header) for column in columns[1:]]
    label_width = max((len(header) for header in headers), default=0)
    rows = list(zip(*(list(column.cells) for column in columns), strict=True))
    value_width = max(  # figures line up; a text of several words (a name) may wrap
        (
            len(line)
            for _, *values in rows
            for value in values
            for line in _lines(value)
            if " " not in line.strip()
        ),
        default=0,
    )
    parts: list[RenderableType] = []
    if table.title:
        title = table.title if isinstance(table.title, Text) else Text(str(table.title))
        parts.append(Text(title.plain, style="bold"))
    after_heading = False
    for index, (name, *values) in enumerate(rows):
        style = table.rows[index].style or ""
        if index and not after_heading:
            parts.append(Text(""))
        after_heading = not any(_header(value) for value in values)
        text = name.plain if isinstance(name, Text) else str(name)
        parts.append(Text(text, style=str(style) or "bold"))
        fields = Table.grid(padding=(0, 1))
        fields.add_column(min_width=label_width + 2)
        fields.add_column(justify="right", min_width=value_width, overflow="fold")
        for header, value in zip(headers, values, strict=True):
            if _header(value):
                fields.add_row(Text("  " + header, style="dim"), value, style=style)
        if fields.row_count:
            parts.append(fields)
    if table.caption:
        parts.extend([Text(""), Text(_header(table.caption))])
    return Group(*parts)


def _lines(cell: object) -> list[str]:
    return (cell.plain if isinstance(cell, Text) else str(cell)).splitlines()


def _header(cell: object) -> str:
    """A cell's or header's text on one line ("Co-\ninsurance" as "Co-insurance")."""
    return " ".join(_lines(cell)).replace("- ", "-")


class Fit:
    """The first of several renderings whose natural width fits; else the first whose
    narrowest form fits (it wraps, never cutting a ``no_wrap`` cell: see
    :func:`least_width`); else ``fallback`` when given (e.g. :func:`stack`, which always
    fits), else the last. Order them widest first."""

    def __init__(self, *candidates: RenderableType, fallback: RenderableType | None = None) -> None:
        self.candidates = candidates
        self.fallback = fallback

    def choose(self, console: Console, options: ConsoleOptions) -> RenderableType:
        width = options.max_width
        wide = options.update(max_width=_UNBOUNDED)
        sizes = [Measurement.get(console, wide, c) for c in self.candidates]
        for candidate, size in zip(self.candidates, sizes, strict=True):
            if size.maximum <= width:
                return candidate
        for candidate in self.candidates:
            if least_width(console, options, candidate) <= width:
                return candidate
        return self.candidates[-1] if self.fallback is None else self.fallback

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.choose(console, options)


def bar(amount: Decimal, largest: Decimal, width: int, ascii_only: bool = False) -> str:
    """A horizontal bar ``amount / largest`` of ``width`` cells, to an eighth of a cell.

    Any amount above zero shows at least a sliver. Decimal arithmetic throughout."""
    if amount <= 0 or largest <= 0 or width <= 0:
        return ""
    steps = 1 if ascii_only else 8
    filled = int((amount * width * steps / largest).to_integral_value(ROUND_HALF_UP))
    filled = max(filled, 1)
    if ascii_only:
        return "#" * filled
    return "█" * (filled // 8) + _EIGHTHS[filled % 8].strip()


class BarChart:
    """Labelled horizontal bars with their amounts, as wide as the space given."""

    def __init__(
        self, title: str, rows: Sequence[tuple[str, Decimal]], style: str = "cyan"
    ) -> None:
        self.title = title
        self.rows = rows
        self.style = style

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(self.title, style="bold")
        if not self.rows:
            return
        labels = [label for label, _ in self.rows]
        amounts = [format_money(amount) for _, amount in self.rows]
        label_width = max(len(label) for label in labels)
        amount_width = max(len(amount) for amount in amounts)
        room = max(options.max_width - label_width - amount_width - 3, 1)
        largest = max(amount for _, amount in self.rows)
        for (label, amount), shown in zip(self.rows, amounts, strict=True):
            drawn = bar(amount, largest, room, options.ascii_only)
            line = Text(f"{label:<{label_width}} ")
            line.append(f"{drawn:<{room}}", style=self.style)
            line.append(f" {shown:>{amount_width}}")
            yield line
