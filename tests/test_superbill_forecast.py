"""A superbill's refund forecast (docs/superbill.md, "Claims"): each item of the superbill
is a claim run through the out-of-network refund forecast (ketacost.coverage.refunds),
worked out by hand to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ketacost.coverage.shares import Coverage
from ketacost.superbill.claims import claims_of, forecast_refund
from tests.test_superbill_core import DAYS, bill

ISSUED = date(2026, 12, 31)
"""The day the superbills of tests.test_superbill_core are issued (and filed)."""


def out(**terms: object) -> Coverage:
    return Coverage(network="out", **terms)  # type: ignore[arg-type]


def test_inside_the_deductible_nothing_comes_back_then_the_rest_is_shared() -> None:
    # Dec 7: the session ($600) and the intake ($250); Dec 9: a session ($600). $1,000 of
    # the $5,000 deductible is left: $600 + $250 + $150 of the second session go to it;
    # the other $450 is shared: 40% coinsurance $180, the plan pays back $270.00.
    plan = out(deductible=Decimal(5000), deductible_met=Decimal(4000),
               coinsurance=Decimal("0.4"))  # fmt: skip
    forecast = forecast_refund(bill(DAYS[:2], "1450"), plan)
    assert forecast.amount == Decimal("270.00")
    assert forecast.on == date(2027, 3, 1)  # filed when issued, Dec 31, + 60 days
    assert "$4,000.00 of the $5,000.00 deductible met before the claim" in forecast.basis
    assert "the charge" in forecast.basis and "60 days" in forecast.basis
    # the first day alone is inside the deductible: nothing comes back, on a known date
    inside = forecast_refund(bill(DAYS[:1], "850"), plan)
    assert (inside.amount, inside.on) == (Decimal("0.00"), date(2027, 3, 1))


def test_allowed_amounts_per_code_and_never_more_than_was_paid() -> None:
    # No deductible, 20% coinsurance. A session (96365 + J3490) is allowed $450 + $0,
    # refund 80% = $360.00; the intake (99204) is allowed $180 (below its $250 charge),
    # refund $144.00. Dec 7 and 9: $360 + $144 + $360 = $864.00, 45 days after Dec 31.
    plan = out(coinsurance=Decimal("0.2"), claim_days=45,
               oon_allowed=(("96365", Decimal(450)), ("J3490", Decimal(0)),
                            ("99204", Decimal(180))))  # fmt: skip
    forecast = forecast_refund(bill(DAYS[:2], "1450"), plan)
    assert forecast.amount == Decimal("864.00")
    assert forecast.on == date(2027, 2, 14)
    assert "allowed amounts per code" in forecast.basis and "45 days" in forecast.basis
    # paid $500 of the $1,450: the refund is never more than what was paid
    assert forecast_refund(bill(DAYS[:2], "500"), plan).amount == Decimal("500.00")


def test_percent_of_medicare_with_a_separate_out_of_network_deductible() -> None:
    # 150% of Medicare's fee: the session is allowed 1.5 x $70.00 + 0 = $105.00, the
    # intake 1.5 x $110.55 = $165.825, $165.83. The in-network deductible is met; the
    # out-of-network one ($100, none met) takes $100 of the session, 20% of the other
    # $5.00 is $1.00: refund $4.00. The intake: 20% of $165.83 = $33.166, $33.17:
    # refund $132.66. Together $136.66.
    plan = out(deductible=Decimal(500), deductible_met=Decimal(500),
               coinsurance=Decimal("0.1"), oon_deductible=Decimal(100),
               oon_coinsurance=Decimal("0.2"), medicare_percent=Decimal("1.5"),
               medicare_fees=(("96365", Decimal("70.00")), ("J3490", Decimal(0)),
                              ("99204", Decimal("110.55"))))  # fmt: skip
    forecast = forecast_refund(bill(DAYS[:1], "850"), plan)
    assert forecast.amount == Decimal("136.66")
    assert "150% of Medicare's fee per code" in forecast.basis
    assert "$0.00 of the $100.00 out-of-network deductible met" in forecast.basis


def test_in_network_without_a_coverage_or_a_code_without_an_amount_stays_unknown() -> None:
    made = bill(DAYS[:1], "850")
    alone = forecast_refund(made)
    assert alone.amount is None and "coverage" in alone.basis
    inside = forecast_refund(made, Coverage(network="in", coinsurance=Decimal("0.2")))
    assert inside.amount is None and "in network" in inside.basis
    short = out(oon_allowed=(("96365", Decimal(450)), ("J3490", Decimal(0))))
    missing = forecast_refund(made, short)
    assert missing.amount is None and "99204" in missing.basis


def test_the_filing_limit_is_the_plans_unless_given() -> None:
    made = bill(DAYS[:1], "850")
    (claim,) = claims_of([made], [], out(filing_limit=180))
    assert (claim.filing_days, claim.deadline) == (180, date(2027, 6, 5))
    (given,) = claims_of([made], [], out(filing_limit=180), 30)
    assert (given.filing_days, given.deadline) == (30, date(2027, 1, 6))
    (fallback,) = claims_of([made], [], out())
    assert fallback.filing_days == 90
