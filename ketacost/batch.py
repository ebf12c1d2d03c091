"""Batch quoting: one request per CSV row in, one row of figures per request out.

Pure: turns a row's cells into an :class:`~ketacost.request.EstimateRequest` (the
columns are named like the request's fields: the cells are the request's plain data,
read by its codec as typed values, with the command line's parsers and checks) and an
estimate into its output row. Reading and writing files, one row at a time, is the
command's job.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from ketacost.coverage.fields import TYPED
from ketacost.estimate import Estimate, estimate
from ketacost.money import MoneyError, money_str, parse_money
from ketacost.parse import ParseError, price_between
from ketacost.request import EstimateError, EstimateRequest
from ketacost.request_data import request_from_data
from ketacost.sheet.model import SCENARIOS, PriceSheet

COVERAGE_COLUMNS = TYPED
"""The columns that describe the patient's plan (the plan's fields a row may give)."""
_PLAN_COLUMNS = frozenset(COVERAGE_COLUMNS)
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


# Cached: a call list repeats its price ranges. Bounded, so memory stays flat.
_money = lru_cache(maxsize=1024)(parse_money)
_price_between = lru_cache(maxsize=1024)(price_between)


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


def _price_range(cells: Mapping[str, str]) -> str | None:
    """The range from price_low and price_high, which go together, as the request's
    ``price`` (``LOW-HIGH``); each end checked here, to name the column at fault."""
    low, high = cells.get("price_low", "").strip(), cells.get("price_high", "").strip()
    if not low and not high:
        return None
    if not (low and high):
        missing = "price_high" if low else "price_low"
        raise RowError("price_low and price_high go together", missing)
    for column, text in (("price_low", low), ("price_high", high)):
        try:
            _money(text)  # to name the column at fault; cached, so cheap
        except MoneyError as error:
            raise RowError(str(error), column) from None
    try:
        _price_between(low, high)
    except ParseError as error:
        raise RowError(str(error), "price_low") from None
    return f"{low}-{high}"


def row_data(cells: Mapping[str, str]) -> dict[str, Any]:
    """A row's cells as the request's plain data (:mod:`ketacost.request_data`): a
    blank cell left out (the default), the plan's columns as its ``coverage``, price_low
    and price_high as the ``price`` range. Longer cells than :data:`MAX_CELL` are refused."""
    data: dict[str, Any] = {}
    coverage: dict[str, str] = {}
    for column, text in cells.items():
        if len(text) > MAX_CELL:
            raise RowError(f"is longer than {MAX_CELL} characters", column)
        if column in ("id", "price_low", "price_high") or not text or text.isspace():
            continue
        if column in _PLAN_COLUMNS:
            coverage[column] = text
        else:
            data[column] = text
    ranged = cells.get("price_low", "").strip() or cells.get("price_high", "").strip()
    if ranged and "price" in data:
        raise RowError("give price, or price_low and price_high, not both", "price")
    price_range = _price_range(cells)
    if price_range is not None:
        data["price"] = price_range
    if coverage:
        data["coverage"] = coverage
    return data


def request_of(cells: Mapping[str, str], sheet: PriceSheet, today: date) -> EstimateRequest:
    """The request a row describes, read by the request's codec as typed values (as the
    command line reads its options); a blank cell means the default (``start``: today)."""
    data = row_data(cells)
    try:
        return request_from_data(sheet, today, data, typed=True)
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
