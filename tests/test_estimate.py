"""The estimate's figures from issue 2 and docs/charges.md, computed by the domain core."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from ketacost.estimate import Estimate, EstimateError, estimate
from ketacost.money import money_str
from ketacost.request import build_request
from ketacost.schedule.sessions import parse_maintenance
from ketacost.sheet.load import load_sheet
from ketacost.sheet.model import PriceRange
from tests.conftest import START

SHEET = load_sheet()


def run(**kwargs: object) -> Estimate:
    return estimate(build_request(SHEET, START, **kwargs), SHEET)  # type: ignore[arg-type]


def figures(est: Estimate, field: str) -> list[str]:
    return [money_str(getattr(est.scenarios[s], field)) for s in ("low", "typical", "high")]


def test_default_is_six_depression_sessions() -> None:
    """Default: 6 sessions at $400/$600/$800, all paid by the patient."""
    est = run()
    assert [s.sessions for s in est.scenarios.values()] == [6, 6, 6]
    assert figures(est, "charges") == ["2400.00", "3600.00", "4800.00"]
    assert figures(est, "out_of_pocket") == ["2400.00", "3600.00", "4800.00"]
    assert figures(est, "insurance_pays") == ["0.00", "0.00", "0.00"]


def test_pain_prices() -> None:
    """Chronic pain: $700 to $2,000 a session, typical the midpoint $1,350."""
    assert figures(run(condition="pain"), "charges") == ["4200.00", "8100.00", "12000.00"]


@pytest.mark.parametrize("alias", ["ptsd", "anxiety", "ocd", "PTSD"])
def test_aliases_price_as_depression(alias: str) -> None:
    """Mood conditions are priced as depression."""
    assert figures(run(condition=alias), "charges") == ["2400.00", "3600.00", "4800.00"]


def test_single_session() -> None:
    """Some patients respond to one session: $400 / $600 / $800."""
    assert figures(run(sessions=1), "charges") == ["400.00", "600.00", "800.00"]


@pytest.mark.parametrize(
    ("plan", "sessions"),
    [
        ("every 4 weeks", 19),
        ("monthly", 18),
        ("every 6 weeks", 14),
        ("every 2 weeks", 32),
    ],
)
def test_maintenance_session_counts(plan: str, sessions: int) -> None:
    """Induction plus 12 months of boosters gives the counts in docs/schedule.md."""
    est = run(maintenance=parse_maintenance(plan), months=12)
    assert est.scenarios["typical"].sessions == sessions


def test_every_four_weeks_figures() -> None:
    """19 sessions at $400/$600/$800."""
    est = run(maintenance=parse_maintenance("every 4 weeks"))
    assert figures(est, "charges") == ["7600.00", "11400.00", "15200.00"]


def test_ride_is_other_cost_only() -> None:
    """A $25 ride per session is $150 of other costs; clinic charges do not change."""
    est = run(ride=Decimal("25.00"))
    assert figures(est, "other_costs") == ["150.00", "150.00", "150.00"]
    assert figures(est, "charges") == ["2400.00", "3600.00", "4800.00"]
    assert figures(est, "out_of_pocket") == ["2400.00", "3600.00", "4800.00"]


def test_exact_price_is_one_column() -> None:
    """An exact price makes every scenario the same."""
    est = run(price=Decimal("450.00"))
    assert est.scenarios["low"] == est.scenarios["typical"] == est.scenarios["high"]
    assert figures(est, "charges") == ["2700.00", "2700.00", "2700.00"]


def test_odd_cent_midpoint_is_rounded_half_up() -> None:
    """A range whose midpoint has half a cent rounds the typical price half up."""
    price = PriceRange.between(Decimal("400.00"), Decimal("800.01"))
    assert price.typical == Decimal("600.01")  # 600.005 -> 600.01


def test_unknown_condition_lists_known_ones() -> None:
    """An unknown condition names the field and lists the known conditions."""
    with pytest.raises(EstimateError, match=r"depression.*pain") as info:
        run(condition="migraine")
    assert info.value.field == "condition"


def test_zero_sessions_is_refused() -> None:
    """An estimate needs at least one session."""
    with pytest.raises(EstimateError) as info:
        run(sessions=0)
    assert info.value.field == "sessions"


def test_schedule_follows_the_start_date() -> None:
    """Every session gets a calendar date from the start."""
    est = estimate(build_request(SHEET, START, start=date(2026, 12, 28)), SHEET)
    assert est.schedule[-1].date == date(2027, 1, 8)
