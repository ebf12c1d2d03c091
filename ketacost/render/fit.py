"""Renderables that adapt to the width they are given (a terminal, or a fixed width)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.measure import Measurement
from rich.text import Text

from ketacost.money import format_money

_UNBOUNDED = 10_000
_EIGHTHS = " ▏▎▍▌▋▊▉"


class Fit:
    """The first of several renderings whose natural width fits; else the first whose
    narrowest form fits (it wraps); else the last. Order them widest first."""

    def __init__(self, *candidates: RenderableType) -> None:
        self.candidates = candidates

    def choose(self, console: Console, options: ConsoleOptions) -> RenderableType:
        width = options.max_width
        wide = options.update(max_width=_UNBOUNDED)
        sizes = [Measurement.get(console, wide, c) for c in self.candidates]
        for candidate, size in zip(self.candidates, sizes, strict=True):
            if size.maximum <= width:
                return candidate
        for candidate, size in zip(self.candidates, sizes, strict=True):
            if size.minimum <= width:
                return candidate
        return self.candidates[-1]

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
