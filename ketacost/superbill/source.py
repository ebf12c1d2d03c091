"""What a superbill bills: the items of the saved estimate it is made from, date by date,
at the charges that estimate gave (docs/superbill.md, "Where the charges come from").

A Good Faith Estimate's saved record lists its items with their codes, price each and
dates: they are read as saved. A quote keeps its figures, not its items: they are
replayed from its saved inputs on the price sheet, and used only when they add up to the
charges the quote gave (a sheet changed since would bill other prices).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ketacost.estimate import estimate
from ketacost.gfe.document import gfe_items
from ketacost.money import D, total
from ketacost.request import EstimateError
from ketacost.request_data import replay_request
from ketacost.sheet.model import CLINIC_KEY, Clinic, Code, PriceSheet
from ketacost.superbill.statement import (
    BilledCode,
    BillingProvider,
    SourceItem,
    SuperbillError,
)


def billing_provider(clinic: Clinic) -> BillingProvider:
    """The clinic of a price sheet as the claim's billing provider."""
    return BillingProvider(
        name=clinic.name,
        npi=clinic.npi,
        tin=clinic.tin,
        address=clinic.address,
        taxonomy=clinic.taxonomy,
        phone=clinic.phone,
    )


def sheet_codes(sheet: PriceSheet, treatment: object = None) -> dict[str, Code]:
    """Every service code the sheet bills, by code: as the estimate's own ``treatment``
    (its key) lists it first, then as its fees do, then as any other treatment does."""
    own = [t for t in sheet.treatments if t.key == treatment]
    others = [t for t in sheet.treatments if t.key != treatment]
    found: dict[str, Code] = {}
    for code in [
        *(c for t in own for c in t.billing),
        *(c for f in sheet.fees for c in f.billing),
        *(c for t in others for c in t.billing),
    ]:
        found.setdefault(code.code, code)
    return found


def _billed(code: str, units: int, known: Mapping[str, Code]) -> BilledCode:
    sheet_code = known.get(code)
    modifiers = () if sheet_code is None else sheet_code.modifiers
    return BilledCode(code=code, units=units, modifiers=modifiers)


def items_of_gfe(result: Mapping[str, Any], sheet: PriceSheet) -> tuple[SourceItem, ...]:
    """The items of a saved Good Faith Estimate, each at its price each, with the
    modifiers the sheet gives its codes."""
    inputs = result.get("inputs")
    known = sheet_codes(sheet, inputs.get("treatment") if isinstance(inputs, dict) else None)
    try:
        items = result["gfe"]["items"]
        found = []
        for item in items:
            if item["unit_price"] is None:
                raise SuperbillError(
                    f"{item['description']!r} has no single price each on the estimate",
                    "source",
                )
            found.append(
                SourceItem(
                    label=str(item["description"]),
                    codes=tuple(
                        _billed(str(c["code"]), int(c["units"]), known) for c in item["codes"]
                    ),
                    charge=D(item["unit_price"]),
                    npi=str(item["provider"]),
                    dates=tuple(date.fromisoformat(d) for d in item["dates"]),
                )
            )
    except (KeyError, TypeError, ValueError, ArithmeticError):
        raise SuperbillError(
            "the estimate's saved items cannot be read (an estimate saved before ketacost "
            "0.2 lists none): issue a new Good Faith Estimate",
            "source",
        ) from None
    return tuple(found)


def items_of_quote(
    result: Mapping[str, Any], sheet: PriceSheet, today: date
) -> tuple[SourceItem, ...]:
    """A saved quote's items, replayed from its inputs on ``sheet``; refused when they do
    not add up to the clinic charges the quote gave."""

    try:
        request = replay_request(sheet, today, result.get("inputs", {}))
        est = estimate(request, sheet)
        items = gfe_items(est)
        quoted = D(result["scenarios"]["typical"]["charges"])
        known = sheet_codes(sheet, est.treatment.key)
    except EstimateError as error:
        raise SuperbillError(f"the quote cannot be billed: {error}", "source") from None
    except (KeyError, TypeError, ValueError, ArithmeticError):
        raise SuperbillError("the quote's saved figures cannot be read", "source") from None
    if total(i.amount for i in items) != quoted:
        raise SuperbillError(
            "the price sheet has changed since the quote: its charges are not the quote's "
            "(bill it on the sheet it was quoted on, or issue a Good Faith Estimate)",
            "sheet",
        )
    npi = {CLINIC_KEY: sheet.clinic.npi, **{p.key: p.npi for p in sheet.providers}}
    return tuple(
        SourceItem(
            label=item.label,
            codes=tuple(_billed(c.code, c.units, known) for c in item.codes),
            charge=item.unit if item.unit is not None else item.amount,
            npi=npi.get(item.provider, sheet.clinic.npi),
            dates=item.dates,
        )
        for item in items
    )
