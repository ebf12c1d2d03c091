"""Saving a quote from the Quote page, step by step as ``ketacost quote`` does: the
estimate of the form, the patient, and the Good Faith Estimate duty that a scheduled
session or a self-pay patient's price question creates (45 CFR 149.610), kept with the
quote so Today's duties lists it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from ketacost.entries import Entry, quote_maker
from ketacost.gfe.timing import Duty, TimingError, check_scheduled, quote_duty
from ketacost.parse import ParseError, parse_date, parse_date_of_birth, parse_person
from ketacost.report.build import build_report
from ketacost.report.model import Report
from ketacost.web.app import Settings
from ketacost.web.form import Form, FormError, read_estimate
from ketacost.web.log import opened, save

PATIENT_FIELDS = ("patient", "dob", "prepared_by", "scheduled", "asked")
ASKED = {"": None, "yes": True, "no": False}
"""Was the price question a request for a Good Faith Estimate? Blank: the rule decides (a
named self-pay patient asking the price has asked for one)."""


class WithStart:
    """A form whose first session is the scheduled date."""

    def __init__(self, form: Form, start: str) -> None:
        self.form, self.start = form, start

    def get(self, key: str, /) -> Any:
        return self.start if key == "start" else self.form.get(key)

    def getlist(self, key: str, /) -> list[Any]:
        return self.form.getlist(key)


@dataclass(frozen=True, slots=True)
class Saved:
    entry: Entry
    report: Report
    duty: Duty | None
    first: date | None
    """The scheduled date of record (the first session as it falls), if scheduled."""


def _text(form: Form, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def read_patient(form: Form) -> tuple[str, date | None, str | None]:
    """The patient's name (required), date of birth and who prepared the quote. Messages
    never repeat what was typed: it is patient information."""
    errors: dict[str, str] = {}
    name = dob = prepared = None
    try:
        name = parse_person(_text(form, "patient"))
    except ParseError as error:
        errors["patient"] = f"the patient's name {error}"
    if _text(form, "dob").strip():
        try:
            dob = parse_date_of_birth(_text(form, "dob"))
        except ParseError as error:
            errors["dob"] = str(error)
    if _text(form, "prepared_by").strip():
        try:
            prepared = parse_person(_text(form, "prepared_by"))
        except ParseError as error:
            errors["prepared_by"] = f"the name {error}"
    if errors:
        raise FormError(errors)
    assert name is not None
    return name, dob, prepared


def save_quote(settings: Settings, form: Form, desk: str | None) -> Saved:
    """Estimate the form, then save it as a quote with its duty. Raises FormError naming
    each field at fault; nothing is saved then."""
    today = settings.today()
    errors: dict[str, str] = {}
    try:
        patient, dob, prepared_by = read_patient(form)
    except FormError as error:
        errors.update(error.errors)
    scheduled = None
    if _text(form, "scheduled").strip():
        try:
            scheduled = parse_date(_text(form, "scheduled"))
            check_scheduled(scheduled, today)
        except (ParseError, TimingError) as error:
            errors["scheduled"] = str(error)
    asked = _text(form, "asked")
    if asked not in ASKED:
        errors["asked"] = "must be one of yes, no or blank"
    start = _text(form, "start").strip()
    if scheduled is not None and start and start != scheduled.isoformat():
        errors["start"] = "gives a first session other than the scheduled date: give one"
    try:
        est = read_estimate(
            form if scheduled is None else WithStart(form, scheduled.isoformat()),
            settings.sheet,
            today,
        )
    except FormError as error:
        raise FormError({**error.errors, **errors}) from None
    if errors:
        raise FormError(errors)
    report = build_report(est)
    first = None if scheduled is None else est.schedule[0].date
    try:
        duty = quote_duty(
            today, first, patient, report.request.coverage, ASKED[asked], est.sheet.clinic.days
        )
    except TimingError as error:
        raise FormError({"scheduled" if scheduled else "asked": str(error)}) from None
    make = quote_maker(
        report, duty, est.sheet.clinic, patient=patient, dob=dob, prepared_by=prepared_by, desk=desk
    )

    with opened(settings.db, write=True) as log:
        entry = save(log, make, "quote")
    return Saved(entry, report, duty, first)
