"""The sentences an out-of-network estimate gains (docs/refunds.md): how the plan's
allowed amount is found, when the refunds are expected, and by when each claim must be
filed."""

from __future__ import annotations

from ketacost.coverage.fields import CLAIM_DAYS, FILING_LIMIT
from ketacost.coverage.refunds import claim_days, filing_limit
from ketacost.coverage.shares import CodeAmounts, Coverage
from ketacost.money import format_money, format_percent
from ketacost.report.model import Report
from ketacost.sheet.model import Scenario


def _amounts(pairs: CodeAmounts) -> str:
    return ", ".join(f"{code} {format_money(amount)}" for code, amount in pairs)


def allowed_text(cov: Coverage) -> str | None:
    """How the plan's allowed amount is found, when it is per code."""
    parts = []
    if cov.oon_allowed:
        parts.append(f"the plan's own amounts per unit ({_amounts(cov.oon_allowed)})")
    if cov.medicare_percent is not None:
        parts.append(
            f"{format_percent(cov.medicare_percent)} of Medicare's fee per unit "
            f"({_amounts(cov.medicare_fees)})"
        )
    if not parts:
        return None
    return "allowed amount per code is " + ", else ".join(parts) + ", never above the charge"


def refund_text(report: Report, scenario: Scenario = "typical") -> str | None:
    """Out of network: the terms used, when the refunds come and the filing deadline."""
    cov = report.request.coverage
    if cov is None or cov.network != "out":
        return None
    allowed = allowed_text(cov)
    terms = f"Out of network, the {allowed}. " if allowed else ""
    days, limit = claim_days(cov), filing_limit(cov)
    wait = f"about {days} days after each visit"
    if cov.claim_days is None:
        wait += f" (ketacost assumes {CLAIM_DAYS}, the late end of the usual 4 to 8 weeks)"
    deadline = f"within {limit} days of the visit"
    if cov.filing_limit is None:
        deadline += f" (the shortest common limit, {FILING_LIMIT} days: check your plan's)"
    back = report.scenarios[scenario].insurance_pays
    prefix = "" if report.exact else f"for the {scenario} estimate, "
    return (
        f"{terms}Refunds: {prefix}the plan is expected to pay back {format_money(back)} in "
        f"all, {wait}; file each claim (the clinic's superbill) {deadline}."
    )
