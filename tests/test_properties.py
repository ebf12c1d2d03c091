"""Properties of every estimate, over generated requests (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.coverage import Coverage
from ketacost.estimate import Estimate, EstimateRequest, estimate
from ketacost.money import ZERO, cents, total
from ketacost.schedule import Maintenance
from ketacost.sheet import SCENARIOS, PriceRange
from ketacost.sheet_load import load_sheet

SHEET = load_sheet()

amounts = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100)
prices = st.one_of(
    st.none(),
    amounts.map(PriceRange.exact),
    st.tuples(amounts, amounts).map(lambda p: PriceRange.between(min(p), max(p))),
)
plans = st.one_of(
    st.just(Maintenance()),
    st.integers(1, 12).map(lambda n: Maintenance("weeks", n)),
    st.integers(1, 3).map(lambda n: Maintenance("months", n)),
)


@st.composite
def coverages(draw: st.DrawFn) -> Coverage | None:
    if draw(st.booleans()):
        return None
    deductible = draw(amounts)
    met = cents(deductible * Decimal(draw(st.integers(0, 100))) / 100)
    oop_max = draw(st.one_of(st.none(), amounts.map(lambda a: a + deductible)))
    return Coverage(
        network=draw(st.sampled_from(["in", "out"])),
        deductible=deductible,
        deductible_met=met,
        copay=draw(st.sampled_from([ZERO, Decimal("25.00")])),
        coinsurance=Decimal(draw(st.integers(0, 100))) / 100,
        oop_max=oop_max,
        allowed=draw(st.one_of(st.none(), amounts.map(lambda a: a + Decimal(25)))),
        plan_year_start=draw(st.sampled_from([(1, 1), (7, 1), (10, 15)])),
    )


@st.composite
def requests(draw: st.DrawFn) -> EstimateRequest:
    return EstimateRequest(
        start=date(2026, 1, 1) + timedelta(days=draw(st.integers(0, 800))),
        condition=draw(st.sampled_from(["depression", "pain", "ptsd"])),
        sessions=draw(st.integers(1, 12)),
        weeks=draw(st.integers(1, 4)),
        price=draw(prices),
        maintenance=draw(plans),
        months=draw(st.integers(0, 24)),
        ride=draw(st.sampled_from([ZERO, Decimal("25.00")])),
        coverage=draw(coverages()),
    )


def _all_amounts(est: Estimate) -> list[Decimal]:
    found: list[Decimal] = []
    for result in est.scenarios.values():
        found += [
            result.charges,
            result.insurance_pays,
            result.out_of_pocket,
            result.other_costs,
            result.paid_up_front,
        ]
        for share in result.shares:
            found += [
                share.allowed,
                share.deductible,
                share.copay,
                share.coinsurance,
                share.patient,
                share.plan,
                share.balance_bill,
                share.adjustment,
            ]
    return found


@settings(max_examples=150, deadline=None)
@given(requests())
def test_low_typical_high_are_ordered(request: EstimateRequest) -> None:
    """Low <= typical <= high for charges and for what the patient pays."""
    est = estimate(request, SHEET)
    low, typical, high = (est.scenarios[s] for s in SCENARIOS)
    assert low.charges <= typical.charges <= high.charges
    assert low.out_of_pocket <= typical.out_of_pocket <= high.out_of_pocket


@settings(max_examples=150, deadline=None)
@given(requests())
def test_totals_are_sums_of_lines_to_the_cent(request: EstimateRequest) -> None:
    """Every total equals the sum of its lines; patient + plan + write-off = charges."""
    est = estimate(request, SHEET)
    for result in est.scenarios.values():
        assert result.charges == total(line.amount for line in result.lines)
        assert result.charges == total(share.claim.charge for share in result.shares)
        assert result.out_of_pocket + result.insurance_pays + result.adjustment == result.charges
        for share in result.shares:
            assert share.patient + share.plan + share.adjustment == share.claim.charge
            if request.coverage is not None:
                assert (
                    share.deductible + share.copay + share.coinsurance + share.balance_bill
                    == share.patient
                )
        for amount in _all_amounts(est):
            assert amount == cents(amount)


@settings(max_examples=150, deadline=None)
@given(requests())
def test_no_amount_is_negative(request: EstimateRequest) -> None:
    """No figure of an estimate is ever below zero."""
    assert all(amount >= 0 for amount in _all_amounts(estimate(request, SHEET)))


@settings(max_examples=100, deadline=None)
@given(requests())
def test_one_more_session_never_costs_less(request: EstimateRequest) -> None:
    """Adding an induction session never lowers charges or what the patient pays."""
    assert request.sessions is not None
    more = request._replace(sessions=request.sessions + 1)
    before, after = estimate(request, SHEET), estimate(more, SHEET)
    for name in SCENARIOS:
        assert after.scenarios[name].charges >= before.scenarios[name].charges
        assert after.scenarios[name].out_of_pocket >= before.scenarios[name].out_of_pocket
