"""An estimate month by month as CSV and Markdown (``estimate --by-month``)."""

from __future__ import annotations

from ketacost.money import format_money, money_str
from ketacost.render.text import csv_text, markdown_notes, markdown_text
from ketacost.report import Report
from ketacost.sheet import SCENARIOS


def months_csv(report: Report) -> str:
    """``month,sessions,charges_low,...,out_of_pocket_high`` with money as ``1234.50``."""
    return csv_text(
        [
            [
                "month",
                "sessions",
                *(f"charges_{n}" for n in SCENARIOS),
                *(f"out_of_pocket_{n}" for n in SCENARIOS),
            ],
            *(
                [
                    month.key,
                    month.sessions,
                    *(money_str(month.charges[n]) for n in SCENARIOS),
                    *(money_str(month.out_of_pocket[n]) for n in SCENARIOS),
                ]
                for month in report.months
            ),
        ]
    )


def months_markdown(report: Report) -> str:
    """One row per month: sessions, typical charges, out of pocket low/typical/high and
    the running total, then the assumptions."""
    lines = [
        "| Month | Sessions | Charges | Out of pocket (low) | Out of pocket (typical) "
        "| Out of pocket (high) | Running total |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in report.months:
        cells = [
            str(m.sessions or ""),
            format_money(m.charges["typical"]),
            *(format_money(m.out_of_pocket[n]) for n in SCENARIOS),
            format_money(m.running["typical"]),
        ]
        lines.append(f"| {m.start:%b %Y} | " + " | ".join(cells) + " |")
    typical = report.scenarios["typical"]
    totals = [
        str(typical.sessions),
        format_money(typical.charges),
        *(format_money(report.scenarios[n].out_of_pocket) for n in SCENARIOS),
        "",
    ]
    lines.append("| **Total** | " + " | ".join(f"**{c}**" if c else "" for c in totals) + " |")
    lines.append("")
    lines.extend(markdown_notes(report.notes))
    return markdown_text(lines)
