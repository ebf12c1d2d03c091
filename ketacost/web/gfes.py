"""A Good Faith Estimate from a saved quote, step by step as ``ketacost gfe --quote ID``
issues one: the quote's request replayed on the sheet, the patient's date of birth, the
diagnoses, the scheduled date (the quote's, if it recorded one), the providers of the
sheet; then the page, kept in the quote log with the entry. A preview draws the same
page without saving anything."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

from ketacost.entries import Entry, new_entry
from ketacost.estimate import Estimate
from ketacost.gfe.document import (
    GfeError,
    Period,
    check_placeholders,
    estimate_to_issue,
    make_gfe,
    provider_of,
)
from ketacost.gfe.record import gfe_result
from ketacost.gfe.timing import TimingError, check_scheduled, issue_due, read_duty
from ketacost.parse import (
    ITEM_MAX_LENGTH,
    MAX_TEXT,
    ParseError,
    parse_date,
    parse_date_of_birth,
    parse_icd10,
    parse_item,
    parse_person,
)
from ketacost.render.gfe import gfe_page
from ketacost.request import EstimateError
from ketacost.request_data import replay_request
from ketacost.store import QuoteLog
from ketacost.web.app import Settings
from ketacost.web.form import Form, FormError
from ketacost.web.log import opened, save

MAX_DIAGNOSES = 12
"""A claim (and so a Good Faith Estimate) carries at most 12 diagnosis codes."""
MAX_SEPARATELY = 10
PREVIEW_ID = "PREVIEW (not issued)"


@dataclass(frozen=True, slots=True)
class Asked:
    """What the Good Faith Estimate form gives, read."""

    quote: str
    dob: date | None
    diagnoses: tuple[str, ...]
    scheduled: date | None
    separately: tuple[str, ...]
    prepared_by: str | None


def _text(form: Form, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _diagnoses(form: Form, errors: dict[str, str]) -> list[str]:
    """The ICD-10 codes typed (commas or spaces between), each once, in order."""
    text = _text(form, "dx")
    if len(text) > MAX_TEXT:
        errors["dx"] = f"is longer than {MAX_TEXT} characters"
        return []
    codes = [c for c in re.split(r"[\s,;]+", text) if c]
    diagnoses: list[str] = []
    for code in codes:
        try:
            diagnoses.append(parse_icd10(code))
        except ParseError as error:
            errors["dx"] = str(error)
            break
    if not codes:
        errors["dx"] = "give at least one diagnosis code (ICD-10), e.g. F33.1"
    elif len(set(diagnoses)) > MAX_DIAGNOSES:
        errors["dx"] = f"takes at most {MAX_DIAGNOSES} codes"
    return list(dict.fromkeys(diagnoses))


def _separately(form: Form, errors: dict[str, str]) -> list[str]:
    """Items or services scheduled separately, one a line."""
    text = _text(form, "separately")
    if len(text) > MAX_SEPARATELY * ITEM_MAX_LENGTH * 2:
        errors["separately"] = f"takes at most {MAX_SEPARATELY} lines"
        return []
    lines = [line for line in text.splitlines() if line.strip()]
    separately: list[str] = []
    if len(lines) > MAX_SEPARATELY:
        errors["separately"] = f"takes at most {MAX_SEPARATELY} lines"
    for line in lines[:MAX_SEPARATELY]:
        try:
            separately.append(parse_item(line))
        except ParseError as error:
            errors["separately"] = f"a line {error}"
    return separately


def read_form(form: Form) -> Asked:
    """The form's values, or FormError naming each field at fault (never repeating a
    date of birth)."""
    errors: dict[str, str] = {}
    quote = _text(form, "quote").strip().upper()
    if not re.fullmatch(r"Q-[0-9]{8}-[0-9A-Z]{6}", quote):
        errors["quote"] = "is not a saved quote's id (Q-YYYYMMDD-XXXXXX)"
    dob = None
    if _text(form, "dob").strip():
        try:
            dob = parse_date_of_birth(_text(form, "dob"))
        except ParseError as error:
            errors["dob"] = str(error)
    diagnoses = _diagnoses(form, errors)
    scheduled = None
    if _text(form, "scheduled").strip():
        try:
            scheduled = parse_date(_text(form, "scheduled"))
        except ParseError as error:
            errors["scheduled"] = str(error)
    separately = _separately(form, errors)
    prepared_by = None
    if _text(form, "prepared_by").strip():
        try:
            prepared_by = parse_person(_text(form, "prepared_by"))
        except ParseError as error:
            errors["prepared_by"] = f"the name {error}"
    if errors:
        raise FormError(errors)
    return Asked(quote, dob, tuple(diagnoses), scheduled, tuple(separately), prepared_by)


def saved_quote(log: QuoteLog, quote_id: str) -> Entry:
    quote = log.get(quote_id)
    if quote is None or quote.kind != "quote":
        raise FormError({"quote": f"there is no quote {quote_id!r} in the quote log"})
    quote.report()  # a damaged entry is refused whole (DamagedEntry), nothing issued
    return quote


@dataclass(frozen=True, slots=True)
class Ready:
    """Everything checked: what the page needs but its id and day of issue."""

    est: Estimate
    period: Period
    patient: str
    dob: date
    scheduled: date | None
    due: date | None


def prepare(settings: Settings, log: QuoteLog, asked: Asked) -> Ready:
    """Check everything ``gfe --quote`` checks, in its order; FormError when a check fails."""
    sheet = settings.sheet
    today = settings.today()
    try:
        provider_of(sheet)
        check_placeholders(sheet)
    except GfeError as error:
        raise FormError({"form": f"the price sheet ({sheet.path}): {error}"}) from None
    quote = saved_quote(log, asked.quote)
    try:
        request = replay_request(sheet, today, quote.result.get("inputs", {}))
    except EstimateError as error:
        raise FormError({"quote": str(error)}) from None
    duty = read_duty(quote.result.get("duty"))
    scheduled = asked.scheduled or (None if duty is None else duty.scheduled)
    try:
        check_scheduled(scheduled, today)
    except TimingError as error:
        raise FormError({"scheduled": str(error)}) from None
    if scheduled is not None:
        request = replace(request, start=scheduled)
    dob = asked.dob or (None if quote.dob is None else date.fromisoformat(quote.dob))
    if dob is None:
        raise FormError({"dob": "the patient's date of birth is needed (the quote has none)"})
    if quote.patient is None:
        raise FormError({"quote": "the quote names no patient: save a quote with the name"})
    try:
        est, period = estimate_to_issue(request, sheet)
    except EstimateError as error:
        raise FormError(
            {error.field if error.field == "scheduled" else "form": str(error)}
        ) from None
    if scheduled is not None:
        scheduled = est.schedule[0].date  # the first session as it falls (clinic days)
    due = issue_due(today, scheduled, duty, sheet.clinic.days)
    return Ready(est, period, quote.patient, dob, scheduled, due)


def page_of(
    ready: Ready, asked: Asked, entry_id: str, issued: date, witness: str | None
) -> tuple[str, dict[str, object]]:
    """The page and the result kept for a Good Faith Estimate with this id."""
    record = make_gfe(
        ready.est,
        ready.period,
        id=entry_id,
        issued=issued,
        patient=ready.patient,
        dob=ready.dob,
        diagnoses=asked.diagnoses,
        scheduled=ready.scheduled,
        separately=asked.separately,
        prepared_by=asked.prepared_by,
        due=ready.due,
        quote=asked.quote,
    )
    return gfe_page(record, witness), gfe_result(record)


def preview(settings: Settings, form: Form) -> str:
    """The page the form would issue, marked as a preview; nothing is saved."""
    asked = read_form(form)
    with opened(settings.db, write=False) as log:
        ready = prepare(settings, log, asked)
        page, _ = page_of(ready, asked, PREVIEW_ID, settings.today(), log.witness())
    return page


def issue(settings: Settings, form: Form, desk: str | None) -> Entry:
    """Issue the Good Faith Estimate and keep it in the quote log (closing the quote's
    duty); FormError when a check fails, and then nothing is saved."""
    asked = read_form(form)
    with opened(settings.db, write=True) as log:
        ready = prepare(settings, log, asked)
        witness = log.witness()

        def make(entry_id: str, created: datetime) -> Entry:
            page, result = page_of(ready, asked, entry_id, created.astimezone().date(), witness)
            return new_entry(
                "gfe",
                result,
                entry_id=entry_id,
                created=created,
                patient=ready.patient,
                dob=ready.dob.isoformat(),
                prepared_by=asked.prepared_by,
                html=page,
                desk=desk,
            )

        return save(log, make, "gfe")
