"""Bill check: ``ketacost gfe check-bill`` as a form on an issued Good Faith Estimate, one
amount per provider it lists; each bill beside its estimate, how much over, and whether
the patient may dispute it (and by when). ``application/json`` gives the CLI's
``--format json`` document."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ketacost.gfe.bill import Billed, BillError, bill_data, check_bill
from ketacost.gfe.document import CMS_PHONE, CMS_SITE, DISPUTE_THRESHOLD
from ketacost.gfe.record import read_gfe
from ketacost.money import MoneyError, format_money, parse_money
from ketacost.parse import MAX_TEXT, ParseError, parse_date
from ketacost.report.to_data import dumps
from ketacost.web.app import front_desk, settings_of
from ketacost.web.pages import render
from ketacost.web.routes.estimate import JSON, wants_json
from ketacost.web.routes.quote import entry_of


async def bill_page(request: Request) -> Response:
    entry = entry_of(request, "gfe")
    try:
        saved = read_gfe(entry.result)
    except (KeyError, TypeError, ValueError):
        raise HTTPException(409, f"{entry.id}: its saved record cannot be read") from None
    query = request.query_params
    errors: dict[str, str] = {}
    billed: list[Billed] = []
    for provider in saved.providers:
        text = query.get(f"npi_{provider.npi}", "")
        if not text.strip():
            continue
        try:
            if len(text) > MAX_TEXT:
                raise MoneyError(f"is longer than {MAX_TEXT} characters")
            billed.append(Billed(npi=provider.npi, amount=parse_money(text)))
        except MoneyError as error:
            errors[f"npi_{provider.npi}"] = str(error)
    bill_date = settings_of(request).today()
    if query.get("bill_date", "").strip():
        try:
            bill_date = parse_date(query.get("bill_date", ""))
        except ParseError as error:
            errors["bill_date"] = str(error)
    check = None
    if query and not billed and not errors:
        errors["form"] = "give the amount billed by at least one provider"
    if billed and not errors:
        try:
            check = check_bill(saved, billed, bill_date)
        except BillError as error:
            errors["form"] = str(error)
    if wants_json(request):
        if errors or check is None:
            return Response(dumps({"errors": errors}), status_code=400, media_type=JSON)
        return Response(dumps(bill_data(check)), media_type=JSON)
    values: dict[str, Any] = {
        "entry": entry,
        "providers": saved.providers,
        "form": {k: v for k, v in query.items() if isinstance(v, str)},
        "errors": errors,
        "check": check,
        "money": format_money,
        "threshold": DISPUTE_THRESHOLD,
        "cms": (CMS_SITE, CMS_PHONE),
    }
    return render(request, "bill.html", values, status=400 if errors else 200)


routes = [Route("/gfes/{entry_id}/bill", front_desk(bill_page), methods=["GET"])]
