"""An estimate month by month, for the terminal: a table that fits the width it is
given and a bar chart of the typical monthly out of pocket."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ketacost.money import ZERO, Money, format_money
from ketacost.months import Month
from ketacost.render.fit import BarChart, Fit, stack
from ketacost.render.months_text import REIMBURSED_LATER, out_of_network
from ketacost.render.refund_months import NOTE as REFUNDS_NOTE
from ketacost.render.refund_months import refund_table
from ketacost.render.table import note_texts
from ketacost.report.model import Report
from ketacost.sheet.model import Scenario


class MonthColumn(NamedTuple):
    """A header, what a month shows in it, and what the total row shows."""

    header: str
    show: Callable[[Month], str]
    foot: str


def month_label(month: Month) -> str:
    return f"{month.start:%b %Y}"


def _money(pick: Callable[[Month], Money]) -> Callable[[Month], str]:
    return lambda m: format_money(pick(m))


def _out_of_pocket(name: Scenario) -> Callable[[Month], Money]:
    return lambda m: m.out_of_pocket[name]


def _up_front(name: Scenario) -> Callable[[Month], Money]:
    return lambda m: m.paid_up_front[name]


def _program(name: Scenario) -> Callable[[Month], Money]:
    return lambda m: (m.program_pays or {}).get(name, ZERO)


def _negated(pick: Callable[[Month], Money]) -> Callable[[Month], Money]:
    return lambda m: -pick(m)


def _after_program(name: Scenario) -> Callable[[Month], Money]:
    return lambda m: (m.after_program or m.out_of_pocket)[name]


def _columns(report: Report, oop: Sequence[Scenario], charges: bool) -> list[MonthColumn]:
    typical = report.scenarios["typical"]
    result = [
        MonthColumn(
            "Sessions", lambda m: str(m.sessions) if m.sessions else "", str(typical.sessions)
        )
    ]
    up_front = out_of_network(report)
    # Out of network what is paid up front is the charge itself: one column says both.
    same = up_front and all(m.paid_up_front == m.charges for m in report.months)
    if charges and not same:
        result.append(
            MonthColumn(
                "Charges", _money(lambda m: m.charges["typical"]), format_money(typical.charges)
            )
        )
    for name in oop if up_front else ():
        title = "Paid up\nfront" + ("" if len(oop) == 1 else f"\n{name}")
        result.append(
            MonthColumn(
                title, _money(_up_front(name)), format_money(report.scenarios[name].paid_up_front)
            )
        )
    for name in oop:
        title = "Out of\npocket" + ("" if len(oop) == 1 else f"\n{name}")
        result.append(
            MonthColumn(
                title,
                _money(_out_of_pocket(name)),
                format_money(report.scenarios[name].out_of_pocket),
            )
        )
    program = [m.program_pays for m in report.months]
    if program and all(p is not None for p in program):
        for name in oop:
            suffix = "" if len(oop) == 1 else f"\n{name}"
            scenario = report.scenarios[name]
            result.append(
                MonthColumn(
                    "Savings\nprogram\npays" + suffix,
                    _money(_negated(_program(name))),
                    format_money(-scenario.program_pays),
                )
            )
            result.append(
                MonthColumn(
                    "You pay\nafter the\nprogram" + suffix,
                    _money(_after_program(name)),
                    format_money(scenario.after_program),
                )
            )
    running = "Running\ntotal" + ("\n(typical)" if len(oop) > 1 else "")
    result.append(MonthColumn(running, _money(lambda m: m.running["typical"]), ""))
    return result


def months_table(months: Sequence[Month], cols: Sequence[MonthColumn]) -> Table:
    table = Table(title="Month by month", title_justify="left")
    table.add_column("Month", no_wrap=True)
    for col in cols:
        table.add_column(col.header, justify="right", no_wrap=True)
    for month in months:
        table.add_row(month_label(month), *(col.show(month) for col in cols))
    table.add_section()
    table.add_row("Total", *(col.foot for col in cols), style="bold")
    return table


def months_chart(months: Sequence[Month], exact: bool = False) -> BarChart:
    return BarChart(
        "Out of pocket per month" + ("" if exact else " (typical)"),
        [(month_label(m), m.out_of_pocket["typical"]) for m in months],
    )


def months_view(report: Report) -> RenderableType:
    """The month table (as many columns as fit), the bar chart and the assumptions."""
    months = report.months
    scenarios = report.columns
    # Widest first: every figure; the range without charges; charges and the typical
    # figure; the typical figure alone (about 50 columns).
    wanted = [_columns(report, scenarios, charges=True)]
    if len(scenarios) > 1:
        wanted.append(_columns(report, scenarios, charges=False))
        wanted.append(_columns(report, ("typical",), charges=True))
    wanted.append(_columns(report, ("typical",), charges=False))
    lines = list(report.notes)
    other = report.scenarios["typical"].other_costs
    if other:
        lines.insert(-1, f"Other costs ({format_money(other)} in all) are not in the months.")
    if out_of_network(report):
        lines.insert(0, REIMBURSED_LATER)
    notes = note_texts(lines)
    notes = [
        Text(n.plain, style="italic" if i == len(lines) - 1 else "dim") for i, n in enumerate(notes)
    ]
    refunds = refund_table(report)
    cash: list[RenderableType] = (
        [refunds, Text(REFUNDS_NOTE, style="dim"), Text("")] if refunds else []
    )
    return Group(
        Fit(
            *(months_table(months, cols) for cols in wanted),
            fallback=stack(months_table(months, wanted[-1])),
        ),
        Text(""),
        months_chart(months, report.exact),
        Text(""),
        *cash,
        *notes,
    )
