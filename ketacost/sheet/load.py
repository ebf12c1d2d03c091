"""Reading a price sheet from TOML into a :class:`~ketacost.sheet.model.PriceSheet`.

Every table is checked and every problem reported with its line (``FILE:LINE: message``),
all at once, so a clinic fixes its sheet in one pass. Money is read as Decimal, never
float. The file is read by :class:`~ketacost.toml.source.TomlSource` (as the coverage
file is); the checks of the sheet as a whole live in :mod:`ketacost.sheet.check`.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import fields, replace
from typing import Any, cast

from ketacost.schedule.sessions import ScheduleError, parse_maintenance
from ketacost.sheet.billing import (
    check_provider_keys,
    read_codes,
    read_minutes,
    read_provider_key,
    read_providers,
)
from ketacost.sheet.check import KEYS, SheetError, check_top_level, cross_check, read_clinic
from ketacost.sheet.days import read_clinic_days
from ketacost.sheet.model import (
    Discount,
    DiscountScope,
    Fee,
    FeePer,
    Plan,
    PriceRange,
    PriceRangeError,
    PriceSheet,
    Treatment,
)
from ketacost.sheet.treatments import (
    check_fee_treatments,
    check_medication,
    read_extras,
    read_fee_treatment,
    read_savings,
)
from ketacost.toml.source import TomlSource, did_you_mean, read_toml_bytes

__all__ = ["BUILTIN_SHEET", "SheetError", "load_sheet", "parse_sheet"]

BUILTIN_SHEET = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "national.toml")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of a sheet's bytes, in hex (what ``sha256sum FILE`` prints)."""
    return hashlib.sha256(data).hexdigest()


FEE_PER: tuple[FeePer, ...] = ("once", "series", "session")
SCOPES: tuple[DiscountScope, ...] = ("induction", "maintenance", "all")


def _price(r: TomlSource, body: dict[str, Any], table: str) -> PriceRange | None:
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
    try:
        return PriceRange.between(low, high, typical)
    except PriceRangeError as error:
        r.fail(table, error.field, f"[{table}] {error}")
        return None


def _treatment(r: TomlSource, key: str, table: str, body: dict[str, Any]) -> Treatment | None:
    r.known_keys(body, table, KEYS["treatments"])
    price = _price(r, body, table)
    booster = r.money(body, table, "booster_price")
    label = r.text(body, table, "label", key) or key
    aliases = tuple(a.lower() for a in r.strings(body, table, "aliases"))
    sessions = r.count(body, table, "induction_sessions", 6, most=100)
    weeks = r.count(body, table, "induction_weeks", 2, most=52)
    billing = read_codes(r, body, table)
    minutes = read_minutes(r, body, table)
    provider = read_provider_key(r, body, table)
    extras = read_extras(r, body, table)
    if extras.phases:
        sessions = sum(p.sessions for p in extras.phases)
        weeks = sum(p.weeks for p in extras.phases)
    if price is None:
        return None
    treatment = Treatment(
        key=key,
        label=label,
        price=price,
        aliases=aliases,
        induction_sessions=sessions,
        induction_weeks=weeks,
        booster_price=None if booster is None else PriceRange.exact(booster),
        codes=tuple(c.code for c in billing),
        billing=billing,
        infusion_minutes=minutes,
        provider=provider,
    )
    return replace(
        treatment, **{f.name: getattr(extras, f.name) for f in fields(extras)}
    )  # each extra is a Treatment field


def _fee(r: TomlSource, key: str, table: str, body: dict[str, Any]) -> Fee | None:
    r.known_keys(body, table, KEYS["fees"])
    amount = r.money(body, table, "amount", required=True)
    per = cast(FeePer, r.choice(body, table, "per", FEE_PER))
    optional = bool(r.get(body, table, "optional", bool, False))
    label = r.text(body, table, "label", key) or key
    billing = read_codes(r, body, table)
    provider = read_provider_key(r, body, table)
    treatment = read_fee_treatment(r, body, table)
    if amount is None:
        return None
    codes = tuple(c.code for c in billing)
    return Fee(
        key=key,
        label=label,
        amount=amount,
        per=per,
        codes=codes,
        optional=optional,
        billing=billing,
        provider=provider,
        treatment=treatment,
    )


