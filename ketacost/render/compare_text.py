"""A comparison as CSV and Markdown, and how every view writes a difference."""

from __future__ import annotations

from ketacost.comparison import Compared, Comparison
from ketacost.money import format_money, money_str
from ketacost.render.safe_text import csv_cell, md_escape
from ketacost.render.text import csv_text, markdown_notes, markdown_text
from ketacost.sheet.model import SCENARIOS

NOT_COMPARABLE = "not comparable"
"""The difference of an option over another period than the first (the notes say why)."""


def difference_text(option: Compared, first: bool) -> str:
    """``+$1,200.00``, ``-$600.00``, ``(base)`` for the first option, or ``not
    comparable`` for an option over another period."""
    if first:
        return "(base)"
    if option.difference is None:
        return NOT_COMPARABLE
    sign = "+" if option.difference > 0 else ""
    return sign + format_money(option.difference)


def compare_csv(comparison: Comparison) -> str:
    """One row per option; money as ``1234.50``; labels safe from spreadsheet formulas."""
    return csv_text(
        [
            [
                "option",
                "sessions",
                *(f"charges_{n}" for n in SCENARIOS),
                *(f"out_of_pocket_{n}" for n in SCENARIOS),
                "first_month",
                "difference",
                "induction",
                "boosters",
            ],
            *(
                [
                    csv_cell(c.label),
                    c.sessions,
                    *(money_str(c.report.scenarios[n].charges) for n in SCENARIOS),
                    *(money_str(c.report.scenarios[n].out_of_pocket) for n in SCENARIOS),
                    money_str(c.first_month),
                    "" if c.difference is None else money_str(c.difference),
                    c.induction,
                    c.boosters,
                ]
                for c in comparison.options
            ),
        ]
    )


def compare_markdown(comparison: Comparison) -> str:
    """One row per option, then the notes."""
    lines = [
        "| Option | Sessions | Induction | Boosters | Charges | Out of pocket | Range "
        "| First month | Difference |",
        "| --- | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for index, c in enumerate(comparison.options):
        typical = c.report.scenarios["typical"]
        cells = [
            str(c.sessions),
            md_escape(c.induction),
            md_escape(c.boosters),
            format_money(typical.charges),
            f"**{format_money(typical.out_of_pocket)}**",
            c.range_text,
            format_money(c.first_month),
            difference_text(c, index == 0),
        ]
        lines.append(f"| {md_escape(c.label)} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(markdown_notes(comparison.notes))
    return markdown_text(lines)
