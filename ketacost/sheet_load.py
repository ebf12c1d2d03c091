"""Reading a price sheet from TOML into a :class:`~ketacost.sheet.PriceSheet`.

Every table is checked and every problem reported with its line (``FILE:LINE: message``),
all at once, so a clinic fixes its sheet in one pass. Money is read as Decimal, never
float. The checking and locating helpers live in :mod:`ketacost.sheet_check`.
"""

from __future__ import annotations

import importlib
import os
import re
import tomllib
from decimal import Decimal
from typing import Any, cast

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
from ketacost.sheet_check import (
    Locator,
    Problem,
    Reader,
    SheetError,
    did_you_mean,
    npi_is_valid,
    tin_is_valid,
)

__all__ = ["BUILTIN_SHEET", "Problem", "SheetError", "load_sheet", "npi_is_valid", "parse_sheet"]

BUILTIN_SHEET = os.path.join(os.path.dirname(__file__), "data", "national.toml")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of a sheet's bytes, in hex. CPython's own SHA-256 module when it has
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


KEYS: dict[str, set[str]] = {
    "sheet": {"name", "currency", "source", "default_condition"},
    "clinic": {"name", "npi", "tin", "address", "state", "phone"},
    "treatments": {
        "label",
        "aliases",
        "price",
        "low",
        "high",
        "typical",
        "induction_sessions",
        "induction_weeks",
        "booster_price",
        "codes",
    },
    "fees": {"label", "amount", "per", "codes", "optional"},
    "discounts": {"label", "percent", "amount", "applies_to", "when"},
    "plans": {"label", "every", "treatment", "booster_price"},
}
FEE_PER: tuple[FeePer, ...] = ("once", "series", "session")
SCOPES: tuple[DiscountScope, ...] = ("induction", "maintenance", "all")


def _price(r: Reader, body: dict[str, Any], table: str) -> PriceRange | None:
    """``price`` (exact), or ``low`` and ``high`` with an optional ``typical``."""
    if "price" in body:
        if {"low", "high", "typical"} & body.keys():
            r.fail(
                table,
                "price",
                f"[{table}] has both 'price' and a low/high range: give one or the other",
            )
        exact = r.money(body, table, "price")
        return None if exact is None else PriceRange.exact(exact)
    if "low" not in body and "high" not in body:
        r.fail(table, None, f"[{table}] needs a 'price', or a 'low' and a 'high'")
        return None
    low = r.money(body, table, "low", required=True)
    high = r.money(body, table, "high", required=True)
    typical = r.money(body, table, "typical")
    if low is None or high is None:
        return None
    if low > high:
        r.fail(table, "low", f"[{table}] low {low} is above high {high}")
        return None
    if typical is not None and not low <= typical <= high:
        r.fail(
            table,
            "typical",
            f"[{table}] typical {typical} is not between low {low} and high {high}",
        )
        return None
    return PriceRange.between(low, high, typical)


def _treatment(r: Reader, key: str, table: str, body: dict[str, Any]) -> Treatment | None:
    r.known_keys(body, table, KEYS["treatments"])
    price = _price(r, body, table)
    booster = r.money(body, table, "booster_price")
    label = r.text(body, table, "label", key) or key
    aliases = tuple(a.lower() for a in r.strings(body, table, "aliases"))
    sessions = r.count(body, table, "induction_sessions", 6, most=100)
    weeks = r.count(body, table, "induction_weeks", 2, most=52)
    codes = r.strings(body, table, "codes")
    if price is None:
        return None
    return Treatment(
        key,
        label,
        price,
        aliases,
        sessions,
        weeks,
        None if booster is None else PriceRange.exact(booster),
        codes,
    )


def _fee(r: Reader, key: str, table: str, body: dict[str, Any]) -> Fee | None:
    r.known_keys(body, table, KEYS["fees"])
    amount = r.money(body, table, "amount", required=True)
    per = cast(FeePer, r.choice(body, table, "per", FEE_PER))
    optional = bool(r.get(body, table, "optional", bool, False))
    label = r.text(body, table, "label", key) or key
    codes = r.strings(body, table, "codes")
    if amount is None:
        return None
    return Fee(key, label, amount, per, codes, optional)


