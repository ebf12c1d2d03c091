"""The coverage loop against the steps of docs/coverage.md written out again (docs/coverage.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.coverage import (
    Claim,
    Coverage,
    CoverageError,
    apply_coverage,
    plan_year,
)
from ketacost.money import ZERO, cents


def reference(claims: Sequence[Claim], cov: Coverage) -> list[tuple[object, ...]]:
    """docs/coverage.md step by step, as first written: min() and max() spelled out."""
    result: list[tuple[object, ...]] = []
    year: int | None = None
    ded_met, oop_met = cov.deductible_met, cov.starting_oop
    copay_used: dict[object, Decimal] = {}  # one copay per visit (date)
    for claim in sorted(claims, key=lambda c: (c.date, c.session is None)):
        this_year = plan_year(claim.date, cov.plan_year_start)
        if year is not None and this_year != year:
            ded_met, oop_met = ZERO, ZERO
        year = this_year
        allowed = claim.charge
        if claim.session is not None and cov.allowed is not None:
            allowed = min(claim.charge, cov.allowed)
        to_deductible = min(allowed, cov.deductible - ded_met)
        rest = allowed - to_deductible
        copay = min(cov.copay - copay_used.get(claim.date, ZERO), rest)
        rest -= copay
        coinsurance = cents(cov.coinsurance * rest)
        if cov.oop_max is not None:
            room = max(cov.oop_max - oop_met, ZERO)
            coinsurance = min(coinsurance, max(room - to_deductible - copay, ZERO))
            copay = min(copay, max(room - to_deductible, ZERO))
            to_deductible = min(to_deductible, room)
        share = to_deductible + copay + coinsurance
        ded_met += to_deductible
        oop_met += share
        copay_used[claim.date] = copay_used.get(claim.date, ZERO) + copay
        balance = claim.charge - allowed if cov.network == "out" else ZERO
        up_front = claim.charge if cov.network == "out" else share
        result.append(
            (
                claim.date,
                claim.label,
                allowed,
                to_deductible,
                copay,
                coinsurance,
                balance,
                share + balance,
                allowed - share,
                up_front,
            )
        )
    return result


amounts = st.integers(min_value=0, max_value=300_000).map(lambda c: Decimal(c) / 100)
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2029, 12, 31))
claims = st.lists(
    st.builds(
        lambda day, charge, session: Claim(
            day,
            "x" if session is None else f"Session {session}",
            cents(charge),
            session,
            None if session is None else "induction",
        ),
        days,
        amounts,
        st.one_of(st.none(), st.integers(min_value=0, max_value=50)),
    ),
    max_size=30,
)
month_days = st.tuples(st.integers(1, 12), st.integers(1, 31)).filter(
    lambda md: md[1] <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][md[0] - 1]
)


@st.composite
def coverages(draw: st.DrawFn) -> Coverage:
    deductible = cents(draw(amounts))
    oop_max = draw(st.one_of(st.none(), amounts.map(lambda a: cents(a + deductible))))
    met = cents(draw(amounts).min(deductible))
    oop_met = draw(st.one_of(st.none(), amounts.map(lambda a: cents(a + met))))
    if oop_met is not None and oop_max is not None:
        oop_met = cents(oop_met.min(oop_max))
    allowed = draw(st.one_of(st.none(), amounts.map(cents)))
    copay = cents(draw(amounts).min(allowed if allowed is not None else Decimal(10**7)))
    return Coverage(
        network=draw(st.sampled_from(["in", "out"])),
        deductible=deductible,
        deductible_met=met,
        copay=copay,
        coinsurance=Decimal(draw(st.integers(0, 100))) / 100,
        oop_max=oop_max,
        oop_met=None if oop_met is None else cents(oop_met),
        allowed=allowed,
        plan_year_start=draw(month_days),
    )


@settings(max_examples=400, deadline=None)
@given(claims, coverages())
def test_apply_coverage_matches_the_plain_steps(items: list[Claim], cov: Coverage) -> None:
    """Every share, to the digit (exponent included), equals the plain steps of docs/coverage.md."""
    got = [
        (
            s.claim.date,
            s.claim.label,
            s.allowed,
            s.deductible,
            s.copay,
            s.coinsurance,
            s.balance_bill,
            s.patient,
            s.plan,
            s.paid_up_front,
        )
        for s in apply_coverage(items, cov)
    ]
    expected = reference(items, cov)
    assert [tuple(map(str, row)) for row in got] == [tuple(map(str, row)) for row in expected]


def test_plan_year_changes_on_its_first_day() -> None:
    """plan_year() moves on at the plan year's first day and not the day before; a plan
    year starting on 02-29 begins on March 1 in a common year."""
    for month in range(1, 13):
        for day in range(1, 32):
            try:
                date(2024, month, day)
            except ValueError:
                continue
            for year in range(2023, 2030):
                try:
                    first = date(year, month, day)
                except ValueError:
                    first = date(year, 3, 1)
                assert plan_year(first, (month, day)) == year
                assert plan_year(first - timedelta(days=1), (month, day)) == year - 1


@pytest.mark.parametrize("bad", [(2, 30), (4, 31), (13, 1), (0, 1)])
def test_plan_year_start_must_be_a_day(bad: tuple[int, int]) -> None:
    """Coverage refuses a plan year starting on a day no year has."""
    with pytest.raises(CoverageError, match="the plan year cannot start on"):
        Coverage(plan_year_start=bad)


def test_spec_worked_examples() -> None:
    """docs/coverage.md: $100 at 20% ($20 or $100); $400 visit: $340 patient, $60 plan."""
    day = date(2026, 3, 2)
    visit = [Claim(day, "Visit", Decimal("100.00"), 0, "induction")]
    met = Coverage(deductible=Decimal(500), deductible_met=Decimal(500), coinsurance=Decimal("0.2"))
    unmet = Coverage(deductible=Decimal(500), coinsurance=Decimal("0.2"))
    assert apply_coverage(visit, met)[0].patient == Decimal("20.00")
    assert apply_coverage(visit, unmet)[0].patient == Decimal("100.00")
    big = [Claim(day, "Visit", Decimal("400.00"), 0, "induction")]
    cov = Coverage(
        deductible=Decimal(1000),
        deductible_met=Decimal(700),
        copay=Decimal(25),
        coinsurance=Decimal("0.2"),
    )
    share = apply_coverage(big, cov)[0]
    assert [share.deductible, share.copay, share.coinsurance] == [300, 25, 15]
    assert (share.patient, share.plan) == (Decimal("340.00"), Decimal("60.00"))
