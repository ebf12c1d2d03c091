"""An estimate month by month, for the terminal: a table that fits the width it is
given and a bar chart of the typical monthly out of pocket."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ketacost.estimate import Estimate
from ketacost.money import Money, format_money
from ketacost.months import Month, by_month
from ketacost.render.fit import BarChart, Fit
from ketacost.render.summary import assumptions, columns
from ketacost.sheet import Scenario

Column = tuple[str, Callable[[Month], str], str]
"""A header, what a month shows in it, and what the total row shows."""


def month_label(month: Month) -> str:
    return f"{month.start:%b %Y}"


def _money(pick: Callable[[Month], Money]) -> Callable[[Month], str]:
    return lambda m: format_money(pick(m))


def _out_of_pocket(name: Scenario) -> Callable[[Month], Money]:
    return lambda m: m.out_of_pocket[name]


def _columns(est: Estimate, months: Sequence[Month], oop: Sequence[Scenario],
             charges: bool) -> list[Column]:
    result: list[Column] = [
        ("Sessions", lambda m: str(m.sessions) if m.sessions else "",
         str(sum(m.sessions for m in months)))]
    if charges:
        result.append(("Charges", _money(lambda m: m.charges["typical"]),
                       format_money(est.scenarios["typical"].charges)))
    for name in oop:
        title = "Out of\npocket" + ("" if len(oop) == 1 else f"\n{name}")
        result.append((title, _money(_out_of_pocket(name)),
                       format_money(est.scenarios[name].out_of_pocket)))
    running = "Running\ntotal" + ("\n(typical)" if len(oop) > 1 else "")
    result.append((running, _money(lambda m: m.running["typical"]), ""))
    return result


def months_table(est: Estimate, months: Sequence[Month], cols: Sequence[Column]) -> Table:
    table = Table(title="Month by month", title_justify="left")
    table.add_column("Month", no_wrap=True)
    for header, _, _ in cols:
        table.add_column(header, justify="right", no_wrap=True)
    for month in months:
        table.add_row(month_label(month), *(show(month) for _, show, _ in cols))
    table.add_section()
    table.add_row("Total", *(foot for _, _, foot in cols), style="bold")
    return table


def months_chart(months: Sequence[Month], exact: bool = False) -> BarChart:
    return BarChart("Out of pocket per month" + ("" if exact else " (typical)"),
                    [(month_label(m), m.out_of_pocket["typical"]) for m in months])


def months_view(est: Estimate) -> RenderableType:
    """The month table (as many columns as fit), the bar chart and the assumptions."""
    months = by_month(est)
    scenarios = columns(est.exact_price)
    # Widest first: every figure; the range without charges; charges and the typical
    # figure; the typical figure alone (about 50 columns).
    wanted = [_columns(est, months, scenarios, charges=True)]
    if len(scenarios) > 1:
        wanted.append(_columns(est, months, scenarios, charges=False))
        wanted.append(_columns(est, months, ("typical",), charges=True))
    wanted.append(_columns(est, months, ("typical",), charges=False))
    lines = assumptions(est)
    other = est.scenarios["typical"].other_costs
    if other:
        lines.insert(-1, f"Other costs ({format_money(other)} in all) are not in the months.")
    notes = [Text(line, style="italic" if i == len(lines) - 1 else "dim")
             for i, line in enumerate(lines)]
    return Group(Fit(*(months_table(est, months, cols) for cols in wanted)), Text(""),
                 months_chart(months, est.exact_price), Text(""), *notes)
