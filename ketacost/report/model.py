"""One estimate as a report: every figure and every sentence any view shows, worked out
once. Renderers (table, CSV, Markdown, HTML, SVG, PDF) only format a :class:`Report`;
the quote log stores it as JSON (:mod:`ketacost.report.to_data`) and a saved quote is
printed from it, never recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from ketacost import DISCLAIMER, __version__
from ketacost.coverage.refunds import RefundMonth, refund_months
from ketacost.coverage.shares import Coverage
from ketacost.estimate import Estimate, ScenarioFigures
from ketacost.money import Money
from ketacost.months import Month, by_month
from ketacost.paying import how_paid
from ketacost.paying.how_paid import Paying
from ketacost.report.notes import assumptions, interval_label
from ketacost.report.rows import Row, summary_rows
from ketacost.schedule.sessions import INDUCTION, Session
from ketacost.sheet.model import SCENARIOS, PriceRange, Scenario
from ketacost.sheet.service import therapy_name


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetInfo:
    """The price sheet an estimate was computed from: its name, file and content hash."""

    name: str
    path: str
    sha256: str
    source: str

    @property
    def short_hash(self) -> str:
        """The hash's first 12 digits, as :attr:`PriceSheet.short_hash` gives them."""
        return self.sha256[:12]


@dataclass(frozen=True, slots=True, kw_only=True)
class Inputs:
    """The request with every default filled in, so it can be replayed."""

    condition: str
    treatment: str
    sessions: int
    weeks: int
    price: PriceRange | None
    maintenance: str
    """The plan in a short form that parses back to it (``4w``, ``monthly``, a plan key)."""
    months: int
    start: date
    ride: Money
    coverage: Coverage | None
    without: tuple[str, ...]
    assumes: tuple[str, ...]
    """Keys of the conditional discounts and optional fees counted in the figures."""
    until: date | None
    with_: tuple[str, ...] = ()
    """Keys of the conditional discounts asked for (the request's ``with_``)."""
    paying: Paying = how_paid.NO_PAYING
    phased: bool | None = None
    """The induction was given in the treatment's phases; None in a quote saved before
    this was kept (0.1, 0.2: a GFE of it infers it, :mod:`ketacost.request_data`)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Labels:
    """Names for people: the treatment, the maintenance plan and its bare interval."""

    treatment: str
    maintenance: str
    interval: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """Everything any view of one estimate shows."""

    version: str
    disclaimer: str
    sheet: SheetInfo
    inputs: Inputs
    labels: Labels
    schedule: tuple[Session, ...]
    scenarios: Mapping[Scenario, ScenarioFigures]
    months: tuple[Month, ...]
    notes: tuple[str, ...]
    """The lines under a table: what was assumed, how it is paid; the disclaimer last."""
    exact: bool
    """One exact price: every scenario has the same figures, so one column is shown."""
    columns: tuple[Scenario, ...]
    rows: tuple[Row, ...]

    @property
    def refund_months(self) -> tuple[RefundMonth, ...]:
        """Out of network, per calendar month: cash paid at the visits, refunds landing
        and the balance carried (docs/refunds.md); empty otherwise. Worked out from the
        claims and the plan, so a saved quote shows the same months."""
        claims = {name: figures.claims for name, figures in self.scenarios.items()}
        return refund_months(claims, self.inputs.coverage)

    @property
    def induction(self) -> tuple[Session, ...]:
        return tuple(s for s in self.schedule if s.phase == INDUCTION)

    @property
    def boosters(self) -> tuple[Session, ...]:
        return tuple(s for s in self.schedule if s.phase != INDUCTION)

    @property
    def therapy(self) -> str:
        """What the estimate is of, for its title: ``ketamine infusion therapy``, or
        ``ketamine treatment: LABEL`` (its treatment lines' codes tell; a saved quote's
        too)."""
        lines = self.scenarios["typical"].lines
        codes = [code for line in lines if line.kind == "treatment" for code in line.codes]
        return therapy_name(self.labels.treatment, codes)

    @property
    def title(self) -> str:
        """``Estimated cost of ketamine infusion therapy``, or of the treatment named."""
        return f"Estimated cost of {self.therapy}"

    @property
    def column_titles(self) -> tuple[str, ...]:
        return ("Estimate",) if self.exact else tuple(c.capitalize() for c in self.columns)


def assemble(
    *,
    version: str,
    disclaimer: str,
    sheet: SheetInfo,
    inputs: Inputs,
    labels: Labels,
    schedule: tuple[Session, ...],
    scenarios: Mapping[Scenario, ScenarioFigures],
    months: tuple[Month, ...],
    notes: Sequence[str],
) -> Report:
    """A report from its parts: the one place the exact flag, columns and rows are set,
    whether the parts are fresh (:func:`build_report`) or saved (report_json)."""
    exact = scenarios["low"].lines == scenarios["high"].lines
    columns: tuple[Scenario, ...] = ("typical",) if exact else SCENARIOS
    induction = sum(1 for s in schedule if s.phase == INDUCTION)
    rows = summary_rows(scenarios, columns, induction, inputs.coverage)
    return Report(
        version=version,
        disclaimer=disclaimer,
        sheet=sheet,
        inputs=inputs,
        labels=labels,
        schedule=schedule,
        scenarios=dict(scenarios),
        months=months,
        notes=tuple(notes),
        exact=exact,
        columns=columns,
        rows=rows,
    )


def _inputs(est: Estimate) -> Inputs:
    req = est.request
    coverage = req.coverage
    if coverage is not None:  # what is already met, as the figures used it
        coverage = replace(coverage, oop_met=coverage.starting_oop)
    return Inputs(
        condition=req.condition,
        treatment=est.treatment.key,
        sessions=est.sessions_per_induction,
        weeks=est.weeks,
        price=req.price,
        maintenance=req.maintenance.normalized,
        months=req.months,
        start=req.start,
        ride=req.ride,
        coverage=coverage,
        without=req.without,
        assumes=tuple(item.key for item in est.assumed),
        until=req.until,
        with_=req.with_,
        paying=req.paying,
        phased=req.phased,
    )


def build_report(est: Estimate, scenario: Scenario = "typical") -> Report:
    """The report of an estimate; its notes, written from the report's own figures once
    they are set, describe how ``scenario`` is paid."""
    sheet = est.sheet
    report = assemble(
        version=__version__,
        disclaimer=DISCLAIMER,
        sheet=SheetInfo(name=sheet.name, path=sheet.path, sha256=sheet.sha256, source=sheet.source),
        inputs=_inputs(est),
        labels=Labels(
            treatment=est.treatment.label,
            maintenance=est.request.maintenance.label,
            interval=interval_label(est),
        ),
        schedule=est.schedule,
        scenarios={name: est.scenarios[name] for name in SCENARIOS},
        months=by_month(est),
        notes=(),
    )
    return replace(report, notes=tuple(assumptions(report, est, scenario)))
