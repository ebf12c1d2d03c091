"""Sentences about the treatment chosen and how it is paid, for the notes under an
estimate (:mod:`ketacost.report.notes` places them): whether insurance usually covers the
treatment, prior authorization, observation, billing codes by payer, a savings program,
the HSA/FSA limits, payroll, the medical-expense deduction and what a payment plan leaves.
"""

from __future__ import annotations

from ketacost.coverage.shares import Coverage
from ketacost.estimate import ScenarioFigures
from ketacost.money import format_money, format_percent
from ketacost.paying.financing import HsaSaving
from ketacost.paying.how_paid import Later
from ketacost.paying.tax import ACCOUNT_NAMES, MedicalDeduction, limits
from ketacost.schedule.phases import describe_phases
from ketacost.sheet.model import Treatment

HDHP_NOTE = "An HSA needs a high-deductible health plan (HDHP); a health FSA comes with a job."
ITEMIZE_NOTE = (
    "Medical expenses are deductible only if you itemize, and only what is above 7.5% of "
    "adjusted gross income; expenses an HSA/FSA paid with pre-tax money are not."
)


def off_label_caveat(treatment: Treatment) -> str | None:
    """The caveat of a treatment insurance rarely covers, or None for one it usually
    covers (Spravato): the sheet's ``insurance`` flag decides."""
    if treatment.usually_covered:
        return None
    if "96365" in treatment.codes:
        return "insurance rarely covers ketamine infusions (off-label); ask your insurer."
    return f"insurance rarely covers {treatment.label} (off-label); ask your insurer."


def self_pay_text(treatment: Treatment) -> str:
    """The insurance sentence of a self-pay estimate."""
    caveat = off_label_caveat(treatment)
    if caveat is not None:
        return f"Self-pay: {caveat}"
    return f"Self-pay: {covered_text(treatment)}"


def covered_text(treatment: Treatment) -> str:
    """``usually covered by insurance with prior authorization: ...``."""
    text = "usually covered by insurance with prior authorization"
    if treatment.prior_authorization:
        text += f" ({treatment.prior_authorization})"
    return text + "; ask your insurer."


def insured_lines(treatment: Treatment, coverage: Coverage | None) -> list[str]:
    """For an insured estimate of a treatment insurance usually covers: that it does,
    with prior authorization (a self-pay estimate says so in its insurance sentence)."""
    if treatment.usually_covered and coverage is not None:
        return [f"{treatment.label} is {covered_text(treatment)}"]
    return []


def treatment_lines(t: Treatment, coverage: Coverage | None, phased: bool) -> list[str]:
    """What the treatment itself asks: coverage with prior authorization (``coverage``:
    the insurance assumed), the phases of its induction (``phased``: the induction follows
    them), observation time, and how payers bill it."""
    parts: list[str] = insured_lines(t, coverage)
    if phased:
        parts.append(f"Induction as its label gives it: {describe_phases(t.phases)}.")
    if t.observation_minutes:
        hours = t.observation_minutes / 60
        shown = (
            f"{hours:g} hours"
            if t.observation_minutes % 60 == 0
            else f"{t.observation_minutes} minutes"
        )
        parts.append(f"Each session includes at least {shown} of observation at the clinic.")
    if t.billing_note:
        parts.append(t.billing_note.rstrip(".") + ".")
    return [" ".join(parts)] if parts else []


def savings_text(result: ScenarioFigures) -> str | None:
    """What the savings program pays, with its terms and their date."""
    if result.savings is None:
        return None
    program = result.savings.program
    years = "; ".join(
        f"{y.year}: {format_money(y.pays)}" + (" (cap reached)" if y.cap_reached else "")
        for y in result.savings.years
    )
    part = (
        "of your share"
        if program.medication is None
        else (
            f"of your share of the medication, {format_money(program.medication)} of each "
            "session's charge (your share in that proportion; the observation visit is "
            "yours)"
        )
    )
    text = (
        f"{program.label}: you pay {format_money(program.patient_pays)} per treatment and the "
        f"program pays the rest {part}, up to {format_money(program.yearly_cap)} per "
        f"calendar year (terms as of {program.as_of}; {program.source}): it pays "
        f"{format_money(result.savings.pays)}"
        + (f" ({years})" if years else "")
        + f", leaving you {format_money(result.after_program)}."
    )
    if program.note:
        text += f" Note: {program.note}."
    return text


def hsa_text(saving: HsaSaving) -> str:
    """Paying from the account, capped each calendar year by its limit."""
    table = limits()
    name = ACCOUNT_NAMES.get(saving.account, "HSA/FSA")
    rate = format_percent(saving.rate)
    if saving.payroll:
        how = (
            "a health FSA is always funded through payroll"
            if saving.account == "fsa"
            else "through payroll"
        )
        rate += f" tax rate plus {format_percent(table.fica)} FICA ({how})"
    else:
        rate += " tax rate"
    years = []
    for y in saving.years:
        text = f"{y.year}: {format_money(y.from_account)} of {format_money(y.spent)}"
        if y.limit_year != y.year:
            text += (
                f" (the {y.year} limit is not published yet: the {y.limit_year} limit, "
                f"{format_money(y.limit)}, is used)"
            )
        elif y.from_account < y.spent:
            text += f" (the limit is {format_money(y.limit)})"
        years.append(text)
    split = f" The account pays, by calendar year: {'; '.join(years)}." if years else ""
    hdhp = f" {HDHP_NOTE}" if saving.account.startswith("hsa") else ""
    article = "an" if name[0] in "AEFHIO" else "a"
    return (
        f"paying from {article} {name} at a {rate} saves {format_money(saving.saving)}: after-tax "
        f"cost {format_money(saving.after_tax_cost)} (rides included).{split}{hdhp}"
    )


def deduction_text(deduction: MedicalDeduction) -> str:
    """The deduction above 7.5% of AGI, by calendar year."""
    years = "; ".join(
        f"{y.year}: {format_money(y.deductible)} of {format_money(y.expenses)}"
        for y in deduction.years
    )
    return (
        f"with an adjusted gross income of {format_money(deduction.agi)}, medical expenses "
        f"above {format_money(deduction.threshold)} a year (7.5%) are deductible: "
        f"{format_money(deduction.deductible)} of this treatment ({years}), more if you "
        f"have other medical expenses that year. {ITEMIZE_NOTE}"
    )


def later_text(later: Later) -> str:
    """What is left to pay when only the induction is financed."""
    if not later.sessions or not later.amount:
        return "Only the induction is financed; nothing is left to pay after it."
    return (
        f"Only the induction is financed: the {later.sessions} maintenance sessions, "
        f"{format_money(later.amount)} in all, are paid as they come, about "
        f"{format_money(later.per_session)} per booster."
    )
