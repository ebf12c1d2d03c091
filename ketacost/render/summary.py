"""What every human-readable view of an estimate shows: its rows, its columns and the
lines of assumptions under it. Table, CSV, Markdown and HTML all draw from here.

The rows are drawn from the estimate's data (:func:`ketacost.render.data.estimate_data`),
the same dict the quote log stores, so a saved quote prints exactly as it was quoted. The
assumption lines are written from the live estimate once, and kept in that data as
``notes``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ketacost import DISCLAIMER
from ketacost.estimate import Estimate
from ketacost.money import ZERO, D, Money, format_money, format_percent, total
from ketacost.sheet import SCENARIOS, Discount, Scenario

if TYPE_CHECKING:
    from ketacost.payment import Loan

Data = dict[str, Any]
"""An estimate as data: the output of ``estimate_data`` (or a saved copy of it)."""


class Row(NamedTuple):
    """One labelled row: a figure per scenario column; ``total`` rows are emphasised."""

    label: str
    values: tuple[Money, ...]
    total: bool = False
    section: bool = False
    """Starts a new block of the table (a rule above it)."""


def is_exact(data: Data) -> bool:
    """True when every scenario has the same figures (an exact price, no range)."""
    scenarios = data["scenarios"]
    return bool(scenarios["low"]["lines"] == scenarios["high"]["lines"])


def columns(exact: bool) -> tuple[Scenario, ...]:
    """Low / Typical / High, or a single column when the price is exact."""
    return ("typical",) if exact else SCENARIOS


def column_titles(data: Data) -> list[str]:
    exact = is_exact(data)
    return ["Estimate"] if exact else [c.capitalize() for c in columns(exact)]


def _row(data: Data, label: str, pick: Callable[[Data], Money], total: bool = False,
         section: bool = False) -> Row:
    return Row(label, tuple(pick(data["scenarios"][c]) for c in columns(is_exact(data))), total,
               section or total)


def _field(name: str) -> Callable[[Data], Money]:
    return lambda s: D(s[name])


def _line_at(index: int, group: str = "lines") -> Callable[[Data], Money]:
    return lambda s: D(s[group][index]["amount"])


def _quantity(line_label: str, quantity: int) -> str:
    return f"{line_label} ({quantity})" if quantity != 1 else line_label


def adjustment(scenario: Data) -> Money:
    """What an in-network clinic writes off: charges above the allowed amounts."""
    return total(D(c["charge"]) - D(c["allowed"]) - D(c["balance_bill"])
                 for c in scenario["claims"])


def rows(data: Data) -> list[Row]:
    """The estimate's rows, in the order a patient reads them."""
    typical = data["scenarios"]["typical"]
    induction = sum(1 for s in data["schedule"] if s["phase"] == "induction")
    result = [_row(data, "Price per session", _field("per_session"))]
    if typical["booster_price"] != typical["per_session"] and typical["sessions"] > induction:
        result.append(_row(data, "Price per booster", _field("booster_price")))
    for index, line in enumerate(typical["lines"]):
        result.append(_row(data, _quantity(line["label"], line["quantity"]), _line_at(index)))
    result.append(_row(data, "Clinic charges", _field("charges"), total=True))
    coverage = data["inputs"]["coverage"]
    if coverage is not None and any(adjustment(s) for s in data["scenarios"].values()):
        result.append(_row(data, "In-network discount", lambda s: -adjustment(s)))
    if coverage is not None and coverage["network"] == "out":
        result.append(_row(data, "Paid up front", _field("paid_up_front")))
    result.append(_row(data, "Insurance pays", _field("insurance_pays")))
    result.append(_row(data, "Out of pocket", _field("out_of_pocket"), total=True))
    for index, line in enumerate(typical["other_lines"]):
        label = f"Other costs: {_quantity(line['label'].lower(), line['quantity'])}"
        result.append(_row(data, label, _line_at(index, "other_lines"), section=index == 0))
    if not typical["other_lines"]:
        result.append(_row(data, "Other costs", _field("other_costs"), section=True))
    return result


