"""When a Good Faith Estimate is owed (docs/gfe.md; 45 CFR 149.610(b)): business days skip
weekends and US federal holidays; 1 business day after scheduling 3+ business days ahead,
3 after scheduling 10+ ahead or after a request."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketacost.gfe.timing import (
    FEDERAL,
    Duty,
    TimingError,
    business_days_after,
    business_days_between,
    check_scheduled,
    due_by,
    due_date,
    duty_data,
    duty_for,
    issue_due,
    quote_duty,
    read_duty,
)
from ketacost.schedule.sessions import ClinicDays

FRIDAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("day", "open_"),
    [
        (date(2026, 11, 20), True),  # a Friday
        (date(2026, 11, 21), False),  # Saturday
        (date(2026, 11, 22), False),  # Sunday
        (date(2026, 11, 26), False),  # Thanksgiving
        (date(2026, 11, 27), True),  # the day after is not a federal holiday
        (date(2026, 12, 25), False),  # Christmas
        (date(2027, 12, 24), False),  # Christmas 2027 is a Saturday: observed on Friday
        (date(2026, 7, 3), False),  # July 4, 2026 is a Saturday: observed on Friday
        (date(2027, 6, 18), False),  # Juneteenth 2027 is a Saturday: observed on Friday
        (date(2027, 1, 18), False),  # Martin Luther King Jr. Day
    ],
)
def test_business_days_skip_weekends_and_federal_holidays(day: date, open_: bool) -> None:
    """Weekends, federal holidays and their observed days are not business days."""
    assert FEDERAL.is_open(day) is open_


def test_counting_across_thanksgiving() -> None:
    """From Wednesday November 25, 2026: Thursday is Thanksgiving, so the 1st business day
    after is Friday the 27th and the 3rd is Tuesday December 1."""
    wednesday = date(2026, 11, 25)
    assert business_days_after(wednesday, 1) == date(2026, 11, 27)
    assert business_days_after(wednesday, 3) == date(2026, 12, 1)
    assert business_days_between(wednesday, date(2026, 12, 1)) == 3
    assert business_days_between(wednesday, wednesday) == 0


@pytest.mark.parametrize(
    ("scheduled", "requested", "due"),
    [
        # Friday Nov 20 to Wednesday Nov 25: 3 business days ahead (Mon, Tue, Wed): 1 day
        (date(2026, 11, 25), False, date(2026, 11, 23)),
        # to Tuesday Nov 24: only 2 business days ahead: no duty
        (date(2026, 11, 24), False, None),
        # to Monday Dec 7: 10 business days ahead (Thanksgiving skipped): 3 days
        (date(2026, 12, 7), False, date(2026, 11, 25)),
        # to Friday Dec 4: 9 business days ahead: 1 day
        (date(2026, 12, 4), False, date(2026, 11, 23)),
        # asked for: 3 business days
        (None, True, date(2026, 11, 25)),
        # asked and scheduled soon: the earlier due date
        (date(2026, 11, 25), True, date(2026, 11, 23)),
        # asked, for a session too close for the scheduling rule: the request's
        (date(2026, 11, 24), True, date(2026, 11, 25)),
        (None, False, None),
    ],
)
def test_due_dates(scheduled: date | None, requested: bool, due: date | None) -> None:
    """The worked examples of the rule, from Friday November 20, 2026."""
    assert due_date(FRIDAY, scheduled, requested) == due


def test_a_scheduled_date_in_the_past_is_refused() -> None:
    """A date before today names the scheduled field; today itself is fine."""
    with pytest.raises(TimingError) as error:
        check_scheduled(FRIDAY - timedelta(days=1), FRIDAY)
    assert error.value.field == "scheduled"
    check_scheduled(FRIDAY, FRIDAY)
    with pytest.raises(TimingError):
        duty_for(FRIDAY, date(2026, 1, 2), False)


def test_a_duty_round_trips_through_its_saved_block() -> None:
    """The duty block a quote keeps reads back as the same duty; junk reads as none."""
    duty = duty_for(FRIDAY, date(2026, 12, 7), False)
    assert duty == Duty(
        kind="scheduled", recorded=FRIDAY, scheduled=date(2026, 12, 7), due=date(2026, 11, 25)
    )
    assert read_duty(duty_data(duty)) == duty
    assert duty_data(duty) == {
        "kind": "scheduled",
        "recorded": "2026-11-20",
        "scheduled": "2026-12-07",
        "due": "2026-11-25",
    }
    for junk in (None, "x", {}, {"kind": "scheduled", "recorded": "2026-13-01", "due": "x"}):
        assert read_duty(junk) is None


DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31))


@given(recorded=DAYS, ahead=st.integers(min_value=0, max_value=60), requested=st.booleans())
def test_a_due_date_is_a_business_day_within_three(
    recorded: date, ahead: int, requested: bool
) -> None:
    """Whenever one is owed, it is due on a business day 1 to 3 business days after the
    day recorded, never after the session; none is owed for a session fewer than 3
    business days away that nobody asked about."""
    scheduled = recorded + timedelta(days=ahead)
    due = due_date(recorded, scheduled, requested)
    near = business_days_between(recorded, scheduled) >= 3
    if not (near or requested):
        assert due is None
        return
    assert due is not None
    assert FEDERAL.is_open(due)
    assert 1 <= business_days_between(recorded, due) <= 3
    if near:
        assert due < scheduled


SATURDAYS = ClinicDays(weekdays=(0, 1, 2, 3, 4, 5))
MON_TO_THU = ClinicDays(weekdays=(0, 1, 2, 3))
OPEN_ON_HOLIDAYS = ClinicDays(holidays="none")


@pytest.mark.parametrize(
    ("recorded", "scheduled", "requested", "clinic", "due"),
    [
        # open on Saturdays: asked on Friday 11-20, due the 3rd clinic day (Sat, Mon, Tue),
        # a day before the federal reading's Wednesday
        (FRIDAY, None, True, SATURDAYS, date(2026, 11, 24)),
        # open Monday to Thursday: asked Wednesday 12-02, the federal reading (Thu, Fri,
        # Mon) is the earlier: Monday, not the clinic's Tuesday
        (date(2026, 12, 2), None, True, MON_TO_THU, date(2026, 12, 7)),
        # open on Thanksgiving: asked Wednesday 11-25, due Monday 11-30 (Thu, Fri, Mon)
        (date(2026, 11, 25), None, True, OPEN_ON_HOLIDAYS, date(2026, 11, 30)),
        # scheduled Friday for Tuesday: 2 federal business days ahead (no duty), 3 for a
        # clinic open Saturdays (Sat, Mon, Tue): due 1 clinic day after, Saturday
        (FRIDAY, date(2026, 11, 24), False, SATURDAYS, date(2026, 11, 21)),
        (FRIDAY, date(2026, 11, 24), False, MON_TO_THU, None),
        # closed on December 24 and 31 (listed): the federal reading is the earlier
        (
            date(2026, 12, 22),
            None,
            True,
            ClinicDays(closed=frozenset({date(2026, 12, 24), date(2026, 12, 31)})),
            date(2026, 12, 28),
        ),
    ],
)
def test_business_days_by_the_stricter_reading(
    recorded: date, scheduled: date | None, requested: bool, clinic: ClinicDays, due: date | None
) -> None:
    """Issue 19 item 4: the duty is counted by the federal reading and by the clinic's
    open days; it is owed if either owes it, and due on the earlier date."""
    assert due_date(recorded, scheduled, requested, clinic) == due


@given(
    recorded=DAYS,
    ahead=st.integers(min_value=0, max_value=40),
    requested=st.booleans(),
    weekdays=st.sets(st.integers(min_value=0, max_value=6), min_size=1),
    closed=st.frozensets(DAYS, max_size=20),
    rule=st.sampled_from(["US", "none"]),
)
def test_the_due_date_is_never_later_than_either_reading(
    recorded: date,
    ahead: int,
    requested: bool,
    weekdays: set[int],
    closed: frozenset[date],
    rule: str,
) -> None:
    """Whatever the clinic's days: owed whenever either reading owes it, and due no later
    than the due date of either."""
    clinic = ClinicDays(weekdays=tuple(sorted(weekdays)), closed=closed, holidays=rule)  # type: ignore[arg-type]
    scheduled = recorded + timedelta(days=ahead)
    due = due_date(recorded, scheduled, requested, clinic)
    each = [due_by(recorded, scheduled, requested, days) for days in (FEDERAL, clinic)]
    owed = [one for one in each if one is not None]
    assert (due is None) == (not owed)
    for one in owed:
        assert due is not None and due <= one
        assert FEDERAL.is_open(one) or clinic.is_open(one)


def test_the_duty_a_saved_quote_creates_is_one_rule_for_every_face() -> None:
    """quote_duty is what ketacost quote, the wizard and the web desk's Quote page keep with
    a quote: a named self-pay patient's price question is a request, due in 3 business
    days; an unnamed one, or one the desk says is not a request, owes none; a duty that
    would fall on an insured patient is refused, naming what created it."""
    monday = date(2027, 3, 1)
    asked = quote_duty(monday, None, "Ana Diaz", None)
    assert asked is not None and (asked.kind, asked.due) == ("requested", date(2027, 3, 4))
    assert quote_duty(monday, None, None, None) is None
    assert quote_duty(monday, None, "Ana Diaz", None, said=False) is None
    booked = quote_duty(monday, date(2027, 3, 22), None, None)
    assert booked is not None and booked.kind == "scheduled"
    insured = {"network": "in"}
    assert quote_duty(monday, None, "Ana Diaz", insured) is None  # insured: no request
    with pytest.raises(TimingError) as scheduled:
        quote_duty(monday, date(2027, 3, 22), "Ana Diaz", insured)
    assert scheduled.value.field == "scheduled"
    with pytest.raises(TimingError) as requested:
        quote_duty(monday, None, "Ana Diaz", insured, said=True)
    assert requested.value.field == "requested"


def test_a_gfe_issued_is_due_by_its_quotes_duty_else_by_the_rule() -> None:
    """issue_due is the date the command line and the web desk both put on a GFE they
    issue: the quote's duty when it kept one, else the rule's date for what was asked."""
    monday = date(2027, 3, 1)
    kept = Duty(kind="requested", recorded=date(2027, 2, 22), scheduled=None, due=date(2027, 2, 25))
    assert issue_due(monday, None, kept) == date(2027, 2, 25)
    assert issue_due(monday, None, None) == date(2027, 3, 4)  # asked: 3 business days
    assert issue_due(monday, date(2027, 3, 22), None) == due_date(monday, date(2027, 3, 22), False)
