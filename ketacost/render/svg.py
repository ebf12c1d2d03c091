"""A monthly bar chart as SVG: horizontal bars, one row per month, one bar per series,
each with its figure. No script, no external fonts or images; every text is escaped.

Coordinates are computed with Decimal from the amounts (no float anywhere)."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from ketacost.money import ZERO, Money, format_money
from ketacost.render.safe_text import page_text as escape  # controls made visible too

WIDTH = 720
LEFT = 78
"""Room for the month labels."""
RIGHT = 86
"""Room for the figure after the longest bar."""
PAD = 12
"""White margin around the chart."""
FONT = "-apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
COLOURS = ("#0072B2", "#B35900", "#007A5A", "#A64D85", "#8A6100", "#5F5F5F")
"""Okabe-Ito's blue, then its orange, green and purple darkened, a dark yellow and a grey:
each at least 4.5:1 against white (WCAG asks 3:1 of a chart's parts)."""
PATTERNS = (
    "",
    "M0 8L8 0M-2 2L2 -2M6 10L10 6",
    "M2 2h2v2h-2z",
    "M0 4H8",
    "M0 8L8 0M0 0L8 8",
    "M4 0V8",
)
"""What each option's bars are drawn with besides its colour, so no one needs colour to
tell them apart: solid, diagonal stripes, dots, horizontal lines, a cross-hatch,
vertical lines (white strokes over the colour, on an 8-unit tile)."""
SUBTITLE_CHARS = 100
"""The subtitle wraps at this many characters (12-unit text in a 720-unit chart)."""


class Series(NamedTuple):
    """One bar per month: a name (for the legend) and an amount per month."""

    name: str
    amounts: Sequence[Money]
    low: Sequence[Money] | None = None
    """With ``high``: the figures at the low and high prices, a whisker across each bar."""
    high: Sequence[Money] | None = None
    total: Money | None = None
    """The legend's figure, the series' total as the report gives it (never summed here)."""


def _num(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.1'), rounding=ROUND_HALF_UP).normalize():f}"


def _step(largest: Money) -> Decimal:
    """A round gridline step (1, 2 or 5 times a power of ten) giving at most 5 lines."""
    step = Decimal(1)
    while True:
        for factor in (1, 2, 5):
            if largest / (step * factor) <= 5:
                return step * factor
        step *= 10


def _text(
    x: Decimal | int,
    y: Decimal | int,
    body: str,
    *,
    size: str = "12",
    anchor: str = "start",
    weight: str = "normal",
    fill: str = "#222",
) -> str:
    return (
        f'<text x="{_num(Decimal(x))}" y="{_num(Decimal(y))}" font-size="{size}" '
        f'text-anchor="{anchor}" font-weight="{weight}" fill="{fill}">{escape(body)}</text>'
    )


def _fill(index: int, many: bool) -> str:
    """The fill of a series' bars: its colour, or with several series its pattern."""
    return f"url(#bars-{index})" if many and PATTERNS[index % len(PATTERNS)] else COLOURS[index]


def _pattern(index: int) -> str:
    colour = COLOURS[index % len(COLOURS)]
    return (
        f'<pattern id="bars-{index}" width="8" height="8" patternUnits="userSpaceOnUse">'
        f'<rect width="8" height="8" fill="{colour}"/>'
        f'<path d="{PATTERNS[index % len(PATTERNS)]}" stroke="#fff" stroke-width="1.6" '
        'fill="#fff"/></pattern>'
    )


def _heading(title: str, lines: Sequence[str], series: Sequence[Series], top: int) -> list[str]:
    """The title, the subtitle's lines and, for several series, their fill patterns and
    a legend (each swatch drawn as its bars are)."""
    many = len(series) > 1
    out = [_text(0, 20, title, size="16", weight="bold")]
    for number, line in enumerate(lines):
        out.append(_text(0, 38 + 16 * number, line, size="12", fill="#555"))
    if many:
        patterns = (_pattern(i) for i in range(len(series)) if PATTERNS[i % len(PATTERNS)])
        out.append("<defs>" + "".join(patterns) + "</defs>")
    for index, s in enumerate(series if many else ()):
        y = top + 18 * index
        legend = s.name if s.total is None else f"{s.name}: {format_money(s.total)} in all"
        out.append(
            f'<rect x="0" y="{y}" width="12" height="12" fill="{_fill(index, many)}" '
            f'stroke="{COLOURS[index]}"/>'
        )
        out.append(_text(18, y + 10, legend, size="12"))
    return out


def bar_chart(
    title: str, months: Sequence[str], series: Sequence[Series], subtitle: str = "", pad: int = PAD
) -> str:
    """The chart as an ``<svg>`` element: a file of its own, or inline in HTML (``pad=0``).

    With several series a month's empty bars carry no figure (the legend has totals)."""
    many = len(series) > 1
    bar_h = 12 if many else 14
    row_h = bar_h * len(series) + (8 if many else 6)
    lines = textwrap.wrap(subtitle, SUBTITLE_CHARS)
    top = 36 + 16 * len(lines)
    legend_h = 18 * len(series) + 6 if many else 0
    axis_y = top + legend_h + 16
    height = axis_y + row_h * len(months) + 14
    plot = Decimal(WIDTH - LEFT - RIGHT)
    tops = [max([*s.amounts, *(s.high or ())], default=ZERO) for s in series]
    largest = max([*tops, ZERO])
    scale = plot / largest if largest > 0 else Decimal(0)
    outer_w, outer_h = WIDTH + 2 * pad, height + 2 * pad
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {outer_w} {outer_h}" '
        f'width="{outer_w}" height="{outer_h}" role="img" aria-label="{escape(title)}" '
        f'font-family="{escape(FONT)}">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{outer_w}" height="{outer_h}" fill="#fff"/>',
        f'<g transform="translate({pad} {pad})">',
        *_heading(title, lines, series, top),
    ]
    if largest > 0:
        step = _step(largest)
        mark = step
        while mark <= largest:
            x = LEFT + mark * scale
            out.append(
                f'<line x1="{_num(x)}" y1="{axis_y - 4}" x2="{_num(x)}" '
                f'y2="{height - 10}" stroke="#ddd" stroke-width="1"/>'
            )
            out.append(
                _text(x, axis_y - 7, f"${mark:,.0f}", size="10", anchor="middle", fill="#666")
            )
            mark += step
    out.append(
        f'<line x1="{LEFT}" y1="{axis_y - 4}" x2="{LEFT}" y2="{height - 10}" '
        'stroke="#888" stroke-width="1"/>'
    )
    for row, label in enumerate(months):
        y0 = axis_y + row * row_h + 3
        out.append(_text(LEFT - 8, y0 + (row_h - 6) // 2 + 4, label, size="12", anchor="end"))
        for index, s in enumerate(series):
            amount = s.amounts[row]
            y = y0 + index * bar_h
            length = amount * scale
            colour = COLOURS[index % len(COLOURS)]
            outline = f' stroke="{colour}"' if many and length else ""
            out.append(
                f'<rect x="{LEFT}" y="{y}" width="{_num(length)}" '
                f'height="{bar_h - 2}" fill="{_fill(index, many)}"{outline}/>'
            )
            end = length
            if s.low is not None and s.high is not None and s.high[row] != s.low[row]:
                # With insurance a month's low-price figure can exceed its high-price one.
                least, most = sorted((s.low[row], s.high[row]))
                lo, hi = LEFT + least * scale, LEFT + most * scale
                mid = Decimal(y) + Decimal(bar_h - 2) / 2
                out.append(
                    f'<path d="M{_num(lo)} {_num(mid)}H{_num(hi)}M{_num(lo)} '
                    f"{_num(mid - 4)}V{_num(mid + 4)}M{_num(hi)} {_num(mid - 4)}"
                    f'V{_num(mid + 4)}" stroke="#333" stroke-width="1.2" fill="none"/>'
                )
                end = max(end, most * scale)
            if amount or not many:
                out.append(
                    _text(
                        LEFT + end + 5,
                        y + bar_h - 3,
                        format_money(amount),
                        size="10" if many else "11",
                    )
                )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
