"""The plan's allowed amount for a claim: the figure out-of-network reimbursement is
worked out from (docs/refunds.md).

By default it is the clinic's charge, or one amount per session (``allowed``). Out of
network a plan usually allows an amount per service code: its own fee schedule
(``oon_allowed``), or a percent of Medicare's fee for the code (``medicare_percent`` with
``medicare_fees``). A claim's allowed amount is then the sum, over the codes it is billed
with, of the amount per unit times the units, and never more than the charge (a plan
allows the lesser of its figure and what was billed). Each per-unit amount is rounded to
the cent first, so the parts add up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from ketacost.money import ZERO, Money, cents, total

if TYPE_CHECKING:
    from ketacost.coverage.shares import Claim, Coverage
    from ketacost.sheet.model import Code

Billed: TypeAlias = "Callable[[Claim], Sequence[Code]]"
"""The service codes a claim is billed with, and their units."""

CodeAmounts = tuple[tuple[str, Money], ...]
"""Amounts per service code, in the order given: ``(("96365", Decimal("180")), ...)``."""

CLAIM_DAYS = 60
"""Days from filing a claim to the plan's payment when the plan's own figure is not
given: the late end of the 4 to 8 weeks an out-of-network claim usually takes
(superbilled.com, 'How Long Does Insurance Reimbursement for Therapy Take?', 2026-02-09:
processing 14-30 days, payment 30-60 days after filing). The late end, so a forecast is
never early."""

FILING_LIMIT = 90
"""Days after the visit within which the plan must receive the claim, when the plan's own
limit is not given: the shortest limit commonly found (plans allow 90 to 365 days,
superbilled.com, 2026-02-09), so no deadline shown is later than the plan's."""

MAX_CLAIM_DAYS = 365
MAX_FILING_LIMIT = 3 * 365
MAX_MEDICARE_PERCENT = Decimal(10)  # 1,000%
MAX_CODES = 200
MAX_CODE_LENGTH = 16


def by_code(coverage: Coverage) -> bool:
    """Out of network with amounts per service code."""
    return coverage.network == "out" and (
        bool(coverage.oon_allowed) or coverage.medicare_percent is not None
    )


def per_unit(coverage: Coverage, code: str) -> Money | None:
    """What the plan allows for one unit of ``code``: its own amount, else its percent of
    Medicare's fee (rounded to the cent); None when it gives neither."""
    own = dict(coverage.oon_allowed).get(code)
    if own is not None:
        return own
    if coverage.medicare_percent is None:
        return None
    fee = dict(coverage.medicare_fees).get(code)
    return None if fee is None else cents(fee * coverage.medicare_percent)


def allowed_amount(claim: Claim, coverage: Coverage, billed: Billed | None = None) -> Money:
    """The plan's allowed amount for one claim, never above its charge. Out of network by
    code, a claim billed with no code (or a code without an amount, which
    :func:`missing_codes` refuses first) is allowed nothing: it cannot be claimed."""
    if by_code(coverage):
        codes = billed(claim) if billed is not None else ()
        parts = ((per_unit(coverage, c.code) or ZERO) * c.units for c in codes)
        return min(claim.charge, total(parts))
    if claim.session is not None and coverage.allowed is not None:
        return min(claim.charge, coverage.allowed)
    return claim.charge


def missing_codes(coverage: Coverage | None, codes: Iterable[str]) -> tuple[str, ...]:
    """The codes billed that the plan's amounts per code do not cover, each once, in
    order; empty when the allowed amount is not per code."""
    if coverage is None or not by_code(coverage):
        return ()
    missing: list[str] = []
    for code in codes:
        if per_unit(coverage, code) is None and code not in missing:
            missing.append(code)
    return tuple(missing)


def _check_codes(amounts: CodeAmounts, field: str) -> tuple[str, str] | None:
    if len(amounts) > MAX_CODES:
        return f"{field} gives more than {MAX_CODES} codes", field
    for code, amount in amounts:
        if not (0 < len(code) <= MAX_CODE_LENGTH and code.isascii() and code.isalnum()):
            return f"{field}: {code[:MAX_CODE_LENGTH]!r} is not a service code", field
        if amount < 0:
            return f"{field}: the amount for {code} is negative", field
    return None


def allowed_problem(coverage: Coverage) -> tuple[str, str] | None:
    """The first contradiction among the figures the allowed amount and the refund's
    timing come from, as (message, field), or None."""
    if not (
        coverage.oon_allowed
        or coverage.medicare_fees
        or coverage.medicare_percent is not None
        or coverage.claim_days is not None
        or coverage.filing_limit is not None
    ):
        return None  # none given (the usual plan): nothing to check
    for amounts, field in (
        (coverage.oon_allowed, "oon_allowed"),
        (coverage.medicare_fees, "medicare_fees"),
    ):
        problem = _check_codes(amounts, field)
        if problem:
            return problem
    percent = coverage.medicare_percent
    if percent is not None:
        if not 0 < percent <= MAX_MEDICARE_PERCENT:
            return "the percent of Medicare's fee must be above 0 and at most 1,000%", (
                "medicare_percent"
            )
        if not coverage.medicare_fees:
            return (
                "a percent of Medicare's fee needs Medicare's fee for each code billed "
                "(medicare_fees in the coverage file)",
                "medicare_percent",
            )
    per_code = coverage.oon_allowed or percent is not None
    if coverage.network == "out" and coverage.allowed is not None and per_code:
        return (
            "give the allowed amount per session or per code (oon_allowed, "
            "medicare_percent), not both",
            "allowed",
        )
    for days, most, field, what in (
        (coverage.claim_days, MAX_CLAIM_DAYS, "claim_days", "the days a claim takes to pay"),
        (coverage.filing_limit, MAX_FILING_LIMIT, "filing_limit", "the filing limit"),
    ):
        if days is not None and not 1 <= days <= most:
            return f"{what} must be from 1 to {most} days, not {days}", field
    return None
