"""Properties of the coverage math that hold for any plan and any claims (docs/coverage.md)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.coverage.shares import Claim, Coverage, CoverageError, apply_coverage, plan_year
from ketacost.money import CENTS, ZERO

FIRST = date(2026, 1, 1)

amounts = st.integers(min_value=0, max_value=300_000).map(lambda c: Decimal(c) * CENTS)
rates = st.integers(min_value=0, max_value=100).map(lambda p: Decimal(p) / 100)


@st.composite
def claims(draw: st.DrawFn) -> list[Claim]:
    """Sessions and fees on dates spread over about two plan years."""
    days = draw(st.lists(st.integers(min_value=0, max_value=730), min_size=1, max_size=20))
    result = []
    for number, offset in enumerate(sorted(days)):
        charge = draw(amounts)
        if draw(st.booleans()):
            result.append(
                Claim(
                    FIRST + timedelta(days=offset),
                    f"Session {number + 1}",
                    charge,
                    number,
                    "induction",
                )
            )
        else:
            result.append(Claim(FIRST + timedelta(days=offset), "Fee", charge))
    return result


@st.composite
def coverages(draw: st.DrawFn) -> Coverage:
    """Any consistent plan, in or out of network."""
    deductible = draw(amounts)
    deductible_met = draw(amounts.filter(lambda a: a <= deductible)) if deductible else ZERO
    oop_max = draw(st.none() | amounts.map(lambda a: a + deductible_met))
    oop_met = None
    if oop_max is not None and draw(st.booleans()):
        oop_met = draw(amounts.filter(lambda a: deductible_met <= a <= oop_max))
    allowed = draw(st.none() | amounts)
    copay = draw(amounts.filter(lambda a: allowed is None or a <= allowed))
    return Coverage(
        network=draw(st.sampled_from(["in", "out"])),
        deductible=deductible,
        deductible_met=deductible_met,
        copay=copay,
        coinsurance=draw(rates),
        oop_max=oop_max,
        oop_met=oop_met,
        allowed=allowed,
        plan_year_start=draw(st.sampled_from([(1, 1), (7, 1), (10, 15)])),
    )


@settings(max_examples=300)
@given(claims(), coverages())
def test_patient_and_plan_shares_add_up_to_the_allowed_amount(
    items: list[Claim], cov: Coverage
) -> None:
    """Per claim: patient share (without balance bill) + plan share = allowed, in cents."""
    for share in apply_coverage(items, cov):
        assert share.patient - share.balance_bill + share.plan == share.allowed
        assert (
            share.deductible + share.copay + share.coinsurance == share.patient - share.balance_bill
        )
        assert min(share.patient, share.plan, share.balance_bill) >= 0
        assert share.allowed <= share.claim.charge
        assert share.patient == share.patient.quantize(CENTS)


@settings(max_examples=300)
@given(claims(), coverages())
def test_patient_never_pays_more_than_the_oop_max_in_a_plan_year(
    items: list[Claim], cov: Coverage
) -> None:
    """Within each plan year the patient's share stays within the out-of-pocket maximum
    (less what was already met in the first year); only balance bills come on top."""
    if cov.oop_max is None:
        return
    paid: dict[int, Decimal] = defaultdict(lambda: ZERO)
    shares = apply_coverage(items, cov)
    for share in shares:
        paid[plan_year(share.claim.date, cov.plan_year_start)] += share.patient - share.balance_bill
    first = plan_year(shares[0].claim.date, cov.plan_year_start)
    for year, amount in paid.items():
        limit = cov.oop_max - (cov.starting_oop if year == first else ZERO)
        assert amount <= limit


@settings(max_examples=300)
@given(claims(), coverages(), st.data())
def test_more_coverage_never_costs_the_patient_more(
    items: list[Claim], cov: Coverage, data: st.DataObject
) -> None:
    """A lower deductible, copay, coinsurance or maximum, more already met, or any plan at
    all instead of self-pay: the patient never pays more."""

    def cost(c: Coverage | None) -> Decimal:
        return sum((s.patient for s in apply_coverage(items, c)), ZERO)

    better: dict[str, Any] = data.draw(
        st.sampled_from(
            [
                {"deductible": cov.deductible_met},
                {"copay": ZERO},
                {"coinsurance": cov.coinsurance / 2},
                {
                    "deductible_met": cov.deductible,
                    "oop_met": None if cov.oop_met is None else max(cov.oop_met, cov.deductible),
                },
                {"oop_max": cov.starting_oop},
                {"network": "in"},
            ]
        )
    )
    try:
        improved = replace(cov, **better)
    except CoverageError:
        return  # e.g. more deductible met than the maximum allows: not a plan
    assert cost(improved) <= cost(cov) <= cost(None)