def _discount(r: Reader, key: str, table: str, body: dict[str, Any]) -> Discount | None:
    r.known_keys(body, table, KEYS["discounts"])
    rate = r.percent(body, table, "percent")
    amount = r.money(body, table, "amount")
    scope = cast(DiscountScope, r.choice(body, table, "applies_to", SCOPES))
    label = r.text(body, table, "label", key) or key
    when = r.text(body, table, "when") or None
    if {"percent", "amount"} <= body.keys():
        r.fail(table, "amount", f"[{table}] gives both 'percent' and 'amount': give one")
        return None
    if not {"percent", "amount"} & body.keys():
        r.fail(table, None, f"[{table}] is missing 'percent' or 'amount' (how much it takes off)")
        return None
    if rate is None and amount is None:
        return None
    return Discount(key, label, scope, rate, amount, when)


def _plan(r: Reader, key: str, table: str, body: dict[str, Any]) -> Plan | None:
    r.known_keys(body, table, KEYS["plans"])
    every = r.get(body, table, "every", str, required=True)
    treatment = r.text(body, table, "treatment").lower() or None
    booster = r.money(body, table, "booster_price")
    label = r.text(body, table, "label", key) or key
    if booster is not None and treatment is None:
        r.fail(
            table,
            "booster_price",
            f"[{table}] sets 'booster_price' but names no 'treatment' it applies to",
        )
    if every is None:
        return None
    try:
        base = parse_maintenance(every)
    except ScheduleError as error:
        r.fail(table, "every", f"'every' in [{table}]: {error}")
        return None
    if base.unit == "none":
        r.fail(
            table,
            "every",
            f"'every' in [{table}] must be an interval such as "
            '"4 weeks" or "monthly", not \'none\'',
        )
        return None
    return Plan(key, label, Maintenance(base.unit, base.every, plan=key), treatment, booster)


def _clinic(r: Reader, data: dict[str, Any]) -> Clinic:
    body = r.get(data, "clinic", "clinic", dict, {}) or {}
    r.known_keys(body, "clinic", KEYS["clinic"])
    fields = {k: r.text(body, "clinic", k) for k in sorted(KEYS["clinic"])}
    if fields["npi"] and not npi_is_valid(fields["npi"]):
        r.fail(
            "clinic",
            "npi",
            f"NPI {fields['npi']!r} is not valid: it must be 10 digits "
            "whose last is the check digit",
        )
    if fields["tin"] and not tin_is_valid(fields["tin"]):
        r.fail("clinic", "tin", f"TIN {fields['tin']!r} must look like NN-NNNNNNN")
    return Clinic(**fields)


def _top_level(r: Reader, data: dict[str, Any]) -> None:
    for key, value in data.items():
        if key in KEYS:
            continue
        if isinstance(value, dict):
            r.fail(key, None, f"unknown table [{key}]{did_you_mean(key, KEYS)}")
        elif key in KEYS["sheet"]:
            r.fail(key, None, f"{key!r} belongs in the [sheet] table")
        else:
            r.fail(
                key,
                None,
                f"unknown key {key!r} outside any table"
                f"{did_you_mean(key, KEYS['sheet'], ' in [sheet]')}",
            )


def _names(body: Any, key: str) -> list[str]:
    """The texts under ``key`` of a raw table, whatever else is wrong with it."""
    value = body.get(key) if isinstance(body, dict) else None
    values = value if isinstance(value, list) else [value]
    return [v.strip().lower() for v in values if isinstance(v, str) and v.strip()]


