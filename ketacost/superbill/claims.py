"""Claims to follow up: each superbill's expected refund and when, the plan's filing
deadline, and what the insurer paid (docs/superbill.md, "Claims").

The refund forecast itself (the plan's out-of-network allowed amounts, deductible,
coinsurance and the days a claim takes) belongs to the coverage
(:mod:`ketacost.coverage.refunds`); this module reaches it through one function,
:func:`forecast_refund`, which turns each item of a superbill into a claim, and says
"unknown" when there is no out-of-network coverage to forecast with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from ketacost.coverage.fields import FILING_LIMIT
from ketacost.coverage.refunds import claim_days, filing_limit, forecast_refunds
from ketacost.coverage.shares import Claim as CoverageClaim
from ketacost.coverage.shares import Coverage, by_code, missing_codes, terms_in_use
from ketacost.money import D, format_money, format_percent, money_str, total
from ketacost.sheet.model import Code
from ketacost.superbill.statement import ServiceLine, Superbill, SuperbillError

FILING_DAYS_FALLBACK = FILING_LIMIT
"""Days from the date of service a claim is filed within when the plan's own limit is not
given: the coverage's default filing limit (:data:`~ketacost.coverage.fields.FILING_LIMIT`,
the short end of what plans allow), so a deadline shown is never later than the plan's."""


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundForecast:
    """What the plan is expected to pay back for a superbill, and when; ``amount`` and
    ``on`` are None while unknown, and ``basis`` says why or how."""

    amount: Decimal | None
    on: date | None
    basis: str


UNKNOWN = RefundForecast(
    amount=None,
    on=None,
    basis="unknown until the coverage gives the plan's out-of-network terms",
)

IN_NETWORK = RefundForecast(
    amount=None,
    on=None,
    basis="unknown: the coverage is in network, where the plan pays the clinic and no "
    "refund comes to the patient",
)


def superbill_claims(bill: Superbill) -> tuple[tuple[CoverageClaim, tuple[Code, ...]], ...]:
    """Each item of ``bill`` as a claim, with the codes it is billed with: its lines
    grouped by date and label, in their order; an item's codes (with units) are its
    lines' codes and its charge their sum. Every item counts as a session (numbered from
    0 in order), so a plan's one allowed amount per session caps each of them: never
    more than the plan would allow."""
    items: dict[tuple[date, str], list[ServiceLine]] = {}
    for line in bill.lines:
        items.setdefault((line.day, line.label), []).append(line)
    return tuple(
        (
            CoverageClaim(
                date=day,
                label=label,
                charge=total(line.charge for line in lines),
                session=index,
            ),
            tuple(
                Code(code=line.code, units=line.units, modifiers=line.modifiers) for line in lines
            ),
        )
        for index, ((day, label), lines) in enumerate(items.items())
    )


def _how_allowed(coverage: Coverage) -> str:
    """How the plan's allowed amount for an item is worked out, in words."""
    if by_code(coverage):
        percent = coverage.medicare_percent
        medicare = None if percent is None else f"{format_percent(percent)} of Medicare's fee"
        if coverage.oon_allowed and medicare is not None:
            return f"the plan's allowed amounts per code (else {medicare} per code)"
        if coverage.oon_allowed:
            return "the plan's allowed amounts per code"
        return f"{medicare} per code"
    if coverage.allowed is not None:
        return f"the plan's allowed amount of {format_money(coverage.allowed)} per item"
    return "the charge as the allowed amount"


def _basis(coverage: Coverage, filed: date) -> str:
    """How a forecast was made: the allowed amounts, the deductible met before the claim
    (the coverage's own figure) and the days the claim takes."""
    terms = terms_in_use(coverage)
    which = "out-of-network deductible" if coverage.oon_deductible is not None else "deductible"
    return (
        f"{_how_allowed(coverage)}; {format_money(terms.deductible_met)} of the "
        f"{format_money(terms.deductible)} {which} met before the claim; paid "
        f"{claim_days(coverage)} days after filing (filed {filed.isoformat()}, when issued)"
    )


def forecast_refund(bill: Superbill, coverage: Coverage | None = None) -> RefundForecast:
    """The refund expected for ``bill`` under the patient's ``coverage``: each item a
    claim (:func:`superbill_claims`) through
    :func:`~ketacost.coverage.refunds.forecast_refunds`, filed on the day the superbill
    was issued. The amount is the sum of the items' refunds, never more than the patient
    paid; the date, the latest one expected. What is met of the deductible before the
    claim is what the coverage says. In network, without a coverage, or with a code the
    plan's amounts per code do not cover, it is unknown (``basis`` says why): never a
    guess."""
    if coverage is None:
        return UNKNOWN
    if coverage.network != "out":
        return IN_NETWORK
    items = superbill_claims(bill)
    missing = missing_codes(coverage, [code.code for _, codes in items for code in codes])
    if missing:
        return RefundForecast(
            amount=None,
            on=None,
            basis=f"unknown: the plan's allowed amounts per code give none for "
            f"{', '.join(missing)}",
        )
    codes = dict(items)
    refunds = forecast_refunds(
        [claim for claim, _ in items], coverage, lambda claim: codes[claim], bill.issued
    )
    return RefundForecast(
        amount=min(total(r.refund for r in refunds), bill.paid),
        on=max(r.expected_on for r in refunds),
        basis=_basis(coverage, bill.issued),
    )


