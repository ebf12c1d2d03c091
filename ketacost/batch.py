"""Batch quoting: one request per CSV row in, one row of figures per request out.

Pure: turns a row's cells into an :class:`~ketacost.request.EstimateRequest` (with the
same parsers and checks as the command line's options: the columns are named like the
request's fields) and an estimate into its output row. Reading and writing files, one row
at a time, is the command's job.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from ketacost.coverage.build import build_coverage
from ketacost.coverage.fields import FIELD, TYPED
from ketacost.estimate import Estimate, estimate
from ketacost.money import MoneyError, money_str, parse_money, parse_percent
from ketacost.parse import ParseError, parse_count, parse_date, parse_month_day, price_between
from ketacost.request import EstimateError, EstimateRequest, build_request
from ketacost.sheet.model import SCENARIOS, PriceRange, PriceSheet

COVERAGE_COLUMNS = TYPED
"""The columns that describe the patient's plan (the plan's fields a row may give)."""
INPUT_COLUMNS = (
    "id",
    "condition",
    "sessions",
    "weeks",
    "maintenance",
    "months",
    "price",
    "price_low",
    "price_high",
    "start",
    *COVERAGE_COLUMNS,
    "ride",
    "with",
)
MEASURES = ("charges", "insurance_pays", "out_of_pocket")
OUTPUT_COLUMNS = (
    "id",
    "sessions",
    *(f"{scenario}_{measure}" for scenario in SCENARIOS for measure in MEASURES),
    "error",
)


MAX_CELL = 200
"""Longest cell read: longer text fails its row before any parser sees it."""


class BatchError(ValueError):
    """A file that cannot be read as batch requests at all (its header)."""


class RowError(ValueError):
    """One row that cannot be quoted; ``column`` names the cell at fault, if one is."""

    def __init__(self, message: str, column: str | None = None) -> None:
        super().__init__(f"{column}: {message}" if column else message)
        self.column = column


def _network(text: str) -> str:
    network = text.strip().lower()
    if network not in NETWORKS:
        raise ParseError(f"{text!r} is not a network (use {' or '.join(NETWORKS)})")
    return network


NETWORKS = tuple(value for value, _ in FIELD["network"].choices)
_PLAN_PARSE: dict[str, Callable[[str], Any]] = {
    "choice": _network,
    "money": parse_money,
    "percent": parse_percent,
    "month_day": parse_month_day,
}
"""How a plan's cell is read, by its field's kind."""


def _text(text: str) -> str:
    return text.strip()


def _keys(text: str) -> tuple[str, ...]:
    """``prepaid veteran`` (or ``prepaid; veteran``): the conditional discounts a row asks
    for."""
    return tuple(text.replace(";", " ").replace(",", " ").lower().split())


_PARSE: dict[str, Callable[[str], Any]] = {
    "condition": _text,
    "sessions": parse_count,
    "weeks": parse_count,
    "maintenance": _text,
    "months": parse_count,
    "price": parse_money,
    "price_low": _text,
    "price_high": _text,
    "start": parse_date,
    **{column: _PLAN_PARSE[FIELD[column].kind] for column in COVERAGE_COLUMNS},
    "ride": parse_money,
    "with": _keys,
}
# Cached per column: a call list repeats its deductibles, percentages, prices and start
# dates, and every parsed value is immutable. Bounded, so memory stays flat.
_CACHE_SIZE = 1024
_PARSERS = {column: lru_cache(maxsize=_CACHE_SIZE)(parse) for column, parse in _PARSE.items()}
_price_between = lru_cache(maxsize=_CACHE_SIZE)(price_between)


def read_header(header: Sequence[str]) -> tuple[str, ...]:
    """The columns a header names (trimmed, lower case), or a BatchError naming the first
    one that is unknown, repeated or blank. Columns left out take their defaults."""
    columns = tuple(name.strip().lower() for name in header)
    seen: set[str] = set()
    for position, name in enumerate(columns, start=1):
        if not name:
            raise BatchError(f"column {position} has no name")
        if name not in INPUT_COLUMNS:
            close = difflib.get_close_matches(name, INPUT_COLUMNS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise BatchError(
                f"unknown column {header[position - 1].strip()!r}{hint}; "
                f"the columns are {', '.join(INPUT_COLUMNS)}"
            )
        if name in seen:
            raise BatchError(f"column {name!r} appears twice")
        seen.add(name)
    return columns


def is_blank(cells: Sequence[str]) -> bool:
    """An empty line, or a row of empty cells (spreadsheets leave these at the end)."""
    if cells and cells[0] and not cells[0].isspace():
        return False  # the usual row, decided at its first cell
    return not any(cell.strip() for cell in cells)


def row_cells(columns: Sequence[str], cells: Sequence[str]) -> dict[str, str]:
    """The row's cells by column; a row must have as many cells as the header."""
    if len(cells) != len(columns):
        raise RowError(f"{len(cells)} cells, but the header has {len(columns)} columns")
    return dict(zip(columns, cells, strict=True))


def row_id(columns: Sequence[str], cells: Sequence[str]) -> str:
    """The id cell of a row, even a malformed one ("" when it has none), at most
    :data:`MAX_CELL` characters of it."""
    if "id" not in columns:
        return ""
    position = columns.index("id")
    return cells[position].strip()[:MAX_CELL] if position < len(cells) else ""