def plural(count: int, noun: str) -> str:
    """``1 month``, ``12 months``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def schedule_text(est: Estimate) -> str:
    """``6 induction sessions over 2 weeks (Mon 2026-11-23 to Fri 2026-12-04), then ...``"""
    induction = [s for s in est.schedule if s.phase == "induction"]
    boosters = [s for s in est.schedule if s.phase == "maintenance"]
    first, last = induction[0].date, induction[-1].date
    noun = "session" if len(induction) == 1 else "sessions"
    text = f"{len(induction)} induction {noun}"
    text += f" on {first:%a %Y-%m-%d}" if len(induction) == 1 else (
        f" over {est.weeks} week{'s' if est.weeks != 1 else ''}"
        f" ({first:%a %Y-%m-%d} to {last:%a %Y-%m-%d})")
    maintenance = est.request.maintenance
    plan = est.sheet.plan(maintenance.plan)
    how = maintenance.label if plan is None else (
        f"{plan.label}, {dataclasses.replace(maintenance, plan=None).label}")
    if boosters:
        text += (f", then {len(boosters)} maintenance session"
                 f"{'s' if len(boosters) != 1 else ''} ({how}) for "
                 f"{plural(est.request.months, 'month')}, to {boosters[-1].date:%Y-%m-%d}")
    elif maintenance.unit != "none":
        text += f"; no boosters fall within {plural(est.request.months, 'month')}"
    else:
        text += "; no maintenance sessions"
    return text


def price_source(est: Estimate) -> str:
    if est.request.price is not None:
        return "the price you gave"
    sheet = est.sheet
    source = f" ({sheet.source})" if sheet.source else ""
    return f"price sheet {sheet.name!r}{source}, sha256 {sheet.short_hash}"


def coverage_text(est: Estimate) -> str:
    cov = est.request.coverage
    if cov is None:
        return "Self-pay: insurance rarely covers ketamine infusions (off-label); ask your insurer."
    parts = [f"{'In' if cov.network == 'in' else 'Out-of'}-network",
             f"deductible {format_money(cov.deductible)} ({format_money(cov.deductible_met)} met)"]
    if cov.copay:
        parts.append(f"copay {format_money(cov.copay)}")
    parts.append(f"coinsurance {format_percent(cov.coinsurance)}")
    if cov.oop_max is not None:
        parts.append(f"out-of-pocket max {format_money(cov.oop_max)} "
                     f"({format_money(cov.starting_oop)} met)")
    if cov.allowed is not None:
        parts.append(f"allowed {format_money(cov.allowed)} per session")
    month, day = cov.plan_year_start
    if (month, day) != (1, 1):
        parts.append(f"plan year starts {month:02d}-{day:02d}")
    return "Insurance: " + ", ".join(parts) + "."


def assumed_text(est: Estimate) -> str | None:
    """``Assumes: Prepaid series, 10% off induction sessions (when prepaid). Leave out
    with --without prepaid.`` for the sheet's conditional discounts and optional fees."""
    items = est.assumed
    if not items:
        return None
    parts = [f"{item.label}, {item.describe()} (when {item.when})" if isinstance(item, Discount)
             else f"optional {item.label}, {item.describe()}" for item in items]
    leave_out = ", ".join(f"--without {item.key}" for item in items)
    return f"Assumes: {'; '.join(parts)}. Leave out with {leave_out}."


def _for(est: Estimate, scenario: Scenario) -> str:
    """``For the typical estimate, `` when there are several columns, else nothing."""
    return "" if est.exact_price else f"For the {scenario} estimate, "


def _sentence(prefix: str, text: str) -> str:
    return prefix + text if prefix else text[0].upper() + text[1:]


def paying_lines(est: Estimate, scenario: Scenario = "typical") -> list[str]:
    """How the out-of-pocket cost of one scenario is paid: HSA/FSA, financing, tax note."""
    result = est.scenarios[scenario]
    lines: list[str] = []
    if result.hsa is None and result.loan is None:
        return lines
    from ketacost.payment import HSA_NOTE, TAX_DEDUCTION_NOTE

    prefix = _for(est, scenario)
    if result.hsa is not None:
        saving = result.hsa
        lines.append(_sentence(prefix, (
            f"paying {format_money(saving.amount)} from an HSA/FSA at a "
            f"{format_percent(saving.rate)} tax rate saves {format_money(saving.saving)}: "
            f"after-tax cost {format_money(saving.after_tax_cost)}. {HSA_NOTE}")))
    loan = result.loan
    if loan is not None:
        lines.append(_sentence(prefix, loan_text(loan)))
    if result.hsa is not None or loan is not None:
        lines.append(TAX_DEDUCTION_NOTE)
    return lines


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
        return (f"financing {format_money(loan.principal)} over {months}, no interest if paid "
                f"in full: {payments}, total paid {format_money(loan.total_paid)}. If any "
                f"balance remains at the end, interest at {format_percent(terms.apr)} APR is "
                "charged back from the purchase date: about "
                f"{format_money(loan.deferred_interest or ZERO)} on the planned balances.")
    return (f"financing {format_money(loan.principal)} over {months} at "
            f"{format_percent(terms.apr)} APR: {payments}, total interest "
            f"{format_money(loan.total_interest)}, total paid {format_money(loan.total_paid)}.")


def assumptions(est: Estimate, scenario: Scenario = "typical") -> list[str]:
    """The lines printed under every table: what was assumed, how it is paid, then the
    disclaimer."""
    treatment = est.treatment
    assumed = assumed_text(est)
    return [
        f"Condition: {treatment.label}. {schedule_text(est)}.",
        f"Prices from {price_source(est)}. {coverage_text(est)}",
        *([assumed] if assumed else []),
        *paying_lines(est, scenario),
        DISCLAIMER,
    ]


def notes(data: Data) -> Sequence[str]:
    """The lines under the table, as written when the estimate was made."""
    lines: Sequence[str] = data["notes"]
    return lines
