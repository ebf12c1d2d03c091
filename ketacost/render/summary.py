"""What every human-readable view of an estimate shows: its rows, its columns and the
lines of assumptions under it. Table, CSV and Markdown all draw from here."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from ketacost import DISCLAIMER
from ketacost.estimate import Estimate, ScenarioResult
from ketacost.money import Money, format_money, format_percent
from ketacost.sheet import SCENARIOS, Scenario


class Row(NamedTuple):
    """One labelled row: a figure per scenario column; ``total`` rows are emphasised."""

    label: str
    values: tuple[Money, ...]
    total: bool = False
    section: bool = False
    """Starts a new block of the table (a rule above it)."""


def columns(est: Estimate) -> tuple[Scenario, ...]:
    """Low / Typical / High, or a single column when the price is exact."""
    return ("typical",) if est.exact_price else SCENARIOS


def column_titles(est: Estimate) -> list[str]:
    return ["Estimate"] if est.exact_price else [c.capitalize() for c in columns(est)]


def _row(est: Estimate, label: str, pick: Callable[[ScenarioResult], Money],
         total: bool = False, section: bool = False) -> Row:
    return Row(label, tuple(pick(est.scenarios[c]) for c in columns(est)), total,
               section or total)


def _quantity(line_label: str, quantity: int) -> str:
    return f"{line_label} ({quantity})" if quantity != 1 else line_label


def _line_at(index: int, other: bool = False) -> Callable[[ScenarioResult], Money]:
    return lambda s: (s.other if other else s.lines)[index].amount


def rows(est: Estimate) -> list[Row]:
    """The estimate's rows, in the order a patient reads them."""
    typical = est.scenarios["typical"]
    result = [_row(est, "Price per session", lambda s: s.per_session)]
    if typical.booster_price != typical.per_session and typical.sessions > len(
            [s for s in est.schedule if s.phase == "induction"]):
        result.append(_row(est, "Price per booster", lambda s: s.booster_price))
    for index, line in enumerate(typical.lines):
        result.append(_row(est, _quantity(line.label, line.quantity), _line_at(index)))
    result.append(_row(est, "Clinic charges", lambda s: s.charges, total=True))
    coverage = est.request.coverage
    if coverage is not None and any(s.adjustment for s in est.scenarios.values()):
        result.append(_row(est, "In-network discount", lambda s: -s.adjustment))
    if coverage is not None and coverage.network == "out":
        result.append(_row(est, "Paid up front", lambda s: s.paid_up_front))
    result.append(_row(est, "Insurance pays", lambda s: s.insurance_pays))
    result.append(_row(est, "Out of pocket", lambda s: s.out_of_pocket, total=True))
    for index, line in enumerate(typical.other):
        result.append(_row(est, f"Other costs: {_quantity(line.label.lower(), line.quantity)}",
                           _line_at(index, other=True), section=index == 0))
    if not typical.other:
        result.append(_row(est, "Other costs", lambda s: s.other_costs, section=True))
    return result


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
    if boosters:
        text += (f", then {len(boosters)} maintenance session"
                 f"{'s' if len(boosters) != 1 else ''} ({maintenance.label}) for "
                 f"{est.request.months} months, to {boosters[-1].date:%Y-%m-%d}")
    elif maintenance.unit != "none":
        text += f"; no boosters fall within {est.request.months} months"
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


def assumptions(est: Estimate) -> list[str]:
    """The lines printed under every table: what was assumed, then the disclaimer."""
    treatment = est.treatment
    return [
        f"Condition: {treatment.label}. {schedule_text(est)}.",
        f"Prices from {price_source(est)}. {coverage_text(est)}",
        DISCLAIMER,
    ]
