"""The parts of a price sheet a Good Faith Estimate relies on: service codes with their
units, other providers (``[providers.KEY]``) and who bills each item (docs/gfe.md). The
days the clinic is open are :mod:`ketacost.sheet.days`'s.

Each reader notes its problems on the :class:`~ketacost.toml.source.TomlSource` the sheet
is read from, at their lines, like the rest of :mod:`ketacost.sheet.load`.
"""

from __future__ import annotations

import re
from typing import Any

from ketacost.sheet.check import KEYS, npi_is_valid, tin_is_valid
from ketacost.sheet.model import CLINIC_KEY, Code, PriceSheet, Provider
from ketacost.toml.source import TomlSource, did_you_mean

CODE_PATTERN = r"\d{4}[0-9A-Z]|[A-Z]\d{4}"
"""A CPT code (five digits, or four and a letter: 0591T) or a HCPCS code (a letter and
four digits: J3490)."""
MAX_UNITS = 100
"""A drug billed per unit of dose needs more than hours do: HCPCS J0013 (esketamine) is
billed per 1 mg, so an 84 mg dose is 84 units."""
MAX_INFUSION_MINUTES = 24 * 60


def _code(text: str) -> str | None:
    code = text.strip().upper()
    return code if re.fullmatch(CODE_PATTERN, code) else None


def read_codes(src: TomlSource, body: dict[str, Any], table: str) -> tuple[Code, ...]:
    """``codes = ["96365", { code = "96366", units = 3 }, "J3490"]``: each a code, or a
    code with its units (1 to 24)."""
    value = src.get(body, table, "codes", list, [])
    if value is None:
        return ()
    codes: list[Code] = []
    shape = (
        f"each of 'codes' in [{table}] must be a CPT/HCPCS code such as \"96365\", "
        'or { code = "96366", units = 3 }'
    )
    for item in value:
        text, units = item, 1
        modifiers: tuple[str, ...] | None = ()
        if isinstance(item, dict):
            extra = set(item) - {"code", "units", "modifiers"}
            if extra:
                unknown = sorted(extra)[0]
                src.fail(table, "codes", f"unknown key {unknown!r} in 'codes' of [{table}]")
                continue
            text, units = item.get("code"), item.get("units", 1)
            if type(units) is not int or not 1 <= units <= MAX_UNITS:
                src.fail(
                    table,
                    "codes",
                    f"units of {text!r} in [{table}] must be a whole number from 1 to {MAX_UNITS}",
                )
                continue
            modifiers = _modifiers(src, item.get("modifiers", []), table, text)
            if modifiers is None:
                continue
        code = _code(text) if isinstance(text, str) else None
        if code is None:
            src.fail(table, "codes", f"{shape}, not {text!r}")
            continue
        if any(c.code == code for c in codes):
            src.fail(table, "codes", f"code {code} is listed twice in [{table}]: give its units")
            continue
        codes.append(Code(code=code, units=units, modifiers=modifiers or ()))
    return tuple(codes)


MODIFIER_PATTERN = r"[0-9A-Z]{2}"
MAX_MODIFIERS = 4
"""A claim line carries at most four modifiers (CMS-1500 item 24D)."""


def _modifiers(src: TomlSource, value: object, table: str, code: object) -> tuple[str, ...] | None:
    """``modifiers = ["59"]`` of a code: two letters or digits each, at most four; None
    (noted on the source) when they are not."""
    problem = f"modifiers of {code!r} in [{table}] must be a list of at most {MAX_MODIFIERS} "
    if not isinstance(value, list) or len(value) > MAX_MODIFIERS:
        src.fail(table, "codes", problem + 'two-character codes, such as ["59"]')
        return None
    found = tuple(m.strip().upper() for m in value if isinstance(m, str))
    if len(found) != len(value) or not all(re.fullmatch(MODIFIER_PATTERN, m) for m in found):
        src.fail(table, "codes", problem + 'two-character codes, such as ["59"]')
        return None
    return found


def read_minutes(src: TomlSource, body: dict[str, Any], table: str) -> int | None:
    """``infusion_minutes``: how long one infusion lasts (1 minute to 24 hours)."""
    return src.optional_count(body, table, "infusion_minutes", MAX_INFUSION_MINUTES)


def read_provider_key(src: TomlSource, body: dict[str, Any], table: str) -> str | None:
    """``provider = "KEY"``: who bills an item (a ``[providers.KEY]``); None: the clinic."""
    key = src.text(body, table, "provider").lower()
    return None if key in ("", CLINIC_KEY) else key


def read_providers(src: TomlSource) -> tuple[Provider, ...]:
    """Every ``[providers.KEY]`` table: a name, a valid NPI and TIN, an address and a state
    (the phone is optional); ``clinic`` is the sheet's own ``[clinic]`` and not a key."""

    def build(key: str, table: str, body: dict[str, Any]) -> Provider | None:
        src.known_keys(body, table, KEYS["providers"])
        fields = {k: src.text(body, table, k) for k in sorted(KEYS["providers"])}
        missing = [k for k in ("name", "npi", "tin", "address", "state") if not fields[k]]
        if missing:
            src.fail(table, None, f"[{table}] lacks {', '.join(missing)}")
        if fields["npi"] and not npi_is_valid(fields["npi"]):
            src.fail(table, "npi", f"NPI {fields['npi']!r} in [{table}] is not valid")
        if fields["tin"] and not tin_is_valid(fields["tin"]):
            src.fail(table, "tin", f"TIN {fields['tin']!r} must look like NN-NNNNNNN")
        if key == CLINIC_KEY:
            src.fail(table, None, f"[{table}]: 'clinic' is the sheet's own [clinic]")
            return None
        return None if missing else Provider(**fields, key=key)

    return tuple(src.each("providers", build))


def check_provider_keys(src: TomlSource, providers: tuple[Provider, ...]) -> None:
    """Every ``provider = "KEY"`` of a treatment or fee names a ``[providers.KEY]``."""
    known = {p.key for p in providers}
    for group in ("treatments", "fees"):
        tables = src.data.get(group)
        for key, body in (tables if isinstance(tables, dict) else {}).items():
            value = body.get("provider") if isinstance(body, dict) else None
            if not isinstance(value, str) or value.strip().lower() in ("", CLINIC_KEY, *known):
                continue
            name = value.strip().lower()
            src.fail(
                f"{group}.{key}",
                "provider",
                f"[{group}.{key}] names unknown provider {name!r}"
                f"{did_you_mean(name, known)} (add a [providers.{name}] table)",
            )


def uncoded(sheet: PriceSheet) -> list[str]:
    """Treatments and fees with no service code: a Good Faith Estimate listing them is
    refused, so ``sheet check`` warns of each."""
    return [
        f"[{group}.{item.key}] has no service codes (CPT/HCPCS): a Good Faith Estimate "
        "that lists it will be refused"
        for group, items in (("treatments", sheet.treatments), ("fees", sheet.fees))
        for item in items
        if not item.billing
    ]
