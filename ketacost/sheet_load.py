"""Reading a price sheet from TOML, checking every field, and reporting every problem
with its line (``FILE:LINE: message``). Money is read as Decimal, never float."""

from __future__ import annotations

import importlib
import re
import tomllib
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast, get_args

from ketacost.money import HUNDRED, MoneyError, check_amount
from ketacost.schedule import Maintenance, ScheduleError, parse_maintenance
from ketacost.sheet import (
    Clinic,
    Discount,
    DiscountScope,
    Fee,
    FeePer,
    Plan,
    PriceRange,
    PriceSheet,
    Treatment,
)

BUILTIN_SHEET = Path(__file__).parent / "data" / "national.toml"
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
        return [f"{self.path}:{p.line}: {p.message}" if p.line else f"{self.path}: {p.message}"
                for p in self.problems]


_KEYS: dict[str, set[str]] = {
    "sheet": {"name", "currency", "source", "default_condition"},
    "clinic": {"name", "npi", "tin", "address", "state", "phone"},
    "treatment": {"label", "aliases", "price", "low", "high", "typical", "induction_sessions",
                  "induction_weeks", "booster_price", "codes"},
    "fee": {"label", "amount", "per", "codes", "optional"},
    "discount": {"label", "percent", "amount", "applies_to", "when"},
    "plan": {"label", "every", "treatment", "booster_price"},
}
_TOP = {"sheet", "clinic", "treatments", "fees", "discounts", "plans"}
_TIN_RE = re.compile(r"^\d{2}-\d{7}$")
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


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


