"""The per-session breakdown (``--by-session``): one row per claim of one scenario, in date
order, then a total row, so a patient can see how each figure was reached. Drawn as a Rich
table, CSV or Markdown from the same columns."""

from __future__ import annotations

from typing import NamedTuple

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table

from ketacost.coverage.shares import Share
from ketacost.estimate import ScenarioFigures
from ketacost.money import Money, format_money, money_str
from ketacost.render.fit import Fit, stack
from ketacost.render.safe_text import csv_cell, md_escape, rich_text
from ketacost.render.table import note_texts
from ketacost.render.text import csv_text, markdown_notes, markdown_text
from ketacost.report.model import Report
from ketacost.sheet.model import Scenario


class Column(NamedTuple):
    """A money column: its title for people, its name in CSV, the figure it shows (a
    field of a claim's share and of the totals), and its header in a narrow terminal
    table (on two lines)."""

    title: str
    key: str
    field: str
    header: str

    def pick(self, share: Share) -> Money:
        value: Money = share.claim.charge if self.field == "charge" else getattr(share, self.field)
        return value

    def total(self, figures: ScenarioFigures) -> Money:
        value: Money = getattr(figures, TOTALS.get(self.field, self.field))
        return value


TOTALS = {"charge": "charges", "patient": "out_of_pocket", "plan": "insurance_pays"}
"""The scenario's total of a column, where it is named otherwise than the share's field."""


COLUMNS = (
    Column("Charge", "charge", "charge", "Charge"),
    Column("Allowed", "allowed", "allowed", "Allowed"),
    Column("To deductible", "to_deductible", "deductible", "To\ndeductible"),
    Column("Copay", "copay", "copay", "Copay"),
    Column("Coinsurance", "coinsurance", "coinsurance", "Co-\ninsurance"),
    Column("Balance bill", "balance_bill", "balance_bill", "Balance\nbill"),
    Column("Patient pays", "patient_pays", "patient", "Patient\npays"),
    Column("Plan pays", "plan_pays", "plan", "Plan\npays"),
)


def columns(report: Report, scenario: Scenario, *, every: bool = False) -> tuple[Column, ...]:
    """The money columns: every one for machines (``every``); for a table on a screen, the
    allowed amount, copay and balance bill only when they say something."""
    if every:
        return COLUMNS
    shares = report.scenarios[scenario].claims
    coverage = report.request.coverage
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


def rows(
    report: Report,
    scenario: Scenario,
    cols: tuple[Column, ...],
) -> list[tuple[str | None, list[str], list[Money]]]:
    """Each claim: the phase it starts (None when the phase goes on), its date and session,
    and its money columns; then the total row."""
    figures = report.scenarios[scenario]
    shares = figures.claims
    result: list[tuple[str | None, list[str], list[Money]]] = []
    phase = None
    for share in shares:
        starts = share.claim.phase if share.claim.phase not in (None, phase) else None
        phase = share.claim.phase or phase
        result.append(
            (starts, [share.claim.date.isoformat(), _item(share)], [c.pick(share) for c in cols])
        )
    result.append((None, ["Total", ""], [c.total(figures) for c in cols]))
    return result


def title(report: Report, scenario: Scenario) -> str:
    result = report.scenarios[scenario]
    which = "" if report.exact else f", {scenario} estimate"
    return (
        f"Per session{which}: {result.sessions} sessions at "
        f"{format_money(result.per_session)}, in US dollars"
    )


def _amount(value: Money) -> str:
    """``1,234.50``: the table's title says the amounts are dollars, so no ``$`` per cell."""
    return format_money(value).removeprefix("$")


def _table(report: Report, scenario: Scenario, cols: tuple[Column, ...]) -> Table:
    body = rows(report, scenario, cols)
    table = Table(
        title=title(report, scenario),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        padding=0,
        pad_edge=False,
        show_edge=False,
    )
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
        table.add_row(
            *(rich_text(label) for label in labels),  # a fee's label is the sheet's text
            *(_amount(v) for v in values),
            style="bold" if last else None,
        )
    return table


class SessionsTable:
    """The per-session table, fitted to the terminal: out of network, when every column
    does not fit, the allowed amount goes (it is the charge less the balance bill, and the
    insurance line under the table gives it), so no amount is ever cut short."""

    def __init__(self, report: Report, scenario: Scenario) -> None:
        self.report, self.scenario = report, scenario

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        cols = columns(self.report, self.scenario)
        table = _table(self.report, self.scenario, cols)
        unbounded = options.update_width(10_000)
        if (
            any(c.key == "balance_bill" for c in cols)
            and Measurement.get(console, unbounded, table).maximum > options.max_width
        ):
            table = _table(self.report, self.scenario, tuple(c for c in cols if c.key != "allowed"))
        yield Fit(table, fallback=stack(table))


def sessions_view(report: Report, scenario: Scenario = "typical") -> RenderableType:
    """The per-session table and, under it, the estimate's assumption lines."""
    return Group(SessionsTable(report, scenario), *note_texts(report.notes))


def sessions_csv(report: Report, scenario: Scenario = "typical") -> str:
    """``date,session,phase,item,charge,...``, money as ``1234.50``; then a total row."""
    cols = columns(report, scenario, every=True)
    figures = report.scenarios[scenario]
    return csv_text(
        [
            ["date", "session", "phase", "item", *(c.key for c in cols)],
            *(
                [
                    share.claim.date.isoformat(),
                    "" if share.claim.session is None else share.claim.session + 1,
                    share.claim.phase or "",
                    csv_cell(share.claim.label),
                    *(money_str(c.pick(share)) for c in cols),
                ]
                for share in figures.claims
            ),
            ["total", "", "", "", *(money_str(c.total(figures)) for c in cols)],
        ]
    )


def sessions_markdown(report: Report, scenario: Scenario = "typical") -> str:
    """The per-session table in Markdown, every column, then the assumption lines."""
    cols = columns(report, scenario, every=True)
    lines = [
        f"**{md_escape(title(report, scenario))}**",
        "",
        "| " + " | ".join(["Date", "Session", "Phase", *(c.title for c in cols)]) + " |",
        "| " + " | ".join(["---"] * 3 + ["---:"] * len(cols)) + " |",
    ]
    body = rows(report, scenario, cols)
    phases = [s.claim.phase or "" for s in report.scenarios[scenario].claims] + [""]
    for index, (_, labels, values) in enumerate(body):
        cells = [md_escape(v) for v in [*labels, phases[index]]] + [format_money(v) for v in values]
        if index == len(body) - 1:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(markdown_notes(report.notes))
    return markdown_text(lines)
