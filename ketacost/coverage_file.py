"""A patient's plan in a small TOML file (``--coverage FILE``), so nobody retypes it.

The keys are the coverage options' names with underscores. Money is read as Decimal,
never float; every problem is reported as ``FILE:LINE: message``::

    network = "in"            # "in" or "out" (out: pay the clinic, get reimbursed)
    deductible = 1500
    deductible_met = 250
    copay = 25
    coinsurance = 20          # percent: 20 or "20%"
    oop_max = 4000
    oop_met = 250             # default: the deductible met
    allowed = 450             # the plan's allowed amount per session
    plan_year_start = "07-01" # MM-DD (a TOML date works too; its month and day count)
"""

from __future__ import annotations

import datetime
import re
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ketacost.money import HUNDRED, MoneyError, check_amount, parse_percent
from ketacost.parse import parse_month_day
from ketacost.toml_source import did_you_mean

MONEY_KEYS = ("deductible", "deductible_met", "copay", "oop_max", "oop_met", "allowed")
KEYS = ("network", *MONEY_KEYS, "coinsurance", "plan_year_start")


class CoverageFileError(ValueError):
    """A coverage file that cannot be used: ``FILE:LINE: message`` (line 0: unknown)."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


@dataclass(frozen=True)
class CoverageFile:
    """The coverage fields a file gives, as domain values, with the line of each."""

    path: str
    values: dict[str, Any]
    lines: dict[str, int]

    def where(self, key: str) -> str:
        """``FILE:LINE`` of a key, for messages about its value."""
        line = self.lines.get(key, 0)
        return f"{self.path}:{line}" if line else self.path


def _line_of(text: str, key: str) -> int:
    name = re.escape(key)
    pattern = re.compile(r"^\s*(?:(?:" + name + r'|"' + name + r'")\s*=|\[+\s*' + name + r"\s*\])")
    return next((i + 1 for i, line in enumerate(text.splitlines()) if pattern.match(line)), 0)


def _value(key: str, value: Any) -> Any:
    """One field as a domain value; ValueError with a message that starts after the key."""
    if key == "network":
        if value not in ("in", "out"):
            raise ValueError('must be "in" or "out"')
        return value
    if key == "plan_year_start":
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value.month, value.day
        if not isinstance(value, str):
            raise ValueError('must be a month and day, MM-DD (e.g. "07-01")')
        return parse_month_day(value)
    if key == "coinsurance":
        if isinstance(value, str):
            return parse_percent(value)
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise ValueError('must be a percentage (e.g. 20 or "20%")')
        if not 0 <= value <= HUNDRED:
            raise ValueError(f"must be from 0 to 100, not {value}")
        return Decimal(value) / HUNDRED
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError("must be an amount (a number, e.g. 1500 or 1500.00)")
    return check_amount(Decimal(value))


def parse_coverage(text: str, path: str) -> CoverageFile:
    """Read the coverage fields from TOML text; raise CoverageFileError at the first fault."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise CoverageFileError(
            path, int(match.group(1)) if match else 0, f"not valid TOML: {error}"
        ) from None
    if not data:
        raise CoverageFileError(path, 0, f"gives no coverage figures (keys: {', '.join(KEYS)})")
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key, raw in data.items():
        line = _line_of(text, key)
        if key not in KEYS:
            hint = did_you_mean(key.replace("-", "_"), KEYS)
            raise CoverageFileError(path, line, f"unknown key {key!r}{hint}")
        try:
            values[key] = _value(key, raw)
        except (ValueError, MoneyError) as error:
            raise CoverageFileError(path, line, f"{key} {error}") from None
        lines[key] = line
    return CoverageFile(path, values, lines)


def load_coverage(path: str | Path) -> CoverageFile:
    """Read a coverage file; an unreadable one is a CoverageFileError too."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise CoverageFileError(str(path), 0, f"cannot read the coverage file: {reason}") from None
    return parse_coverage(text, str(path))
