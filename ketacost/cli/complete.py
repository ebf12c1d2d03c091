"""Shell completion of values (click's ``shell_complete`` callbacks): conditions, booster
plans and the keys ``--without`` takes come from the price sheet the command would use;
entry ids come from the quote log, read only (never created, migrated or locked).

A completion never fails: a sheet with problems or a log that cannot be read completes
nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

import click
from click.shell_completion import CompletionItem

from ketacost.cli.sheets import sheet_path
from ketacost.sheet.load import SheetError, load_sheet
from ketacost.sheet.model import PriceSheet

MAX_IDS = 50
"""Entry ids offered at most, newest first."""

BOOSTER_WORDS = ("none", "monthly", "every 4 weeks", "every 6 weeks", "every 2 months")


def _items(candidates: Iterable[tuple[str, str | None]], incomplete: str) -> list[CompletionItem]:
    """The candidates that start with what has been typed (any case), once each."""
    typed = incomplete.lower()
    seen: set[str] = set()
    items = []
    for value, help_text in candidates:
        if value.lower().startswith(typed) and value not in seen:
            seen.add(value)
            items.append(CompletionItem(value, help=help_text))
    return items


def _sheet(ctx: click.Context) -> PriceSheet | None:
    """The sheet the command line so far would use (--sheet, KETACOST_SHEET, the config
    sheet, the built-in one), or None if it cannot be read."""
    chosen = ctx.params.get("sheet") or os.environ.get("KETACOST_SHEET") or None
    try:
        return load_sheet(sheet_path(chosen))
    except (SheetError, OSError, ValueError):
        return None


def conditions(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The sheet's treatments by key and alias."""
    sheet = _sheet(ctx)
    if sheet is None:
        return []
    pairs = [(t.key, t.label) for t in sheet.treatments]
    pairs += [(alias, t.label) for t in sheet.treatments for alias in t.aliases]
    return _items(pairs, incomplete)


def plans(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The sheet's own booster plans, then the usual intervals."""
    sheet = _sheet(ctx)
    own = [] if sheet is None else [(p.key, p.label) for p in sheet.plans]
    return _items([*own, *((word, None) for word in BOOSTER_WORDS)], incomplete)


def leave_out(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """What --without can leave out: the sheet's conditional discounts and optional fees."""
    from ketacost.request import can_leave_out

    sheet = _sheet(ctx)
    if sheet is None:
        return []
    return _items([(item.key, item.label) for item in can_leave_out(sheet)], incomplete)


def entry_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The quote log's entry ids, newest first, with the day each was saved as help (never
    the patient's name), read without writing (:mod:`ketacost.store.peek`)."""
    from ketacost.store.peek import newest_ids

    chosen = ctx.params.get("db") or os.environ.get("KETACOST_DB")
    return [
        CompletionItem(entry, help=f"saved {day}")
        for entry, day in newest_ids(chosen, incomplete, MAX_IDS)
    ]
