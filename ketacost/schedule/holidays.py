"""US federal holidays, by the rules of the law that sets them (docs/schedule.md).

The holidays are those of 5 U.S.C. 6103(a): New Year's Day (January 1), the Birthday of
Martin Luther King, Jr. (third Monday in January, since 1986), Washington's Birthday
(third Monday in February), Memorial Day (last Monday in May), Juneteenth National
Independence Day (June 19, since 2021), Independence Day (July 4), Labor Day (first Monday
in September), Columbus Day (second Monday in October), Veterans Day (November 11),
Thanksgiving Day (fourth Thursday in November) and Christmas Day (December 25). One that
falls on a Saturday is observed on the Friday before, one on a Sunday on the Monday after
(5 U.S.C. 6103(b) and Executive Order 11582): so New Year's Day 2028, a Saturday, is
observed on Friday December 31, 2027.

Worked out here by rule, not loaded from the ``holidays`` library: that library loads the
holidays of every country it knows (and the ``calendar`` module), which would double the
time every estimate takes to start. A test checks these rules give exactly the library's
US holidays, year by year, so a holiday added by law shows up as a failing test.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

MONDAY, THURSDAY = 0, 3


def _nth(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` of a month (n = -1: the last)."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _holidays_of(year: int) -> list[date]:
    """The holidays of a year, on their own dates (not yet observed)."""
    days = [
        date(year, 1, 1),
        _nth(year, 2, MONDAY, 3),
        _nth(year, 5, MONDAY, -1),
        date(year, 7, 4),
        _nth(year, 9, MONDAY, 1),
        _nth(year, 10, MONDAY, 2),
        date(year, 11, 11),
        _nth(year, 11, THURSDAY, 4),
        date(year, 12, 25),
    ]
    if year >= 1986:
        days.append(_nth(year, 1, MONDAY, 3))
    if year >= 2021:
        days.append(date(year, 6, 19))
    return days


def _observed(day: date) -> date:
    """Saturday: the Friday before; Sunday: the Monday after."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """The days of ``year`` that are US federal holidays or observed as one (a holiday of
    the next year may be observed on December 31)."""
    days = set()
    for holiday in _holidays_of(year) + _holidays_of(year + 1):
        for day in (holiday, _observed(holiday)):
            if day.year == year:
                days.add(day)
    return frozenset(days)
