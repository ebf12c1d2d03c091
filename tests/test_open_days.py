"""Sessions fall only on the clinic's open days (docs/schedule.md): a date on a closed day
moves to the next open day, never onto a day already taken, and the notes say so."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ketacost.schedule.sessions import (
    NO_MAINTENANCE,
    ClinicDays,
    Maintenance,
    build_schedule,
    moved_text,
    open_on_or_after,
)
from tests.helpers import estimate_json

SATURDAY = date(2026, 11, 28)
MONTHLY = Maintenance(unit="months", every=1)


def test_a_saturday_start_moves_to_monday() -> None:
    """6 over 2 weeks from a Saturday: the start moves to Monday and the series counts
    from there, Mon/Wed/Fri twice (it was Mon, Tue, Wed twice before issue 19)."""
    schedule = build_schedule(SATURDAY, 6, 2, NO_MAINTENANCE, 12)
    assert [s.date.isoformat() for s in schedule] == [
        "2026-11-30", "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-09", "2026-12-11",
    ]  # fmt: skip
    assert [s.moved_from for s in schedule][:2] == [SATURDAY, None]
    assert moved_text(schedule) == (
        "1 session planned for a day the clinic is closed moves to its next open day "
        "(Sat 2026-11-28 to Mon 2026-11-30)"
    )


def test_monthly_boosters_never_land_on_a_sunday() -> None:
    """Issue 13: monthly boosters landed on Sundays. April 4, 2027 is a Sunday: Monday."""
    schedule = build_schedule(date(2026, 11, 23), 6, 2, MONTHLY, 12)
    assert all(s.date.weekday() < 5 for s in schedule)
    boosters = {s.moved_from: s.date for s in schedule if s.moved_from}
    assert boosters[date(2027, 4, 4)] == date(2027, 4, 5)
    assert len([s for s in schedule if s.phase == "maintenance"]) == 12


def test_a_clinic_open_on_saturdays_keeps_them(tmp_path: Path, runner: CliRunner) -> None:
    """open_days with Saturday: a Saturday session stays; a Sunday one moves to Monday."""
    sheet = tmp_path / "clinic.toml"
    sheet.write_text(
        '[treatments.depression]\nprice = 500\n[clinic]\nopen_days = ["mon", "wed", "sat"]\n'
    )
    data = estimate_json(runner, "--sheet", str(sheet))
    days = [date.fromisoformat(s["date"]).strftime("%a") for s in data["schedule"]]
    assert days == ["Mon", "Wed", "Sat", "Mon", "Wed", "Sat"]


def test_crps_no_longer_falls_on_a_saturday(runner: CliRunner) -> None:
    """Issue 13: `-c crps` put sessions on a weekend (from a Wednesday: two Sundays); now
    every estimate keeps to Monday to Friday, and its notes say what moved."""
    data = estimate_json(runner, "-c", "crps", "--start", "2026-11-25")
    assert all(date.fromisoformat(s["date"]).weekday() < 5 for s in data["schedule"])
    notes = " ".join(data["notes"])
    assert "planned for a day the clinic is closed" in notes
    assert "(Sun 2026-11-29 to Mon 2026-11-30; Sun 2026-12-06 to Mon 2026-12-07)" in notes


def test_no_note_when_nothing_moves(runner: CliRunner) -> None:
    """A Monday start, 6 over 2 weeks: Mon/Wed/Fri, nothing moved, nothing said."""
    data = estimate_json(runner)
    assert "closed" not in " ".join(data["notes"])


@given(
    start=st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)),
    sessions=st.integers(min_value=1, max_value=20),
    weeks=st.integers(min_value=1, max_value=8),
    plan=st.sampled_from(
        [
            NO_MAINTENANCE,
            MONTHLY,
            Maintenance(unit="weeks", every=1),
            Maintenance(unit="weeks", every=4),
        ]
    ),
    days=st.sets(st.integers(min_value=0, max_value=6), min_size=1),
)
def test_every_session_is_on_an_open_day_in_order(
    start: date, sessions: int, weeks: int, plan: Maintenance, days: set[int]
) -> None:
    """Whatever the plan and open days: every session on an open day, one a day, in
    order, the count unchanged, and a moved session later than planned by less than the
    sessions moved before it plus a week."""
    open_days = tuple(sorted(days))
    schedule = build_schedule(start, sessions, weeks, plan, 3, ClinicDays(weekdays=open_days))
    every_day = ClinicDays(weekdays=tuple(range(7)), holidays="none")
    planned = build_schedule(start, sessions, weeks, plan, 3, every_day)
    assert len(schedule) >= sessions
    assert all(s.date.weekday() in open_days for s in schedule)
    assert all(a.date < b.date for a, b in pairwise(schedule))
    assert schedule[0].date == open_on_or_after(start, ClinicDays(weekdays=open_days))
    for session in schedule:
        if session.moved_from is not None:
            assert session.date > session.moved_from
    assert all(s.moved_because != "closed" for s in planned)  # open every day
    assert schedule[0].date - start < timedelta(days=21)  # at worst two holidays in a row
