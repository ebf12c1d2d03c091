"""Two to six estimates side by side: the figures a patient decides between, and the
notes under them (what each option assumes, what all share said once)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from ketacost import DISCLAIMER, __version__
from ketacost.estimate import Estimate
from ketacost.money import ZERO, Money, format_money, money_str
from ketacost.notes import coverage_text, price_source, schedule_text
from ketacost.report import Report, build_report
from ketacost.report_json import inputs_data, month_data, sheet_data
from ketacost.schedule import add_months
from ketacost.sheet import SCENARIOS
from ketacost.treatment_notes import insured_lines

MIN_OPTIONS = 2
MAX_OPTIONS = 6


class ComparisonError(ValueError):
    """Too few or too many options, or two with the same label."""


class Compared(NamedTuple):
    """One option: its label, its report, and what it costs against the first option."""

    label: str
    report: Report
    difference: Money
    """Typical out of pocket minus the first option's (zero for the first)."""
    first_month: Money
    """What the patient pays (typical) in the first calendar month."""
    range_text: str
    """``$7,600.00 to $15,200.00`` (low to high out of pocket), or empty for an exact price."""

    @property
    def sessions(self) -> int:
        return self.report.scenarios["typical"].sessions


class Comparison(NamedTuple):
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


def _notes(options: Sequence[tuple[str, Estimate]], exact: bool) -> tuple[str, ...]:
    """What each option assumes (what all share is said once), the price source(s), and
    the disclaimer last."""
    conditions = {est.treatment.label for _, est in options}
    coverages = {coverage_text(est) for _, est in options}
    lines = []
    for label, est in options:
        parts = [] if len(conditions) == 1 else [f"{est.treatment.label}."]
        parts.append(f"{schedule_text(est)}.")
        if len(coverages) > 1:
            parts.append(coverage_text(est))
        parts += insured_lines(est)
        lines.append(f"{label}: " + " ".join(parts))
    shared = [f"Condition: {conditions.pop()}."] if len(conditions) == 1 else []
    shared += [coverages.pop()] if len(coverages) == 1 else []
    sources = list(dict.fromkeys(price_source(est) for _, est in options))
    shared.append("Prices from " + "; ".join(sources) + ".")
    if not exact:
        shared.append(
            "Out of pocket is at the typical price; under it, the range from the "
            "low to the high price."
        )
    return (*lines, " ".join(shared), DISCLAIMER)


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
    compared = tuple(
        Compared(
            label,
            report,
            report.scenarios["typical"].out_of_pocket - base,
            report.months[0].out_of_pocket["typical"] if report.months else ZERO,
            _range_text(report),
        )
        for (label, _), report in zip(options, reports, strict=True)
    )
    exact = all(r.exact for r in reports)
    return Comparison(compared, _axis(reports), _notes(options, exact))


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
                "difference": money_str(c.difference),
                "inputs": inputs_data(c.report.inputs),
                "sheet": sheet_data(c.report.sheet),
                "months": [month_data(m) for m in c.report.months],
            }
            for c in comparison.options
        ],
    }
