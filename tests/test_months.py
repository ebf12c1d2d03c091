"""Month by month: grouping an estimate's claims by calendar month (ketacost.months)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.coverage.shares import Coverage
from ketacost.estimate import Estimate, EstimateRequest, estimate
from ketacost.money import D, cents, total
from ketacost.months import by_month, first_month
from ketacost.request import build_request
from ketacost.schedule.sessions import Maintenance, parse_maintenance
from ketacost.sheet.load import load_sheet
from ketacost.sheet.model import SCENARIOS, PriceRange
from tests.conftest import START

SHEET = load_sheet(None)


def run(**kwargs: object) -> Estimate:
    request = build_request(SHEET, START, **kwargs)  # type: ignore[arg-type]
    return estimate(request, SHEET)


def test_induction_across_two_months() -> None:
    """6 sessions over 2 weeks from Mon 2026-11-23: 4 in November, 2 in December."""
    months = by_month(run())
    assert [(m.key, m.sessions) for m in months] == [("2026-11", 4), ("2026-12", 2)]
    assert months[0].charges == {"low": D("1600.00"), "typical": D("2400.00"), "high": D("3200.00")}
    assert months[1].out_of_pocket["typical"] == D("1200.00")
    assert months[1].running["typical"] == D("3600.00")


def test_months_without_sessions_are_kept() -> None:
    """Boosters every 6 weeks skip some months; those months show 0 sessions and $0."""
    months = by_month(run(maintenance=parse_maintenance("6w")))
    keys = [m.key for m in months]
    assert keys[0] == "2026-11"
    assert keys[-1] == "2027-11"
    assert len(keys) == 13  # every month, none skipped
    empty = [m for m in months if m.sessions == 0]
    assert empty
    assert all(m.out_of_pocket["typical"] == 0 for m in empty)


def test_plan_year_reset_shows_in_january() -> None:
    """With a $1,500 deductible, January's two boosters fall under the new deductible."""
    cov = Coverage(deductible=D("1500"), coinsurance=Decimal("0.2"))
    months = {
        m.key: m
        for m in by_month(run(maintenance=Maintenance(unit="weeks", every=4), coverage=cov))
    }
    assert months["2026-12"].out_of_pocket["typical"] == D("240.00")  # 2 x 20% of $600
    assert months["2027-01"].sessions == 2  # Jan 1 and Jan 29
    assert months["2027-01"].out_of_pocket["typical"] == D("1200.00")  # all deductible


def test_first_month() -> None:
    """The first calendar month's typical out of pocket."""
    assert first_month(by_month(run())) == D("2400.00")


def test_fees_land_in_their_month() -> None:
    """A per-series fee is billed with the first induction session's month."""

    from ketacost.sheet.model import Fee

    sheet = replace(
        SHEET, fees=(Fee(key="consult", label="Consultation", amount=D("250.00"), per="once"),)
    )
    est = estimate(build_request(sheet, START, start=date(2026, 11, 30)), sheet)
    months = by_month(est)
    assert months[0].charges["typical"] == D("850.00")  # one session + the consultation
    assert sum(m.sessions for m in months) == 6


def assert_months_add_up(est: Estimate) -> None:
    months = by_month(est)
    for name in SCENARIOS:
        result = est.scenarios[name]
        assert total(m.charges[name] for m in months) == result.charges
        assert total(m.out_of_pocket[name] for m in months) == result.out_of_pocket
        assert months[-1].running[name] == result.out_of_pocket
    assert sum(m.sessions for m in months) == est.scenarios["typical"].sessions


def test_months_add_up_to_the_totals() -> None:
    """Every scenario's months sum exactly, to the cent, to its totals."""
    cov = Coverage(
        network="out",
        deductible=D("1000"),
        copay=D("25"),
        coinsurance=Decimal("0.3"),
        oop_max=D("2500"),
        allowed=D("450"),
        plan_year_start=(7, 1),
    )
    assert_months_add_up(
        run(
            maintenance=Maintenance(unit="weeks", every=3),
            coverage=cov,
            months=18,
            condition="pain",
        )
    )


money = st.integers(min_value=0, max_value=300_000).map(lambda c: D(c) / 100)


@st.composite
def requests(draw: st.DrawFn) -> EstimateRequest:
    coverage = None
    if draw(st.booleans()):
        deductible = draw(money)
        coverage = Coverage(
            network=draw(st.sampled_from(["in", "out"])),
            deductible=deductible,
            deductible_met=cents(draw(st.integers(0, 100)) * deductible / 100),
            copay=draw(st.integers(0, 5000).map(lambda c: D(c) / 100)),
            coinsurance=D(draw(st.integers(0, 100))) / 100,
            oop_max=draw(st.none() | st.integers(300_000, 1_000_000).map(lambda c: D(c) / 100)),
            plan_year_start=draw(st.sampled_from([(1, 1), (7, 1), (10, 15)])),
        )
    low = draw(st.integers(10_000, 200_000))
    high = draw(st.integers(low, 300_000))
    price = draw(st.none() | st.just(PriceRange.between(D(low) / 100, D(high) / 100)))
    plan = draw(st.sampled_from(["none", "2w", "4w", "6w", "monthly", "3m"]))
    return EstimateRequest(
        start=date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 1500))),
        condition=draw(st.sampled_from(["depression", "pain"])),
        sessions=draw(st.integers(1, 12)),
        weeks=draw(st.integers(1, 6)),
        price=price,
        maintenance=parse_maintenance(plan),
        months=draw(st.integers(0, 24)),
        coverage=coverage,
    )


@settings(max_examples=150, deadline=None)
@given(requests())
def test_months_always_add_up(request: EstimateRequest) -> None:
    """Property: for any request, each scenario's months sum exactly to its totals."""
    assert_months_add_up(estimate(request, SHEET))
