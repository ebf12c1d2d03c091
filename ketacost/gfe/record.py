"""A Good Faith Estimate as the quote log keeps it: the ``gfe`` object of its saved JSON
(its JSON form; docs/gfe.md), and that object read back, whether
ketacost 0.1.0 wrote it or a later version did.

Money is a two-decimal string, dates ISO 8601. The keys 0.1.0 wrote (``provider``,
``covers``, ``planned``, ``separately``) are still written, so every reader of an old
record reads a new one too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ketacost.gfe.document import GfeItem, GoodFaithEstimate
from ketacost.money import D, money_str
from ketacost.sheet.model import CLINIC_KEY, Provider

Data = dict[str, Any]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _provider_data(provider: Provider) -> Data:
    return {
        "name": provider.name,
        "npi": provider.npi,
        "tin": provider.tin,
        "address": provider.address,
        "state": provider.state,
        "phone": provider.phone,
    }


def _item_data(item: GfeItem, npi: dict[str, str]) -> Data:
    return {
        "description": item.label,
        "provider": npi[item.provider],
        "codes": [{"code": c.code, "units": c.units} for c in item.codes],
        "quantity": item.quantity,
        "unit_price": None if item.unit is None else money_str(item.unit),
        "total": money_str(item.amount),
        "dates": [d.isoformat() for d in item.dates],
        "discounts": [
            {"label": d.label, "off": money_str(d.off), "when": d.when} for d in item.discounts
        ],
    }


def gfe_record(gfe: GoodFaithEstimate) -> Data:
    """The ``gfe`` object kept with the estimate's data in the quote log."""
    period = gfe.period
    planned = None
    if period.planned_sessions is not None and period.planned_last is not None:
        planned = {"sessions": period.planned_sessions, "last": period.planned_last.isoformat()}
    npi = {s.provider.key: s.provider.npi for s in gfe.subtotals}
    npi.setdefault(CLINIC_KEY, gfe.provider.npi)
    return {
        "issued": gfe.issued.isoformat(),
        "scheduled": _iso(gfe.scheduled),
        "due": _iso(gfe.due),
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "providers": [
            {"key": s.provider.key, **_provider_data(s.provider), "subtotal": money_str(s.amount)}
            for s in gfe.subtotals
        ],
        "items": [_item_data(item, npi) for item in gfe.items],
        "diagnoses": list(gfe.diagnoses),
        "total": money_str(gfe.total),
        "replaces": gfe.replaces,
        "quote": gfe.quote,
        "separately": list(gfe.separately),
        "planned": planned,
        # as 0.1.0 wrote them
        "provider": _provider_data(gfe.provider),
        "covers": {"from": period.start.isoformat(), "to": period.end.isoformat()},
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedProvider:
    """A provider of a saved Good Faith Estimate and its items added up."""

    key: str
    name: str
    npi: str
    subtotal: Decimal


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedGfe:
    """What the duties and the bill check read of a saved Good Faith Estimate."""

    providers: tuple[SavedProvider, ...]
    start: date
    end: date
    quote: str | None
    continues: bool = False
    """The plan as asked ran past the period (the page was cut at 12 months): the series
    goes on, so a new Good Faith Estimate will be owed."""


def read_gfe(result: Mapping[str, Any]) -> SavedGfe:
    """The ``gfe`` object of a saved entry's JSON. A 0.1.0 record has one provider (the
    clinic), whose subtotal is the typical scenario's clinic charges (what its page
    totalled). Raises KeyError, TypeError or ValueError on data that is not such a record."""
    block = result["gfe"]
    if "providers" in block:
        providers = tuple(
            SavedProvider(key=p["key"], name=p["name"], npi=p["npi"], subtotal=D(p["subtotal"]))
            for p in block["providers"]
        )
        period = block["period"]
        return SavedGfe(
            providers=providers,
            start=date.fromisoformat(period["start"]),
            end=date.fromisoformat(period["end"]),
            quote=block.get("quote"),
            continues=block.get("planned") is not None,
        )
    clinic = block["provider"]
    charges = D(result["scenarios"]["typical"]["charges"])
    covers = block["covers"]
    return SavedGfe(
        providers=(
            SavedProvider(key=CLINIC_KEY, name=clinic["name"], npi=clinic["npi"], subtotal=charges),
        ),
        start=date.fromisoformat(covers["from"]),
        end=date.fromisoformat(covers["to"]),
        quote=None,
        continues=block.get("planned") is not None,
    )
