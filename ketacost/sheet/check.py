"""Checks of a price sheet as a whole: its top-level tables, its clinic's identifiers,
and the names its treatments and plans share.

Problems are noted on the :class:`~ketacost.toml.source.TomlSource` the sheet is read
from, each at its line; :mod:`ketacost.sheet.load` builds the sheet's tables.
"""

from __future__ import annotations

import re
from typing import Any

from ketacost.sheet.model import Clinic
from ketacost.toml.source import TomlError, TomlSource, did_you_mean

KEYS: dict[str, set[str]] = {
    "sheet": {"name", "currency", "source", "default_condition"},
    "clinic": {
        "name",
        "npi",
        "tin",
        "address",
        "state",
        "phone",
        "pos",
        "taxonomy",
        "open_days",
        "closed",
        "holidays",
    },
    "providers": {"name", "npi", "tin", "address", "state", "phone"},
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
        "infusion_minutes",
        "provider",
        "source",
        "phases",
        "maintenance",
        "insurance",
        "prior_authorization",
        "observation_minutes",
        "billing_note",
        "description",
    },
    "fees": {"label", "amount", "per", "codes", "optional", "provider", "treatment"},
    "discounts": {"label", "percent", "amount", "applies_to", "when"},
    "plans": {"label", "every", "treatment", "booster_price"},
    "savings": {
        "label",
        "treatment",
        "patient_pays",
        "yearly_cap",
        "source",
        "as_of",
        "note",
        "medication",
    },
}
"""The keys each table of a sheet may have (``sheet`` and ``clinic`` are single tables,
the others groups of ``[GROUP.NAME]`` tables)."""


POS_PATTERN = r"[0-9]{2}"
"""A place of service code: two digits (CMS's Place of Service Code Set)."""
TAXONOMY_PATTERN = r"[0-9]{3}[0-9A-Z]{6}X"
"""A Health Care Provider Taxonomy code (NUCC): ten characters, the last an X."""


class SheetError(TomlError):
    """A price sheet that cannot be used; carries every problem found."""


def npi_is_valid(npi: str) -> bool:
    """The NPI check digit: Luhn over the prefix 80840 and the first nine digits."""
    if not re.fullmatch(r"[0-9]{10}", npi):
        return False
    digits = [int(c) for c in "80840" + npi[:9]]
    checksum = 0
    for position, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if position % 2 == 0 else digit
        checksum += doubled - 9 if doubled > 9 else doubled
    return (10 - checksum % 10) % 10 == int(npi[9])


def tin_is_valid(tin: str) -> bool:
    """A federal Tax Identification Number (EIN) written NN-NNNNNNN."""
    return re.fullmatch(r"[0-9]{2}-[0-9]{7}", tin) is not None


def check_top_level(src: TomlSource) -> None:
    """Every top-level key is one of the sheet's tables."""
    for key, value in src.data.items():
        if key in KEYS:
            continue
        if isinstance(value, dict):
            src.fail("", key, f"unknown table [{key}]{did_you_mean(key, KEYS)}")
        elif key in KEYS["sheet"]:
            src.fail("", key, f"{key!r} belongs in the [sheet] table")
        else:
            hint = did_you_mean(key, KEYS["sheet"], " in [sheet]")
            src.fail("", key, f"unknown key {key!r} outside any table{hint}")


def read_clinic(src: TomlSource) -> Clinic:
    """The ``[clinic]`` table, its NPI's check digit and its TIN's form checked."""
    body = src.get(src.data, "", "clinic", dict, {}) or {}
    src.known_keys(body, "clinic", KEYS["clinic"])
    fields: dict[str, Any] = {k: src.text(body, "clinic", k) for k in sorted(KEYS["providers"])}
    if fields["npi"] and not npi_is_valid(fields["npi"]):
        src.fail(
            "clinic",
            "npi",
            f"NPI {fields['npi']!r} is not valid: it must be 10 digits "
            "whose last is the check digit",
        )
    if fields["tin"] and not tin_is_valid(fields["tin"]):
        src.fail("clinic", "tin", f"TIN {fields['tin']!r} must look like NN-NNNNNNN")
    pos = src.text(body, "clinic", "pos") or "11"
    if not re.fullmatch(POS_PATTERN, pos):
        src.fail("clinic", "pos", f"place of service {pos!r} must be a two-digit code such as 11")
    taxonomy = src.text(body, "clinic", "taxonomy").upper()
    if taxonomy and not re.fullmatch(TAXONOMY_PATTERN, taxonomy):
        src.fail(
            "clinic",
            "taxonomy",
            f"taxonomy {taxonomy!r} must be a 10-character code ending in X, such as 2084P0800X",
        )
    # the days it is open: read by sheet.days.read_clinic_days
    return Clinic(**fields, pos=pos, taxonomy=taxonomy)


def _names(body: Any, key: str) -> list[str]:
    """The texts under ``key`` of a raw table, whatever else is wrong with it."""
    value = body.get(key) if isinstance(body, dict) else None
    values = value if isinstance(value, list) else [value]
    return [v.strip().lower() for v in values if isinstance(v, str) and v.strip()]


def cross_check(src: TomlSource) -> dict[str, str]:
    """Names used by two treatments; plans naming unknown treatments. Works on the raw
    tables, so these are reported even when a table has other problems too.
    Returns the owner (treatment key) of every treatment name."""
    owner: dict[str, str] = {}
    treatments = src.data.get("treatments")
    for key, body in (treatments if isinstance(treatments, dict) else {}).items():
        for name in (key, *_names(body, "aliases")):
            if owner.setdefault(name, key) != key:
                src.fail(
                    f"treatments.{key}",
                    "aliases",
                    f"{name!r} is used by both [treatments.{owner[name]}] and [treatments.{key}]",
                )
    plans = src.data.get("plans")
    for key, body in (plans if isinstance(plans, dict) else {}).items():
        for name in _names(body, "treatment"):
            if name not in owner:
                src.fail(
                    f"plans.{key}",
                    "treatment",
                    f"[plans.{key}] names unknown treatment {name!r}{did_you_mean(name, owner)}",
                )
    return owner
