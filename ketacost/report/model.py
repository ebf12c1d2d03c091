"""One estimate as a report: the records of every figure and every sentence any view
shows, worked out once (:mod:`ketacost.report.build`). Renderers (table, CSV, Markdown,
HTML, SVG, PDF) only format a :class:`Report`; the quote log stores it as JSON
(:mod:`ketacost.report.to_data`) and a saved quote is printed from it, never recomputed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ketacost.coverage.refunds import RefundMonth, refund_months
from ketacost.estimate import ScenarioFigures
from ketacost.months import Month
from ketacost.report.rows import Row
from ketacost.request import EstimateRequest
from ketacost.schedule.sessions import INDUCTION, Session
from ketacost.sheet.model import Discount, Fee, Plan, Scenario, Treatment, short_hash
from ketacost.sheet.service import therapy_name


@dataclass(frozen=True, slots=True, kw_only=True)
class SheetInfo:
    """The price sheet an estimate was computed from: its name, file and content hash
    (what the JSON's ``sheet`` keeps), and what it says of this estimate that the notes
    describe (kept only while the report is fresh)."""

    name: str
    path: str
    sha256: str
    source: str
    treatment: Treatment | None = field(default=None, compare=False)
    """What the sheet says of the treatment estimated, which the notes describe. This
    and the fields below are what the notes are written from (:mod:`ketacost.report.notes`)
    and are not saved: a saved quote keeps its notes as they were written, so its report
    holds None and empty tuples here (and they are left out of comparing reports)."""
    plan: Plan | None = field(default=None, compare=False)
    """The sheet's booster plan asked for (the request's ``maintenance``), if one is."""
    assumed: tuple[Discount | Fee, ...] = field(default=(), compare=False)
    """The conditional discounts and optional fees counted in the figures."""
    not_applied: tuple[Discount, ...] = field(default=(), compare=False)
    """The conditional discounts not counted (their condition was not said to be met)."""

    @property
    def short_hash(self) -> str:
        """The hash as people are shown it (:func:`~ketacost.sheet.model.short_hash`)."""
        return short_hash(self.sha256)


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
    request: EstimateRequest
    """The request estimated, normalised: every default resolved (:func:`build_request`),
    and the coverage's out-of-pocket amount met filled in as the figures used it. A saved
    quote's, as it was saved (:func:`~ketacost.request_data.saved_request`)."""
    treatment: str
    """The key of the treatment estimated."""
    assumes: tuple[str, ...]
    """Keys of the conditional discounts and optional fees counted in the figures."""
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
    phased_saved: bool = True
    """False for a quote saved before ``phased`` was kept (0.1, 0.2): its request reads
    ``phased`` as False, and its JSON leaves the key out as that quote did."""

    @property
    def refund_months(self) -> tuple[RefundMonth, ...]:
        """Out of network, per calendar month: cash paid at the visits, refunds landing
        and the balance carried (docs/refunds.md); empty otherwise. Worked out from the
        claims and the plan, so a saved quote shows the same months."""
        claims = {name: figures.claims for name, figures in self.scenarios.items()}
        return refund_months(claims, self.request.coverage)

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