def _price_range(cells: Mapping[str, str]) -> PriceRange | None:
    """The range from price_low and price_high, which go together."""
    low, high = cells.get("price_low", "").strip(), cells.get("price_high", "").strip()
    if not low and not high:
        return None
    if not (low and high):
        missing = "price_high" if low else "price_low"
        raise RowError("price_low and price_high go together", missing)
    for column, text in (("price_low", low), ("price_high", high)):
        try:
            _PARSERS["price"](text)  # to name the column at fault; cached, so cheap
        except MoneyError as error:
            raise RowError(str(error), column) from None
    try:
        return _price_between(low, high)
    except ParseError as error:
        raise RowError(str(error), "price_low") from None


def request_of(cells: Mapping[str, str], sheet: PriceSheet, today: date) -> EstimateRequest:
    """The request a row describes; a blank cell means the default (``start``: today)."""
    values: dict[str, Any] = {}
    for column, text in cells.items():
        if len(text) > MAX_CELL:
            raise RowError(f"is longer than {MAX_CELL} characters", column)
        if column in ("id", "price_low", "price_high") or not text or text.isspace():
            continue
        try:
            values["with_" if column == "with" else column] = _PARSERS[column](text)
        except (MoneyError, ParseError) as error:
            raise RowError(str(error), column) from None
    ranged = cells.get("price_low", "").strip() or cells.get("price_high", "").strip()
    if ranged and "price" in values:
        raise RowError("give price, or price_low and price_high, not both", "price")
    price_range = _price_range(cells)
    coverage = {key: values.pop(key) for key in COVERAGE_COLUMNS if key in values}
    try:
        return build_request(
            sheet, today, price_range=price_range, coverage=build_coverage(**coverage), **values
        )
    except EstimateError as error:
        raise RowError(str(error), column_of(error.field)) from None


def column_of(field: str | None) -> str | None:
    """The column that holds a request field (they share names), if one does."""
    column = "with" if field == "with_" else field
    return column if column in INPUT_COLUMNS else None


def result_row(ident: str, result: Estimate) -> list[str]:
    """The output row: id, sessions, then charges, insurance pays and out of pocket for
    low, typical and high (money as ``1234.50``), then an empty error."""
    scenarios = result.scenarios
    row = [ident, str(scenarios["typical"].sessions)]
    for name in SCENARIOS:
        scenario = scenarios[name]
        row += [
            money_str(scenario.charges),
            money_str(scenario.insurance_pays),
            money_str(scenario.out_of_pocket),
        ]
    row.append("")
    return row


def error_row(ident: str, message: str) -> list[str]:
    """The output row of a request that could not be quoted: its id and the error."""
    return [ident, *([""] * (len(OUTPUT_COLUMNS) - 2)), message]


def quote(cells: Mapping[str, str], sheet: PriceSheet, today: date) -> list[str]:
    """One row in, its output row out; RowError when the row cannot be quoted."""
    request = request_of(cells, sheet, today)
    try:
        result = estimate(request, sheet)
    except EstimateError as error:
        raise RowError(str(error), column_of(error.field)) from None
    return result_row(cells.get("id", "").strip(), result)


# A NamedTuple, not a dataclass: one per row of a batch file (100,000 and more).
class Request(NamedTuple):
    """One non-blank row of a batch file: its line number, and its cells (or why the CSV
    reader could not read them)."""

    line: int
    cells: list[str]
    unreadable: str | None = None


# A NamedTuple, not a dataclass: one per row of a batch file (100,000 and more).
class Quoted(NamedTuple):
    """One output row, and the error (``column: message``) when it failed (the row's
    error cell then says ``line N: column: message``)."""

    line: int
    row: list[str]
    error: str | None = None
    cells: tuple[str, ...] = ()
    """A failed row's cells: what a message shown elsewhere than the output must not
    repeat (a patient's name in the id, say)."""


def without_cells(message: str, cells: Sequence[str]) -> str:
    """``message`` with no text of ``cells``: every quoted value and every word of a cell
    (any case) becomes ``...``. For an error shown on a screen or in a log, which the row's
    own error cell (in the output, with the data) may spell out."""
    message = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "...", message)
    words = {
        word
        for cell in cells
        for word in (cell.strip(), *re.split(r"[\s,;:=()'\"]+", cell))
        if len(word) > 1 and any(char.isalnum() for char in word)
    }
    for word in sorted(words, key=len, reverse=True):
        message = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", "...", message, flags=re.IGNORECASE)
    return message


def quote_request(
    columns: Sequence[str], request: Request, sheet: PriceSheet, today: date
) -> Quoted:
    """A row of a batch file quoted: its figures, or its error; never an exception."""
    try:
        if request.unreadable is not None:
            raise RowError(request.unreadable)
        row = quote(row_cells(columns, request.cells), sheet, today)
    except RowError as error:
        ident = row_id(columns, request.cells)
        line = f"line {request.line}: {error}"
        return Quoted(request.line, error_row(ident, line), str(error), tuple(request.cells))
    return Quoted(request.line, row)
