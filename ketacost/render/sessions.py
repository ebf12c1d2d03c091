"""The per-session breakdown (``--by-session``): one row per claim of one scenario, in date
order, then a total row, so a patient can see how each figure was reached. Drawn as a Rich
table, CSV or Markdown from the same columns."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ketacost.coverage import Share
from ketacost.estimate import Estimate
from ketacost.money import Money, format_money, money_str, total
from ketacost.render.summary import assumptions
from ketacost.render.text import md_escape, safe_cell
from ketacost.sheet import Scenario

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
    from rich.table import Table


@dataclass(frozen=True)
class Column:
    """A money column: its title for people, its name in CSV, how to read a claim, and its
    header in a narrow terminal table (on two lines)."""

    title: str
    key: str
    pick: Callable[[Share], Money]
    header: str


COLUMNS = (
    Column("Charge", "charge", lambda s: s.claim.charge, "Charge"),
    Column("Allowed", "allowed", lambda s: s.allowed, "Allowed"),
    Column("To deductible", "to_deductible", lambda s: s.deductible, "To\ndeductible"),
    Column("Copay", "copay", lambda s: s.copay, "Copay"),
    Column("Coinsurance", "coinsurance", lambda s: s.coinsurance, "Co-\ninsurance"),
    Column("Balance bill", "balance_bill", lambda s: s.balance_bill, "Balance\nbill"),
    Column("Patient pays", "patient_pays", lambda s: s.patient, "Patient\npays"),
    Column("Plan pays", "plan_pays", lambda s: s.plan, "Plan\npays"),
)


def columns(est: Estimate, scenario: Scenario, *, every: bool = False) -> tuple[Column, ...]:
    """The money columns: every one for machines (``every``); for a table on a screen, the
    allowed amount, copay and balance bill only when they say something."""
    if every:
        return COLUMNS
    shares = est.scenarios[scenario].shares
    coverage = est.request.coverage
    shown = {
        "allowed": any(s.allowed != s.claim.charge for s in shares),
        "copay": coverage is not None and coverage.copay > 0,
        "balance_bill": any(s.balance_bill for s in shares),
    }
    return tuple(c for c in COLUMNS if shown.get(c.key, True))


def _item(share: Share) -> str:
    """The session's number (1 for the first); a fee by its label."""
    claim = share.claim
    return claim.label if claim.session is None else str(claim.session + 1)


def rows(est: Estimate, scenario: Scenario, cols: tuple[Column, ...],
         ) -> list[tuple[str | None, list[str], list[Money]]]:
    """Each claim: the phase it starts (None when the phase goes on), its date and session,
    and its money columns; then the total row."""
    shares = est.scenarios[scenario].shares
    result: list[tuple[str | None, list[str], list[Money]]] = []
    phase = None
    for share in shares:
        starts = share.claim.phase if share.claim.phase not in (None, phase) else None
        phase = share.claim.phase or phase
        result.append((starts, [share.claim.date.isoformat(), _item(share)],
                       [c.pick(share) for c in cols]))
    result.append((None, ["Total", ""], [total(c.pick(s) for s in shares) for c in cols]))
    return result


def title(est: Estimate, scenario: Scenario) -> str:
    result = est.scenarios[scenario]
    which = "" if est.exact_price else f", {scenario} estimate"
    return (f"Per session{which}: {result.sessions} sessions at "
            f"{format_money(result.per_session)}, in US dollars")


def _amount(value: Money) -> str:
    """``1,234.50``: the table's title says the amounts are dollars, so no ``$`` per cell."""
    return format_money(value).removeprefix("$")


def _table(est: Estimate, scenario: Scenario, cols: tuple[Column, ...]) -> Table:
    from rich import box
    from rich.table import Table

    body = rows(est, scenario, cols)
    table = Table(title=title(est, scenario), title_justify="left", box=box.SIMPLE_HEAD,
                  padding=0, pad_edge=False, show_edge=False)
    table.add_column("Date", no_wrap=True)
    table.add_column("#", justify="right")
    for column in cols:
        table.add_column(column.header, justify="right", no_wrap=True)
    for index, (starts, labels, values) in enumerate(body):
        last = index == len(body) - 1
        if last:
            table.add_section()
        if starts:
            table.add_row(starts.capitalize(), style="italic")
        table.add_row(*labels, *(_amount(v) for v in values),
                      style="bold" if last else None)
    return table


class SessionsTable:
    """The per-session table, fitted to the terminal: out of network, when every column
    does not fit, the allowed amount goes (it is the charge less the balance bill, and the
    insurance line under the table gives it), so no amount is ever cut short."""

    def __init__(self, est: Estimate, scenario: Scenario) -> None:
        self.est, self.scenario = est, scenario

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        from rich.measure import Measurement

        cols = columns(self.est, self.scenario)
        table = _table(self.est, self.scenario, cols)
        unbounded = options.update_width(10_000)
        if any(c.key == "balance_bill" for c in cols) and \
                Measurement.get(console, unbounded, table).maximum > options.max_width:
            table = _table(self.est, self.scenario,
                           tuple(c for c in cols if c.key != "allowed"))
        yield table


def sessions_view(est: Estimate, scenario: Scenario = "typical") -> RenderableType:
    """The per-session table and, under it, the estimate's assumption lines."""
    from rich.console import Group

    from ketacost.render.table import note_texts

    return Group(SessionsTable(est, scenario), *note_texts(assumptions(est, scenario)))


def sessions_csv(est: Estimate, scenario: Scenario = "typical") -> str:
    """``date,session,phase,item,charge,...``, money as ``1234.50``; then a total row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    cols = columns(est, scenario, every=True)
    writer.writerow(["date", "session", "phase", "item", *(c.key for c in cols)])
    shares = est.scenarios[scenario].shares
    for share in shares:
        claim = share.claim
        writer.writerow([claim.date.isoformat(),
                         "" if claim.session is None else claim.session + 1,
                         claim.phase or "", safe_cell(claim.label),
                         *(money_str(c.pick(share)) for c in cols)])
    writer.writerow(["total", "", "", "", *(money_str(total(c.pick(s) for s in shares))
                                             for c in cols)])
    return out.getvalue()


def sessions_markdown(est: Estimate, scenario: Scenario = "typical") -> str:
    """The per-session table in Markdown, every column, then the assumption lines."""
    cols = columns(est, scenario, every=True)
    lines = [f"**{md_escape(title(est, scenario))}**", "",
             "| " + " | ".join(["Date", "Session", "Phase", *(c.title for c in cols)]) + " |",
             "| " + " | ".join(["---"] * 3 + ["---:"] * len(cols)) + " |"]
    body = rows(est, scenario, cols)
    phases = [s.claim.phase or "" for s in est.scenarios[scenario].shares] + [""]
    for index, (_, labels, values) in enumerate(body):
        cells = [md_escape(v) for v in [*labels, phases[index]]] + \
            [format_money(v) for v in values]
        if index == len(body) - 1:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(f"{md_escape(note)}  " for note in assumptions(est, scenario))
    return "\n".join(lines).rstrip() + "\n"
