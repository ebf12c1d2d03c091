"""An entry from the text its log stores, whatever the storage: the columns of
:data:`ketacost.store.chain.HASHED_COLUMNS` as text (``inputs`` and ``result`` JSON), or
why it cannot be read. One damaged entry is one :class:`Unreadable`, never an error that
stops the rest."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from ketacost.entries import PREFIXES, Entry, Unreadable

JSON_COLUMNS = ("inputs", "result")
FIRST_YEAR, LAST_YEAR = 2000, 9998
"""The years a saved time may fall in: ketacost saved nothing before 2000, and a time
in year 1 or 9999 cannot even be shown in every time zone."""


def read_entry(
    name: str,
    stored: dict[str, Any],
    prev_sha256: str | None,
    sha256: str | None,
    problem: str | None,
) -> Entry | Unreadable:
    """An entry from its stored columns, or why it cannot be read."""
    fields = dict(stored)
    for column, value in stored.items():
        if value is not None and not isinstance(value, str):
            return Unreadable(id=name, reason=f"its {column} is not text")
        try:
            (value or "").encode("utf-8")  # what was not UTF-8 was read as surrogates
        except UnicodeEncodeError:
            return Unreadable(id=name, reason=f"its {column} is not valid UTF-8 text")
    for column in JSON_COLUMNS:
        try:
            fields[column] = json.loads(stored[column])
        except (TypeError, ValueError, RecursionError):
            return Unreadable(id=name, reason=f"its stored {column} JSON is damaged")
        if not isinstance(fields[column], dict):
            return Unreadable(id=name, reason=f"its stored {column} is not a JSON object")
    try:
        created = datetime.fromisoformat(stored["created"])
    except (TypeError, ValueError):
        return Unreadable(id=name, reason="its saved time is damaged")
    if created.utcoffset() is None or not FIRST_YEAR <= created.year <= LAST_YEAR:
        return Unreadable(id=name, reason="its saved time is out of range")
    if stored["dob"] is not None:
        try:
            date.fromisoformat(stored["dob"])
        except ValueError:
            return Unreadable(id=name, reason="its date of birth is damaged")
    if stored["kind"] not in PREFIXES:
        return Unreadable(id=name, reason="its kind is damaged")
    return Entry(**fields, sha256=sha256, prev_sha256=prev_sha256, flaw=problem)
