"""A price sheet as Rich tables: treatments, fees, discounts, plans and the clinic."""

from __future__ import annotations

import dataclasses

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ketacost.money import format_money
from ketacost.sheet import Clinic, PriceRange, PriceSheet

NONE = "-"


def price_text(price: PriceRange) -> str:
    """``$450.00``, or the low, typical and high prices on three lines."""
    if price.is_exact:
        return format_money(price.low)
    return (
        f"low {format_money(price.low)}\ntypical {format_money(price.typical)}\n"
        f"high {format_money(price.high)}"
    )


MONEY_COLUMNS = {"Per session", "Booster", "Amount", "Booster price"}


def _table(title: str, *headers: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold")
    for header in headers:
        money = header in MONEY_COLUMNS
        table.add_column(
            header,
            justify="right" if money else "left",
            no_wrap=money,
            min_width=min(len(header), 12),
            overflow="fold",
        )
    return table


def treatments_table(sheet: PriceSheet) -> Table:
    table = _table("Treatments", "Treatment", "Per session", "Booster", "Induction", "Codes")
    table.show_lines = True
    for t in sheet.treatments:
        name = Text(t.key, style="bold")
        if sheet.default_condition in (t.key, *t.aliases):
            name.append(" (default)", style="dim")
        if t.label != t.key:
            name.append(f"\n{t.label}")
        if t.aliases:
            name.append(f"\nalso: {', '.join(t.aliases)}", style="dim")
        weeks = f"{t.induction_weeks} week{'s' if t.induction_weeks != 1 else ''}"
        table.add_row(
            name,
            price_text(t.price),
            price_text(t.booster_price) if t.booster_price else "same",
            f"{t.induction_sessions} over {weeks}",
            "\n".join(t.codes) or NONE,
        )
    return table


def fees_table(sheet: PriceSheet) -> Table:
    table = _table("Fees", "Name", "Label", "Amount", "Charged", "Codes", "Optional")
    for f in sheet.fees:
        charged = {"once": "once", "series": "per series", "session": "per session"}[f.per]
        charged += f" ({f.treatment} only)" if f.treatment else ""
        table.add_row(
            f.key,
            f.label,
            format_money(f.amount),
            charged,
            ", ".join(f.codes) or NONE,
            "yes" if f.optional else "no",
        )
    return table


def discounts_table(sheet: PriceSheet) -> Table:
    table = _table("Discounts", "Name", "Label", "Takes off", "When")
    for d in sheet.discounts:
        table.add_row(d.key, d.label, d.describe(), d.when or "always")
    return table


def plans_table(sheet: PriceSheet) -> Table:
    table = _table("Maintenance plans", "Name", "Label", "Boosters", "Treatment", "Booster price")
    for p in sheet.plans:
        interval = dataclasses.replace(p.maintenance, plan=None).label
        table.add_row(
            p.key,
            p.label,
            interval,
            p.treatment or "any",
            format_money(p.booster_price) if p.booster_price is not None else "treatment's",
        )
    return table


def clinic_table(clinic: Clinic) -> Table | None:
    fields = [
        ("Name", clinic.name),
        ("NPI", clinic.npi),
        ("TIN", clinic.tin),
        ("Address", clinic.address),
        ("State", clinic.state),
        ("Phone", clinic.phone),
    ]
    if not any(value for _, value in fields):
        return None
    table = Table(title="Clinic", title_justify="left", title_style="bold", show_header=False)
    table.add_column("Field", style="bold", no_wrap=True)
    table.add_column("Value")
    for label, value in fields:
        table.add_row(label, value or NONE)
    return table


def sheet_view(sheet: PriceSheet) -> RenderableType:
    """The whole sheet: a heading naming it and its hash, then one table per part."""
    heading = Text(f"Price sheet {sheet.name!r}", style="bold")
    heading.append(f"  {sheet.path}, sha256 {sheet.short_hash}", style="dim")
    parts: list[RenderableType] = [heading]
    if sheet.source:
        parts.append(Text(f"Source: {sheet.source}", style="dim"))
    parts.append(treatments_table(sheet))
    for present, draw in (
        (sheet.fees, fees_table),
        (sheet.discounts, discounts_table),
        (sheet.plans, plans_table),
    ):
        if present:
            parts.append(draw(sheet))
    clinic = clinic_table(sheet.clinic)
    if clinic is not None:
        parts.append(clinic)
    return Group(*parts)
