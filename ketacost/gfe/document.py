"""A Good Faith Estimate for a self-pay patient (docs/gfe.md; 45 CFR 149.610).

The rules live here: who may have one (no insurance, clinic charges only), the providers
it names (the price sheet's ``[clinic]`` and any ``[providers.KEY]`` billing an item), the
12 months it may cover at most, and the items it lists, each with its service codes.
:func:`make_gfe` gathers them into a :class:`GoodFaithEstimate`, which the page renderer
only formats and the quote log keeps (:mod:`ketacost.gfe.record`). When one is owed and
how a bill compares with it: :mod:`ketacost.gfe.timing`, :mod:`ketacost.gfe.bill`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from ketacost.charges import discounts_off, series
from ketacost.estimate import Estimate, estimate
from ketacost.gfe.timing import SELF_PAY_ONLY, is_self_pay
from ketacost.money import Money, cents, total
from ketacost.report.build import build_report
from ketacost.report.model import Report
from ketacost.request import EstimateError, EstimateRequest
from ketacost.schedule.sessions import INDUCTION, MAINTENANCE, add_months
from ketacost.sheet.model import CLINIC_KEY, Code, PriceSheet, Provider
from ketacost.sheet.placeholders import placeholders
from ketacost.sheet.service import service_description, service_title

MAX_MONTHS = 12
"""One Good Faith Estimate covers at most 12 months of recurring services."""
DISPUTE_THRESHOLD = 400
"""A bill this many dollars or more above one provider's estimate may be disputed."""
DISPUTE_DAYS = 120
"""Calendar days from the bill's date in which a dispute may be started."""
DISPUTE_FEE = 25
"""What the patient-provider dispute process costs the patient, in dollars."""
CMS_SITE = "www.cms.gov/nosurprises"
CMS_PHONE = "1-800-985-3059"
PROVIDER_FIELDS = ("name", "npi", "tin", "address", "state")
"""What a provider must give for a Good Faith Estimate."""


class GfeError(EstimateError):
    """A Good Faith Estimate that cannot be made. ``field`` names the request field at
    fault (``coverage``, ``ride``, ``sheet``, ``start``), or is None."""


def provider_of(sheet: PriceSheet) -> Provider:
    """The clinic a price sheet names; every field but the phone is required."""
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
    return Provider(
        name=clinic.name,
        npi=clinic.npi,
        tin=clinic.tin,
        address=clinic.address,
        state=clinic.state,
        phone=clinic.phone,
    )


def check_placeholders(sheet: PriceSheet) -> None:
    """A Good Faith Estimate gives the clinic's own names and prices: refused while the
    sheet still holds any example of the starter sheet, naming each."""
    found = placeholders(sheet)
    if found:
        raise GfeError(
            "the price sheet still holds the starter sheet's examples "
            f"({'; '.join(p.where for p in found)}): a Good Faith Estimate must give the "
            "clinic's own names and prices",
            "sheet",
        )


def providers_of(sheet: PriceSheet) -> dict[str, Provider]:
    """Every provider of a sheet by key: the clinic first, then ``[providers.KEY]``."""
    return {CLINIC_KEY: provider_of(sheet), **{p.key: p for p in sheet.providers}}


@dataclass(frozen=True, slots=True, kw_only=True)
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
    if not is_self_pay(request.coverage):
        raise GfeError(SELF_PAY_ONLY, "coverage")
    if request.ride:
        raise GfeError("a Good Faith Estimate lists the clinic's charges only", "ride")


def estimate_for_gfe(request: EstimateRequest, sheet: PriceSheet) -> tuple[Estimate, Period]:
    """The self-pay estimate a Good Faith Estimate lists, cut to its first 12 months, and
    the period it covers. An EstimateError of the request passes through."""
    check_self_pay(request)
    full = estimate(request, sheet)
    start = full.schedule[0].date  # the first session as it falls (a start may move)
    end = add_months(start, MAX_MONTHS) - timedelta(days=1)
    last = full.schedule[-1].date
    if last <= end:
        return full, Period(start=start, end=end)
    cut = estimate(replace(request, until=end), sheet)
    return cut, Period(start=start, end=end, planned_sessions=len(full.schedule), planned_last=last)


def estimate_to_issue(request: EstimateRequest, sheet: PriceSheet) -> tuple[Estimate, Period]:
    """What a Good Faith Estimate is issued from, checked as every face checks it before
    issuing: the sheet's providers, the estimate cut to its first 12 months
    (:func:`estimate_for_gfe`), and its items. Raises EstimateError (or GfeError)."""
    providers_of(sheet)
    est, period = estimate_for_gfe(request, sheet)
    gfe_items(est)
    return est, period


