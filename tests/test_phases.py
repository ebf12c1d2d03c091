"""Phased schedules to the day: Spravato's label induction and tapering maintenance
(docs/schedule.md)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.schedule.phases import InductionPhase, PhaseError, phase_days, split_tapering
from ketacost.schedule.sessions import (
    INDUCTION,
    MAINTENANCE,
    Maintenance,
    ScheduleError,
    booster_dates,
    build_schedule,
    parse_maintenance,
)
from tests.helpers import estimate_with

LABEL = (InductionPhase(weeks=4, per_week=2), InductionPhase(weeks=4, per_week=1))
TAPER = "every 4 weeks for 3 months, then every 6 weeks"


def test_twice_a_week_is_days_0_and_3_of_each_week() -> None:
    assert phase_days(LABEL) == [0, 3, 7, 10, 14, 17, 21, 24, 28, 35, 42, 49]


def test_spravato_schedule_to_the_day() -> None:
    """The label: twice a week in weeks 1-4 (Mon and Thu from a Monday start), once a
    week in weeks 5-8, then every 2 weeks (the sheet's default) from week 10. Thursday
    2026-11-26 is Thanksgiving: that session is on Friday the 27th (issue 19)."""
    est = estimate_with(condition="spravato", months=2)
    induction = [s.date for s in est.schedule if s.phase == INDUCTION]
    boosters = [s.date for s in est.schedule if s.phase == MAINTENANCE]
    assert induction == [
        date(2026, 11, 23),
        date(2026, 11, 27),
        date(2026, 11, 30),
        date(2026, 12, 3),
        date(2026, 12, 7),
        date(2026, 12, 10),
        date(2026, 12, 14),
        date(2026, 12, 17),
        date(2026, 12, 21),
        date(2026, 12, 28),
        date(2027, 1, 4),
        date(2027, 1, 11),
    ]
    assert boosters == [date(2027, 1, 25), date(2027, 2, 8), date(2027, 2, 22), date(2027, 3, 8)]
    assert est.request.sessions == 12 and est.request.weeks == 8


def test_spravato_weekly_maintenance_starts_in_week_9() -> None:
    est = estimate_with(condition="esketamine", maintenance="weekly", months=1)
    boosters = [s.date for s in est.schedule if s.phase == MAINTENANCE]
    # day 56, the first day of week 9, is Martin Luther King Jr. Day: the day after
    assert boosters[0] == date(2027, 1, 19)


def test_spravato_sessions_move_off_closed_days() -> None:
    """Started on a Saturday: the start moves to Monday and the weeks count from there
    (Mon and Thu; Thursday 11-26 is Thanksgiving, so Friday), not Monday and Tuesday."""
    est = estimate_with(condition="spravato", start=date(2026, 11, 21), months=0)
    days = [s.date for s in est.schedule]
    assert days[:3] == [date(2026, 11, 23), date(2026, 11, 27), date(2026, 11, 30)]
    assert all(d.weekday() < 5 for d in days)


def test_sessions_given_replace_the_phases() -> None:
    """--sessions/--weeks ask for the even series instead of the label's phases."""
    est = estimate_with(condition="spravato", sessions=6, maintenance="none")
    assert len(est.schedule) == 6
    assert est.schedule[-1].date == date(2026, 11, 23) + timedelta(days=5 * 56 // 6)


def test_the_tapering_example_to_the_day() -> None:
    """4-weekly boosters while they fall by 3 months after the last induction session
    (Fri 2026-12-04, so by 2027-03-04), then 6-weekly from the last of them to the end.
    New Year's Day moves to Monday 01-04; the boosters after it count from their plan."""
    est = estimate_with(maintenance=TAPER)
    boosters = [s.date for s in est.schedule if s.phase == MAINTENANCE]
    assert boosters == [
        date(2027, 1, 4),
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 4, 9),
        date(2027, 5, 21),
        date(2027, 7, 2),
        date(2027, 8, 13),
        date(2027, 9, 24),
        date(2027, 11, 5),
    ]


def test_tapering_plan_reads_and_writes_back() -> None:
    plan = parse_maintenance(TAPER)
    assert plan.label == TAPER
    assert plan.normalized == "4w for 3m, then 6w"
    assert parse_maintenance(plan.normalized) == plan
    assert parse_maintenance("monthly for 2 months; then every 2 months").phases == (
        Maintenance(unit="months", every=1, plan=None, for_months=2),
        Maintenance(unit="months", every=2),
    )


def test_a_later_phase_counts_its_months_after_the_ones_before() -> None:
    """Three phases: 2-weekly to 1 month, 4-weekly to 1 + 2 = 3 months, then monthly."""
    last = date(2027, 1, 1)
    plan = parse_maintenance("2w for 1m, then 4w for 2m, then monthly")
    dates = booster_dates(last, plan, 5)
    assert dates == [
        date(2027, 1, 15),
        date(2027, 1, 29),
        date(2027, 2, 26),
        date(2027, 3, 26),
        date(2027, 4, 26),
        date(2027, 5, 26),
    ]


def test_a_last_phase_with_months_stops_there() -> None:
    dates = booster_dates(date(2027, 1, 1), parse_maintenance("4w for 2m, then 2w for 1m"), 12)
    assert dates[-1] <= date(2027, 4, 1)
    assert dates == [date(2027, 1, 29), date(2027, 2, 26), date(2027, 3, 12), date(2027, 3, 26)]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("every 4 weeks, then every 6 weeks", "needs 'for N months'"),
        ("every 4 weeks for 3 months, , then 6w", "a phase is empty"),
        ("every 4 weeks for 0 months, then 6w", "1 to 60 months"),
        ("none for 3 months, then 6w", "each phase is an interval"),
        ("4w for 1m, 4w for 1m, 4w for 1m, 4w for 1m, 4w for 1m, 4w for 1m, 6w", "at most 6"),
        ("every 99 weeks for 3 months, then 6w", "1 to 52 weeks"),
    ],
)
def test_bad_tapering_plans_are_refused(text: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_maintenance(text)


def test_phase_errors() -> None:
    with pytest.raises(PhaseError):
        phase_days(())
    with pytest.raises(PhaseError):
        phase_days((InductionPhase(weeks=1, per_week=8),))
    assert split_tapering("4w") == [("4w", None)]


@settings(max_examples=200)
@given(
    first=st.integers(1, 12),
    months=st.integers(1, 12),
    second=st.integers(1, 12),
    total=st.integers(0, 36),
    last=st.dates(date(2026, 1, 1), date(2030, 12, 31)),
)
def test_tapering_boosters_follow_the_rules(
    first: int, months: int, second: int, total: int, last: date
) -> None:
    """Any two-phase plan: boosters rise, the first phase's fall 'first' weeks apart and
    by 'months' months, the second's 'second' weeks apart, and none after the end."""
    from ketacost.schedule.sessions import add_months

    plan = parse_maintenance(f"every {first} weeks for {months} months, then {second}w")
    dates = booster_dates(last, plan, total)
    assert dates == sorted(set(dates))
    assert all(d <= add_months(last, total) for d in dates)
    cut = add_months(last, months)
    gaps = [(b - a).days for a, b in zip([last, *dates], dates, strict=False)]
    phase_one = [d for d in dates if d <= cut and (d - last).days % (7 * first) == 0]
    phase_one = phase_one[: next((i for i, g in enumerate(gaps) if g != 7 * first), len(gaps))]
    assert all(g == 7 * first for g in gaps[: len(phase_one)])
    assert all(g == 7 * second for g in gaps[len(phase_one) :])
    assert all(d <= cut for d in phase_one)
    if first != second and len(phase_one) < len(dates):  # phase one ran as long as it could
        assert (phase_one[-1] if phase_one else last) + timedelta(weeks=first) > cut


def test_build_schedule_with_phases_and_a_taper() -> None:
    schedule = build_schedule(date(2026, 11, 23), 0, 0, parse_maintenance(TAPER), 3, phases=LABEL)
    assert sum(1 for s in schedule if s.phase == INDUCTION) == 12
    assert next(s.date for s in schedule if s.phase == MAINTENANCE) == date(2027, 2, 8)


def test_a_sheet_plan_can_taper() -> None:
    from ketacost.report.build import build_report
    from ketacost.sheet.load import parse_sheet

    sheet = parse_sheet(
        '[treatments.a]\nprice = 500\n[plans.taper]\nevery = "4w for 3 months, then 6w"\n'
        'label = "Tapering"\n',
        "clinic.toml",
    )
    est = estimate_with(sheet=sheet, maintenance="taper")
    assert [s.date for s in est.schedule if s.phase == MAINTENANCE] == [
        s.date for s in estimate_with(maintenance=TAPER).schedule if s.phase == MAINTENANCE
    ]
    notes = " ".join(" ".join(build_report(est).notes).split())
    assert "(Tapering, every 4 weeks for 3 months, then every 6 weeks)" in notes
