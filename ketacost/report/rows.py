"""The summary table's rows, in the order a patient reads them: prices, the charges line
by line, what insurance pays, what the patient pays, then other costs (docs/charges.md).
Part of building a :class:`~ketacost.report.model.Report`; the renderers only draw them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ketacost.coverage.shares import Coverage
from ketacost.estimate import ScenarioFigures
from ketacost.money import Money
from ketacost.sheet.model import Scenario


@dataclass(frozen=True, slots=True, kw_only=True)
class Row:
    """One labelled row of the summary: a figure per column; ``total`` rows stand out and
    ``section`` rows start a new block (a rule above)."""

    label: str
    values: tuple[Money, ...]
    total: bool = False
    section: bool = False


def _quantity(label: str, quantity: int) -> str:
    return f"{label} ({quantity})" if quantity != 1 else label


def summary_rows(
    scenarios: Mapping[Scenario, ScenarioFigures],
    columns: Sequence[Scenario],
    induction: int,
    coverage: Coverage | None,
) -> tuple[Row, ...]:
    """The summary's rows, in the order a patient reads them."""
    picked = [scenarios[c] for c in columns]

    def row(label: str, values: Sequence[Money], total: bool = False, section: bool = False) -> Row:
        return Row(label=label, values=tuple(values), total=total, section=section or total)

    typical = scenarios["typical"]
    rows = [row("Price per session", [s.per_session for s in picked])]
    if typical.booster_price != typical.per_session and typical.sessions > induction:
        rows.append(row("Price per booster", [s.booster_price for s in picked]))
    for index, line in enumerate(typical.lines):
        rows.append(
            row(_quantity(line.label, line.quantity), [s.lines[index].amount for s in picked])
        )
    rows.append(row("Clinic charges", [s.charges for s in picked], total=True))
    if coverage is not None and any(s.adjustment for s in scenarios.values()):
        rows.append(row("In-network discount", [-s.adjustment for s in picked]))
    if coverage is not None and coverage.network == "out":
        rows.append(row("Paid up front", [s.paid_up_front for s in picked]))
    rows.append(row("Insurance pays", [s.insurance_pays for s in picked]))
    rows.append(row("Out of pocket", [s.out_of_pocket for s in picked], total=True))
    if typical.savings is not None:
        program = typical.savings.program.label
        rows.append(row(f"{program} pays", [-s.program_pays for s in picked]))
        rows.append(row("You pay after the program", [s.after_program for s in picked], total=True))
    for index, line in enumerate(typical.other_lines):
        label = f"Other costs: {_quantity(line.label.lower(), line.quantity)}"
        rows.append(row(label, [s.other_lines[index].amount for s in picked], section=index == 0))
    if not typical.other_lines:
        rows.append(row("Other costs", [s.other_costs for s in picked], section=True))
    return tuple(rows)
