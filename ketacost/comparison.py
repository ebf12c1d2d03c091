"""Two to six estimates side by side: the figures a patient decides between.

Pure: each option is a label and a finished :class:`~ketacost.estimate.Estimate`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from ketacost.estimate import Estimate
from ketacost.money import ZERO, Money
from ketacost.months import Month, by_month
from ketacost.schedule import add_months
from ketacost.sheet import SCENARIOS, Scenario

MIN_OPTIONS = 2
MAX_OPTIONS = 6


class ComparisonError(ValueError):
    """Too few or too many options, or two with the same label."""


@dataclass(frozen=True)
class Compared:
    """One option's figures. Money is typical unless a mapping gives every scenario."""

    label: str
    estimate: Estimate
    months: tuple[Month, ...]
    difference: Money
    """Typical out of pocket minus the first option's (zero for the first)."""

    @property
    def sessions(self) -> int:
        return self.estimate.scenarios["typical"].sessions

    @property
    def charges(self) -> Mapping[Scenario, Money]:
        return {name: self.estimate.scenarios[name].charges for name in SCENARIOS}

    @property
    def out_of_pocket(self) -> Mapping[Scenario, Money]:
        return {name: self.estimate.scenarios[name].out_of_pocket for name in SCENARIOS}

    @property
    def first_month(self) -> Money:
        """What the patient pays (typical) in the first calendar month."""
        return self.months[0].out_of_pocket["typical"] if self.months else ZERO


def compare(options: Sequence[tuple[str, Estimate]]) -> tuple[Compared, ...]:
    """The options' figures, each against the first."""
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise ComparisonError(f"compare {MIN_OPTIONS} to {MAX_OPTIONS} options, "
                              f"not {len(options)}")
    seen: set[str] = set()
    for label, _ in options:
        if label.casefold() in seen:
            raise ComparisonError(f"two options are labelled {label!r}")
        seen.add(label.casefold())
    base = options[0][1].scenarios["typical"].out_of_pocket
    return tuple(Compared(label, est, by_month(est),
                          est.scenarios["typical"].out_of_pocket - base)
                 for label, est in options)


def month_axis(compared: Sequence[Compared]) -> list[date]:
    """Every month any option has, in order, none skipped between the first and last."""
    starts = sorted({m.start for c in compared for m in c.months})
    if not starts:
        return []
    axis = [starts[0]]
    while axis[-1] < starts[-1]:
        axis.append(add_months(axis[-1], 1))
    return axis


def typical_by_month(option: Compared, axis: Sequence[date]) -> list[Money]:
    """The option's typical out of pocket on a shared month axis (zero where it has none)."""
    found = {m.start: m.out_of_pocket["typical"] for m in option.months}
    return [found.get(start, ZERO) for start in axis]
