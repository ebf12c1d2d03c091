"""The schedule: induction days and boosters to the day (docs/schedule.md)."""

from __future__ import annotations

from datetime import date

import pytest

from ketacost.schedule.sessions import (
    Maintenance,
    ScheduleError,
    add_months,
    booster_dates,
    build_schedule,
    induction_days,
    parse_maintenance,
)


def test_six_over_two_weeks_is_mon_wed_fri() -> None:
    """6 sessions over 2 weeks fall on days 0, 2, 4, 7, 9, 11."""
    assert induction_days(6, 2) == [0, 2, 4, 7, 9, 11]


def test_six_over_three_weeks() -> None:
    """6 sessions over 3 weeks fall on days 0, 3, 7, 10, 14, 17."""
    assert induction_days(6, 3) == [0, 3, 7, 10, 14, 17]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("every 4 weeks", 13),
        ("4w", 13),
        ("every 6 weeks", 8),
        ("monthly", 12),
        ("every 2 weeks", 26),
        ("none", 0),
    ],
)
def test_booster_counts_over_twelve_months(text: str, count: int) -> None:
    """The booster counts (docs/schedule.md) for a 12-month maintenance period."""
    for last in (date(2026, 12, 2), date(2027, 1, 31), date(2028, 2, 29)):
        assert len(booster_dates(last, parse_maintenance(text), 12)) == count


def test_first_booster_is_one_interval_after_induction() -> None:
    """The first booster comes one interval after the last induction session."""
    dates = booster_dates(date(2026, 12, 4), parse_maintenance("4w"), 12)
    assert dates[0] == date(2027, 1, 1)


def test_monthly_boosters_keep_the_day_of_month() -> None:
    """Monthly boosters from Jan 31 clamp to month ends without drifting."""
    dates = booster_dates(date(2027, 1, 31), parse_maintenance("monthly"), 3)
    assert dates == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]


def test_add_months_across_years() -> None:
    """Adding months crosses year ends and clamps Feb 29."""
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2028, 2, 29), 12) == date(2029, 2, 28)


def test_schedule_dates_from_a_start() -> None:
    """--start 2026-12-28: 12-28, 12-30, 01-01, 01-04, 01-06, 01-08 as planned; New Year's
    Day moves to Monday 01-04, whose session moves to Tuesday 01-05 (issue 19)."""
    sessions = build_schedule(date(2026, 12, 28), 6, 2, Maintenance(), 12)
    assert [s.date.isoformat() for s in sessions] == [
        "2026-12-28",
        "2026-12-30",
        "2027-01-04",
        "2027-01-05",
        "2027-01-06",
        "2027-01-08",
    ]
    assert {s.phase for s in sessions} == {"induction"}


@pytest.mark.parametrize("text", ["every 4 weeks", "4w", "4 weeks", "EVERY 4  WEEKS", "4wk"])
def test_maintenance_spellings(text: str) -> None:
    """The ways people write every four weeks all parse to the same plan."""
    assert parse_maintenance(text) == Maintenance(unit="weeks", every=4)


@pytest.mark.parametrize("text", ["sometimes", "every 0 weeks", "every 53 weeks", "4x", ""])
def test_unknown_maintenance_is_an_error(text: str) -> None:
    """Anything else is refused with a message listing what is accepted."""
    with pytest.raises(ScheduleError, match=r"maintenance|interval"):
        parse_maintenance(text)


def test_named_plan_from_a_sheet() -> None:
    """A plan named in the price sheet is found by name."""
    plans = {"membership": Maintenance(unit="months", every=1, plan="membership")}
    assert parse_maintenance("Membership", plans).plan == "membership"
