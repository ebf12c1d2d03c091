"""A Good Faith Estimate as the quote log keeps it, both ways: the ``gfe`` object of its
saved JSON (docs/gfe.md), the whole GFE read back from that JSON (:func:`gfe_data` and
:func:`gfe_from_data` are inverses), and what the duties and the bill check read of it,
whether ketacost 0.1.0 wrote it or a later version did (:func:`read_gfe`).

Money is a two-decimal string, dates ISO 8601. The keys 0.1.0 wrote (``provider``,
``covers``, ``planned``, ``separately``) are still written, so every reader of an old
record reads a new one too. Keys added later (``service``, ``description``, an item's
``list_price``, a code's ``modifiers``) read as blank from a record saved before them.
A GFE's page is kept as issued beside its record and is never made again from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from ketacost.gfe.document import Discounted, GfeItem, GoodFaithEstimate, Period, Subtotal
from ketacost.money import D, money_str
from ketacost.report.to_data import from_data, to_data
from ketacost.sheet.model import CLINIC_KEY, Code, Provider

Data = dict[str, Any]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _money_or_none(amount: Decimal | None) -> str | None:
    return None if amount is None else money_str(amount)


def _provider_data(provider: Provider) -> Data:
    return {
        "name": provider.name,
        "npi": provider.npi,
        "tin": provider.tin,
        "address": provider.address,
        "state": provider.state,
        "phone": provider.phone,
    }


def _code_data(code: Code) -> Data:
    """A service code and its units, and its modifiers when it has any (the keys a code
    had before modifiers were kept stay all a code without them has)."""
    data: Data = {"code": code.code, "units": code.units}
    if code.modifiers:
        data["modifiers"] = list(code.modifiers)
    return data


def _item_data(item: GfeItem, npi: dict[str, str]) -> Data:
    """An item; ``list_price`` (its price before discounts) only when a discount lowers
    it, so an item without one keeps the keys items always had."""
    data: Data = {
        "description": item.label,
        "provider": npi[item.provider],
        "codes": [_code_data(c) for c in item.codes],
        "quantity": item.quantity,
        "unit_price": _money_or_none(item.unit),
        "total": money_str(item.amount),
        "dates": [d.isoformat() for d in item.dates],
        "discounts": [
            {"label": d.label, "off": money_str(d.off), "when": d.when} for d in item.discounts
        ],
    }
    if item.list_unit is not None:
        data["list_price"] = money_str(item.list_unit)
    return data


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
        "service": gfe.service,
        "description": gfe.description,
    }


def gfe_result(gfe: GoodFaithEstimate) -> Data:
    """What the quote log keeps as a GFE's saved result: the estimate it lists (the
    report's JSON) and its ``gfe`` record."""
    return {**to_data(gfe.report), "gfe": gfe_record(gfe)}


def gfe_data(gfe: GoodFaithEstimate) -> Data:
    """The whole Good Faith Estimate as plain data: who it is for and its id (which the
    log keeps beside the result), then its saved result: its saved entry's JSON."""
    return {
        "id": gfe.id,
        "prepared_by": gfe.prepared_by,
        "patient": gfe.patient,
        "dob": gfe.dob.isoformat(),
        "replaces": gfe.replaces,
        **gfe_result(gfe),
    }


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, not {type(value).__name__}")
    return value


def _text_or_none(value: object) -> str | None:
    return None if value is None else _text(value)


def _day(value: object) -> date:
    return date.fromisoformat(_text(value))


def _day_or_none(value: object) -> date | None:
    return None if value is None else _day(value)


def _count(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"expected a whole number, not {type(value).__name__}")
    return value


def _money(value: object) -> Decimal:
    return D(_text(value))


def _amount_or_none(value: object) -> Decimal | None:
    return None if value is None else _money(value)


def _provider(data: Mapping[str, Any], key: str) -> Provider:
    return Provider(
        name=_text(data["name"]),
        npi=_text(data["npi"]),
        tin=_text(data["tin"]),
        address=_text(data["address"]),
        state=_text(data["state"]),
        phone=_text(data["phone"]),
        key=key,
    )


def _subtotals(block: Mapping[str, Any]) -> tuple[Subtotal, ...]:
    return tuple(
        Subtotal(provider=_provider(p, _text(p["key"])), amount=_money(p["subtotal"]))
        for p in block["providers"]
    )


