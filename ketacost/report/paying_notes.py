"""Every sentence about how an estimate is paid (docs/paying.md), for the notes under it
(:mod:`ketacost.report.notes` places them): a savings program, paying from an HSA/FSA
(its limits, payroll, an out-of-network refund), a payment plan and what it leaves, and
the medical-expense deduction."""

from __future__ import annotations

from ketacost.estimate import ScenarioFigures
from ketacost.money import ZERO, format_money, format_percent
from ketacost.paying.financing import HsaSaving, Loan
from ketacost.paying.how_paid import Later
from ketacost.paying.tax import ACCOUNT_NAMES, DEDUCTION_FLOOR, MedicalDeduction, limits
from ketacost.report.model import Report
from ketacost.report.words import plural
from ketacost.sheet.model import Scenario

FLOOR = format_percent(DEDUCTION_FLOOR)
"""The share of adjusted gross income above which medical expenses are deductible."""
ABOVE_FLOOR = f"above {FLOOR} of adjusted gross income"
HDHP_NOTE = "An HSA needs a high-deductible health plan (HDHP); a health FSA comes with a job."
HSA_NOTE = (
    "Whether an HSA/FSA may pay for these infusions is up to your plan administrator; "
    "often a letter of medical necessity is needed."
)
ITEMIZE_NOTE = (
    f"Medical expenses are deductible only if you itemize, and only what is {ABOVE_FLOOR}; "
    "expenses an HSA/FSA paid with pre-tax money are not."
)
"""Under a deduction worked out from the AGI given."""
TAX_DEDUCTION_NOTE = (
    f"Medical expenses are tax-deductible only {ABOVE_FLOOR}, and only if you itemize "
    "(not computed here)."
)
"""When no AGI is given, so no deduction is worked out."""


def paying_lines(report: Report, scenario: Scenario = "typical") -> list[str]:
    """How the out-of-pocket cost of one scenario is paid: HSA/FSA, financing, tax note."""
    result = report.scenarios[scenario]
    asked = (result.hsa, result.loan, result.savings, result.deduction)
    if all(item is None for item in asked):
        return []
    prefix = "" if report.exact else f"For the {scenario} estimate, "
    lines: list[str] = []
    program = savings_text(result)
    if program is not None:
        lines.append(_sentence(prefix, program))
    if result.hsa is not None:
        lines.append(_sentence(prefix, f"{hsa_text(result.hsa)} {HSA_NOTE}"))
        up_front = hsa_up_front_text(report, scenario)
        if up_front:
            lines.append(_sentence(prefix, up_front))
    if result.loan is not None:
        text = loan_text(result.loan)
        coverage = report.request.coverage
        if coverage is not None and coverage.network == "out" and result.loan.principal:
            text += (
                f" That is what you pay the clinic up front; the plan is expected to "
                f"reimburse {format_money(result.insurance_pays)} later, which the payments "
                "above do not count."
            )
        lines.append(_sentence(prefix, text))
        if result.later is not None:
            lines.append(later_text(result.later))
    if result.deduction is not None:
        lines.append(_sentence(prefix, deduction_text(result.deduction)))
    else:
        lines.append(TAX_DEDUCTION_NOTE)
    return lines


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


def hsa_up_front_text(report: Report, scenario: Scenario = "typical") -> str | None:
    """Out of network with an HSA/FSA: the account pays the clinic up front, but what the
    plan refunds is not a medical expense of the patient's."""
    cov = report.request.coverage
    result = report.scenarios[scenario]
    if cov is None or cov.network != "out" or result.hsa is None or not result.insurance_pays:
        return None
    return (
        f"out of network you pay the clinic {format_money(result.paid_up_front)} up front; "
        f"the {format_money(result.insurance_pays)} the plan pays back is not your expense, "
        "so the saving above counts only what you keep paying: put refunds of amounts paid "
        "from the account back into it."
    )


def loan_text(loan: Loan) -> str:
    """One sentence: the payment plan, and what a deferred-interest promotion risks."""
    terms = loan.terms
    months = plural(terms.months, "month")
    if loan.principal == 0:
        return "there is nothing to finance."
    payments = f"{format_money(loan.payment)} a month"
    if loan.final_payment != loan.payment:
        payments += f" (the last {format_money(loan.final_payment)})"
    if terms.deferred:
        return (
            f"financing {format_money(loan.principal)} over {months}, no interest if paid "
            f"in full: {payments}, total paid {format_money(loan.total_paid)}. If any "
            f"balance remains at the end, interest at {format_percent(terms.apr)} APR is "
            "charged back from the purchase date: about "
            f"{format_money(loan.deferred_interest or ZERO)} on the planned balances."
        )
    rate = f"{format_percent(terms.apr)} APR"
    if terms.promo_months:
        rate = f"0% for the first {plural(terms.promo_months, 'month')}, then {rate}"
    return (
        f"financing {format_money(loan.principal)} over {months} at "
        f"{rate}: {payments}, total interest "
        f"{format_money(loan.total_interest)}, total paid {format_money(loan.total_paid)}."
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


def deduction_text(deduction: MedicalDeduction) -> str:
    """The deduction above the floor (a share of AGI), by calendar year."""
    years = "; ".join(
        f"{y.year}: {format_money(y.deductible)} of {format_money(y.expenses)}"
        for y in deduction.years
    )
    return (
        f"with an adjusted gross income of {format_money(deduction.agi)}, medical expenses "
        f"above {format_money(deduction.threshold)} a year ({FLOOR}) are deductible: "
        f"{format_money(deduction.deductible)} of this treatment ({years}), more if you "
        f"have other medical expenses that year. {ITEMIZE_NOTE}"
    )


def _sentence(prefix: str, text: str) -> str:
    return prefix + text if prefix else text[0].upper() + text[1:]
