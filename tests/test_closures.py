"""Holidays and closures (issue 19, item 8; docs/schedule.md): a clinic is closed on US
federal holidays unless its sheet says ``holidays = "none"``, and on the dates it lists as
``closed``; a session on such a day moves like one on a closed weekday; a start on a
closed day moves the start, and the series counts from there."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import holidays
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ketacost.cli import cli
from ketacost.schedule.holidays import federal_holidays
from ketacost.schedule.sessions import (
    CLOSED,
    NO_MAINTENANCE,
    OPEN_WEEKDAYS,
    TAKEN,
    ClinicDays,
    Maintenance,
    build_schedule,
    moved_text,
)
from tests.clinic import clinic_sheet
from tests.sheet_samples import problems

TREATMENT = "[treatments.depression]\nprice = 500\n"


def dates(schedule: tuple[object, ...]) -> list[str]:
    return [s.date.isoformat() for s in schedule]  # type: ignore[attr-defined]


@pytest.mark.parametrize("year", range(1990, 2101))
def test_the_rules_give_the_holidays_librarys_us_holidays(year: int) -> None:
    """Our rules (5 U.S.C. 6103) give exactly the holidays library's US federal holidays,
    with their observed days: a holiday added by law fails here."""
    library = {d for d in holidays.country_holidays("US", years=year) if d.year == year}
    assert federal_holidays(year) == library


def test_christmas_moves_to_the_next_open_day() -> None:
    """From Monday 2026-12-14, 6 over 2 weeks: the 6th session, Friday December 25, moves
    to Monday December 28; with holidays = "none" it stays."""
    schedule = build_schedule(date(2026, 12, 14), 6, 2, NO_MAINTENANCE, 12)
    assert dates(schedule)[-1] == "2026-12-28"
    assert (schedule[-1].moved_from, schedule[-1].moved_because) == (date(2026, 12, 25), CLOSED)
    open_on_holidays = build_schedule(
        date(2026, 12, 14), 6, 2, NO_MAINTENANCE, 12, ClinicDays(holidays="none")
    )
    assert dates(open_on_holidays)[-1] == "2026-12-25"
    assert moved_text(schedule) == (
        "1 session planned for a day the clinic is closed moves to its next open day "
        "(Fri 2026-12-25 to Mon 2026-12-28)"
    )


def test_boosters_skip_new_years_day_juneteenth_and_the_observed_fourth() -> None:
    """From an induction ending Friday 2026-12-04: every 4 weeks, January 1 (a holiday)
    moves to Monday January 4; weekly (Fridays), Juneteenth observed on Friday 2027-06-18
    moves to Monday the 21st; monthly (the 4th), Sunday July 4, 2027 moves past its
    observed Monday to Tuesday July 6."""
    every4 = build_schedule(date(2026, 11, 23), 6, 2, Maintenance(unit="weeks", every=4), 12)
    boosters = [s for s in every4 if s.phase == "maintenance"]
    assert (boosters[0].moved_from, boosters[0].date) == (date(2027, 1, 1), date(2027, 1, 4))
    weekly = build_schedule(date(2026, 11, 23), 6, 2, Maintenance(unit="weeks", every=1), 12)
    held = {s.moved_from: s.date for s in weekly if s.moved_from}
    assert held[date(2027, 6, 18)] == date(2027, 6, 21)
    assert all(s.date not in federal_holidays(s.date.year) for s in weekly)
    monthly = build_schedule(date(2026, 11, 23), 6, 2, Maintenance(unit="months", every=1), 12)
    held = {s.moved_from: s.date for s in monthly if s.moved_from}
    assert held[date(2027, 7, 4)] == date(2027, 7, 6)


def test_a_saturday_start_moves_the_start_and_keeps_mon_wed_fri() -> None:
    """Issue 19: a Saturday start gave Mon, Tue, Wed twice; now the start moves to Monday
    and the series counts from there: Mon, Wed, Fri, Mon, Wed, Fri."""
    schedule = build_schedule(date(2026, 11, 28), 6, 2, NO_MAINTENANCE, 12)
    assert dates(schedule) == [
        "2026-11-30", "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11",
    ]  # fmt: skip
    assert (schedule[0].moved_from, schedule[0].moved_because) == (date(2026, 11, 28), CLOSED)
    assert [s.moved_from for s in schedule[1:]] == [None] * 5
    assert moved_text(schedule) == (
        "1 session planned for a day the clinic is closed moves to its next open day "
        "(Sat 2026-11-28 to Mon 2026-11-30)"
    )


def test_a_start_on_a_listed_closure_and_a_day_taken() -> None:
    """Closed on Christmas Eve too: a start on 2026-12-24 moves past Christmas and the
    weekend to Monday the 28th; New Year's Day moves to Monday January 4, which takes the
    day of the next session: that one moves because the day was taken, and says so."""
    days = ClinicDays(closed=frozenset({date(2026, 12, 24)}))
    schedule = build_schedule(date(2026, 12, 24), 6, 2, NO_MAINTENANCE, 12, days)
    assert dates(schedule) == [
        "2026-12-28", "2026-12-30", "2027-01-04", "2027-01-05", "2027-01-06", "2027-01-08",
    ]  # fmt: skip
    assert [s.moved_because for s in schedule] == [CLOSED, None, CLOSED, TAKEN, None, None]
    assert moved_text(schedule) == (
        "2 sessions planned for a day the clinic is closed move to its next open day "
        "(Thu 2026-12-24 to Mon 2026-12-28; Fri 2027-01-01 to Mon 2027-01-04); "
        "1 session moved because the day was taken by the session before "
        "(Mon 2027-01-04 to Tue 2027-01-05)"
    )


DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31))


@given(
    start=DAYS,
    sessions=st.integers(min_value=1, max_value=20),
    weeks=st.integers(min_value=1, max_value=8),
    plan=st.sampled_from(
        [NO_MAINTENANCE, Maintenance(unit="months", every=1), Maintenance(unit="weeks", every=1)]
    ),
    weekdays=st.sets(st.integers(min_value=0, max_value=6), min_size=1),
    closed=st.frozensets(DAYS, max_size=30),
    rule=st.sampled_from(["US", "none"]),
)
def test_no_session_on_a_day_the_clinic_is_closed(
    start: date,
    sessions: int,
    weeks: int,
    plan: Maintenance,
    weekdays: set[int],
    closed: frozenset[date],
    rule: str,
) -> None:
    """Whatever the closures: every session on an open day, one a day, in order; the first
    is the first open day on or after the start; a moved session says why."""
    days = ClinicDays(weekdays=tuple(sorted(weekdays)), closed=closed, holidays=rule)  # type: ignore[arg-type]
    schedule = build_schedule(start, sessions, weeks, plan, 3, days)
    assert all(days.is_open(s.date) for s in schedule)
    assert all(a.date < b.date for a, b in pairwise(schedule))
    first = start
    while not days.is_open(first):
        first += timedelta(days=1)
    assert schedule[0].date == first
    for session in schedule:
        assert (session.moved_from is None) == (session.moved_because is None)
        if session.moved_from is not None:
            assert session.date > session.moved_from


def test_the_default_is_weekdays_less_federal_holidays() -> None:
    """The days of a sheet that says nothing (the built-in one)."""
    assert ClinicDays(weekdays=(0, 1, 2, 3, 4), closed=frozenset(), holidays="US") == OPEN_WEEKDAYS
    assert not OPEN_WEEKDAYS.is_open(date(2026, 11, 26))  # Thanksgiving
    assert OPEN_WEEKDAYS.is_open(date(2026, 11, 27))  # the day after
    assert not OPEN_WEEKDAYS.is_open(date(2026, 7, 3))  # July 4th, observed


def test_closed_and_holidays_are_read_from_the_sheet() -> None:
    """closed: TOML dates or dates in quotes; holidays: "US" (default) or "none", in any
    case."""
    from ketacost.sheet.load import parse_sheet

    sheet = parse_sheet(TREATMENT)
    assert (sheet.clinic.closed, sheet.clinic.holidays) == (frozenset(), "US")
    sheet = parse_sheet(
        TREATMENT + '[clinic]\nclosed = [2026-12-24, "2026-12-31"]\nholidays = "None"\n'
    )
    assert sheet.clinic.closed == {date(2026, 12, 24), date(2026, 12, 31)}
    assert sheet.clinic.holidays == "none"
    assert sheet.clinic.days == ClinicDays(
        weekdays=(0, 1, 2, 3, 4),
        closed=frozenset({date(2026, 12, 24), date(2026, 12, 31)}),
        holidays="none",
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('closed = "2026-12-24"', "clinic.toml:4: 'closed' in [clinic] must be a list of dates"),
        (
            'closed = ["2026-02-30"]',
            "clinic.toml:4: each of 'closed' in [clinic] must be a date such as 2026-12-24: "
            "'2026-02-30' is not",
        ),
        (
            "closed = [2026-12-24T09:00:00]",
            "clinic.toml:4: each of 'closed' in [clinic] must be a date such as 2026-12-24: "
            "2026-12-24T09:00:00 is not",  # as written, not Python's datetime.datetime(...)
        ),
        ("closed = [09:30:00]", ": 09:30:00 is not"),
        ('closed = ["\\u001b[31mx"]', "'\\x1b[31mx' is not"),
        (
            "closed = [" + ", ".join(["2026-12-24"] * 1001) + "]",
            "clinic.toml:4: 'closed' in [clinic] lists 1,001 dates: at most 1,000",
        ),
        (
            'holidays = "UK"',
            "clinic.toml:4: 'holidays' in [clinic] must be \"US\" (closed on US federal "
            "holidays, the default) or \"none\", not 'UK'",
        ),
        ("holidays = true", "clinic.toml:4: 'holidays' in [clinic] must be"),
        ("closing = []", "unknown key 'closing' in [clinic] (did you mean 'closed'?)"),
    ],
)
def test_bad_closures_are_problems_at_their_line(body: str, message: str) -> None:
    """Each mistake is one problem naming the key, at its line; a hostile value is shown
    escaped and cut short."""
    found = problems(TREATMENT + "[clinic]\n" + body + "\n")
    assert len(found) == 1, found
    assert message in found[0], found


def test_sheet_check_reports_a_bad_closure(runner: CliRunner, tmp_path: Path) -> None:
    """`sheet check` names the file and line of a bad holidays value; status 2."""
    sheet = clinic_sheet(tmp_path, extra='holidays = "sometimes"\n')
    result = runner.invoke(cli, ["sheet", "check", str(sheet)])
    assert result.exit_code != 0
    assert f"{sheet}:" in result.output + result.stderr
    assert "'holidays' in [clinic] must be \"US\"" in result.output + result.stderr


def test_an_estimate_from_a_clinic_sheet_skips_its_closures(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A clinic closed on December 24 and 31: an estimate from Monday 2026-12-21 (6 over 2
    weeks) puts no session on them nor on Christmas or New Year's Day, and its notes say
    what moved and why."""
    import json

    sheet = clinic_sheet(tmp_path, extra="closed = [2026-12-24, 2026-12-31]\n")
    result = runner.invoke(
        cli, ["estimate", "--sheet", str(sheet), "--start", "2026-12-21", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [s["date"] for s in data["schedule"]] == [
        "2026-12-21", "2026-12-23", "2026-12-28", "2026-12-29", "2026-12-30", "2027-01-04",
    ]  # fmt: skip
    notes = " ".join(data["notes"])
    assert "Fri 2026-12-25 to Mon 2026-12-28" in notes
    assert "moved because the day was taken by the session before" in notes
