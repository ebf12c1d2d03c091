"""What every human-readable view of an estimate shows: its rows, its columns and the
lines of assumptions under it. Table, CSV and Markdown all draw from here.

Everything is computed from the estimate's data (:func:`ketacost.render.data.estimate_data`),
the same dict the quote log stores, so a saved quote prints exactly as it was quoted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from ketacost import DISCLAIMER
from ketacost.money import D, Money, format_money, format_percent, parse_percent, total
from ketacost.sheet import SCENARIOS, Scenario

Data = dict[str, Any]
"""An estimate as data: the output of ``estimate_data`` (or a saved copy of it)."""


@dataclass(frozen=True)
class Row:
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


def columns(data: Data) -> tuple[Scenario, ...]:
    """Low / Typical / High, or a single column when the price is exact."""
    return ("typical",) if is_exact(data) else SCENARIOS


def column_titles(data: Data) -> list[str]:
    return ["Estimate"] if is_exact(data) else [c.capitalize() for c in columns(data)]


def _row(data: Data, label: str, pick: Callable[[Data], Money], total: bool = False,
         section: bool = False) -> Row:
    return Row(label, tuple(pick(data["scenarios"][c]) for c in columns(data)), total,
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


def _day(text: str) -> date:
    return date.fromisoformat(text)


def schedule_text(data: Data) -> str:
    """``6 induction sessions over 2 weeks (Mon 2026-11-23 to Fri 2026-12-04), then ...``"""
    induction = [_day(s["date"]) for s in data["schedule"] if s["phase"] == "induction"]
    boosters = [_day(s["date"]) for s in data["schedule"] if s["phase"] == "maintenance"]
    inputs = data["inputs"]
    weeks, months = inputs["weeks"], inputs["months"]
    first, last = induction[0], induction[-1]
    noun = "session" if len(induction) == 1 else "sessions"
    text = f"{len(induction)} induction {noun}"
    text += f" on {first:%a %Y-%m-%d}" if len(induction) == 1 else (
        f" over {weeks} week{'s' if weeks != 1 else ''}"
        f" ({first:%a %Y-%m-%d} to {last:%a %Y-%m-%d})")
    if boosters:
        text += (f", then {len(boosters)} maintenance session"
                 f"{'s' if len(boosters) != 1 else ''} ({data['labels']['maintenance']}) for "
                 f"{months} months, to {boosters[-1]:%Y-%m-%d}")
    elif inputs["maintenance"] != "none":
        text += f"; no boosters fall within {months} months"
    else:
        text += "; no maintenance sessions"
    return text


def price_source(data: Data) -> str:
    if data["inputs"]["price"] is not None:
        return "the price you gave"
    sheet = data["sheet"]
    source = f" ({sheet['source']})" if sheet["source"] else ""
    return f"price sheet {sheet['name']!r}{source}, sha256 {sheet['sha256'][:12]}"


def coverage_text(data: Data) -> str:
    cov = data["inputs"]["coverage"]
    if cov is None:
        return "Self-pay: insurance rarely covers ketamine infusions (off-label); ask your insurer."
    money = {k: format_money(D(v)) for k, v in cov.items()
             if k not in ("network", "coinsurance", "plan_year_start") and v is not None}
    parts = [f"{'In' if cov['network'] == 'in' else 'Out-of'}-network",
             f"deductible {money['deductible']} ({money['deductible_met']} met)"]
    if D(cov["copay"]):
        parts.append(f"copay {money['copay']}")
    parts.append(f"coinsurance {format_percent(parse_percent(cov['coinsurance']))}")
    if cov["oop_max"] is not None:
        parts.append(f"out-of-pocket max {money['oop_max']} ({money['oop_met']} met)")
    if cov["allowed"] is not None:
        parts.append(f"allowed {money['allowed']} per session")
    if cov["plan_year_start"] != "01-01":
        parts.append(f"plan year starts {cov['plan_year_start']}")
    return "Insurance: " + ", ".join(parts) + "."


def assumptions(data: Data) -> list[str]:
    """The lines printed under every table: what was assumed, then the disclaimer."""
    return [
        f"Condition: {data['labels']['treatment']}. {schedule_text(data)}.",
        f"Prices from {price_source(data)}. {coverage_text(data)}",
        data.get("disclaimer") or DISCLAIMER,
    ]
