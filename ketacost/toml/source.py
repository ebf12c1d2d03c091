"""One reader for ketacost's TOML files: the price sheet and the coverage file.

:meth:`TomlSource.parse` decodes a file's bytes and parses them with numbers as Decimal,
never float. Its typed getters (money, percent, text, ...) read values out of the parsed
tables and keep every problem, with its line, instead of stopping at the first; a
:class:`Locator` finds those lines, and only when there is a problem to report.
:meth:`TomlSource.check` then raises one error carrying every problem as
``FILE:LINE: message``.

Tables are named by their dotted path (``treatments.depression``); ``""`` is the top
level, whose keys are named bare in messages (``deductible must not be negative``).
Every rate is returned as a fraction: ``percent = 10`` is ``Decimal("0.10")``.

What is read is bounded before it is parsed (only regular files, at most a megabyte, no
nesting deeper than 16, no number of more than 18 digits), and a message quotes a key or
value cut short. tomllib gives values, not lines, so a problem's line is found by reading
the text again, line by line, when a line is first asked for: a file without problems
never is.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from ketacost.money import HUNDRED, MoneyError, check_amount, check_not_fraction, parse_percent

T = TypeVar("T")


# Bounds, checked before a file is parsed.

MAX_BYTES = 1_000_000
"""Largest TOML file read (a clinic's sheet is a few kilobytes)."""
MAX_DEPTH = 16
"""Deepest nesting of arrays and inline tables accepted."""
MAX_DIGITS = 18
"""Most digits in a row in a number (an exponent of more than 18 digits is beyond any
Decimal, an integer of more than 4,300 beyond Python's int parser)."""
MAX_SHOWN = 40
"""Most characters of a key or value quoted in a message."""


def shown(value: object) -> str:
    """``repr(value)`` for a message, cut to :data:`MAX_SHOWN` characters."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "..."


# What the bounds check looks at, strings and comments skipped whole: brackets, long runs
# of digits, line ends.
_BOUND_TOKEN_RE = (
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\''
    rf"|#[^\n]*|[\[\]{{}}]|[0-9_]{{{MAX_DIGITS + 1},}}|\n"
)


def bounds_problem(text: str) -> tuple[int, str] | None:
    """The first place ``text`` nests deeper than :data:`MAX_DEPTH` or has a number of
    more than :data:`MAX_DIGITS` digits, checked before the text is parsed."""
    line, depth = 1, 0
    for match in re.finditer(_BOUND_TOKEN_RE, text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, f"nested more than {MAX_DEPTH} deep"
        elif token in "]}":
            depth = max(depth - 1, 0)
        elif token[0] in "0123456789_":
            return line, f"a number of more than {MAX_DIGITS} digits"
        else:
            line += token.count("\n")
    return None


class Unreadable(ValueError):
    """A file that is not read at all; the message says why."""


def read_bytes(path: str) -> bytes:
    """A file's bytes: only a regular file (a FIFO or ``/dev/zero`` is refused at once,
    never read) of at most :data:`MAX_BYTES`; anything else is :class:`Unreadable`."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as problem:
        raise Unreadable(problem.strerror or str(problem)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("it is not a regular file")
        if info.st_size > MAX_BYTES:
            raise Unreadable(f"it is larger than {MAX_BYTES:,} bytes")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as problem:
        raise Unreadable(problem.strerror or str(problem)) from None
    finally:
        os.close(descriptor)
    if len(raw) > MAX_BYTES:
        raise Unreadable(f"it is larger than {MAX_BYTES:,} bytes")
    return raw


# Lines: where a table or key is first defined, for a problem's FILE:LINE.

_ATOM = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED = rf"{_ATOM}(?:\s*\.\s*{_ATOM})*"
# Patterns as text: re compiles (and caches) them when a line is first looked for,
# which is only when a file has a problem to report.
_HEADER_RE = rf"^\[\[?\s*({_DOTTED})\s*\]\]?"
_KEY_LINE_RE = rf"^({_DOTTED})\s*=(.*)$"


def _split_key(dotted: str) -> tuple[str, ...]:
    return tuple(atom[1:-1] if atom[0] in "\"'" else atom for atom in re.findall(_ATOM, dotted))


class Locator:
    """Knows the line where each table and key of a TOML text is first defined. The text
    is indexed when a line is first asked for: a file without problems never is."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._where: dict[tuple[str, ...], int] | None = None

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
        """The line of ``key`` in ``table`` (dotted; ``""`` is the top level), else of the
        nearest table holding it; 0 when neither is found."""
        if self._where is None:
            self._where = self._index(self._text)
        path = (*(table.split(".") if table else ()), *((key,) if key else ()))
        while path:
            if path in self._where:
                return self._where[path]
            path = path[:-1]
        return 0


# The reader.


@dataclass(frozen=True, slots=True, kw_only=True)
class Problem:
    """One thing wrong with a file, at a line (0 when the line is unknown)."""

    line: int
    message: str


class TomlError(ValueError):
    """A TOML file that cannot be used; carries every problem found."""

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


def did_you_mean(word: str, choices: Iterable[str], where: str = "") -> str:
    """`` (did you mean 'x'?)`` for the closest choice (``where`` follows it), or nothing."""
    if len(word) > 4 * MAX_SHOWN:  # no key is close to a text this long
        return ""
    near = difflib.get_close_matches(word, sorted(choices), n=1)
    return f" (did you mean {near[0]!r}{where}?)" if near else ""


_SYNTAX_AT_RE = r"\s*\(at line (\d+), column (\d+)\)"


def _syntax_problem(error: tomllib.TOMLDecodeError) -> Problem:
    """tomllib's message at its line, the column kept in the message."""
    message = str(error)
    where = re.search(_SYNTAX_AT_RE, message)
    if where is None:
        return Problem(line=0, message=f"not valid TOML: {message}")
    detail = message[: where.start()] + message[where.end() :]
    return Problem(
        line=int(where.group(1)), message=f"not valid TOML: {detail} (column {where.group(2)})"
    )


def _name(table: str, key: str) -> str:
    """How a message names a key: ``'price' in [treatments.pain]``; a top-level key bare."""
    return f"{shown(key)} in [{table}]" if table else key


_KINDS = {
    str: "text",
    int: "a whole number",
    Decimal: "a number",
    bool: "true or false",
    list: "a list",
    dict: "a table",
}
_AMOUNT = "an amount (a number, e.g. 450 or 450.00)"
_PERCENTAGE = 'a percentage (e.g. 20 or "20%")'


def read_toml_bytes(path: str, shown_as: str, what: str, error: type[TomlError]) -> bytes:
    """A TOML file's bytes (see :func:`read_bytes`); a file that
    cannot be read is ``error``, naming ``shown_as`` and ``what`` it is."""
    try:
        return read_bytes(path)
    except Unreadable as reason:
        raise error(
            shown_as, [Problem(line=0, message=f"cannot read the {what}: {reason}")]
        ) from None


class TomlSource:
    """A parsed TOML file (:attr:`data`, its top-level table) and every problem found
    reading it: each getter returns the value, or a default and notes a problem."""

    def __init__(
        self, path: str, text: str, data: dict[str, Any], error: type[TomlError] = TomlError
    ) -> None:
        self.path = path
        self.data = data
        self.error = error
        self.problems: list[Problem] = []
        self._locate = Locator(text)

    @classmethod
    def parse(
        cls, raw: bytes | str, path: str, what: str, error: type[TomlError] = TomlError
    ) -> TomlSource:
        """Decode (UTF-8, a byte-order mark allowed) and parse a file's contents; raise
        ``error`` when it is not UTF-8 (``what`` names the file: "price sheet") or not TOML."""
        if len(raw) > MAX_BYTES:
            raise error(
                path, [Problem(line=0, message=f"the {what} is larger than {MAX_BYTES:,} bytes")]
            )
        try:
            text = raw.decode("utf-8-sig") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError:
            unreadable = Problem(line=0, message=f"cannot read the {what}: it is not UTF-8 text")
            raise error(path, [unreadable]) from None
        bounds = bounds_problem(text)
        if bounds is not None:
            raise error(path, [Problem(line=bounds[0], message=bounds[1])])
        try:
            data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as syntax:
            raise error(path, [_syntax_problem(syntax)]) from None
        except (ValueError, ArithmeticError, RecursionError):  # past the bounds, all the same
            raise error(
                path, [Problem(line=0, message=f"the {what} holds a value too large to read")]
            ) from None
        return cls(path, text, data, error)

    def line_of(self, table: str, key: str | None = None) -> int:
        return self._locate.line_of(table, key)

    def fail(self, table: str, key: str | None, message: str) -> None:
        self.problems.append(Problem(line=self.line_of(table, key), message=message))

    def check(self) -> None:
        """Raise the error listing every problem, in line order, if there is any."""
        if self.problems:
            raise self.error(self.path, sorted(self.problems, key=lambda p: p.line))

    def known_keys(self, data: dict[str, Any], table: str, allowed: Iterable[str]) -> None:
        """Report each key of ``data`` that is not ``allowed``, with a suggestion."""
        allowed = set(allowed)
        where = f" in [{table}]" if table else ""
        for key in data:
            if key not in allowed:
                hint = did_you_mean(key.replace("-", "_"), allowed)
                self.fail(table, key, f"unknown key {shown(key)}{where}{hint}")

    def get(
        self,
        data: dict[str, Any],
        table: str,
        key: str,
        kind: type[T],
        default: T | None = None,
        *,
        required: bool = False,
        expect: str | None = None,
    ) -> T | None:
        """``data[key]`` if it is a ``kind`` (an int counts as a Decimal); else a problem
        saying it must be ``expect`` (default: the kind's name), and ``default``."""
        if key not in data:
            if required:
                self.fail(table, None, f"[{table}] is missing {key!r}")
            return default
        value = data[key]
        if kind is Decimal and isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
            hint = " (in quotes)" if kind is str and isinstance(value, int | Decimal) else ""
            self.fail(table, key, f"{_name(table, key)} must be {expect or _KINDS[kind]}{hint}")
            return default
        return value

    def text(self, data: dict[str, Any], table: str, key: str, default: str = "") -> str:
        return (self.get(data, table, key, str, default) or default).strip()

    def money(
        self, data: dict[str, Any], table: str, key: str, *, required: bool = False
    ) -> Decimal | None:
        """An amount of dollars: a number, not negative, at most two decimals."""
        value = self.get(data, table, key, Decimal, required=required, expect=_AMOUNT)
        if value is None:
            return None
        try:
            return check_amount(value)
        except MoneyError as error:
            self.fail(table, key, f"{_name(table, key)} {error}")
            return None

    def percent(self, data: dict[str, Any], table: str, key: str) -> Decimal | None:
        """A percentage, ``20`` or ``"20%"``, from 0 to 100, as the fraction it means
        (``Decimal("0.20")``)."""
        value = data.get(key)
        if isinstance(value, str):
            try:
                return parse_percent(value)
            except MoneyError as error:
                self.fail(table, key, f"{_name(table, key)} {error}")
                return None
        number = self.get(data, table, key, Decimal, expect=_PERCENTAGE)
        if number is None:
            return None
        if not (number.is_finite() and 0 <= number <= HUNDRED):
            self.fail(
                table,
                key,
                f"{_name(table, key)} must be from 0 to 100, not {str(number)[:MAX_SHOWN]}",
            )
            return None
        try:
            check_not_fraction(number, f"{_name(table, key)} {number}", f'"{number}%"')
        except MoneyError as error:
            self.fail(table, key, str(error))
            return None
        return number / HUNDRED

    def strings(self, data: dict[str, Any], table: str, key: str) -> tuple[str, ...]:
        value = self.get(data, table, key, list, [])
        if value is None or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(table, key, f"{_name(table, key)} must be a list of non-empty texts")
            return ()
        return tuple(v.strip() for v in value)

    def count(self, data: dict[str, Any], table: str, key: str, default: int, most: int) -> int:
        value = self.get(data, table, key, int, default)
        if value is None or not 1 <= value <= most:
            self.fail(table, key, f"{_name(table, key)} must be a whole number from 1 to {most}")
            return default
        return value

    def optional_count(self, data: dict[str, Any], table: str, key: str, most: int) -> int | None:
        """A whole number from 1 to ``most``, or None when the key is absent (or wrong)."""
        value = self.get(data, table, key, int, None)
        if value is not None and not 1 <= value <= most:
            self.fail(table, key, f"{key} in [{table}] must be from 1 to {most}")
            return None
        return value

    def choice(self, data: dict[str, Any], table: str, key: str, choices: Sequence[str]) -> str:
        """One of ``choices`` (the first is the default)."""
        value = data.get(key, choices[0])
        if not isinstance(value, str) or value not in choices:
            quoted = [f'"{c}"' for c in choices]
            allowed = " or ".join(quoted) if len(quoted) == 2 else f"one of {', '.join(quoted)}"
            hint = did_you_mean(value, choices) if isinstance(value, str) else ""
            self.fail(
                table, key, f"{_name(table, key)} must be {allowed}, not {shown(value)}{hint}"
            )
            return choices[0]
        return value

    def each(self, group: str, build: Callable[[str, str, dict[str, Any]], T | None]) -> list[T]:
        """Build every ``[group.KEY]`` table of the top level (``build(KEY, "group.KEY",
        table)``, None when it cannot be built); keys must be lower-case names."""
        section = self.get(self.data, "", group, dict, {}) or {}
        built: list[T] = []
        for key, body in section.items():
            table = f"{group}.{key}"
            if not isinstance(body, dict):
                self.fail(group, key, f"[{table}] must be a table")
                continue
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", key):
                example = f"(e.g. [{group}.consultation])"
                names = f"names are lower-case letters, digits, - or _ {example}"
                self.fail(table, None, f"[{table}]: {names}")
            item = build(key, table, body)
            if item is not None:
                built.append(item)
        return built