def _discount(r: TomlSource, key: str, table: str, body: dict[str, Any]) -> Discount | None:
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
    return Discount(key=key, label=label, applies_to=scope, rate=rate, amount=amount, when=when)


def _plan(r: TomlSource, key: str, table: str, body: dict[str, Any]) -> Plan | None:
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
    return Plan(
        key=key,
        label=label,
        maintenance=replace(base, plan=key),
        treatment=treatment,
        booster_price=booster,
    )


def parse_sheet(
    data: str | bytes, path: str = "(built-in)", digest: str | None = None
) -> PriceSheet:
    """Parse and check a whole sheet (its text, or its file's bytes); raise
    :class:`SheetError` listing every problem.

    ``digest`` is the SHA-256 of the file's bytes (default: of ``data``, text as UTF-8).
    """
    r = TomlSource.parse(data, path, "price sheet", SheetError)
    check_top_level(r)
    head = r.get(r.data, "", "sheet", dict, {}) or {}
    r.known_keys(head, "sheet", KEYS["sheet"])
    currency = r.text(head, "sheet", "currency", "USD")
    if currency != "USD":
        r.fail("sheet", "currency", f"currency {currency!r} is not supported (only USD)")
    name, source = r.text(head, "sheet", "name"), r.text(head, "sheet", "source")
    clinic = replace(read_clinic(r), **read_clinic_days(r))
    providers = read_providers(r)
    treatments = r.each("treatments", lambda k, t, b: _treatment(r, k, t, b))
    fees = r.each("fees", lambda k, t, b: _fee(r, k, t, b))
    discounts = r.each("discounts", lambda k, t, b: _discount(r, k, t, b))
    plans = r.each("plans", lambda k, t, b: _plan(r, k, t, b))
    savings = r.each("savings", lambda k, t, b: read_savings(r, k, t, b))
    owner = cross_check(r)
    check_fee_treatments(r, owner)
    check_medication(r, treatments, plans, savings, owner)
    check_provider_keys(r, providers)
    default = r.text(head, "sheet", "default_condition").lower() or (
        treatments[0].key if treatments else ""
    )
    names = {n for t in treatments for n in (t.key, *t.aliases)}
    if not r.data.get("treatments"):
        r.fail("sheet", None, "the sheet prices no treatments: add a [treatments.NAME] table")
    elif treatments and default not in names:
        r.fail(
            "sheet",
            "default_condition",
            f"default_condition {default!r} is not a treatment{did_you_mean(default, names)}",
        )
    r.check()
    return PriceSheet(
        name=name or clinic.name or os.path.splitext(os.path.basename(path))[0],
        treatments=tuple(treatments),
        default_condition=default,
        source=source,
        path=path,
        sha256=digest or sha256_hex(data.encode() if isinstance(data, str) else data),
        clinic=clinic,
        discounts=tuple(discounts),
        plans=tuple(replace(p, treatment=owner[p.treatment]) if p.treatment else p for p in plans),
        fees=tuple(replace(f, treatment=owner[f.treatment]) if f.treatment else f for f in fees),
        providers=providers,
        savings=tuple(replace(p, treatment=owner.get(p.treatment, p.treatment)) for p in savings),
    )


def load_sheet(path: str | os.PathLike[str] | None = None) -> PriceSheet:
    """Read a sheet file (the built-in sheet when ``path`` is None).

    The hash is of the file's exact bytes, so ``sha256sum FILE`` gives the same digits.
    Only a regular file of at most a megabyte is read (``/dev/zero`` fails at once).
    """
    source = BUILTIN_SHEET if path is None else os.fspath(path)
    shown = "(built-in)" if path is None else source
    raw = read_toml_bytes(source, shown, "price sheet", SheetError)
    return parse_sheet(raw, shown, sha256_hex(raw))
