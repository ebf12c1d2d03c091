"""The Good Faith Estimate pages: the form for a saved quote (diagnoses, scheduled date),
a preview of the exact page, Issue, then the issued estimate's printable page and its PDF
(with the extra ``ketacost[pdf]``). The printable page is the one the quote log keeps,
served as it is stored."""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ketacost.entries import DamagedEntry
from ketacost.render.pdf import PdfUnavailable, check, pdf_bytes
from ketacost.store import StoreError
from ketacost.web.app import PRINTABLE_CSP, front_desk, settings_of
from ketacost.web.csrf import checked_form
from ketacost.web.form import FormError
from ketacost.web.gfes import issue, preview
from ketacost.web.pages import render
from ketacost.web.routes.quote import entry_of

FIELDS = ("quote", "dob", "dx", "scheduled", "separately", "prepared_by")


def _values(form: Any) -> dict[str, str]:
    values = {}
    for name in FIELDS:
        value = form.get(name)
        values[name] = value if isinstance(value, str) else ""
    return values


def _form(request: Request, form: Any, errors: dict[str, str], status: int) -> Response:
    return render(
        request, "gfe_form.html", {"form": _values(form), "errors": errors}, status=status
    )


async def new(request: Request) -> Response:
    """The form for the quote the link names (its id only: no patient data)."""
    quote = request.query_params.get("quote", "")
    return _form(request, {"quote": quote[:40]}, {}, 200)


def printable(page: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(page, status, headers={"content-security-policy": PRINTABLE_CSP})


async def show_preview(request: Request) -> Response:
    settings = settings_of(request)
    form = await checked_form(request, settings.secret)
    try:
        return printable(preview(settings, form))
    except FormError as error:
        return _form(request, form, error.errors, 400)
    except (StoreError, DamagedEntry) as error:
        return _form(request, form, {"form": f"the quote log: {error}"}, 503)


async def issue_gfe(request: Request) -> Response:
    settings = settings_of(request)
    form = await checked_form(request, settings.secret)
    try:
        entry = issue(settings, form, request.state.desk)
    except FormError as error:
        return _form(request, form, error.errors, 400)
    except (StoreError, DamagedEntry) as error:
        return _form(request, form, {"form": f"the quote log: {error}"}, 503)
    return RedirectResponse(f"/gfes/{entry.id}?issued=1", status_code=303)


def _pdf_ready() -> str | None:
    """Why a PDF cannot be made here, or None."""
    try:
        check()
    except PdfUnavailable as error:
        return str(error)
    return None


async def show(request: Request) -> Response:
    entry = entry_of(request, "gfe")
    values = {
        "entry": entry,
        "issued": request.query_params.get("issued") == "1",
        "pdf_missing": _pdf_ready(),
        "block": entry.result.get("gfe", {}),
    }
    return render(request, "gfe_issued.html", values)


async def page(request: Request) -> Response:
    """The page as the log keeps it, byte for byte."""
    entry = entry_of(request, "gfe")
    if entry.html is None:
        raise HTTPException(404)
    return printable(entry.html)


async def pdf(request: Request) -> Response:
    entry = entry_of(request, "gfe")
    if entry.html is None or _pdf_ready() is not None:
        raise HTTPException(404)
    return Response(
        pdf_bytes(entry.html),
        media_type="application/pdf",
        headers={"content-disposition": f'attachment; filename="{entry.id}.pdf"'},
    )


routes = [
    Route("/gfe/new", front_desk(new), methods=["GET"]),
    Route("/gfe/preview", front_desk(show_preview), methods=["POST"]),
    Route("/gfe", front_desk(issue_gfe), methods=["POST"]),
    Route("/gfes/{entry_id}", front_desk(show), methods=["GET"]),
    Route("/gfes/{entry_id}/page", front_desk(page), methods=["GET"]),
    Route("/gfes/{entry_id}/pdf", front_desk(pdf), methods=["GET"]),
]
