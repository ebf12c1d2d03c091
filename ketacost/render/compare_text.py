"""A comparison as data (JSON), CSV and Markdown, and the notes every view prints."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from ketacost import DISCLAIMER, __version__
from ketacost.comparison import Compared
from ketacost.money import Money, format_money, money_str
from ketacost.render.data import inputs, month_data, sheet_info
from ketacost.render.summary import coverage_text, price_source, schedule_text
from ketacost.render.text import md_escape, safe_cell
from ketacost.sheet import SCENARIOS


def difference_text(option: Compared, first: bool) -> str:
    """``+$1,200.00``, ``-$600.00``, or ``(base)`` for the first option."""
    if first:
        return "(base)"
    sign = "+" if option.difference > 0 else ""
    return sign + format_money(option.difference)


def range_text(option: Compared) -> str:
    """``$7,600.00 to $15,200.00``, or empty when the price is exact."""
    oop = option.out_of_pocket
    if option.estimate.exact_price:
        return ""
    return f"{format_money(oop['low'])} to {format_money(oop['high'])}"


def compare_notes(compared: Sequence[Compared]) -> list[str]:
    """What each option assumes (what all share is said once), the price source(s), and
    the disclaimer last."""
    conditions = {c.estimate.treatment.label for c in compared}
    coverages = {coverage_text(c.estimate) for c in compared}
    lines = []
    for c in compared:
        parts = [] if len(conditions) == 1 else [f"{c.estimate.treatment.label}."]
        parts.append(f"{schedule_text(c.estimate)}.")
        if len(coverages) > 1:
            parts.append(coverage_text(c.estimate))
        lines.append(f"{c.label}: " + " ".join(parts))
    shared = [f"Condition: {conditions.pop()}."] if len(conditions) == 1 else []
    shared += [coverages.pop()] if len(coverages) == 1 else []
    sources = list(dict.fromkeys(price_source(c.estimate) for c in compared))
    shared.append("Prices from " + "; ".join(sources) + ".")
    if not all(c.estimate.exact_price for c in compared):
        shared.append("Out of pocket is at the typical price; under it, the range from the "
                      "low to the high price.")
    return [*lines, " ".join(shared), DISCLAIMER]


def _money_map(values: dict[str, Money] | Any) -> dict[str, str]:
    return {name: money_str(values[name]) for name in SCENARIOS}


def compare_data(compared: Sequence[Compared]) -> dict[str, Any]:
    """The comparison as JSON-ready data; money as two-decimal strings."""
    return {
        "ketacost": __version__,
        "disclaimer": DISCLAIMER,
        "options": [{
            "label": c.label,
            "sessions": c.sessions,
            "charges": _money_map(c.charges),
            "out_of_pocket": _money_map(c.out_of_pocket),
            "first_month": money_str(c.first_month),
            "difference": money_str(c.difference),
            "inputs": inputs(c.estimate),
            "sheet": sheet_info(c.estimate.sheet),
            "months": [month_data(m) for m in c.months],
        } for c in compared],
    }


def compare_csv(compared: Sequence[Compared]) -> str:
    """One row per option; money as ``1234.50``; labels safe from spreadsheet formulas."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["option", "sessions", *(f"charges_{n}" for n in SCENARIOS),
                     *(f"out_of_pocket_{n}" for n in SCENARIOS), "first_month",
                     "difference"])
    for c in compared:
        writer.writerow([safe_cell(c.label), c.sessions,
                         *(money_str(c.charges[n]) for n in SCENARIOS),
                         *(money_str(c.out_of_pocket[n]) for n in SCENARIOS),
                         money_str(c.first_month), money_str(c.difference)])
    return out.getvalue()


def compare_markdown(compared: Sequence[Compared]) -> str:
    """One row per option, then the notes."""
    lines = ["| Option | Sessions | Charges | Out of pocket | Range | First month | Difference |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for index, c in enumerate(compared):
        cells = [str(c.sessions), format_money(c.charges["typical"]),
                 f"**{format_money(c.out_of_pocket['typical'])}**", range_text(c),
                 format_money(c.first_month), difference_text(c, index == 0)]
        lines.append(f"| {md_escape(c.label)} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(f"{md_escape(note)}  " for note in compare_notes(compared))
    return "\n".join(lines).rstrip() + "\n"
