"""The quote log: the newest entries, a search (by patient, id, date or desk; sent as a
posted form, so a name is never in an address), each entry with its stored page, the
chain verified, an export, and the posted notice of the right to a Good Faith Estimate.
What ``ketacost quotes list/show/verify/export`` and ``gfe notice`` do."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from ketacost.entries import DamagedEntry, Entry, local_time
from ketacost.gfe.document import GfeError, provider_of
from ketacost.money import format_money
from ketacost.parse import ParseError, parse_date
from ketacost.render.gfe_notice import notice_page
from ketacost.render.log import export_csv, export_json
from ketacost.render.quote_page import details_of
from ketacost.render.quote_page import quote_page as page
from ketacost.report.model import Report
from ketacost.store import NoLog, QuoteLog, StoreError, default_path
from ketacost.web.app import PRINTABLE_CSP, front_desk, settings_of
from ketacost.web.csrf import checked_form
from ketacost.web.log import opened
from ketacost.web.pages import render
from ketacost.web.routes.quote import ENTRY_ID, entry_of

LIMIT = 200
"""Most entries a page lists (the newest)."""


def _rows(log: QuoteLog, entries: Iterable[Entry], desk: str | None) -> list[dict[str, Any]]:
    rows = []
    for entry in entries:
        if desk and (entry.desk or "").casefold() != desk.casefold():
            continue
        try:
            report = entry.report()
        except DamagedEntry as error:
            rows.append({"entry": entry, "damaged": error.reason})
            continue
        typical = report.scenarios["typical"]
        rows.append(
            {
                "entry": entry,
                "saved": local_time(entry.created)[:16],
                "total": format_money(typical.out_of_pocket),
                "sessions": typical.sessions,
                "replaced": bool(log.replaced_by(entry.id)),
                "flaw": entry.flaw,
                "damaged": None,
            }
        )
    return rows


def _exists(target: Any) -> bool:
    return isinstance(target, str) or os.path.lexists(target)


def _page(
    request: Request,
    rows: list[Any],
    asked: dict[str, str],
    errors: dict[str, str],
    status: int = 200,
) -> Response:
    return render(
        request, "log.html", {"rows": rows, "form": asked, "errors": errors}, status=status
    )


def _search(
    request: Request, patient: str | None, since: date | None, desk: str | None
) -> list[Any]:
    target = settings_of(request).db or default_path()
    if not _exists(target):
        return []
    try:
        with opened(target, write=False) as log:
            found = log.entries(patient=patient, since=since, limit=LIMIT, damaged=lambda bad: None)
            return _rows(log, found, desk)
    except NoLog:
        return []
    except StoreError as error:
        raise HTTPException(503, f"the quote log cannot be read: {error}") from None


async def newest(request: Request) -> Response:
    blank = {"patient": "", "id": "", "since": "", "desk": ""}
    return _page(request, _search(request, None, None, None), blank, {})


async def search(request: Request) -> Response:
    form = await checked_form(request, settings_of(request).secret)
    asked = {
        k: v if isinstance(v := form.get(k), str) else ""
        for k in ("patient", "id", "since", "desk")
    }
    errors: dict[str, str] = {}
    wanted = asked["id"].strip().upper()
    if wanted:
        if not ENTRY_ID.fullmatch(wanted):
            errors["id"] = "is not an entry's id (Q-YYYYMMDD-XXXXXX or G-YYYYMMDD-XXXXXX)"
        else:
            kind = "quotes" if wanted.startswith("Q") else "gfes"
            return RedirectResponse(f"/{kind}/{wanted}", status_code=303)
    since = None
    if asked["since"].strip():
        try:
            since = parse_date(asked["since"])
        except ParseError as error:
            errors["since"] = str(error)
    for name in ("patient", "desk"):
        if len(asked[name]) > 200:
            errors[name] = "is longer than 200 characters"
    if errors:
        return _page(request, [], asked, errors, 400)
    rows = _search(request, asked["patient"].strip() or None, since, asked["desk"].strip() or None)
    return _page(request, rows, asked, {})


async def verify(request: Request) -> Response:
    target = settings_of(request).db or default_path()
    result = None
    name = str(target)
    if _exists(target):
        try:
            with opened(target, write=False) as log:
                result = log.verify()
                name = log.name
        except NoLog:
            result = None
        except StoreError as error:
            raise HTTPException(503, f"the quote log cannot be read: {error}") from None
    return render(request, "log_verify.html", {"result": result, "name": name})


def _with_reports(entries: Iterable[Entry]) -> Iterator[tuple[Entry, Report]]:
    for entry in entries:
        try:
            yield entry, entry.report()
        except DamagedEntry:
            continue


async def export(request: Request) -> Response:
    """The whole log, oldest first, as ``quotes export`` writes it (CSV or JSON)."""
    fmt = request.path_params["fmt"]
    if fmt not in ("csv", "json"):
        raise HTTPException(404)
    target = settings_of(request).db or default_path()
    pieces: list[str] = []
    if _exists(target):
        try:
            with opened(target, write=False) as log:
                entries = log.entries(newest_first=False, damaged=lambda bad: None)
                made = export_csv(_with_reports(entries)) if fmt == "csv" else export_json(entries)
                pieces = list(made)
        except NoLog:
            pass
        except StoreError as error:
            raise HTTPException(503, f"the quote log cannot be read: {error}") from None
    elif fmt == "json":
        pieces = ["[]\n"]
    media = "text/csv" if fmt == "csv" else "application/json"
    return StreamingResponse(
        iter(pieces),
        media_type=f"{media}; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="quotes.{fmt}"'},
    )


async def quote_page(request: Request) -> Response:
    """A saved quote's printable page, under the clinic's letterhead it was given with."""
    entry = entry_of(request, "quote")
    if entry.flaw:
        raise HTTPException(409, f"entry {entry.id} fails the log's check: no page is shown")
    with opened(settings_of(request).db, write=False) as log:
        replaced_by = tuple(log.replaced_by(entry.id))
    details = details_of(entry, entry.clinic, replaced_by)
    return HTMLResponse(
        page(entry.report(), details), headers={"content-security-policy": PRINTABLE_CSP}
    )


async def notice(request: Request) -> Response:
    """The notice of the right to a Good Faith Estimate, to post and give."""
    try:
        clinic = provider_of(settings_of(request).sheet)
    except GfeError as error:
        raise HTTPException(409, f"the price sheet: {error}") from None
    return HTMLResponse(notice_page(clinic), headers={"content-security-policy": PRINTABLE_CSP})


routes = [
    Route("/log", front_desk(newest), methods=["GET"]),
    Route("/log", front_desk(search), methods=["POST"]),
    Route("/log/verify", front_desk(verify), methods=["GET"]),
    Route("/log/export.{fmt}", front_desk(export), methods=["GET"]),
    Route("/quotes/{entry_id}/page", front_desk(quote_page), methods=["GET"]),
    Route("/notice", notice, methods=["GET"]),
]
