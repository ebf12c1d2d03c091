"""The starter sheet's examples left in a clinic's sheet (docs/charges.md).

``ketacost sheet init`` writes a starter sheet full of examples: its name, "My Clinic",
example prices. A clinic that forgets one would quote it, and a Good Faith Estimate would
print it as the clinic's own. So :func:`placeholders` finds every example still there, by
comparing the sheet with the starter: the sheet's and the clinic's names, the example
provider's name, and each table (same key) whose label and prices are all still the
starter's (a hand-written "consultation" of $250 is the clinic's own).
``sheet check`` warns of each; a Good Faith Estimate is refused while any is left
(:func:`ketacost.gfe.document.check_placeholders`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from ketacost.money import Money, format_money, format_percent
from ketacost.sheet.load import load_sheet
from ketacost.sheet.model import PriceRange, PriceSheet

STARTER_SHEET = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "starter.toml")
EXAMPLE_PROVIDER = "Example Psychiatry Group"
"""The name of the starter's example provider (a commented ``[providers.psychiatry]``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Placeholder:
    """An example of the starter sheet still in a sheet: where, and its values."""

    table: str
    """``clinic``, ``treatments.depression``."""
    values: tuple[tuple[str, str], ...]
    """Each key with its value as shown: ``("price", "$450.00")``."""

    @property
    def where(self) -> str:
        """``[treatments.pain] low, typical and high``."""
        return f"[{self.table}] {_and([key for key, _ in self.values])}"

    @property
    def several(self) -> bool:
        return len(self.values) > 1

    @property
    def text(self) -> str:
        """``[treatments.depression] price $450.00 and booster_price $400.00``."""
        return f"[{self.table}] {_and([f'{key} {value}' for key, value in self.values])}"


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


@cache
def starter_sheet() -> PriceSheet:
    """The starter sheet ``ketacost sheet init`` writes, read once."""
    return load_sheet(STARTER_SHEET)


def _prices(price: PriceRange, booster: PriceRange | None) -> tuple[tuple[str, str], ...]:
    """A treatment's prices as the starter writes them: ``price``, or ``low``,
    ``typical`` and ``high``; then ``booster_price``."""
    shown = (
        [("price", format_money(price.typical))]
        if price.is_exact
        else [(k, format_money(price.at(k))) for k in ("low", "typical", "high")]
    )
    if booster is not None:
        shown.append(("booster_price", format_money(booster.typical)))
    return tuple(shown)


def placeholders(sheet: PriceSheet, starter: PriceSheet | None = None) -> list[Placeholder]:
    """Every example of ``starter`` (the starter sheet) still in ``sheet``, in the
    sheet's order: names, then each treatment, fee, discount and plan whose label and
    prices are all still the example's (a table with either changed is the clinic's
    own)."""
    starter = starter or starter_sheet()
    found: list[Placeholder] = []
    if sheet.name == starter.name:
        found.append(Placeholder(table="sheet", values=(("name", repr(sheet.name)),)))
    if sheet.clinic.name == starter.clinic.name:
        found.append(Placeholder(table="clinic", values=(("name", repr(sheet.clinic.name)),)))
    found += [
        Placeholder(table=f"providers.{p.key}", values=(("name", repr(p.name)),))
        for p in sheet.providers
        if p.name == EXAMPLE_PROVIDER
    ]
    treatments = {t.key: t for t in starter.treatments}
    for t in sheet.treatments:
        example = treatments.get(t.key)
        if example and (t.label, t.price, t.booster_price) == (
            example.label,
            example.price,
            example.booster_price,
        ):
            found.append(
                Placeholder(table=f"treatments.{t.key}", values=_prices(t.price, t.booster_price))
            )
    fees = {f.key: f for f in starter.fees}
    found += [
        Placeholder(table=f"fees.{f.key}", values=(("amount", format_money(f.amount)),))
        for f in sheet.fees
        if f.key in fees and (f.label, f.amount) == (fees[f.key].label, fees[f.key].amount)
    ]
    discounts = {d.key: d for d in starter.discounts}
    for d in sheet.discounts:
        example_discount = discounts.get(d.key)
        if example_discount and (d.label, d.rate, d.amount) == (
            example_discount.label,
            example_discount.rate,
            example_discount.amount,
        ):
            shown = (
                ("percent", format_percent(d.rate))
                if d.rate is not None
                else ("amount", format_money(d.amount or Money(0)))
            )
            found.append(Placeholder(table=f"discounts.{d.key}", values=(shown,)))
    plans = {p.key: p for p in starter.plans}
    found += [
        Placeholder(
            table=f"plans.{p.key}", values=(("booster_price", format_money(p.booster_price)),)
        )
        for p in sheet.plans
        if p.booster_price is not None
        and p.key in plans
        and (p.label, p.booster_price) == (plans[p.key].label, plans[p.key].booster_price)
    ]
    return found
