"""The price sheet page: what ``sheet show`` shows of the sheet the desk prices with, and
what ``sheet check`` says of its file now (every problem as FILE:LINE, and the warnings)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ketacost.money import format_money
from ketacost.sheet.billing import uncoded
from ketacost.sheet.load import SheetError, load_sheet
from ketacost.sheet.model import PriceRange, PriceSheet
from ketacost.sheet.placeholders import placeholders
from ketacost.web.app import settings_of
from ketacost.web.pages import render


def _range(price: PriceRange | None) -> str:
    if price is None:
        return ""
    if price.low == price.high:
        return format_money(price.typical)
    return f"{format_money(price.low)} / {format_money(price.typical)} / {format_money(price.high)}"


def shown(sheet: PriceSheet) -> dict[str, Any]:
    """The sheet's tables as text for the page (formatted here, computed nowhere)."""
    return {
        "treatments": [
            {
                "key": t.key,
                "label": t.label,
                "aliases": ", ".join(t.aliases),
                "price": _range(t.price),
                "booster": _range(t.booster_price),
                "induction": f"{t.induction_sessions} over {t.induction_weeks} weeks",
                "maintenance": t.maintenance.label,
                "codes": " ".join(str(code) for code in t.billing) or " ".join(t.codes),
            }
            for t in sheet.treatments
        ],
        "fees": [
            (f.key, f.label, f.describe(), "optional" if f.optional else "", f.provider or "")
            for f in sheet.fees
        ],
        "discounts": [(d.key, d.label, d.describe(), d.when or "") for d in sheet.discounts],
        "plans": [
            (
                p.key,
                p.label,
                p.maintenance.label,
                "" if p.booster_price is None else format_money(p.booster_price),
            )
            for p in sheet.plans
        ],
        "clinic": sheet.clinic,
        "providers": sheet.providers,
    }


def checked(sheet: PriceSheet) -> dict[str, Any]:
    """``sheet check`` of the sheet's file as it is now: its problems (FILE:LINE:
    message), or its warnings, and whether it changed since the server started."""
    if sheet.path == "(built-in)":
        return {"builtin": True, "problems": [], "warnings": [], "changed": False}
    try:
        now = load_sheet(sheet.path)
    except SheetError as error:
        return {"builtin": False, "problems": error.lines(), "warnings": [], "changed": True}
    except OSError as error:
        return {
            "builtin": False,
            "problems": [f"{sheet.path}: {error.strerror}"],
            "warnings": [],
            "changed": True,
        }
    warnings = [f"{sheet.path}: warning: {w}" for w in uncoded(now)]
    warnings += [
        f"{sheet.path}: warning: {p.text} {'are' if p.several else 'is'} the starter sheet's "
        "example: put in your own (a Good Faith Estimate from this sheet is refused until then)"
        for p in placeholders(now)
    ]
    return {
        "builtin": False,
        "problems": [],
        "warnings": warnings,
        "changed": now.sha256 != sheet.sha256,
    }


async def sheet_page(request: Request) -> Response:
    sheet = settings_of(request).sheet
    return render(request, "sheet.html", {"sheet": sheet, **shown(sheet), "check": checked(sheet)})


routes = [Route("/sheet", sheet_page, methods=["GET"])]
