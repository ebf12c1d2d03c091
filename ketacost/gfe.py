"""A Good Faith Estimate for a self-pay patient (docs/gfe.md; 45 CFR 149.610).

The rules live here: who may have one (no insurance, clinic charges only), the provider
it names (from the price sheet's ``[clinic]``), the 12 months it may cover at most, and
the items it lists. :func:`make_gfe` gathers them into a :class:`GoodFaithEstimate`,
which the page renderer only formats and the quote log keeps (:func:`gfe_record`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from ketacost.estimate import Estimate, estimate
from ketacost.money import Money, cents, total
from ketacost.report import Report
from ketacost.request import EstimateRequest
from ketacost.schedule import INDUCTION, MAINTENANCE, add_months
from ketacost.sheet import PriceSheet

MAX_MONTHS = 12
"""One Good Faith Estimate covers at most 12 months of recurring services."""
DISPUTE_THRESHOLD = 400
"""A bill this many dollars or more above the estimate may be disputed."""
DISPUTE_DAYS = 120
"""Calendar days from the bill's date in which a dispute may be started."""
PROVIDER_FIELDS = ("name", "npi", "tin", "address", "state")
"""What the price sheet's ``[clinic]`` must give for a Good Faith Estimate."""


class GfeError(ValueError):
    """A Good Faith Estimate that cannot be made. ``field`` names the request field at
    fault (``coverage``, ``ride``, ``sheet``, ``start``), or is None."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Provider:
    """Who provides the care: the clinic of the price sheet."""

    name: str
    npi: str
    tin: str
    address: str
    state: str
    phone: str = ""


def provider_of(sheet: PriceSheet) -> Provider:
    """The provider a price sheet names; every field but the phone is required."""
    clinic = sheet.clinic
    missing = [f for f in PROVIDER_FIELDS if not getattr(clinic, f).strip()]
    if missing:
        where = (
            "the built-in price sheet names no clinic"
            if sheet.path == "(built-in)"
            else f"the price sheet's [clinic] lacks {', '.join(missing)}"
        )
        raise GfeError(
            f"{where}: a Good Faith Estimate must give the provider's name, NPI, TIN, address "
            "and state (use your clinic's price sheet)",
            "sheet",
        )
    return Provider(clinic.name, clinic.npi, clinic.tin, clinic.address, clinic.state, clinic.phone)


@dataclass(frozen=True)
class Period:
    """The days a Good Faith Estimate covers: 12 months from the first session at most.
    ``planned_*`` are set when the plan ran past them and was cut: its session count and
    last session as asked."""

    start: date
    end: date
    planned_sessions: int | None = None
    planned_last: date | None = None


def check_self_pay(request: EstimateRequest) -> None:
    """A Good Faith Estimate is for patients not using insurance, and lists the clinic's
    charges only (no rides home)."""
    if request.coverage is not None:
        raise GfeError("a Good Faith Estimate is for patients not using insurance", "coverage")
    if request.ride:
        raise GfeError("a Good Faith Estimate lists the clinic's charges only", "ride")


def estimate_for_gfe(request: EstimateRequest, sheet: PriceSheet) -> tuple[Estimate, Period]:
    """The self-pay estimate a Good Faith Estimate lists, cut to its first 12 months, and
    the period it covers. An EstimateError of the request passes through."""
    check_self_pay(request)
    full = estimate(request, sheet)
    start = request.start
    end = add_months(start, MAX_MONTHS) - timedelta(days=1)
    last = full.schedule[-1].date
    if last <= end:
        return full, Period(start, end)
    cut = estimate(replace(request, until=end), sheet)
    return cut, Period(start, end, len(full.schedule), last)


@dataclass(frozen=True)
class GfeItem:
    """One expected item or service, at its cash price after self-pay discounts."""

    label: str
    codes: tuple[str, ...]
    quantity: int
    unit: Money | None
    """The price of each, or None when they differ."""
    amount: Money
    list_unit: Money | None = None
    """The price before a self-pay discount, when one applies."""


def gfe_items(report: Report) -> tuple[GfeItem, ...]:
    """The typical scenario's items: sessions at what each is charged, so discounts are
    folded into the sessions they lower, then the fees."""
    scenario = report.scenarios["typical"]
    items = []
    for line in scenario.lines:
        if line.kind == "treatment":
            phase = INDUCTION if line.key == "induction" else MAINTENANCE
            charges = [
                cents(share.claim.charge)
                for share in scenario.claims
                if share.claim.session is not None and share.claim.phase == phase
            ]
            unit = charges[0] if len(set(charges)) == 1 else None
            listed = cents(line.unit)
            items.append(
                GfeItem(
                    line.label,
                    line.codes,
                    len(charges),
                    unit,
                    total(charges),
                    listed if unit != listed else None,
                )
            )
        elif line.kind == "fee":
            items.append(
                GfeItem(line.label, line.codes, line.quantity, cents(line.unit), cents(line.amount))
            )
    return tuple(items)


@dataclass(frozen=True)
class GoodFaithEstimate:
    """Everything a Good Faith Estimate shows, as issued."""

    id: str
    issued: date
    patient: str
    dob: date
    prepared_by: str | None
    replaces: str | None
    """The id of the Good Faith Estimate this one revises."""
    provider: Provider
    diagnoses: tuple[str, ...]
    """ICD-10 codes, as given."""
    scheduled: date | None
    """The date the first session is scheduled for, if it is."""
    separately: tuple[str, ...]
    """Items or services to be scheduled separately."""
    period: Period
    report: Report
    items: tuple[GfeItem, ...]
    total: Money
    """The total expected charges: the sum of the items."""


def make_gfe(
    report: Report,
    period: Period,
    *,
    id: str,
    issued: date,
    patient: str,
    dob: date,
    provider: Provider,
    diagnoses: Sequence[str],
    scheduled: date | None,
    separately: Sequence[str],
    prepared_by: str | None = None,
    replaces: str | None = None,
) -> GoodFaithEstimate:
    """A Good Faith Estimate of a report; items scheduled separately are tidied (one space
    between words) and blank ones dropped."""
    items = gfe_items(report)
    return GoodFaithEstimate(
        id=id,
        issued=issued,
        patient=patient,
        dob=dob,
        prepared_by=prepared_by,
        replaces=replaces,
        provider=provider,
        diagnoses=tuple(diagnoses),
        scheduled=scheduled,
        separately=tuple(" ".join(s.split()) for s in separately if s.strip()),
        period=period,
        report=report,
        items=items,
        total=total(item.amount for item in items),
    )


def gfe_record(gfe: GoodFaithEstimate) -> dict[str, Any]:
    """The ``gfe`` block kept with the estimate's data in the quote log."""
    provider = gfe.provider
    period = gfe.period
    planned = None
    if period.planned_sessions is not None and period.planned_last is not None:
        planned = {"sessions": period.planned_sessions, "last": period.planned_last.isoformat()}
    return {
        "provider": {
            "name": provider.name,
            "npi": provider.npi,
            "tin": provider.tin,
            "address": provider.address,
            "state": provider.state,
            "phone": provider.phone,
        },
        "diagnoses": list(gfe.diagnoses),
        "scheduled": None if gfe.scheduled is None else gfe.scheduled.isoformat(),
        "separately": list(gfe.separately),
        "covers": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        "planned": planned,
    }
