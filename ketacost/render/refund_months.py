"""Out of network month by month: the cash paid at the visits, the refunds landing when
they arrive and the balance carried in between (``estimate --by-month``; the figures
are the report's :attr:`~ketacost.report.model.Report.refund_months`)."""

from __future__ import annotations

from rich.console import RenderableType
from rich.table import Table

from ketacost.money import format_money
from ketacost.render.fit import Fit, stack
from ketacost.report.model import Report
from ketacost.sheet.model import Scenario

TITLE = "Cash and refunds month by month"
HEADERS = ("Month", "Paid at visits", "Refunds arrive", "You carry")
NOTE = (
    "Each refund is counted in the month it is expected to arrive; 'You carry' is what you "
    "have paid so far less the refunds received, and ends at your net cost."
)


def refund_rows(report: Report) -> list[tuple[str, str, str, str]]:
    """Each month's cells (typical): the month, paid at visits, refunds, carried."""
    name: Scenario = "typical"
    return [
        (
            f"{m.start:%b %Y}",
            format_money(m.paid[name]),
            format_money(m.refunds[name]),
            format_money(m.carried[name]),
        )
        for m in report.refund_months
    ]


def refund_total(report: Report) -> tuple[str, str, str, str]:
    """The Total row's cells: all paid at visits and all refunds (typical)."""
    typical = report.scenarios["typical"]
    return ("Total", format_money(typical.paid_up_front), format_money(typical.insurance_pays), "")


def refund_title(report: Report) -> str:
    return TITLE + ("" if report.exact else " (typical)")


def refund_table(report: Report) -> RenderableType | None:
    """The terminal table, one row per month (or, on a screen too narrow for it, one
    month at a time); None when nothing comes back (not out of network)."""
    if not report.refund_months:
        return None
    table = Table(title=refund_title(report), title_justify="left")
    table.add_column(HEADERS[0], no_wrap=True)
    for header in HEADERS[1:]:
        table.add_column(header.replace(" ", "\n", 1), justify="right", no_wrap=True)
    for row in refund_rows(report):
        table.add_row(*row)
    table.add_section()
    table.add_row(*refund_total(report), style="bold")
    return Fit(table, fallback=stack(table))


def refund_markdown(report: Report) -> list[str]:
    """The same table in Markdown lines (none when nothing comes back)."""
    if not report.refund_months:
        return []
    label, paid, refunds, _ = refund_total(report)
    return [
        f"**{refund_title(report)}**",
        "",
        "| " + " | ".join(HEADERS) + " |",
        "| --- | ---: | ---: | ---: |",
        *("| " + " | ".join(row) + " |" for row in refund_rows(report)),
        f"| **{label}** | **{paid}** | **{refunds}** | |",
        "",
        NOTE,
        "",
    ]
