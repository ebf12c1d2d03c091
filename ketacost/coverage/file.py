"""A patient's plan in a small TOML file, so nobody retypes it (docs/coverage.md).

The keys are the coverage options' names with underscores. Money is read as Decimal,
never float; every problem is reported as ``FILE:LINE: message``, all at once::

    network = "in"            # "in" or "out" (out: pay the clinic, get reimbursed)
    deductible = 1500
    deductible_met = 250
    copay = 25
    coinsurance = 20          # percent: 20 or "20%"
    oop_max = 4000
    oop_met = 250             # default: the deductible met
    allowed = 450             # the plan's allowed amount per session
    plan_year_start = "07-01" # MM-DD (a TOML date works too; its month and day count)

The file is read by :class:`~ketacost.toml.source.TomlSource`, as price sheets are.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from typing import Any

from ketacost.parse import ParseError, parse_month_day
from ketacost.toml.source import TomlError, TomlSource, read_toml_bytes

MONEY_KEYS = ("deductible", "deductible_met", "copay", "oop_max", "oop_met", "allowed")
KEYS = ("network", *MONEY_KEYS, "coinsurance", "plan_year_start")


class CoverageFileError(TomlError):
    """A coverage file that cannot be used; carries every problem found. As text, the
    first problem (``FILE:LINE: message``) and how many more there are."""

    def __str__(self) -> str:
        first, *more = self.lines() or [self.path]
        return f"{first} (and {len(more)} more)" if more else first


@dataclass(frozen=True, slots=True, kw_only=True)
class CoverageFile:
    """The coverage fields a file gives, as domain values, with the line of each."""

    path: str
    values: dict[str, Any]
    lines: dict[str, int]

    def where(self, key: str) -> str:
        """``FILE:LINE`` of a key, for messages about its value."""
        line = self.lines.get(key, 0)
        return f"{self.path}:{line}" if line else self.path


def _month_day(src: TomlSource, key: str) -> tuple[int, int] | None:
    """``"07-01"`` or a TOML date (its month and day)."""
    value = src.data[key]
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.month, value.day
    if not isinstance(value, str):
        src.fail("", key, f'{key} must be a month and day, MM-DD (e.g. "07-01")')
        return None
    try:
        return parse_month_day(value)
    except ParseError as error:
        src.fail("", key, f"{key} {error}")
        return None


def parse_coverage(raw: str | bytes, path: str) -> CoverageFile:
    """Read the coverage fields from a file's TOML (text or bytes); raise
    :class:`CoverageFileError` listing every problem."""
    src = TomlSource.parse(raw, path, "coverage file", CoverageFileError)
    if not src.data:
        src.fail("", None, f"gives no coverage figures (keys: {', '.join(KEYS)})")
    src.known_keys(src.data, "", KEYS)
    values: dict[str, Any] = {}
    for key in src.data:
        if key in MONEY_KEYS:
            value: Any = src.money(src.data, "", key)
        elif key == "coinsurance":
            value = src.percent(src.data, "", key)
        elif key == "network":
            value = src.choice(src.data, "", key, ("in", "out"))
        elif key == "plan_year_start":
            value = _month_day(src, key)
        else:
            continue
        if value is not None:
            values[key] = value
    src.check()
    return CoverageFile(
        path=path, values=values, lines={key: src.line_of("", key) for key in values}
    )


def load_coverage(path: str | os.PathLike[str]) -> CoverageFile:
    """Read a coverage file (a regular file of at most a megabyte); an unreadable one is a
    CoverageFileError too."""
    shown = os.fspath(path)
    raw = read_toml_bytes(shown, shown, "coverage file", CoverageFileError)
    return parse_coverage(raw, shown)
