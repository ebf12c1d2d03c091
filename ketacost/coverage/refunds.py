"""The out-of-network refund forecast: what the plan pays back for each claim, and when
(docs/refunds.md).

Out of network the patient pays the clinic in full at the visit, files the claim (a
superbill), and the plan pays back its part of the allowed amount weeks later. The
amount is the plan's part that :func:`~ketacost.coverage.shares.apply_coverage` works
out (the allowed amount less the deductible still to meet, less the copay and
coinsurance, capped by the out-of-pocket maximum); this module adds the dates: when the
refund is expected and by when the claim must be filed. The month stream puts each
payment in the month it is made and each refund in the month it lands, with the balance
the patient carries in between.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ketacost.coverage.fields import CLAIM_DAYS, FILING_LIMIT
from ketacost.coverage.shares import Billed, Claim, Coverage, Share, apply_coverage
from ketacost.money import ZERO, Money, total
from ketacost.schedule.sessions import month_starts
from ketacost.sheet.model import SCENARIOS, Scenario

__all__ = [
    "CLAIM_DAYS",
    "FILING_LIMIT",
    "Refund",
    "RefundMonth",
    "forecast_refunds",
    "refund_months",
    "refunds_of",
]


@dataclass(frozen=True, slots=True, kw_only=True)
class Refund:
    """One claim's refund: what was paid at the visit, what the plan pays back, when."""

    share: Share
    paid: Money
    """Paid to the clinic at the visit (the whole charge)."""
    refund: Money
    """What the plan pays back (0 inside the deductible: the claim still counts toward it)."""
    expected_on: date
    """When the refund (or, for 0, the plan's statement) is expected."""
    file_by: date
    """The last day the plan accepts the claim (the visit plus the filing limit)."""

    @property
    def kept(self) -> Money:
        """What the patient bears for the claim once the refund has come."""
        return self.paid - self.refund


def claim_days(coverage: Coverage) -> int:
    return CLAIM_DAYS if coverage.claim_days is None else coverage.claim_days


def filing_limit(coverage: Coverage) -> int:
    return FILING_LIMIT if coverage.filing_limit is None else coverage.filing_limit


def refunds_of(
    shares: Sequence[Share], coverage: Coverage | None, filed: date | None = None
) -> tuple[Refund, ...]:
    """The refund of each claim already through coverage, in their order; empty unless
    the plan is out of network (in network the plan pays the clinic, nothing comes back).
    Each claim is taken as filed on its visit, or on ``filed`` when that is later."""
    if coverage is None or coverage.network != "out":
        return ()
    wait = timedelta(days=claim_days(coverage))
    limit = timedelta(days=filing_limit(coverage))
    return tuple(
        Refund(
            share=share,
            paid=share.paid_up_front,
            refund=share.plan,
            expected_on=max(share.claim.date, filed or share.claim.date) + wait,
            file_by=share.claim.date + limit,
        )
        for share in shares
    )


def forecast_refunds(
    claims: Sequence[Claim],
    coverage: Coverage,
    billed: Billed | None = None,
    filed: date | None = None,
) -> tuple[Refund, ...]:
    """Each claim's expected refund and dates: coverage applied in date order (the
    deductible and maximum met by the earlier claims count), then :func:`refunds_of`.
    ``billed`` gives each claim's service codes (for a plan allowing amounts per code);
    ``filed``, the day the claims are filed when later than the visits. The refunds come
    in date order (on one date, sessions before fees)."""
    return refunds_of(apply_coverage(claims, coverage, billed), coverage, filed)


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundMonth:
    """One calendar month of cash out of network, per scenario."""

    start: date
    """The first day of the month."""
    paid: Mapping[Scenario, Money]
    """Paid to the clinic at this month's visits."""
    refunds: Mapping[Scenario, Money]
    """Refunds expected to land this month (for visits of this month or earlier)."""
    carried: Mapping[Scenario, Money]
    """Paid so far less refunds received so far: what the patient carries at the end
    of the month. At the last month it is the net cost."""

    @property
    def key(self) -> str:
        """``YYYY-MM``."""
        return f"{self.start:%Y-%m}"


def refund_months(
    claims: Mapping[Scenario, Sequence[Share]], coverage: Coverage | None
) -> tuple[RefundMonth, ...]:
    """Every calendar month from the first visit to the last refund, none skipped;
    empty unless the plan is out of network. Each figure is a sum of the claims' own
    rounded figures, so the months add up to the totals to the cent."""
    refunds = {name: refunds_of(claims[name], coverage) for name in SCENARIOS}
    paid: dict[tuple[Scenario, date], list[Money]] = {}
    back: dict[tuple[Scenario, date], list[Money]] = {}
    days: list[date] = []
    for name in SCENARIOS:
        for r in refunds[name]:
            visit = r.share.claim.date.replace(day=1)
            paid.setdefault((name, visit), []).append(r.paid)
            days.append(r.share.claim.date)
            if r.refund:
                lands = r.expected_on.replace(day=1)
                back.setdefault((name, lands), []).append(r.refund)
                days.append(r.expected_on)
    if not days:
        return ()
    months: list[RefundMonth] = []
    carried: dict[Scenario, Money] = dict.fromkeys(SCENARIOS, ZERO)
    for current in month_starts(min(days), max(days)):
        out = {name: total(paid.get((name, current), ())) for name in SCENARIOS}
        came = {name: total(back.get((name, current), ())) for name in SCENARIOS}
        for name in SCENARIOS:
            carried[name] = carried[name] + out[name] - came[name]
        months.append(RefundMonth(start=current, paid=out, refunds=came, carried=dict(carried)))
    return tuple(months)
