"""Checking a price sheet's fields and saying where a problem is.

:class:`Locator` finds the line of any table or key in the sheet's text; :class:`Reader`
reads typed values out of the parsed TOML, collecting every problem (with its line)
instead of stopping at the first. The builders in :mod:`ketacost.sheet_load` use both.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from ketacost.money import HUNDRED, MoneyError, check_amount

T = TypeVar("T")


class Problem(NamedTuple):
    """One thing wrong with a sheet, at a line (0 when the line is unknown)."""

    line: int
    message: str


class SheetError(ValueError):
    """A price sheet that cannot be used; carries every problem found."""

    def __init__(self, path: str, problems: Sequence[Problem]) -> None:
        self.path = path
        self.problems = tuple(problems)
        super().__init__("\n".join(self.lines()))

    def lines(self) -> list[str]:
        """Each problem as ``FILE:LINE: message`` (``FILE: message`` without a line)."""
        return [
            f"{self.path}:{p.line}: {p.message}" if p.line else f"{self.path}: {p.message}"
            for p in self.problems
        ]


def npi_is_valid(npi: str) -> bool:
    """The NPI check digit: Luhn over the prefix 80840 and the first nine digits."""
    if not re.fullmatch(r"\d{10}", npi):
        return False
    digits = [int(c) for c in "80840" + npi[:9]]
    checksum = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 == 0 else digit
        checksum += doubled - 9 if doubled > 9 else doubled
    return (10 - checksum % 10) % 10 == int(npi[9])


def tin_is_valid(tin: str) -> bool:
    """A federal Tax Identification Number (EIN) written NN-NNNNNNN."""
    return re.fullmatch(r"\d{2}-\d{7}", tin) is not None


def did_you_mean(word: str, choices: Iterable[str], where: str = "") -> str:
    """`` (did you mean 'x'?)`` for the closest choice (``where`` follows it), or nothing."""
    import difflib  # only when there is a problem to explain

    near = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean {near[0]!r}{where}?)" if near else ""


_ATOM = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED = rf"{_ATOM}(?:\s*\.\s*{_ATOM})*"
# Patterns as text: re compiles (and caches) them when a line is first looked for,
# which is only when a sheet has a problem to report.
_HEADER_RE = rf"^\[\[?\s*({_DOTTED})\s*\]\]?"
_KEY_LINE_RE = rf"^({_DOTTED})\s*=(.*)$"


def _split_key(dotted: str) -> tuple[str, ...]:
    return tuple(atom[1:-1] if atom[0] in "\"'" else atom for atom in re.findall(_ATOM, dotted))


class Locator:
    """Knows the line where each table and key of a sheet's text is first defined. The
    text is indexed when a line is first asked for: a sheet without problems never is."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._where: dict[tuple[str, ...], int] | None = None

    @property
    def where(self) -> dict[tuple[str, ...], int]:
        if self._where is None:
            self._where = self._index(self.text)
        return self._where

    @staticmethod
    def _index(text: str) -> dict[tuple[str, ...], int]:
        where: dict[tuple[str, ...], int] = {}

        def note(path: tuple[str, ...], number: int) -> None:
            for end in range(1, len(path) + 1):
                where.setdefault(path[:end], number)

        table: tuple[str, ...] = ()
        open_string: str | None = None  # the quotes of a multi-line string being read
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if open_string is not None:
                if line.count(open_string) % 2 == 1:
                    open_string = None
                continue
            header = re.match(_HEADER_RE, line)
            if header:
                table = _split_key(header.group(1))
                note(table, number)
                continue
            pair = re.match(_KEY_LINE_RE, line)
            if pair:
                note(table + _split_key(pair.group(1)), number)
                rest = pair.group(2)
                open_string = next((q for q in ('"""', "'''") if rest.count(q) % 2 == 1), None)
        return where

    def line_of(self, table: str, key: str | None = None) -> int:
        """The line of ``key`` in ``table`` (dotted), else of the nearest table holding it."""
        path = (*table.split("."), *((key,) if key else ()))
        while path:
            if path in self.where:
                return self.where[path]
            path = path[:-1]
        return 0


_KINDS = {
    str: "text",
    int: "a whole number",
    Decimal: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
}


