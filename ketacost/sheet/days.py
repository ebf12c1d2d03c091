"""The days a clinic is open, read from its price sheet's ``[clinic]`` table: its open
weekdays, the dates it is closed and whether it closes on US federal holidays
(docs/schedule.md, docs/gfe.md). Sessions are booked on these days, and a Good Faith
Estimate's duty is also counted by them.

Each reader notes its problems on the :class:`~ketacost.toml.source.TomlSource` the sheet
is read from, at their lines, like the rest of :mod:`ketacost.sheet.load`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from ketacost.schedule.sessions import HOLIDAY_RULES, MAX_CLOSED_DATES, WEEKDAYS, Holidays
from ketacost.toml.source import TomlSource, shown

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def read_open_days(src: TomlSource) -> tuple[int, ...]:
    """``[clinic] open_days = ["mon", "tue", "wed", "thu", "fri"]`` (the default) as
    weekday numbers (0 = Monday)."""
    body = src.data.get("clinic")
    if not isinstance(body, dict) or "open_days" not in body:
        return WEEKDAYS
    value = src.get(body, "clinic", "open_days", list, [])
    if value is None:  # not a list: noted already
        return WEEKDAYS
    names = [v.strip().lower()[:3] if isinstance(v, str) else v for v in value]
    bad = [v for v in names if v not in DAY_NAMES]
    if bad or not names:
        shown = f": {bad[0]!r} is not a day" if bad else ""
        src.fail(
            "clinic",
            "open_days",
            f"open_days in [clinic] must list at least one of {', '.join(DAY_NAMES)}{shown}",
        )
        return WEEKDAYS
    return tuple(sorted({DAY_NAMES.index(v) for v in names}))


def read_closed(src: TomlSource) -> frozenset[date]:
    """``[clinic] closed = [2026-12-24, "2026-12-31"]``: dates the clinic is closed besides
    its closed weekdays and holidays (TOML dates, or dates in quotes), at most
    :data:`MAX_CLOSED_DATES` of them."""
    body = src.data.get("clinic")
    if not isinstance(body, dict) or "closed" not in body:
        return frozenset()
    value = src.get(body, "clinic", "closed", list, [], expect="a list of dates")
    if not value:
        return frozenset()
    if len(value) > MAX_CLOSED_DATES:
        src.fail(
            "clinic",
            "closed",
            f"'closed' in [clinic] lists {len(value):,} dates: at most {MAX_CLOSED_DATES:,}",
        )
        return frozenset()
    days = set()
    for item in value:
        day = _a_date(item)
        if day is None:
            src.fail(
                "clinic",
                "closed",
                f"each of 'closed' in [clinic] must be a date such as 2026-12-24: "
                f"{_as_written(item)} is not",
            )
            return frozenset()
        days.add(day)
    return frozenset(days)


def _as_written(item: Any) -> str:
    """A value for a message as TOML writes it (``2026-12-24T09:00:00``), not as Python
    does (``datetime.datetime(2026, 12, 24, 9, 0)``); any other value quoted."""
    return item.isoformat() if isinstance(item, date | time) else shown(item)


def _a_date(item: Any) -> date | None:
    """A TOML date (not a date and time), or a date written ``"YYYY-MM-DD"``."""
    if isinstance(item, date) and not isinstance(item, datetime):
        return item
    if isinstance(item, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", item.strip()):
        try:
            return date.fromisoformat(item.strip())
        except ValueError:
            return None
    return None


def read_holidays(src: TomlSource) -> Holidays:
    """``[clinic] holidays = "US"`` (the default: closed on US federal holidays) or
    ``"none"`` (open on them, on its open days)."""
    body = src.data.get("clinic")
    if not isinstance(body, dict) or "holidays" not in body:
        return "US"
    value = src.get(body, "clinic", "holidays", str)
    rule = {r.lower(): r for r in HOLIDAY_RULES}.get((value or "").strip().lower())
    if value is not None and rule is None:
        src.fail(
            "clinic",
            "holidays",
            "'holidays' in [clinic] must be \"US\" (closed on US federal holidays, the "
            f'default) or "none", not {shown(value)}',
        )
    return rule or "US"


def read_clinic_days(src: TomlSource) -> dict[str, Any]:
    """The days the clinic is open, as fields of its :class:`~ketacost.sheet.model.Clinic`:
    ``open_days``, ``closed``, ``holidays``."""
    return {
        "open_days": read_open_days(src),
        "closed": read_closed(src),
        "holidays": read_holidays(src),
    }
