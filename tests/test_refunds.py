"""The out-of-network refund forecast (docs/refunds.md): the allowed amount per service
code or as a percent of Medicare's fee, the separate out-of-network deductible and
maximum, when each refund lands and by when the claim must be filed, the month stream;
and the property that bounds every refund."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.coverage.refunds import (
    CLAIM_DAYS,
    FILING_LIMIT,
    forecast_refunds,
    refund_months,
    refunds_of,
)
from ketacost.coverage.shares import Claim, Coverage, CoverageError, apply_coverage, missing_codes
from ketacost.money import ZERO, cents
from ketacost.sheet.model import Code
from tests.helpers import report_with

D = Decimal
DAY = date(2026, 3, 2)
IV = (Code(code="96365"), Code(code="J3490"))


def session(n: int, charge: str, day: date = DAY) -> Claim:
    return Claim(day, f"Session {n + 1}", D(charge), n, "induction")


def iv(claim: Claim) -> tuple[Code, ...]:
    """Every claim billed as an IV session: 96365 and J3490."""
    return IV


def out(**figures: object) -> Coverage:
    base: dict[str, object] = {"network": "out", "deductible": ZERO, "coinsurance": D("0.2")}
    return Coverage(**(base | figures))  # type: ignore[arg-type]


def test_allowed_per_code_is_the_sum_of_units_times_the_amounts() -> None:
    """96365 once at $180 and 96366 three times at $60: $360 allowed of a $600 charge."""
    codes = (Code(code="96365"), Code(code="96366", units=3))
    cov = out(oon_allowed=(("96365", D("180")), ("96366", D("60"))))
    (share,) = apply_coverage([session(0, "600")], cov, lambda claim: codes)
    assert share.allowed == D("360.00")
    assert share.plan == D("288.00")  # 80% of $360
    assert share.balance_bill == D("240.00")


def test_allowed_per_code_never_exceeds_the_charge() -> None:
    cov = out(oon_allowed=(("96365", D("500")), ("J3490", D("200"))))
    (share,) = apply_coverage([session(0, "600")], cov, iv)
    assert share.allowed == D("600")
    assert (share.plan, share.balance_bill) == (D("480.00"), ZERO)


def test_percent_of_medicare_rounds_each_code_to_the_cent() -> None:
    """150% of $71.37 is $107.055: $107.06 per unit, half up."""
    cov = out(
        medicare_percent=D("1.5"),
        medicare_fees=(("96365", D("71.37")), ("J3490", D("0"))),
    )
    (share,) = apply_coverage([session(0, "500")], cov, iv)
    assert share.allowed == D("107.06")


def test_the_plans_own_amount_comes_before_the_percent_of_medicare() -> None:
    cov = out(
        oon_allowed=(("J3490", D("25")),),
        medicare_percent=D("2"),
        medicare_fees=(("96365", D("70")),),
    )
    (share,) = apply_coverage([session(0, "500")], cov, iv)
    assert share.allowed == D("165")


def test_a_claim_without_codes_is_allowed_nothing_per_code() -> None:
    """A fee the sheet gives no code cannot be claimed: the patient keeps all of it."""
    cov = out(oon_allowed=(("96365", D("180")),))
    fee = Claim(DAY, "Consultation", D("250"))
    (share,) = apply_coverage([fee], cov, lambda claim: ())
    assert (share.allowed, share.plan, share.balance_bill) == (ZERO, ZERO, D("250"))


def test_codes_without_an_amount_are_named() -> None:
    cov = out(oon_allowed=(("96365", D("180")),))
    assert missing_codes(cov, ["96365", "J3490", "96366", "J3490"]) == ("J3490", "96366")
    assert missing_codes(out(), ["J3490"]) == ()  # not per code: nothing is missing
    inside = Coverage(network="in", oon_allowed=(("96365", D("180")),))
    assert missing_codes(inside, ["J3490"]) == ()


def test_a_flat_allowed_amount_in_network_may_sit_beside_amounts_per_code() -> None:
    """A file may describe both networks: in network the flat figure is used."""
    cov = Coverage(network="in", allowed=D("400"), oon_allowed=(("96365", D("180")),))
    (share,) = apply_coverage([session(0, "600")], cov, iv)
    assert share.allowed == D("400")


def test_in_network_ignores_the_out_of_network_amounts() -> None:
    cov = Coverage(network="in", coinsurance=D("0.2"), oon_allowed=(("96365", D("1")),))
    (share,) = apply_coverage([session(0, "600")], cov)
    assert share.allowed == D("600")


@pytest.mark.parametrize(
    ("figures", "field"),
    [
        ({"medicare_percent": D("1.5")}, "medicare_percent"),
        ({"medicare_percent": D("0"), "medicare_fees": (("96365", D("70")),)}, "medicare_percent"),
        ({"allowed": D("400"), "oon_allowed": (("96365", D("180")),)}, "allowed"),
        ({"oon_allowed": (("96 365", D("180")),)}, "oon_allowed"),
        ({"oon_allowed": (("96365", D("-1")),)}, "oon_allowed"),
        ({"claim_days": 0}, "claim_days"),
        ({"claim_days": 366}, "claim_days"),
        ({"filing_limit": 0}, "filing_limit"),
        ({"oon_oop_max": D("3000")}, "oon_oop_max"),
        ({"oon_deductible": D("3000")}, "oon_coinsurance"),
        (
            {
                "oon_deductible": D("3000"),
                "oon_coinsurance": D("0.4"),
                "oon_deductible_met": D("3500"),
            },
            "oon_deductible_met",
        ),
    ],
)
def test_contradictions_name_their_field(figures: dict[str, object], field: str) -> None:
    with pytest.raises(CoverageError) as caught:
        out(**figures)
    assert caught.value.field == field


def test_the_separate_out_of_network_terms_replace_the_in_network_ones() -> None:
    """In network the deductible is met; out of network $1,000 of its own is not."""
    cov = Coverage(
        network="out",
        deductible=D("500"),
        deductible_met=D("500"),
        coinsurance=D("0.2"),
        oon_deductible=D("1000"),
        oon_coinsurance=D("0.4"),
    )
    shares = apply_coverage([session(k, "600", DAY + timedelta(days=k)) for k in range(2)], cov)
    assert [s.plan for s in shares] == [ZERO, D("120.00")]  # 60% of the $200 left
    inside = replace(cov, network="in")
    assert [s.plan for s in apply_coverage([session(0, "600")], inside)] == [D("480.00")]


def test_refunds_land_claim_days_after_the_visit_and_must_be_filed_in_the_limit() -> None:
    (refund,) = forecast_refunds([session(0, "600")], out(claim_days=45, filing_limit=180))
    assert refund.expected_on == DAY + timedelta(days=45)
    assert refund.file_by == DAY + timedelta(days=180)
    assert (refund.paid, refund.refund, refund.kept) == (D("600"), D("480.00"), D("120.00"))


def test_the_defaults_are_sixty_days_to_pay_and_ninety_to_file() -> None:
    (refund,) = forecast_refunds([session(0, "600")], out())
    assert (CLAIM_DAYS, FILING_LIMIT) == (60, 90)
    assert refund.expected_on == DAY + timedelta(days=60)
    assert refund.file_by == DAY + timedelta(days=90)


def test_a_claim_filed_late_pays_later_but_keeps_its_deadline() -> None:
    filed = DAY + timedelta(days=20)
    (refund,) = forecast_refunds([session(0, "600")], out(claim_days=30), filed=filed)
    assert refund.expected_on == filed + timedelta(days=30)
    assert refund.file_by == DAY + timedelta(days=FILING_LIMIT)


def test_nothing_comes_back_in_network_or_self_pay() -> None:
    shares = apply_coverage([session(0, "600")], None)
    assert refunds_of(shares, None) == ()
    inside = Coverage(deductible=ZERO, coinsurance=D("0.2"))
    assert forecast_refunds([session(0, "600")], inside) == ()
    assert refund_months({"low": shares, "typical": shares, "high": shares}, None) == ()


def test_months_carry_the_balance_until_the_refund_lands() -> None:
    """Two $600 visits in March, refunds of $480 each 45 days later (April 16, 18)."""
    claims = [session(0, "600"), session(1, "600", DAY + timedelta(days=2))]
    shares = apply_coverage(claims, out(claim_days=45))
    months = refund_months({"low": shares, "typical": shares, "high": shares}, out(claim_days=45))
    assert [m.key for m in months] == ["2026-03", "2026-04"]
    assert [m.paid["typical"] for m in months] == [D("1200"), ZERO]
    assert [m.refunds["typical"] for m in months] == [ZERO, D("960.00")]
    assert [m.carried["typical"] for m in months] == [D("1200"), D("240.00")]


def test_months_between_visit_and_refund_are_all_shown() -> None:
    shares = apply_coverage([session(0, "600")], out(claim_days=100))
    months = refund_months({"low": shares, "typical": shares, "high": shares}, out(claim_days=100))
    assert [m.key for m in months] == ["2026-03", "2026-04", "2026-05", "2026-06"]
    assert [m.carried["typical"] for m in months] == [D("600")] * 3 + [D("120.00")]


money = st.decimals(min_value=0, max_value=5000, places=2)
plans = {
    "charges": st.lists(money, min_size=1, max_size=8),
    "per_code": money,
    "deductible": money,
    "met": st.integers(min_value=0, max_value=100),
    "coinsurance": st.integers(min_value=0, max_value=100),
    "copay": st.decimals(min_value=0, max_value=100, places=2),
    "gap": st.integers(min_value=0, max_value=200),
}


def _series(charges: list[Decimal], gap: int) -> list[Claim]:
    return [session(k, str(c), DAY + timedelta(days=gap * k)) for k, c in enumerate(charges)]


@settings(max_examples=300, deadline=None)
@given(**plans)
def test_a_refund_never_exceeds_the_plans_part_nor_what_was_paid(
    charges: list[Decimal],
    per_code: Decimal,
    deductible: Decimal,
    met: int,
    coinsurance: int,
    copay: Decimal,
    gap: int,
) -> None:
    """Every refund is at most (allowed - deductible still to meet) x (1 - coinsurance),
    to the cent, and at most what was paid at the visit; the refunds and what is kept add
    up to what was paid (across plan years: the deductible starts over on January 1)."""
    ded_met = cents(deductible * met / 100)
    cov = out(
        deductible=deductible,
        deductible_met=ded_met,
        coinsurance=D(coinsurance) / 100,
        copay=copay,
        oon_allowed=(("96365", per_code), ("J3490", ZERO)),
    )
    refunds = forecast_refunds(_series(charges, gap), cov, iv)
    left, year = deductible - ded_met, DAY.year
    for r in refunds:
        if r.share.claim.date.year != year:
            year, left = r.share.claim.date.year, deductible
        assert r.share.allowed <= min(per_code, r.paid)
        bound = cents(max(r.share.allowed - left, ZERO) * (1 - cov.coinsurance))
        assert ZERO <= r.refund <= bound
        assert r.refund <= r.paid
        left -= r.share.deductible
    assert sum((r.refund + r.kept for r in refunds), ZERO) == sum(charges, ZERO)


@settings(max_examples=300, deadline=None)
@given(**plans, above=money)
def test_with_a_maximum_a_refund_is_at_most_the_allowed_amount_past_the_deductible(
    charges: list[Decimal],
    per_code: Decimal,
    deductible: Decimal,
    met: int,
    coinsurance: int,
    copay: Decimal,
    gap: int,
    above: Decimal,
) -> None:
    """Once the out-of-pocket maximum (never below the deductible) is reached the plan
    pays all of the allowed amount, so the coinsurance bound no longer holds; what does:
    a refund never pays the deductible still to meet, never more than was paid, and the
    patient never bears more of the allowed amounts than the maximum."""
    ded_met = cents(deductible * met / 100)
    cov = out(
        deductible=deductible,
        deductible_met=ded_met,
        coinsurance=D(coinsurance) / 100,
        copay=copay,
        oop_max=deductible + above,
        oon_allowed=(("96365", per_code), ("J3490", ZERO)),
    )
    claims = _series(charges, gap)
    refunds = forecast_refunds(claims, cov, iv)
    left, year, borne = deductible - ded_met, DAY.year, ded_met
    for r in refunds:
        if r.share.claim.date.year != year:
            year, left, borne = r.share.claim.date.year, deductible, ZERO
        assert ZERO <= r.refund <= min(max(r.share.allowed - left, ZERO), r.paid)
        left -= r.share.deductible
        borne += r.share.allowed - r.refund
        assert borne <= deductible + above


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2027, 12, 31)),
    maintenance=st.sampled_from(["none", "4w", "monthly"]),
    deductible=st.integers(min_value=0, max_value=6000),
    coinsurance=st.integers(min_value=0, max_value=100),
    per_code=st.one_of(st.none(), st.integers(min_value=0, max_value=900)),
    days=st.integers(min_value=1, max_value=365),
)
def test_the_months_of_an_estimate_add_up_to_its_totals(
    start: date,
    maintenance: str,
    deductible: int,
    coinsurance: int,
    per_code: int | None,
    days: int,
) -> None:
    """Out of network, the cash paid per month adds up to what is paid up front, the
    refunds to what the plan pays, each lands ``claim_days`` after its visit, and the
    balance carried at the end is the net cost, in every scenario."""
    amounts = () if per_code is None else (("96365", D(per_code)), ("J3490", ZERO))
    cov = out(
        deductible=D(deductible),
        coinsurance=D(coinsurance) / 100,
        oon_allowed=amounts,
        claim_days=days,
    )
    report = report_with(coverage=cov, start=start, maintenance=maintenance)
    months = report.refund_months
    assert [m.start for m in months] == sorted({m.start for m in months})
    for name, figures in report.scenarios.items():
        assert sum((m.paid[name] for m in months), ZERO) == figures.paid_up_front
        assert sum((m.refunds[name] for m in months), ZERO) == figures.insurance_pays
        assert months[-1].carried[name] == figures.out_of_pocket
        for r in refunds_of(figures.claims, cov):
            assert r.expected_on - r.share.claim.date == timedelta(days=days)
            assert r.refund <= r.paid
