"""The coverage loop against the steps of docs/coverage.md, written again from the doc as
a plain loop (not a copy of ketacost.coverage.shares), so the two can disagree."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.coverage.shares import (
    Claim,
    Coverage,
    CoverageError,
    apply_coverage,
    plan_year,
)
from ketacost.money import cents

CENT = Decimal("0.01")


def _year_began(day: date, start: tuple[int, int]) -> date:
    """The first day of the plan year that holds ``day`` (a plan year starting on
    February 29 starts on March 1 in a common year)."""
    month, dom = start
    year = day.year
    while True:
        try:
            first = date(year, month, dom)
        except ValueError:
            first = date(year, 3, 1)
        if first <= day:
            return first
        year -= 1


def reference(claims: Sequence[Claim], cov: Coverage) -> list[tuple[object, ...]]:
    """docs/coverage.md, "How insurance is applied", steps 1 to 7 and "Out of network",
    written from the doc alone: a plain loop that keeps what is left of the allowed amount
    and of the maximum, as the doc's worked example 2 does on paper. It shares nothing
    with ketacost.coverage.shares but the Claim and Coverage records."""
    sessions_first = sorted(claims, key=lambda c: (c.date, 0 if c.session is not None else 1))
    deductible_met = cov.deductible_met
    oop_met = cov.deductible_met if cov.oop_met is None else cov.oop_met
    year_of_first = None
    copays_paid: dict[date, Decimal] = {}
    rows: list[tuple[object, ...]] = []
    for claim in sessions_first:
        # step 6: the accumulators start over on each plan year's first day
        this_year = _year_began(claim.date, cov.plan_year_start)
        if year_of_first is None:
            year_of_first = this_year
        elif this_year != year_of_first:
            year_of_first = this_year
            deductible_met = Decimal(0)
            oop_met = Decimal(0)
        # step 1: the allowed amount, per session only, never above the charge
        allowed = claim.charge
        if claim.session is not None and cov.allowed is not None and cov.allowed < allowed:
            allowed = cov.allowed
        left = allowed
        # step 2: the deductible still to meet
        to_deductible = cov.deductible - deductible_met
        to_deductible = min(to_deductible, left)
        left -= to_deductible
        # step 3: one copay per visit date, never more than what is left of A
        copay = cov.copay - copays_paid.get(claim.date, Decimal(0))
        copay = min(copay, left)
        left -= copay
        # step 4: the coinsurance of what is left, to the cent, half up
        coinsurance = (cov.coinsurance * left).quantize(CENT, ROUND_HALF_UP)
        # step 5: the patient's share capped at what is left of the maximum, taken in the
        # order the steps charge it (deductible, then copay, then coinsurance)
        if cov.oop_max is not None:
            room = cov.oop_max - oop_met
            if room < 0:
                room = Decimal(0)
            parts = []
            for part in (to_deductible, copay, coinsurance):
                paid = part if part <= room else room
                room -= paid
                parts.append(paid)
            to_deductible, copay, coinsurance = parts
        patient_share = to_deductible + copay + coinsurance
        deductible_met += to_deductible
        oop_met += patient_share
        copays_paid[claim.date] = copays_paid.get(claim.date, Decimal(0)) + copay
        # out of network: paid in full up front, and the charge above A is balance-billed
        if cov.network == "out":
            balance_bill = claim.charge - allowed
            up_front = claim.charge
        else:
            balance_bill = Decimal(0)
            up_front = patient_share
        rows.append(
            (
                claim.date,
                claim.label,
                allowed,
                to_deductible,
                copay,
                coinsurance,
                balance_bill,
                patient_share + balance_bill,
                allowed - patient_share,  # step 7: the plan pays the rest of A
                up_front,
            )
        )
    return rows


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
    """Every share equals the plain steps of docs/coverage.md, and every figure is in cents."""
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
    assert got == reference(items, cov)
    figures = [v for row in got for v in row if isinstance(v, Decimal)]
    assert all(v.as_tuple().exponent == -2 for v in figures)  # money to the cent


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
