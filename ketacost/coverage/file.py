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

Out of network (docs/refunds.md), the plan's separate terms and how it pays claims::

    oon_deductible = 3000     # given: the oon_ figures are the out-of-network terms
    oon_deductible_met = 0
    oon_coinsurance = 40
    oon_oop_max = 9000
    oon_allowed = { "96365" = 180, "J3490" = 0 }  # allowed per unit of each code
    medicare_percent = 150    # or allowed as a percent of Medicare's fee per code:
    medicare_fees = { "96365" = 71.37 }           # Medicare's fee, from its schedule
    claim_days = 45           # days from a visit to the refund (default 60)
    filing_limit = 180        # days after a visit to file the claim (default 90)

The file is read by :class:`~ketacost.toml.source.TomlSource`, as price sheets are.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from ketacost.coverage.fields import FIELD, KEYS, MAX_CODES, Field
from ketacost.money import MoneyError, parse_percent_of
from ketacost.parse import ParseError, parse_month_day
from ketacost.toml.source import TomlError, TomlSource, read_toml_bytes


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


def _amounts_per_code(src: TomlSource, key: str) -> tuple[tuple[str, Any], ...] | None:
    """``{ "96365" = 180, J3490 = 0 }``: an amount for each service code, in order."""
    table = src.data[key]
    if not isinstance(table, dict) or not table:
        src.fail("", key, f'{key} must be a table of amounts per code, e.g. {{ "96365" = 180 }}')
        return None
    if len(table) > MAX_CODES:
        src.fail("", key, f"{key} gives more than {MAX_CODES} codes")
        return None
    found = []
    for code in table:
        amount = src.money(table, key, code)
        if amount is not None:
            found.append((code, amount))
    return tuple(found)


def _percent_of(src: TomlSource, field: Field) -> Any:
    """A percent of a reference figure: ``150`` or ``"150%"``, within the field's bounds."""
    key, value, most = field.name, src.data[field.name], Decimal(field.most or 0)
    try:
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            raise MoneyError(key)
        return parse_percent_of(str(value), most)
    except MoneyError:
        src.fail(
            "", key, f'{key} must be a percent above 0 and at most {most:,}, e.g. 150 or "150%"'
        )
        return None


def _value(src: TomlSource, field: Field) -> Any:
    """The value of one field, read as its kind; None (a problem noted) when it cannot be."""
    key = field.name
    if field.kind == "money":
        return src.money(src.data, "", key)
    if field.kind == "percent":
        return src.percent(src.data, "", key)
    if field.kind == "codes":
        return _amounts_per_code(src, key)
    if field.kind == "percent_of":
        return _percent_of(src, field)
    if field.kind == "days":
        value = src.get(src.data, "", key, int, expect="a whole number of days")
        problem = field.problem(value)
        if problem:
            src.fail("", key, problem)
            return None
        return value
    if field.kind == "choice":
        return src.choice(src.data, "", key, tuple(value for value, _ in field.choices))
    return _month_day(src, key)


def parse_coverage(raw: str | bytes, path: str) -> CoverageFile:
    """Read the coverage fields from a file's TOML (text or bytes); raise
    :class:`CoverageFileError` listing every problem."""
    src = TomlSource.parse(raw, path, "coverage file", CoverageFileError)
    if not src.data:
        src.fail("", None, f"gives no coverage figures (keys: {', '.join(KEYS)})")
    src.known_keys(src.data, "", KEYS)
    values: dict[str, Any] = {}
    for key in src.data:
        if key in FIELD:
            value = _value(src, FIELD[key])
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
