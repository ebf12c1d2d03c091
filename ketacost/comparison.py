"""Two to six estimates side by side: the figures a patient decides between, and the
notes under them (what each option assumes, what all share said once).

On equal terms: each option says its induction and its boosters, and a difference is set
only between options whose figures cover the same period (the induction alone, or the
induction and the same months of boosters); for the others the notes say what differs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ketacost import DISCLAIMER, __version__
from ketacost.estimate import Estimate
from ketacost.money import ZERO, Money, format_money, money_str
from ketacost.months import first_month
from ketacost.report.build import build_report
from ketacost.report.model import Report
from ketacost.report.notes import (
    NO_BOOSTER_MONTHS,
    assumed_text,
    coverage_text,
    glossary_text,
    interval_label,
    off_label_text,
    price_source,
    schedule_text,
    sheet_treatment,
)
from ketacost.report.to_data import month_data, report_inputs_data, sheet_data
from ketacost.report.treatment_notes import treatment_lines
from ketacost.report.words import plural
from ketacost.schedule.sessions import INDUCTION, add_months
from ketacost.sheet.model import SCENARIOS

MIN_OPTIONS = 2
MAX_OPTIONS = 6


class ComparisonError(ValueError):
    """Too few or too many options, or two with the same label."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Compared:
    """One option: its label, its report, and what it costs against the first option."""

    label: str
    report: Report
    difference: Money | None
    """Typical out of pocket minus the first option's (zero for the first); None when the
    option's figures cover another period than the first's (:attr:`period`)."""
    first_month: Money
    """What the patient pays (typical) in the first calendar month."""
    range_text: str
    """``$7,600.00 to $15,200.00`` (low to high out of pocket), or empty for an exact price."""
    induction: str = ""
    """The induction series: ``6 over 2 weeks``."""
    boosters: str = ""
    """The boosters: ``none``, or ``26, every 2 weeks for 12 months``."""
    period: int = 0
    """Months of boosters the figures cover after the induction; 0: the induction alone."""

    @property
    def sessions(self) -> int:
        return self.report.scenarios["typical"].sessions


@dataclass(frozen=True, slots=True, kw_only=True)
class Comparison:
    """The options in order, a shared month axis, and the notes (the disclaimer last)."""

    options: tuple[Compared, ...]
    axis: tuple[date, ...]
    """Every month any option has, none skipped between the first and the last."""
    notes: tuple[str, ...]

    def typical_by_month(self, option: Compared) -> list[Money]:
        """The option's typical out of pocket on the shared month axis (zero where it has
        none)."""
        found = {m.start: m.out_of_pocket["typical"] for m in option.report.months}
        return [found.get(start, ZERO) for start in self.axis]


def _range_text(report: Report) -> str:
    if report.exact:
        return ""
    low, high = report.scenarios["low"], report.scenarios["high"]
    return f"{format_money(low.out_of_pocket)} to {format_money(high.out_of_pocket)}"


def period_of(est: Estimate) -> int:
    """Months of boosters an estimate covers after its induction; 0: the induction alone."""
    return 0 if est.request.maintenance.unit == "none" else est.request.months


def period_text(months: int) -> str:
    """``its induction alone``, ``its induction and 12 months of boosters``."""
    if not months:
        return "its induction alone"
    return f"its induction and {plural(months, 'month')} of boosters"


def induction_text(est: Estimate) -> str:
    """``6 over 2 weeks``, or ``1 session``."""
    count = est.request.sessions
    return f"{count} over {plural(est.request.weeks, 'week')}" if count > 1 else "1 session"


def boosters_text(est: Estimate) -> str:
    """``none``, ``26, every 2 weeks for 12 months``, ``none within 1 month``, ``none (0
    months of boosters)``."""
    maintenance = est.request.maintenance
    if maintenance.unit == "none":
        return "none"
    if not est.request.months:
        return f"none ({NO_BOOSTER_MONTHS})"
    months = plural(est.request.months, "month")
    count = sum(1 for s in est.schedule if s.phase != INDUCTION)
    if not count:
        return f"none within {months}"
    plan = est.plan
    how = maintenance.label if plan is None else f"{plan.label}, {interval_label(maintenance)}"
    return f"{count}, {how} for {months}"


def _parts(report: Report) -> dict[str, str]:
    """The sentences of an estimate's notes (:func:`ketacost.report.notes.assumptions`), by kind,
    as an option of a comparison says them; empty where an estimate says nothing."""
    coverage = report.request.coverage
    return {
        "condition": f"{report.labels.treatment}.",
        "schedule": f"{schedule_text(report)}.",
        "coverage": coverage_text(report),
        "off_label": off_label_text(report) or "",
        "treatment": " ".join(
            treatment_lines(sheet_treatment(report), coverage, report.request.phased)
        ),
        "terms": glossary_text(report) or "",
        "assumed": assumed_text(report) or "",
    }