@dataclass(frozen=True, slots=True, kw_only=True)
class Discounted:
    """A discount folded into an item: what it takes off each, and its condition (None
    for a discount every self-pay patient gets)."""

    label: str
    off: Money
    when: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class GfeItem:
    """One expected item or service, at its cash price after discounts."""

    label: str
    codes: tuple[Code, ...]
    quantity: int
    unit: Money | None
    """The price of each, or None when they differ."""
    amount: Money
    list_unit: Money | None = None
    """The price before discounts, when one applies."""
    provider: str = CLINIC_KEY
    """The key of the provider who bills it."""
    dates: tuple[date, ...] = ()
    discounts: tuple[Discounted, ...] = ()


def _coded(label: str, table: str, codes: tuple[Code, ...]) -> tuple[Code, ...]:
    if not codes:
        raise GfeError(
            f"{label!r} has no service code (CPT/HCPCS): a Good Faith Estimate lists every "
            f"item with its codes; add codes to [{table}] in the price sheet",
            "sheet",
        )
    return codes


def gfe_items(est: Estimate) -> tuple[GfeItem, ...]:
    """The typical scenario's items: sessions at what each is charged, so discounts are
    folded into the sessions they lower, then the fees. Every item must carry a service
    code (a GfeError naming the first that does not)."""
    treatment = est.treatment
    request = est.request
    shared = series(est.sheet, est.schedule, request.without, request.with_, est.treatment.key)
    scenario = est.scenarios["typical"]
    codes = _coded(treatment.label, f"treatments.{treatment.key}", treatment.billing)
    items = []
    for line in scenario.lines:
        if line.kind != "treatment":
            continue
        phase = INDUCTION if line.key == "induction" else MAINTENANCE
        offs = [(d, off) for d, off in discounts_off(shared.discounts, phase, line.unit) if off]
        each = cents(line.unit - sum((off for _, off in offs), Money(0)))
        dates = tuple(s.date for s in est.schedule if s.phase == phase)
        items.append(
            GfeItem(
                label=line.label,
                codes=codes,
                quantity=line.quantity,
                unit=each,
                amount=each * line.quantity,
                list_unit=cents(line.unit) if offs else None,
                provider=treatment.provider or CLINIC_KEY,
                dates=dates,
                discounts=tuple(Discounted(label=d.label, off=off, when=d.when) for d, off in offs),
            )
        )
    for dated in shared.fees:
        fee = dated.fee
        items.append(
            GfeItem(
                label=fee.label,
                codes=_coded(fee.label, f"fees.{fee.key}", fee.billing),
                quantity=len(dated.dates),
                unit=cents(fee.amount),
                amount=cents(fee.amount) * len(dated.dates),
                provider=fee.provider or CLINIC_KEY,
                dates=dated.dates,
            )
        )
    return tuple(items)


@dataclass(frozen=True, slots=True, kw_only=True)
class Subtotal:
    """One provider's items, added up: the $400 dispute line applies to each apart."""

    provider: Provider
    amount: Money


@dataclass(frozen=True, slots=True, kw_only=True)
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
    """The clinic: the convening provider."""
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
    subtotals: tuple[Subtotal, ...] = ()
    """Each provider with items, the clinic first, with its items added up."""
    due: date | None = None
    """When it was owed (45 CFR 149.610(b)), if it was."""
    quote: str | None = None
    """The id of the quote whose inputs it was issued from."""
    service: str = ""
    """The primary service's name: ``Ketamine infusion therapy: Chronic pain``."""
    description: str = ""
    """The primary service in plain language: route, length, observation, ride home."""


def make_gfe(
    est: Estimate,
    period: Period,
    *,
    id: str,
    issued: date,
    patient: str,
    dob: date,
    diagnoses: Sequence[str],
    scheduled: date | None,
    separately: Sequence[str],
    prepared_by: str | None = None,
    replaces: str | None = None,
    due: date | None = None,
    quote: str | None = None,
) -> GoodFaithEstimate:
    """A Good Faith Estimate of an estimate; items scheduled separately are tidied (one
    space between words) and blank ones dropped. Raises GfeError for a provider without
    its identity or an item without its codes."""
    providers = providers_of(est.sheet)
    items = gfe_items(est)
    subtotals = tuple(
        Subtotal(provider=p, amount=total(i.amount for i in items if i.provider == key))
        for key, p in providers.items()
        if any(i.provider == key for i in items)
    )
    return GoodFaithEstimate(
        id=id,
        issued=issued,
        patient=patient,
        dob=dob,
        prepared_by=prepared_by,
        replaces=replaces,
        provider=providers[CLINIC_KEY],
        diagnoses=tuple(diagnoses),
        scheduled=scheduled,
        separately=tuple(" ".join(s.split()) for s in separately if s.strip()),
        period=period,
        report=build_report(est),
        items=items,
        total=total(item.amount for item in items),
        subtotals=subtotals,
        due=due,
        quote=quote,
        service=service_title(est.treatment),
        description=service_description(est.treatment),
    )
