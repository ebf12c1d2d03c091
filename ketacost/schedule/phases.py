"""Phased schedules (docs/schedule.md): an induction given in phases of so many sessions
a week (Spravato's label: twice a week in weeks 1-4, once a week in weeks 5-8), and a
maintenance plan that tapers (``every 4 weeks for 3 months, then every 6 weeks``).

Pure text and arithmetic; :mod:`ketacost.schedule.sessions` builds the dates from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_PHASES = 6
"""At most this many phases in an induction or a maintenance plan."""
MAX_PER_WEEK = 7


class PhaseError(ValueError):
    """A phased schedule that cannot be read."""


@dataclass(frozen=True, slots=True, kw_only=True)
class InductionPhase:
    """``weeks`` weeks of ``per_week`` sessions a week."""

    weeks: int
    per_week: int

    @property
    def sessions(self) -> int:
        return self.weeks * self.per_week

    def describe(self) -> str:
        """``twice a week for 4 weeks``."""
        times = {1: "once", 2: "twice"}.get(self.per_week, f"{self.per_week} times")
        weeks = "1 week" if self.weeks == 1 else f"{self.weeks} weeks"
        return f"{times} a week for {weeks}"


def phase_days(phases: tuple[InductionPhase, ...]) -> list[int]:
    """Day offsets of every induction session: each phase starts the day after the weeks
    of the phase before it end, and spreads its sessions within each of its weeks as the
    even series does (session k on floor(k x 7 / per week)): twice a week is days 0
    and 3 of each week."""
    if not phases:
        raise PhaseError("an induction in phases needs at least one phase")
    days: list[int] = []
    offset = 0
    for phase in phases:
        if not 1 <= phase.per_week <= MAX_PER_WEEK:
            raise PhaseError(f"a phase has 1 to {MAX_PER_WEEK} sessions a week")
        if phase.weeks < 1:
            raise PhaseError("a phase lasts at least one week")
        days += [offset + k * 7 // phase.per_week for k in range(phase.sessions)]
        offset += 7 * phase.weeks
    return days


def describe_phases(phases: tuple[InductionPhase, ...]) -> str:
    """``twice a week for 4 weeks, then once a week for 4 weeks``."""
    return ", then ".join(p.describe() for p in phases)


_SPLIT = r"\s*(?:[,;]\s*then\b|[,;]|\bthen\b)\s*"
_FOR = r"^(?P<every>.+?)\s+for\s+(?P<n>\d+)\s*(?:m|mo|month|months)$"


def split_tapering(text: str) -> list[tuple[str, int | None]]:
    """``every 4 weeks for 3 months, then every 6 weeks`` ->
    ``[("every 4 weeks", 3), ("every 6 weeks", None)]``: each phase's interval as typed
    and how many months it lasts (None: to the end). One phase without ``for`` gives a
    list of one. Every phase but the last needs a ``for N months``."""
    parts = re.split(_SPLIT, text.strip(), flags=re.IGNORECASE)
    if any(not p for p in parts):
        raise PhaseError(f"{text!r}: a phase is empty")
    if len(parts) > MAX_PHASES:
        raise PhaseError(f"{text!r}: at most {MAX_PHASES} phases")
    result: list[tuple[str, int | None]] = []
    for index, part in enumerate(parts):
        match = re.match(_FOR, part, re.IGNORECASE)
        months = int(match.group("n")) if match else None
        every = match.group("every") if match else part
        if months is not None and not 1 <= months <= 60:
            raise PhaseError(f"{part!r}: a phase lasts 1 to 60 months")
        if months is None and index < len(parts) - 1:
            raise PhaseError(
                f"{part!r}: every phase but the last needs 'for N months' "
                "(e.g. every 4 weeks for 3 months, then every 6 weeks)"
            )
        result.append((every, months))
    return result