def _difference_note(compared: Sequence[Compared]) -> list[str]:
    """Which options are not set against the first, and why (empty when all are)."""
    base = compared[0]
    others = [c for c in compared[1:] if c.difference is None]
    if not others:
        return []
    covers = "; ".join(f"{c.label} covers {period_text(c.period)}" for c in others)
    whose = "its" if len(others) == 1 else "their"
    return [
        f"Difference: {covers}, while {base.label} (the base) covers "
        f"{period_text(base.period)}, so {whose} figures are not set against the base's. "
        "Give the options the same booster plan to compare them on equal terms."
    ]


def _notes(
    options: Sequence[tuple[str, Estimate]], compared: Sequence[Compared], exact: bool
) -> tuple[str, ...]:
    """What each option assumes, as its own estimate says it (what all share is said
    once), why a difference is left out, the price source(s), and the disclaimer last."""
    parts = [_parts(c.report) for c in compared]
    shared = {kind for kind in parts[0] if len({p[kind] for p in parts}) == 1 and parts[0][kind]}
    lines = []
    for (label, _), own in zip(options, parts, strict=True):
        said = [text for kind, text in own.items() if text and kind not in shared]
        if said:
            lines.append(f"{label}: " + " ".join(said))
    first = parts[0]
    common = [f"Condition: {first['condition']}"] if "condition" in shared else []
    common += [first["schedule"]] if "schedule" in shared else []
    common += [first[kind] for kind in ("coverage", "off_label", "treatment") if kind in shared]
    common += [first[kind] for kind in ("terms", "assumed") if kind in shared]
    sources = list(dict.fromkeys(price_source(c.report) for c in compared))
    common.append("Prices from " + "; ".join(sources) + ".")
    if not exact:
        common.append(
            "Out of pocket is at the typical price; under it, the range from the "
            "low to the high price."
        )
    return (*lines, *_difference_note(compared), " ".join(common), DISCLAIMER)


def _axis(reports: Sequence[Report]) -> tuple[date, ...]:
    starts = sorted({m.start for r in reports for m in r.months})
    if not starts:
        return ()
    axis = [starts[0]]
    while axis[-1] < starts[-1]:
        axis.append(add_months(axis[-1], 1))
    return tuple(axis)


def compare(options: Sequence[tuple[str, Estimate]]) -> Comparison:
    """The options' figures, each against the first."""
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise ComparisonError(f"compare {MIN_OPTIONS} to {MAX_OPTIONS} options, not {len(options)}")
    seen: set[str] = set()
    for label, _ in options:
        if label.casefold() in seen:
            raise ComparisonError(f"two options are labelled {label!r}")
        seen.add(label.casefold())
    reports = [build_report(est) for _, est in options]
    base = reports[0].scenarios["typical"].out_of_pocket
    base_period = period_of(options[0][1])
    compared = tuple(
        Compared(
            label=label,
            report=report,
            difference=report.scenarios["typical"].out_of_pocket - base
            if period_of(est) == base_period
            else None,
            first_month=first_month(report.months),
            range_text=_range_text(report),
            induction=induction_text(est),
            boosters=boosters_text(est),
            period=period_of(est),
        )
        for (label, est), report in zip(options, reports, strict=True)
    )
    exact = all(r.exact for r in reports)
    return Comparison(options=compared, axis=_axis(reports), notes=_notes(options, compared, exact))


def comparison_data(comparison: Comparison) -> dict[str, Any]:
    """The comparison as JSON-ready data; money as two-decimal strings."""

    def per_scenario(c: Compared, figure: str) -> dict[str, str]:
        return {name: money_str(getattr(c.report.scenarios[name], figure)) for name in SCENARIOS}

    return {
        "ketacost": __version__,
        "disclaimer": DISCLAIMER,
        "options": [
            {
                "label": c.label,
                "sessions": c.sessions,
                "charges": per_scenario(c, "charges"),
                "out_of_pocket": per_scenario(c, "out_of_pocket"),
                "first_month": money_str(c.first_month),
                "difference": None if c.difference is None else money_str(c.difference),
                "induction": c.induction,
                "boosters": c.boosters,
                "booster_months": c.period,
                "inputs": report_inputs_data(c.report),
                "sheet": sheet_data(c.report.sheet),
                "months": [month_data(m) for m in c.report.months],
                "notes": list(c.report.notes),
            }
            for c in comparison.options
        ],
        "notes": list(comparison.notes),
    }