class Reader:
    """Reads typed values from the parsed TOML; every problem is kept, with its line."""

    def __init__(self, locate: Locator) -> None:
        self.locate = locate
        self.problems: list[Problem] = []

    def fail(self, table: str, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.locate.line_of(table, key), message))

    def known_keys(self, data: dict[str, Any], table: str, allowed: set[str]) -> None:
        """Report each key of ``data`` that is not ``allowed``, with a suggestion."""
        for key in data:
            if key not in allowed:
                self.fail(
                    table, key, f"unknown key {key!r} in [{table}]{did_you_mean(key, allowed)}"
                )

    def get(
        self,
        data: dict[str, Any],
        table: str,
        key: str,
        kind: type[T],
        default: T | None = None,
        *,
        required: bool = False,
    ) -> T | None:
        """``data[key]`` if it is a ``kind``; else a problem and ``default``."""
        if key not in data:
            if required:
                self.fail(table, None, f"[{table}] is missing {key!r}")
            return default
        value = data[key]
        if kind is Decimal and isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            hint = " (in quotes)" if kind is str and isinstance(value, int | Decimal) else ""
            self.fail(table, key, f"{key!r} in [{table}] must be {_KINDS[kind]}{hint}")
            return default
        return value

    def text(self, data: dict[str, Any], table: str, key: str, default: str = "") -> str:
        return (self.get(data, table, key, str, default) or default).strip()

    def money(
        self, data: dict[str, Any], table: str, key: str, *, required: bool = False
    ) -> Decimal | None:
        """An amount of dollars: a number, not negative, at most two decimals."""
        value = self.get(data, table, key, Decimal, required=required)
        if value is None:
            return None
        try:
            return check_amount(value)
        except MoneyError as error:
            self.fail(table, key, f"{key!r} in [{table}] {error}")
            return None

    def percent(self, data: dict[str, Any], table: str, key: str) -> Decimal | None:
        """A percentage from 0 to 100 as the fraction it means (``10`` is 0.10)."""
        value = self.get(data, table, key, Decimal)
        if value is not None and not (value.is_finite() and 0 <= value <= HUNDRED):
            self.fail(table, key, f"{key!r} in [{table}] must be from 0 to 100, not {value}")
            return None
        return None if value is None else value / HUNDRED

    def strings(self, data: dict[str, Any], table: str, key: str) -> tuple[str, ...]:
        value = self.get(data, table, key, list, [])
        if value is None or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(table, key, f"{key!r} in [{table}] must be a list of non-empty texts")
            return ()
        return tuple(v.strip() for v in value)

    def count(self, data: dict[str, Any], table: str, key: str, default: int, most: int) -> int:
        value = self.get(data, table, key, int, default)
        if value is None or not 1 <= value <= most:
            self.fail(table, key, f"{key!r} in [{table}] must be a whole number from 1 to {most}")
            return default
        return value

    def choice(self, data: dict[str, Any], table: str, key: str, choices: Sequence[str]) -> str:
        """One of ``choices`` (the first is the default)."""
        value = self.get(data, table, key, str, choices[0]) or choices[0]
        if value not in choices:
            allowed = ", ".join(f'"{c}"' for c in choices)
            self.fail(
                table,
                key,
                f"{key!r} in [{table}] must be one of {allowed}, "
                f"not {value!r}{did_you_mean(value, choices)}",
            )
            return choices[0]
        return value

    def each(
        self,
        data: dict[str, Any],
        group: str,
        build: Callable[[str, str, dict[str, Any]], T | None],
    ) -> list[T]:
        """Build every ``[group.KEY]`` table; keys must be lower-case names."""
        section = self.get(data, group, group, dict, {}) or {}
        built: list[T] = []
        for key, body in section.items():
            table = f"{group}.{key}"
            if not isinstance(body, dict):
                self.fail(group, key, f"[{table}] must be a table")
                continue
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key):
                self.fail(
                    table,
                    None,
                    f"[{table}]: names are lower-case letters, digits, "
                    f"- or _ (e.g. [{group}.consultation])",
                )
            item = build(key, table, body)
            if item is not None:
                built.append(item)
        return built