class _Locator:
    """Finds the line of a table or key in the sheet's text, for messages."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def line_of(self, table: str, key: str | None = None) -> int:
        header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, table.split("."))) +
                            r"\s*\]")
        start = next((i for i, ln in enumerate(self.lines) if header.match(ln)), None)
        if start is None:
            return 0
        if key is None:
            return start + 1
        key_re = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
        for i in range(start + 1, len(self.lines)):
            if self.lines[i].lstrip().startswith("["):
                break
            if key_re.match(self.lines[i]):
                return i + 1
        return start + 1


class _Reader:
    """Turns the parsed TOML into domain objects, collecting problems as it goes."""

    def __init__(self, locate: _Locator) -> None:
        self.locate = locate
        self.problems: list[Problem] = []

    def fail(self, table: str, key: str | None, message: str) -> None:
        self.problems.append(Problem(self.locate.line_of(table, key), message))

    def table(self, data: dict[str, Any], table: str, kind: str) -> dict[str, Any]:
        for key in data:
            if key not in _KEYS[kind]:
                hint = _did_you_mean(key, _KEYS[kind])
                self.fail(table, key, f"unknown key {key!r} in [{table}]{hint}")
        return data

    def get(self, data: dict[str, Any], table: str, key: str, kind: type[T],
            default: T | None = None, *, required: bool = False) -> T | None:
        if key not in data:
            if required:
                self.fail(table, None, f"[{table}] is missing {key!r}")
            return default
        value = data[key]
        if kind is Decimal and isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            self.fail(table, key, f"{key!r} in [{table}] must be {_describe(kind)}")
            return default
        return value

    def money(self, data: dict[str, Any], table: str, key: str, *,
              required: bool = False) -> Decimal | None:
        value = self.get(data, table, key, Decimal, required=required)
        if value is None:
            return None
        try:
            return check_amount(value)
        except MoneyError as error:
            self.fail(table, key, f"{key!r} in [{table}] {error}")
            return None

    def strings(self, data: dict[str, Any], table: str, key: str) -> tuple[str, ...]:
        value = self.get(data, table, key, list, [])
        if value is None or not all(isinstance(v, str) for v in value):
            self.fail(table, key, f"{key!r} in [{table}] must be a list of strings")
            return ()
        return tuple(v.strip() for v in value)

    def count(self, data: dict[str, Any], table: str, key: str, default: int) -> int:
        value = self.get(data, table, key, int, default)
        if value is None or not 1 <= value <= 100:
            self.fail(table, key, f"{key!r} in [{table}] must be a whole number from 1 to 100")
            return default
        return value

    def each(self, data: dict[str, Any], group: str,
             build: Callable[[str, str, dict[str, Any]], T | None]) -> list[T]:
        section = self.get(data, group, group, dict, {}) if group in data else {}
        built: list[T] = []
        for key, body in (section or {}).items():
            table = f"{group}.{key}"
            if not isinstance(body, dict):
                self.fail(group, key, f"[{table}] must be a table")
                continue
            if not _KEY_RE.match(key):
                self.fail(table, None, f"[{table}]: keys are lower-case letters, digits, - or _")
            item = build(key, table, body)
            if item is not None:
                built.append(item)
        return built

    def price(self, data: dict[str, Any], table: str) -> PriceRange | None:
        if "price" in data:
            if {"low", "high", "typical"} & data.keys():
                self.fail(table, "price", f"[{table}] has both 'price' and a low/high range")
            exact = self.money(data, table, "price")
            return PriceRange.exact(exact) if exact is not None else None
        if "low" not in data and "high" not in data:
            self.fail(table, None, f"[{table}] needs 'price', or 'low' and 'high'")
            return None
        low = self.money(data, table, "low", required=True)
        high = self.money(data, table, "high", required=True)
        typical = self.money(data, table, "typical")
        if low is None or high is None:
            return None
        if low > high:
            self.fail(table, "low", f"[{table}] low {low} is above high {high}")
            return None
        if typical is not None and not low <= typical <= high:
            self.fail(table, "typical", f"[{table}] typical {typical} is not between low and high")
            return None
        return PriceRange.between(low, high, typical)


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of a sheet's text, in hex. CPython's own SHA-256 module when it has
    one: hashlib loads OpenSSL first, which costs a command more start-up time than
    parsing the sheet. The digest is the same either way."""
    for name in ("_sha2", "_sha256"):  # CPython 3.12+, 3.11
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        return str(module.sha256(data).hexdigest())
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _did_you_mean(key: str, known: set[str]) -> str:
    import difflib  # only when a sheet has a mistake: it costs a millisecond to import

    near = difflib.get_close_matches(key, sorted(known), n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _describe(kind: type) -> str:
    return {str: "text", int: "a whole number", Decimal: "a number", bool: "true or false",
            list: "a list", dict: "a table"}.get(kind, kind.__name__)


def _treatment(r: _Reader, key: str, table: str, body: dict[str, Any]) -> Treatment | None:
    r.table(body, table, "treatment")
    price = r.price(body, table)
    booster = r.money(body, table, "booster_price")
    aliases = tuple(a.lower() for a in r.strings(body, table, "aliases"))
    label = r.get(body, table, "label", str, key) or key
    sessions = r.count(body, table, "induction_sessions", 6)
    weeks = r.count(body, table, "induction_weeks", 2)
    if price is None:
        return None
    return Treatment(key, label, price, aliases, sessions, weeks,
                     PriceRange.exact(booster) if booster is not None else None,
                     r.strings(body, table, "codes"))


def _fee(r: _Reader, key: str, table: str, body: dict[str, Any]) -> Fee | None:
    r.table(body, table, "fee")
    amount = r.money(body, table, "amount", required=True)
    per = r.get(body, table, "per", str, "once")
    if per not in get_args(FeePer):
        r.fail(table, "per", f"'per' in [{table}] must be \"once\", \"series\" or \"session\"")
        return None
    optional = r.get(body, table, "optional", bool, False)
    if amount is None:
        return None
    return Fee(key, r.get(body, table, "label", str, key) or key, amount, cast(FeePer, per),
               r.strings(body, table, "codes"), bool(optional))


def _discount(r: _Reader, key: str, table: str, body: dict[str, Any]) -> Discount | None:
    r.table(body, table, "discount")
    percent = r.get(body, table, "percent", Decimal)
    amount = r.money(body, table, "amount")
    scope = r.get(body, table, "applies_to", str, "induction")
    if scope not in get_args(DiscountScope):
        r.fail(table, "applies_to",
               f"'applies_to' in [{table}] must be \"induction\", \"maintenance\" or \"all\"")
        return None
    if (percent is None) == (amount is None):
        r.fail(table, None, f"[{table}] needs exactly one of 'percent' or 'amount'")
        return None
    if percent is not None and not 0 <= percent <= HUNDRED:
        r.fail(table, "percent", f"'percent' in [{table}] must be from 0 to 100, not {percent}")
        return None
    return Discount(key, r.get(body, table, "label", str, key) or key,
                    cast(DiscountScope, scope), percent, amount,
                    r.get(body, table, "when", str))


def _plan(r: _Reader, key: str, table: str, body: dict[str, Any]) -> Plan | None:
    r.table(body, table, "plan")
    every = r.get(body, table, "every", str, required=True)
    treatment = r.get(body, table, "treatment", str)
    booster = r.money(body, table, "booster_price")
    if booster is not None and treatment is None:
        r.fail(table, "booster_price",
               f"[{table}] sets 'booster_price' but names no 'treatment' it applies to")
    if every is None:
        return None
    try:
        base = parse_maintenance(every)
    except ScheduleError as error:
        r.fail(table, "every", f"'every' in [{table}]: {error}")
        return None
    if base.unit == "none":
        r.fail(table, "every", f"'every' in [{table}] must give an interval, not 'none'")
        return None
    plan = Maintenance(base.unit, base.every, plan=key)
    return Plan(key, r.get(body, table, "label", str, key) or key, plan, treatment, booster)


def _clinic(r: _Reader, data: dict[str, Any]) -> Clinic:
    body = r.get(data, "clinic", "clinic", dict, {}) if "clinic" in data else {}
    r.table(body or {}, "clinic", "clinic")
    fields = {k: r.get(body or {}, "clinic", k, str, "") or "" for k in _KEYS["clinic"]}
    if fields["npi"] and not npi_is_valid(fields["npi"]):
        r.fail("clinic", "npi", f"NPI {fields['npi']!r} is not valid (10 digits, check digit)")
    if fields["tin"] and not _TIN_RE.match(fields["tin"]):
        r.fail("clinic", "tin", f"TIN {fields['tin']!r} must look like NN-NNNNNNN")
    return Clinic(**fields)


def parse_sheet(text: str, path: str = "(built-in)") -> PriceSheet:
    """Parse and check a whole sheet; raise :class:`SheetError` listing every problem."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        raise SheetError(path, [Problem(int(match.group(1)) if match else 0,
                                        f"not valid TOML: {error}")]) from None
    r = _Reader(_Locator(text))
    for key in data:
        if key not in _TOP:
            hint = _did_you_mean(key, _TOP)
            r.fail(key, None, f"unknown table [{key}]{hint}")
    head = r.table(r.get(data, "sheet", "sheet", dict, {}) or {}, "sheet", "sheet")
    currency = r.get(head, "sheet", "currency", str, "USD")
    if currency != "USD":
        r.fail("sheet", "currency", f"currency {currency!r} is not supported (only USD)")
    clinic = _clinic(r, data)
    treatments = r.each(data, "treatments", lambda k, t, b: _treatment(r, k, t, b))
    fees = r.each(data, "fees", lambda k, t, b: _fee(r, k, t, b))
    discounts = r.each(data, "discounts", lambda k, t, b: _discount(r, k, t, b))
    plans = r.each(data, "plans", lambda k, t, b: _plan(r, k, t, b))
    _cross_check(r, treatments, plans)
    default = r.get(head, "sheet", "default_condition", str) or (
        treatments[0].key if treatments else "")
    if not treatments and not r.problems:
        r.fail("treatments", None, "the sheet prices no treatments: add a [treatments.NAME]")
    if treatments and default not in {n for t in treatments for n in (t.key, *t.aliases)}:
        r.fail("sheet", "default_condition", f"default_condition {default!r} is not a treatment")
    if r.problems:
        raise SheetError(path, sorted(r.problems, key=lambda p: p.line))
    return PriceSheet(
        name=r.get(head, "sheet", "name", str) or clinic.name or Path(path).stem,
        treatments=tuple(treatments), default_condition=default,
        source=r.get(head, "sheet", "source", str) or "", path=path,
        sha256=sha256_hex(text.encode()), clinic=clinic,
        fees=tuple(fees), discounts=tuple(discounts), plans=tuple(plans))


def _cross_check(r: _Reader, treatments: list[Treatment], plans: list[Plan]) -> None:
    seen: dict[str, str] = {}
    for treatment in treatments:
        for name in (treatment.key, *treatment.aliases):
            if name in seen and seen[name] != treatment.key:
                r.fail(f"treatments.{treatment.key}", "aliases",
                       f"{name!r} is used by both [treatments.{seen[name]}] and "
                       f"[treatments.{treatment.key}]")
            seen[name] = treatment.key
    for plan in plans:
        if plan.treatment is not None and plan.treatment not in seen:
            r.fail(f"plans.{plan.key}", "treatment",
                   f"[plans.{plan.key}] names unknown treatment {plan.treatment!r}")


def load_sheet(path: str | Path | None = None) -> PriceSheet:
    """Read a sheet file (the built-in sheet when ``path`` is None)."""
    if path is None:
        return parse_sheet(BUILTIN_SHEET.read_text(encoding="utf-8"))
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        problem = Problem(0, f"cannot read the price sheet: {reason}")
        raise SheetError(str(path), [problem]) from None
    return parse_sheet(text, str(path))
