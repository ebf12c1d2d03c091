"""The sentences printed under every estimate: what it assumes (condition, schedule,
prices, insurance, conditional discounts), how it is paid, and the disclaimer.

Written once, when a report is built, from that report alone: its figures, schedule,
request and labels, as its rows are, and what the price sheet says of the estimate (the
treatment, the booster plan, the optional fees and conditional discounts), which its
:class:`~ketacost.report.model.SheetInfo` holds. A saved quote keeps its notes as they
were written.
"""

from __future__ import annotations

from dataclasses import replace

from ketacost import DISCLAIMER
from ketacost.coverage.shares import terms_in_use
from ketacost.money import format_money, format_percent
from ketacost.report.model import Report
from ketacost.report.paying_notes import paying_lines
from ketacost.report.refund_notes import refund_text
from ketacost.report.treatment_notes import self_pay_text, treatment_lines
from ketacost.report.words import plural
from ketacost.schedule.sessions import INDUCTION, MAINTENANCE, Maintenance, moved_text
from ketacost.sheet.model import Discount, Scenario, Treatment

NO_BOOSTER_MONTHS = "0 months of boosters"
"""Why a plan of boosters over a 0-month horizon has none, said plainly (an estimate's
notes and a comparison's boosters say the same words)."""


def sheet_treatment(report: Report) -> Treatment:
    """The treatment the report's notes describe, as its sheet gave it. A saved quote's
    report holds none (:class:`~ketacost.report.model.SheetInfo`): its notes are kept as
    written, never written again from a sheet that may have changed."""
    treatment = report.sheet.treatment
    if treatment is None:
        raise ValueError("a saved quote's notes are kept as written, not written again")
    return treatment


def schedule_text(report: Report) -> str:
    """``6 induction sessions over 2 weeks (Mon 2026-11-23 to Fri 2026-12-04), then ...``"""
    induction = [s for s in report.schedule if s.phase == INDUCTION]
    boosters = [s for s in report.schedule if s.phase == MAINTENANCE]
    first, last = induction[0].date, induction[-1].date
    text = plural(len(induction), "induction session")
    weeks = plural(report.request.weeks, "week")
    text += (
        f" on {first:%a %Y-%m-%d}"
        if len(induction) == 1
        else (f" over {weeks} ({first:%a %Y-%m-%d} to {last:%a %Y-%m-%d})")
    )
    maintenance = report.request.maintenance
    labels = report.labels
    plan = report.sheet.plan
    how = labels.maintenance if plan is None else f"{plan.label}, {labels.interval}"
    months = plural(report.request.months, "month")
    if boosters:
        text += (
            f", then {plural(len(boosters), 'maintenance session')} ({how}) for "
            f"{months}, to {boosters[-1].date:%Y-%m-%d}"
        )
    elif maintenance.unit != "none" and not report.request.months:
        text += f"; no boosters ({NO_BOOSTER_MONTHS})"
    elif maintenance.unit != "none":
        text += f"; no boosters fall within {months}"
    else:
        text += "; no maintenance sessions"
    moved = moved_text(report.schedule)
    return text if moved is None else f"{text}. {moved[0].upper()}{moved[1:]}"


def interval_label(maintenance: Maintenance) -> str:
    """The booster interval in words, without the plan's name: ``every 4 weeks``."""
    return replace(maintenance, plan=None).label


def price_source(report: Report) -> str:
    """Where the prices come from: the price given, or the sheet with its hash."""
    if report.request.price is not None:
        return "the price you gave"
    sheet = report.sheet
    source = f" ({sheet.source})" if sheet.source else ""
    return f"price sheet {sheet.name!r}{source}, sha256 {sheet.short_hash}"


def coverage_text(report: Report) -> str:
    """The insurance assumed, in one sentence (or the self-pay caveat)."""
    cov = report.request.coverage
    if cov is None:
        return self_pay_text(sheet_treatment(report))
    cov = terms_in_use(cov)  # out of network: the plan's separate terms, when it has them
    parts = [
        f"{'In' if cov.network == 'in' else 'Out-of'}-network",
        f"deductible {format_money(cov.deductible)} ({format_money(cov.deductible_met)} met)",
    ]
    if cov.copay:
        parts.append(f"copay {format_money(cov.copay)}")
    parts.append(f"coinsurance {format_percent(cov.coinsurance)}")
    if cov.oop_max is not None:
        parts.append(
            f"out-of-pocket max {format_money(cov.oop_max)} ({format_money(cov.starting_oop)} met)"
        )
    if cov.allowed is not None:
        parts.append(f"allowed {format_money(cov.allowed)} per session")
    month, day = cov.plan_year_start
    if (month, day) != (1, 1):
        parts.append(f"plan year starts {month:02d}-{day:02d}")
    return "Insurance: " + ", ".join(parts) + "."


