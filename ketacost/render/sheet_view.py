"""A price sheet as Rich tables: treatments, fees, discounts, plans and the clinic.

Each part is a table with a column per field when it fits the screen, else (on a narrow
terminal) one field per line, record after record, so nothing runs past the edge. The
sheet's own text goes in through :mod:`ketacost.render.safe_text` (never as markup)."""

from __future__ import annotations

from dataclasses import replace

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from ketacost.money import format_money
from ketacost.render.safe_text import rich_text, terminal_text
from ketacost.sheet.model import CLINIC_KEY, Clinic, Code, PriceRange, PriceSheet, Provider

NONE = "-"


def price_text(price: PriceRange) -> str:
    """``$450.00``, or the low, typical and high prices on three lines."""
    if price.is_exact:
        return format_money(price.low)
    return (
        f"low {format_money(price.low)}\ntypical {format_money(price.typical)}\n"
        f"high {format_money(price.high)}"
    )


def codes_text(billing: tuple[Code, ...]) -> Text:
    """Each service code on a line of its own with its units: ``96365 (1 unit)``,
    ``J0013 (56 units)``; ``-`` when there is none."""
    if not billing:
        return Text(NONE)
    lines = [f"{c.code} ({c.units} unit{'' if c.units == 1 else 's'})" for c in billing]
    return Text("\n").join(rich_text(line) for line in lines)


def billed_by(sheet: PriceSheet, key: str | None) -> Text:
    """Who bills an item: ``clinic`` (the Clinic part names it), else the provider's name
    and key, as the Providers part lists them."""
    for provider in sheet.providers:
        if key not in (None, CLINIC_KEY) and provider.key == key:
            return rich_text(f"{provider.name} ({key})")
    return Text(CLINIC_KEY)


def shows_providers(sheet: PriceSheet) -> bool:
    """Whether the sheet has practices besides the clinic (then each item says who bills
    it; otherwise the clinic bills everything and no column needs to say so)."""
    return any(p.key != CLINIC_KEY for p in sheet.providers)


MONEY_COLUMNS = {"Per session", "Booster", "Amount", "Booster price"}


Cell = str | Text


class Part:
    """One part of the sheet: its title, then a table with a column per field when the
    table's narrowest form fits the width given, else one field per line."""

    def __init__(self, title: str, headers: tuple[str, ...], *, lines: bool = False) -> None:
        self.title = title
        self.headers = headers
        self.lines = lines
        self.rows: list[tuple[Text, ...]] = []

    def add_row(self, *cells: Cell) -> None:
        """A record; plain strings are text, never Rich markup (labels come from sheets)."""
        self.rows.append(tuple(Text(c) if isinstance(c, str) else c for c in cells))

    def across(self) -> Table:
        table = Table(show_lines=self.lines)
        for header in self.headers:
            money = header in MONEY_COLUMNS
            table.add_column(
                header,
                justify="right" if money else "left",
                no_wrap=money,
                min_width=min(len(header), 12),
                overflow="fold",
            )
        for row in self.rows:
            table.add_row(*row)
        return table

    def stacked(self) -> Table:
        table = Table(show_header=False)
        table.add_column("Field", style="dim", no_wrap=True)
        table.add_column("Value", overflow="fold")
        for index, row in enumerate(self.rows):
            if index:
                table.add_section()
            for header, cell in zip(self.headers, row, strict=True):
                table.add_row(header, cell)
        return table

    def narrowest(self) -> int:
        """The width of the across table with no word broken: the longest word of each
        column (the longest line of a money column), plus borders and padding."""

        def need(cell: Text, money: bool) -> int:
            lines = cell.plain.split("\n")
            if money:
                return max(cell_len(line) for line in lines)
            return max((cell_len(word) for line in lines for word in line.split()), default=0)

        widths = [
            max(need(cell, header in MONEY_COLUMNS) for cell in (Text(header), *column))
            for header, *column in zip(self.headers, *self.rows, strict=True)
        ]
        return sum(widths) + 3 * len(widths) + 1

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Text(self.title, style="bold")
        yield self.across() if self.narrowest() <= options.max_width else self.stacked()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        stacked = Measurement.get(console, options, self.stacked())
        across = Measurement.get(console, options, self.across())
        return Measurement(stacked.minimum, max(stacked.maximum, across.maximum))