def _cross_check(r: Reader, data: dict[str, Any]) -> dict[str, str]:
    """Names used by two treatments; plans naming unknown treatments. Works on the raw
    tables, so these are reported even when a table has other problems too.
    Returns the owner (treatment key) of every treatment name."""
    owner: dict[str, str] = {}
    treatments = data.get("treatments")
    for key, body in (treatments if isinstance(treatments, dict) else {}).items():
        for name in (key, *_names(body, "aliases")):
            if owner.setdefault(name, key) != key:
                r.fail(
                    f"treatments.{key}",
                    "aliases",
                    f"{name!r} is used by both [treatments.{owner[name]}] and [treatments.{key}]",
                )
    plans = data.get("plans")
    for key, body in (plans if isinstance(plans, dict) else {}).items():
        for name in _names(body, "treatment"):
            if name not in owner:
                r.fail(
                    f"plans.{key}",
                    "treatment",
                    f"[plans.{key}] names unknown treatment {name!r}{did_you_mean(name, owner)}",
                )
    return owner


def _syntax_error(error: tomllib.TOMLDecodeError) -> Problem:
    message = str(error)
    where = re.search(r"\s*\(at line (\d+), column (\d+)\)", message)
    if where is None:
        return Problem(0, f"not valid TOML: {message}")
    detail = message[: where.start()] + message[where.end() :]
    return Problem(int(where.group(1)), f"not valid TOML: {detail} (column {where.group(2)})")


def parse_sheet(text: str, path: str = "(built-in)", digest: str | None = None) -> PriceSheet:
    """Parse and check a whole sheet; raise :class:`SheetError` listing every problem.

    ``digest`` is the SHA-256 of the file's bytes (default: of ``text`` as UTF-8).
    """
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise SheetError(path, [_syntax_error(error)]) from None
    r = Reader(Locator(text))
    _top_level(r, data)
    head = r.get(data, "sheet", "sheet", dict, {}) or {}
    r.known_keys(head, "sheet", KEYS["sheet"])
    currency = r.text(head, "sheet", "currency", "USD")
    if currency != "USD":
        r.fail("sheet", "currency", f"currency {currency!r} is not supported (only USD)")
    name, source = r.text(head, "sheet", "name"), r.text(head, "sheet", "source")
    clinic = _clinic(r, data)
    treatments = r.each(data, "treatments", lambda k, t, b: _treatment(r, k, t, b))
    fees = r.each(data, "fees", lambda k, t, b: _fee(r, k, t, b))
    discounts = r.each(data, "discounts", lambda k, t, b: _discount(r, k, t, b))
    plans = r.each(data, "plans", lambda k, t, b: _plan(r, k, t, b))
    owner = _cross_check(r, data)
    default = r.text(head, "sheet", "default_condition").lower() or (
        treatments[0].key if treatments else ""
    )
    names = {n for t in treatments for n in (t.key, *t.aliases)}
    if not data.get("treatments"):
        r.fail("sheet", None, "the sheet prices no treatments: add a [treatments.NAME] table")
    elif treatments and default not in names:
        r.fail(
            "sheet",
            "default_condition",
            f"default_condition {default!r} is not a treatment{did_you_mean(default, names)}",
        )
    if r.problems:
        raise SheetError(path, sorted(r.problems, key=lambda p: p.line))
    return PriceSheet(
        name=name or clinic.name or os.path.splitext(os.path.basename(path))[0],
        treatments=tuple(treatments),
        default_condition=default,
        source=source,
        path=path,
        sha256=digest or sha256_hex(text.encode()),
        clinic=clinic,
        fees=tuple(fees),
        discounts=tuple(discounts),
        plans=tuple(p._replace(treatment=owner[p.treatment]) if p.treatment else p for p in plans),
    )


def load_sheet(path: str | os.PathLike[str] | None = None) -> PriceSheet:
    """Read a sheet file (the built-in sheet when ``path`` is None).

    The hash is of the file's exact bytes, so ``sha256sum FILE`` gives the same digits.
    """
    source = BUILTIN_SHEET if path is None else os.fspath(path)
    shown = "(built-in)" if path is None else source
    try:
        with open(source, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it is not UTF-8 text"
        raise SheetError(shown, [Problem(0, f"cannot read the price sheet: {reason}")]) from None
    return parse_sheet(text, shown, sha256_hex(raw))