OFF_LABEL_CODES = ("96365", "J3490")
"""IV infusion, first hour (CPT) and the unclassified drug (HCPCS) a ketamine infusion is
usually billed as, when the sheet gives no codes."""

CONDITION_WORDS = {"depression": "depression", "pain": "chronic pain"}


def off_label_text(report: Report) -> str | None:
    """Whenever insurance is modelled: most plans do not pay for IV ketamine (off-label),
    so the patient should check the codes and ask about prior authorization."""
    treatment = sheet_treatment(report)
    if report.request.coverage is None or treatment.usually_covered:
        return None  # self-pay says it in its own sentence; Spravato names prior authorization
    what = CONDITION_WORDS.get(treatment.key, treatment.label)
    codes = "/".join(treatment.codes or OFF_LABEL_CODES)
    form = f"IV ketamine for {what}" if "96365" in treatment.codes else treatment.label
    return (
        f"Most plans do not cover {form}; check coverage for {codes} and "
        "ask about prior authorization."
    )


GLOSSARY = {
    "deductible": "what you pay each plan year before the plan pays",
    "copay": "a fixed amount per visit",
    "coinsurance": "your percent of the allowed amount",
    "allowed amount": "the most the plan counts per service",
    "balance bill": "the charge above the allowed amount (yours)",
    "paid up front": "paid to the clinic at the visit, before reimbursement",
}


def glossary_text(report: Report) -> str | None:
    """What the insurance words used by the figures mean, in one line (none when no
    insurance is modelled)."""
    cov = report.request.coverage
    if cov is None:
        return None
    shares = [s for figures in report.scenarios.values() for s in figures.claims]
    used = ["deductible"]
    if cov.copay:
        used.append("copay")
    if cov.coinsurance:
        used.append("coinsurance")
    if cov.allowed is not None or any(s.allowed != s.claim.charge for s in shares):
        used.append("allowed amount")
    if any(s.balance_bill for s in shares):
        used.append("balance bill")
    if cov.network == "out":
        used.append("paid up front")
    return "Terms: " + "; ".join(f"{word}, {GLOSSARY[word]}" for word in used) + "."


def assumed_text(report: Report) -> str | None:
    """What the figures assume of the sheet's optional fees and conditional discounts:
    ``Assumes: optional Anti-nausea medication, $25.00 per session (leave out: without
    anti-nausea); Prepaid induction series, 10% off induction sessions, because the series
    is paid in advance (with prepaid). Not included: Veterans' discount, $25.00 off each
    session, only when the patient is a veteran (add: with veteran).`` A conditional
    discount is counted only when asked for. The hints name the request's ``with`` and
    ``without`` (docs/charges.md), not how a command line spells them."""
    parts = [
        f"{item.label}, {item.describe()}, because {item.when} (with {item.key})"
        if isinstance(item, Discount)
        else f"optional {item.label}, {item.describe()} (leave out: without {item.key})"
        for item in report.sheet.assumed
    ]
    missing = [
        f"{d.label}, {d.describe()}, only when {d.when} (add: with {d.key})"
        for d in report.sheet.not_applied
    ]
    text = [f"Assumes: {'; '.join(parts)}." if parts else ""]
    text.append(f"Not included: {'; '.join(missing)}." if missing else "")
    return " ".join(t for t in text if t) or None


def assumptions(report: Report, scenario: Scenario = "typical") -> list[str]:
    """The lines printed under every table of ``report``, written from the report alone:
    what was assumed, how ``scenario`` is paid, then the disclaimer. Raises ValueError for
    a saved quote's report, whose notes are kept as written (:func:`sheet_treatment`)."""
    treatment = sheet_treatment(report)
    assumed = assumed_text(report)
    off_label = off_label_text(report)
    words = glossary_text(report)
    refunds = refund_text(report, scenario)
    request = report.request
    return [
        f"Condition: {report.labels.treatment}. {schedule_text(report)}.",
        f"Prices from {price_source(report)}. {coverage_text(report)}"
        + (f" {off_label}" if off_label else ""),
        *([refunds] if refunds else []),
        *treatment_lines(treatment, request.coverage, request.phased),
        *([words] if words else []),
        *([assumed] if assumed else []),
        *paying_lines(report, scenario),
        DISCLAIMER,
    ]