def _table(title: str, *headers: str) -> Part:
    return Part(title, headers)


def treatments_table(sheet: PriceSheet) -> Part:
    providers = shows_providers(sheet)
    headers = ("Treatment", "Per session", "Booster", "Induction", "Codes")
    table = Part("Treatments", headers + (("Billed by",) if providers else ()), lines=True)
    for t in sheet.treatments:
        name = Text(t.key, style="bold")
        if sheet.default_condition in (t.key, *t.aliases):
            name.append(" (default)", style="dim")
        if t.label != t.key:
            name.append(f"\n{terminal_text(t.label)}")
        if t.aliases:
            name.append(f"\nalso: {terminal_text(', '.join(t.aliases))}", style="dim")
        weeks = f"{t.induction_weeks} week{'s' if t.induction_weeks != 1 else ''}"
        table.add_row(
            name,
            price_text(t.price),
            price_text(t.booster_price) if t.booster_price else "same",
            f"{t.induction_sessions} over {weeks}",
            codes_text(t.billing),
            *([billed_by(sheet, t.provider)] if providers else []),
        )
    return table


def fees_table(sheet: PriceSheet) -> Part:
    providers = shows_providers(sheet)
    headers = ("Name", "Label", "Amount", "Charged", "Codes", "Optional")
    table = Part("Fees", headers + (("Billed by",) if providers else ()))
    for f in sheet.fees:
        charged = {"once": "once", "series": "per series", "session": "per session"}[f.per]
        charged += f" ({f.treatment} only)" if f.treatment else ""
        table.add_row(
            f.key,
            rich_text(f.label),
            format_money(f.amount),
            charged,
            codes_text(f.billing),
            "yes" if f.optional else "no",
            *([billed_by(sheet, f.provider)] if providers else []),
        )
    return table


def discounts_table(sheet: PriceSheet) -> Part:
    table = _table("Discounts", "Name", "Label", "Takes off", "When")
    for d in sheet.discounts:
        table.add_row(
            d.key, rich_text(d.label), rich_text(d.describe()), rich_text(d.when or "always")
        )
    return table


def plans_table(sheet: PriceSheet) -> Part:
    table = _table("Maintenance plans", "Name", "Label", "Boosters", "Treatment", "Booster price")
    for p in sheet.plans:
        interval = replace(p.maintenance, plan=None).label
        table.add_row(
            p.key,
            rich_text(p.label),
            interval,
            p.treatment or "any",
            format_money(p.booster_price) if p.booster_price is not None else "treatment's",
        )
    return table


def providers_table(sheet: PriceSheet) -> Part:
    """The practices of the sheet's ``[providers]`` besides the clinic, by key."""
    table = _table("Providers", "Key", "Name", "NPI", "TIN", "Address", "State", "Phone")
    others: list[Provider] = [p for p in sheet.providers if p.key != CLINIC_KEY]
    for p in others:
        table.add_row(
            p.key,
            *(rich_text(value or NONE) for value in (p.name, p.npi, p.tin, p.address)),
            rich_text(p.state or NONE),
            rich_text(p.phone or NONE),
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
    table.add_column("Value", overflow="fold")
    for label, value in fields:
        table.add_row(label, rich_text(value or NONE))
    return table


def sheet_view(sheet: PriceSheet) -> RenderableType:
    """The whole sheet: a heading naming it and its hash, then one table per part."""
    heading = rich_text(f"Price sheet {sheet.name!r}", style="bold")
    heading.append(terminal_text(f"  {sheet.path}, sha256 {sheet.short_hash}"), style="dim")
    parts: list[RenderableType] = [heading]
    if sheet.source:
        parts.append(rich_text(f"Source: {sheet.source}", style="dim"))
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
    if shows_providers(sheet):
        parts.append(providers_table(sheet))
    return Group(*parts)
