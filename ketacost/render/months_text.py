"""An estimate month by month as CSV and Markdown (``estimate --by-month``)."""

from __future__ import annotations

from ketacost.money import ZERO, Money, format_money, money_str
from ketacost.render.refund_months import refund_markdown
from ketacost.render.text import csv_text, markdown_notes, markdown_text
from ketacost.report.model import Report
from ketacost.sheet.model import SCENARIOS

REIMBURSED_LATER = (
    "Out of network you pay the clinic the 'Paid up front' amount at each visit; the plan's "
    "reimbursement comes later, leaving 'Out of pocket'."
)


ZERO_MONEY = money_str(ZERO)
"""``0.00``: a figure of a month with no visit."""


def out_of_network(report: Report) -> bool:
    """Paid up front differs from the net cost: the month views show both."""
    coverage = report.request.coverage
    return coverage is not None and coverage.network == "out"


def program_by_month(report: Report) -> bool:
    """A savings program is counted and its months carry what it pays."""
    return bool(report.months) and all(m.program_pays is not None for m in report.months)


def months_csv(report: Report) -> str:
    """``month,sessions,charges_low,...,out_of_pocket_high,paid_up_front_low,...`` with
    money as ``1234.50``; with a savings program, ``savings_program_pays_low,...`` too.
    Out of network, ``refunds_low,...,carried_high`` last (the report's refund months),
    and the rows run on to the month the last refund lands: a month after the last visit
    has no session and 0.00 charges, out of pocket and paid up front."""
    program = program_by_month(report)
    refunds = {m.key: m for m in report.refund_months}
    months = {m.key: m for m in report.months}
    keys = list(dict.fromkeys([*months, *refunds]))
    blank = [ZERO_MONEY] * len(SCENARIOS)

    def row(key: str) -> list[object]:
        month = months.get(key)
        if month is None:  # after the last visit: only a refund lands
            cells: list[object] = [key, 0, *blank, *blank, *blank, *(blank if program else [])]
        else:
            cells = [
                key,
                month.sessions,
                *(money_str(month.charges[n]) for n in SCENARIOS),
                *(money_str(month.out_of_pocket[n]) for n in SCENARIOS),
                *(money_str(month.paid_up_front[n]) for n in SCENARIOS),
                *(money_str((month.program_pays or {})[n]) for n in SCENARIOS if program),
            ]
        back = refunds.get(key)
        if back is not None:
            cells += [money_str(back.refunds[n]) for n in SCENARIOS]
            cells += [money_str(back.carried[n]) for n in SCENARIOS]
        return cells

    return csv_text(
        [
            [
                "month",
                "sessions",
                *(f"charges_{n}" for n in SCENARIOS),
                *(f"out_of_pocket_{n}" for n in SCENARIOS),
                *(f"paid_up_front_{n}" for n in SCENARIOS),
                *(f"savings_program_pays_{n}" for n in SCENARIOS if program),
                *(f"refunds_{n}" for n in SCENARIOS if refunds),
                *(f"carried_{n}" for n in SCENARIOS if refunds),
            ],
            *(row(key) for key in keys),
        ]
    )


def _program_cells(paid: Money, left: Money) -> list[str]:
    """What the program pays (negative, as in the summary) and what is left, typical."""
    return [format_money(-paid), format_money(left)]


def months_markdown(report: Report) -> str:
    """One row per month: sessions, typical charges (out of network: also what is paid up
    front), out of pocket low/typical/high and the running total, then the assumptions."""
    up_front = out_of_network(report)
    program = program_by_month(report)
    lines = [
        "| Month | Sessions | Charges | "
        + ("Paid up front (typical) | " if up_front else "")
        + "Out of pocket (low) | Out of pocket (typical) | Out of pocket (high) | "
        + (
            "Savings program pays (typical) | You pay after the program (typical) | "
            if program
            else ""
        )
        + "Running total |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
        + (" ---: |" if up_front else "")
        + (" ---: | ---: |" if program else ""),
    ]
    for m in report.months:
        cells = [
            str(m.sessions or ""),
            format_money(m.charges["typical"]),
            *([format_money(m.paid_up_front["typical"])] if up_front else []),
            *(format_money(m.out_of_pocket[n]) for n in SCENARIOS),
            *(
                _program_cells(
                    (m.program_pays or {}).get("typical", ZERO),
                    (m.after_program or m.out_of_pocket)["typical"],
                )
                if program
                else []
            ),
            format_money(m.running["typical"]),
        ]
        lines.append(f"| {m.start:%b %Y} | " + " | ".join(cells) + " |")
    typical = report.scenarios["typical"]
    totals = [
        str(typical.sessions),
        format_money(typical.charges),
        *([format_money(typical.paid_up_front)] if up_front else []),
        *(format_money(report.scenarios[n].out_of_pocket) for n in SCENARIOS),
        *(_program_cells(typical.program_pays, typical.after_program) if program else []),
        "",
    ]
    lines.append("| **Total** | " + " | ".join(f"**{c}**" if c else "" for c in totals) + " |")
    lines.append("")
    lines.extend(refund_markdown(report))
    notes = [REIMBURSED_LATER, *report.notes] if up_front else report.notes
    lines.extend(markdown_notes(notes))
    return markdown_text(lines)
