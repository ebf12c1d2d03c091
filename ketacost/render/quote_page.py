"""A saved quote as a printable page (``ketacost quote -o quote.html`` or ``.pdf``): the
clinic, the quote's id and date, the patient, the figures month by month, what they
assume, and the disclaimer. Same layout and print styles as the estimate page
(``templates/page.html``, ``page.css``); every text from a person or a price sheet is
escaped."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from ketacost.entries import KIND_NAMES, Entry
from ketacost.render.html import keep, months_table, notes, page, summary_table
from ketacost.render.safe_text import page_text as escape  # controls made visible too
from ketacost.report.model import Report
from ketacost.sheet.model import Clinic


class QuoteDetails(NamedTuple):
    """Who and what a quote page names besides its figures."""

    id: str
    issued: date
    patient: str | None = None
    dob: date | None = None
    prepared_by: str | None = None
    replaces: str | None = None
    clinic: Clinic | None = None
    replaced_by: tuple[str, ...] = ()
    witness: str | None = None
    """The quote log's head once it was saved (``12:0123456789abcdef``): a witness."""


def details_of(
    entry: Entry, clinic: Clinic | None = None, replaced_by: tuple[str, ...] = ()
) -> QuoteDetails:
    """A saved entry's details; ``clinic`` from the price sheet when it is known (a quote
    reprinted from the log names only its sheet)."""
    return QuoteDetails(
        id=entry.id,
        issued=datetime.fromisoformat(entry.created).astimezone().date(),
        patient=entry.patient,
        dob=None if entry.dob is None else date.fromisoformat(entry.dob),
        prepared_by=entry.prepared_by,
        replaces=entry.replaces,
        clinic=clinic,
        replaced_by=replaced_by,
        witness=None
        if entry.number is None or entry.sha256 is None
        else f"{entry.number}:{entry.sha256[:16]}",
    )


def long_date(day: date) -> str:
    """``November 23, 2026``."""
    return f"{day:%B} {day.day}, {day.year}"


def facts(rows: list[tuple[str, str | None]], css: str = "") -> str:
    """A small table of labelled values (escaped here), leaving out the empty ones."""
    cells = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>'
        for label, value in rows
        if value
    )
    return f'<table class="facts {css}">{cells}</table>' if cells else ""


def letterhead(details: QuoteDetails) -> str:
    """The clinic on the left (when the sheet names one), the quote's id and date on the
    right."""
    clinic = details.clinic
    who = ""
    if clinic is not None and clinic.name:
        lines = "<br>".join(escape(text) for text in (clinic.address, clinic.phone) if text)
        who = f'<div class="clinic"><strong>{escape(clinic.name)}</strong>{lines}</div>'
    ids = facts(
        [
            (KIND_NAMES["quote"], details.id),
            ("Date", long_date(details.issued)),
            ("Replaces", details.replaces),
            ("Replaced by", ", ".join(details.replaced_by)),
        ]
    )
    return f'<header class="letterhead">{who or "<div></div>"}{ids}</header>\n'


def quote_page(report: Report, details: QuoteDetails) -> str:
    """The whole page of a quote."""
    patient = facts(
        [
            ("Patient", details.patient),
            ("Date of birth", None if details.dob is None else long_date(details.dob)),
            ("Prepared by", details.prepared_by),
        ],
        "for",
    )
    return page(
        report.title,
        [
            patient,
            summary_table(report),
            "<h2>Month by month</h2>",
            months_table(report),
            keep("<h2>What this assumes</h2>", notes(report.notes[:-1])),
        ],
        report.version,
        report.disclaimer,
        letterhead=letterhead(details),
        meta=f"Quote {details.id}, {long_date(details.issued)}; computed by ketacost "
        f"{report.version}" + (f"; quote log witness {details.witness}" if details.witness else ""),
    )
