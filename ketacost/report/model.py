"""One estimate as a report: every figure and every sentence any view shows, worked out
once. Renderers (table, CSV, Markdown, HTML, SVG, PDF) only format a :class:`Report`;
the quote log stores it as JSON (:mod:`ketacost.report.to_data`) and a saved quote is
printed from it, never recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ketacost import DISCLAIMER, __version__
from ketacost.charges import Line
from ketacost.coverage.refunds import RefundMonth, refund_months
from ketacost.coverage.shares import Coverage, Share
from ketacost.estimate import Estimate, ScenarioResult
from ketacost.money import Money, total
from ketacost.months import Month, by_month
from ketacost.paying.financing import FinanceTerms, HsaSaving, Loan
from ketacost.report.notes import assumptions, interval_label
from ketacost.report.paying import NO_PAYING, PayingFigures
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
    hsa_rate: Decimal | None
    finance: FinanceTerms | None
    until: date | None
    with_: tuple[str, ...] = ()
    """Keys of the conditional discounts asked for (the request's ``with_``)."""
    account: str | None = None
    payroll: bool = False
    agi: Money | None = None
    finance_what: str | None = None
    savings: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class Labels:
    """Names for people: the treatment, the maintenance plan and its bare interval."""

    treatment: str
    maintenance: str
    interval: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ClaimTotals:
    """Every money column of the per-session breakdown, added up."""

    charge: Money
    allowed: Money
    deductible: Money
    copay: Money
    coinsurance: Money
    balance_bill: Money
    patient: Money
    plan: Money
    paid_up_front: Money


@dataclass(frozen=True, slots=True, kw_only=True)
class ScenarioFigures:
    """One scenario's figures as quoted; every total is the sum of its rounded parts."""

    per_session: Money
    booster_price: Money
    sessions: int
    lines: tuple[Line, ...]
    charges: Money
    insurance_pays: Money
    out_of_pocket: Money
    paid_up_front: Money
    adjustment: Money
    """What an in-network clinic writes off: charges above the allowed amounts."""
    other_lines: tuple[Line, ...]
    other_costs: Money
    claims: tuple[Share, ...]
    claim_totals: ClaimTotals
    hsa: HsaSaving | None
    loan: Loan | None
    paying: PayingFigures = NO_PAYING
    """A savings program, the deduction, what financing leaves (report_paying)."""

    @property
    def after_program(self) -> Money:
        """Out of pocket less what a savings program pays (all of it when none is)."""
        return self.out_of_pocket - self.paying.program_pays


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


def claim_totals(claims: Sequence[Share]) -> ClaimTotals:
    return ClaimTotals(
        charge=total(s.claim.charge for s in claims),
        allowed=total(s.allowed for s in claims),
        deductible=total(s.deductible for s in claims),
        copay=total(s.copay for s in claims),
        coinsurance=total(s.coinsurance for s in claims),
        balance_bill=total(s.balance_bill for s in claims),
        patient=total(s.patient for s in claims),
        plan=total(s.plan for s in claims),
        paid_up_front=total(s.paid_up_front for s in claims),
    )


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


def _figures(result: ScenarioResult) -> ScenarioFigures:
    return ScenarioFigures(
        per_session=result.per_session,
        booster_price=result.booster_price,
        sessions=result.sessions,
        lines=result.lines,
        charges=result.charges,
        insurance_pays=result.insurance_pays,
        out_of_pocket=result.out_of_pocket,
        paid_up_front=result.paid_up_front,
        adjustment=result.adjustment,
        other_lines=result.other,
        other_costs=result.other_costs,
        claims=result.shares,
        claim_totals=claim_totals(result.shares),
        hsa=result.hsa,
        loan=result.loan,
        paying=PayingFigures(
            savings=result.savings, later=result.later, deduction=result.deduction
        ),
    )


def _inputs(est: Estimate) -> Inputs:
    req = est.request
    coverage = req.coverage
    if coverage is not None:  # what is already met, as the figures used it
        coverage = replace(coverage, oop_met=coverage.starting_oop)
    return Inputs(
        condition=req.condition or est.treatment.key,
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
        hsa_rate=req.hsa_rate,
        finance=req.finance,
        until=req.until,
        with_=req.with_,
        account=req.account,
        payroll=req.payroll,
        agi=req.agi,
        finance_what=req.finance_what,
        savings=req.savings,
    )


def build_report(est: Estimate, scenario: Scenario = "typical") -> Report:
    """The report of an estimate; its notes describe how ``scenario`` is paid."""
    sheet = est.sheet
    return assemble(
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
        scenarios={name: _figures(est.scenarios[name]) for name in SCENARIOS},
        months=by_month(est),
        notes=assumptions(est, scenario),
    )