def filing_deadline(bill: Superbill, filing_days: int | None = None) -> date:
    """The last day to file the claim: the plan's limit (or :data:`FILING_DAYS_FALLBACK`)
    counted from the earliest date of service on it."""
    days = FILING_DAYS_FALLBACK if filing_days is None else filing_days
    return min(bill.sessions) + timedelta(days=days)


@dataclass(frozen=True, slots=True, kw_only=True)
class Payment:
    """What the insurer paid on a claim, as recorded (an entry of its own, never edited)."""

    id: str
    superbill: str
    amount: Decimal
    on: date
    forecast: Decimal | None = None
    """The refund forecast when it was recorded (None: unknown then)."""

    @property
    def difference(self) -> Decimal | None:
        """What was paid less what was forecast then (None when nothing was)."""
        return None if self.forecast is None else self.amount - self.forecast


@dataclass(frozen=True, slots=True, kw_only=True)
class Claim:
    """A superbill to follow up: its forecast, its deadline and the payments recorded."""

    bill: Superbill
    forecast: RefundForecast
    deadline: date
    filing_days: int
    payments: tuple[Payment, ...] = ()

    @property
    def received(self) -> Decimal | None:
        """What the insurer has paid so far (None: nothing recorded)."""
        return total(p.amount for p in self.payments) if self.payments else None

    @property
    def difference(self) -> Decimal | None:
        """Received less forecast, once both are known."""
        if self.received is None or self.forecast.amount is None:
            return None
        return self.received - self.forecast.amount


def claims_of(
    bills: Sequence[Superbill],
    payments: Sequence[Payment],
    coverage: Coverage | None = None,
    filing_days: int | None = None,
) -> list[Claim]:
    """A claim for each superbill, oldest date of service first, with its payments. The
    filing limit is ``filing_days``, else the coverage's own, else
    :data:`FILING_DAYS_FALLBACK`."""
    if filing_days is not None:
        days = filing_days
    else:
        days = FILING_DAYS_FALLBACK if coverage is None else filing_limit(coverage)
    return [
        Claim(
            bill=bill,
            forecast=forecast_refund(bill, coverage),
            deadline=filing_deadline(bill, days),
            filing_days=days,
            payments=tuple(p for p in payments if p.superbill == bill.id),
        )
        for bill in sorted(bills, key=lambda b: (min(b.sessions), b.id))
    ]


def check_payment(
    bill: Superbill, amount: Decimal, on: date, today: date, already: Decimal = Decimal(0)
) -> None:
    """An insurer's payment: on or after the first date of service, not in the future,
    and with what was ``already`` received never more than the patient paid (a refund
    cannot exceed it)."""

    if on > today:
        raise SuperbillError(f"{on.isoformat()} is in the future", "on")
    if on < min(bill.sessions):
        raise SuperbillError(
            f"{on.isoformat()} is before the first date of service on {bill.id}", "on"
        )
    if amount + already > bill.paid:
        raise SuperbillError(
            f"the insurer's payments ({format_money(amount + already)}) would be more than "
            f"the patient paid on {bill.id} ({format_money(bill.paid)})",
            "amount",
        )


def claims_data(claims: Sequence[Claim]) -> dict[str, Any]:
    """``{"claims": [...]}``: each superbill with its forecast, deadline and payments
    (money as two-decimal strings, dates ISO 8601, unknown as null)."""

    def amount(value: Decimal | None) -> str | None:
        return None if value is None else money_str(value)

    return {
        "claims": [
            {
                "superbill": c.bill.id,
                "source": c.bill.source,
                "patient": c.bill.patient.name,
                "sessions": [d.isoformat() for d in c.bill.sessions],
                "charged": money_str(c.bill.charged),
                "paid": money_str(c.bill.paid),
                "expected_refund": amount(c.forecast.amount),
                "expected_on": None if c.forecast.on is None else c.forecast.on.isoformat(),
                "forecast_basis": c.forecast.basis,
                "filing_deadline": c.deadline.isoformat(),
                "filing_days": c.filing_days,
                "received": amount(c.received),
                "difference": amount(c.difference),
                "payments": [
                    {"id": p.id, "amount": money_str(p.amount), "on": p.on.isoformat()}
                    for p in c.payments
                ],
            }
            for c in claims
        ]
    }


def payment_data(payment: Payment) -> dict[str, Any]:
    """The ``claim`` object a recorded payment keeps: what was paid on which superbill,
    when, the forecast made then and the difference from it (unknown as null). The id is
    its entry's, kept beside it."""
    difference = payment.difference
    return {
        "superbill": payment.superbill,
        "amount": money_str(payment.amount),
        "on": payment.on.isoformat(),
        "forecast": None if payment.forecast is None else money_str(payment.forecast),
        "difference": None if difference is None else money_str(difference),
    }


def payment_from_data(data: Mapping[str, Any], entry_id: str) -> Payment:
    """The payment a saved ``claim`` object (:func:`payment_data`) holds, with its entry's
    id; the difference is worked out again from the forecast, not read. Raises KeyError,
    TypeError or ValueError when damaged."""
    superbill, on, forecast = data["superbill"], data["on"], data["forecast"]
    if not isinstance(superbill, str) or not isinstance(on, str):
        raise TypeError("a payment's superbill and date are text")
    return Payment(
        id=entry_id,
        superbill=superbill,
        amount=D(data["amount"]),
        on=date.fromisoformat(on),
        forecast=None if forecast is None else D(forecast),
    )