def _period(block: Mapping[str, Any]) -> Period:
    period, planned = block["period"], block.get("planned")
    return Period(
        start=_day(period["start"]),
        end=_day(period["end"]),
        planned_sessions=None if planned is None else _count(planned["sessions"]),
        planned_last=None if planned is None else _day(planned["last"]),
    )


def _item(data: Mapping[str, Any], keys: Mapping[str, str]) -> GfeItem:
    return GfeItem(
        label=_text(data["description"]),
        codes=tuple(
            Code(
                code=_text(c["code"]),
                units=_count(c["units"]),
                modifiers=tuple(_text(m) for m in c.get("modifiers", ())),
            )
            for c in data["codes"]
        ),
        quantity=_count(data["quantity"]),
        unit=_amount_or_none(data["unit_price"]),
        amount=_money(data["total"]),
        list_unit=_amount_or_none(data.get("list_price")),
        provider=keys[_text(data["provider"])],
        dates=tuple(_day(d) for d in data["dates"]),
        discounts=tuple(
            Discounted(label=_text(d["label"]), off=_money(d["off"]), when=_text_or_none(d["when"]))
            for d in data["discounts"]
        ),
    )


def gfe_from_data(data: Mapping[str, Any]) -> GoodFaithEstimate:
    """The Good Faith Estimate that :func:`gfe_data` wrote, or that a GFE's saved entry
    holds (its JSON, as the log shows it). An item names its provider by NPI. A
    record saved by ketacost 0.1.0 keeps no items: ValueError (:func:`read_gfe` reads what
    the duties need of it). Raises KeyError, TypeError or ValueError on data that is not
    such a record."""
    block = data["gfe"]
    if "items" not in block:
        raise ValueError(
            "a Good Faith Estimate saved by ketacost 0.1.0 keeps no items: its page, kept "
            "as issued, is the whole of it"
        )
    clinic = _provider(block["provider"], CLINIC_KEY)
    subtotals = _subtotals(block)
    keys = {s.provider.npi: s.provider.key for s in subtotals}
    keys.setdefault(clinic.npi, CLINIC_KEY)
    return GoodFaithEstimate(
        id=_text(data["id"]),
        issued=_day(block["issued"]),
        patient=_text(data["patient"]),
        dob=_day(data["dob"]),
        prepared_by=_text_or_none(data["prepared_by"]),
        replaces=_text_or_none(block["replaces"]),
        provider=clinic,
        diagnoses=tuple(_text(d) for d in block["diagnoses"]),
        scheduled=_day_or_none(block["scheduled"]),
        separately=tuple(_text(s) for s in block["separately"]),
        period=_period(block),
        report=from_data(data),
        items=tuple(_item(i, keys) for i in block["items"]),
        total=_money(block["total"]),
        subtotals=subtotals,
        due=_day_or_none(block["due"]),
        quote=_text_or_none(block["quote"]),
        service=_text(block.get("service", "")),
        description=_text(block.get("description", "")),
    )


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


def _saved(subtotals: tuple[Subtotal, ...], period: Period, quote: str | None) -> SavedGfe:
    return SavedGfe(
        providers=tuple(
            SavedProvider(
                key=s.provider.key, name=s.provider.name, npi=s.provider.npi, subtotal=s.amount
            )
            for s in subtotals
        ),
        start=period.start,
        end=period.end,
        quote=quote,
        continues=period.planned_sessions is not None,
    )


def saved_gfe(gfe: GoodFaithEstimate) -> SavedGfe:
    """What the duties and the bill check read of a Good Faith Estimate."""
    return _saved(gfe.subtotals, gfe.period, gfe.quote)


def read_gfe(result: Mapping[str, Any]) -> SavedGfe:
    """The ``gfe`` object of a saved entry's JSON, as :func:`saved_gfe` reads the whole
    GFE (through the readers of :func:`gfe_from_data`, leaving the estimate's report
    unread). A 0.1.0 record has one provider (the clinic), whose subtotal is the typical
    scenario's clinic charges (what its page totalled). Raises KeyError, TypeError or
    ValueError on data that is not such a record."""
    block = result["gfe"]
    if "providers" in block:
        return _saved(_subtotals(block), _period(block), _text_or_none(block.get("quote")))
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
