"""An estimate month by month: what each calendar month costs in each scenario.

Pure: it regroups the per-claim figures an :class:`~ketacost.estimate.Estimate` already
holds, so a scenario's months add up to its totals to the cent (the claims are already
rounded; grouping only adds them).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

from ketacost.coverage.shares import Share
from ketacost.estimate import Estimate
from ketacost.money import ZERO, Money, total
from ketacost.schedule.sessions import month_starts
from ketacost.sheet.model import SCENARIOS, Scenario


# A NamedTuple, not a dataclass: one per calendar month of every scenario, made in a loop.
class Month(NamedTuple):
    """One calendar month of an estimate, per scenario."""

    start: date
    """The first day of the month."""
    sessions: int
    charges: Mapping[Scenario, Money]
    """What the clinic bills for items dated this month (after discounts)."""
    out_of_pocket: Mapping[Scenario, Money]
    """The patient's net cost for this month's claims."""
    running: Mapping[Scenario, Money]
    """Out of pocket from the first month up to and including this one."""
    paid_up_front: Mapping[Scenario, Money]
    """What the patient pays the clinic for this month's claims when treated: out of
    network, the whole charge (the plan reimburses its part later); in network, the
    same as ``out_of_pocket``."""
    program_pays: Mapping[Scenario, Money] | None = None
    """What a savings program pays toward this month's claims; None when none is counted
    (and in a quote saved before months carried it)."""

    @property
    def key(self) -> str:
        """``YYYY-MM``."""
        return f"{self.start:%Y-%m}"

    @property
    def after_program(self) -> Mapping[Scenario, Money] | None:
        """Out of pocket less what a savings program pays this month; None when none is
        counted."""
        if self.program_pays is None:
            return None
        return {name: self.out_of_pocket[name] - pays for name, pays in self.program_pays.items()}


def _first_of(day: date) -> date:
    return day.replace(day=1)


def by_month(est: Estimate) -> tuple[Month, ...]:
    """One :class:`Month` per calendar month from the first claim to the last, including
    months without a session (so a chart shows the gaps between boosters)."""
    dates = [share.claim.date for result in est.scenarios.values() for share in result.claims]
    dates += [session.date for session in est.schedule]
    if not dates:
        return ()
    sessions: dict[date, int] = {}
    for session in est.schedule:
        key = _first_of(session.date)
        sessions[key] = sessions.get(key, 0) + 1
    buckets: dict[tuple[Scenario, date], list[Share]] = {}
    program: dict[tuple[Scenario, date], list[Money]] = {}
    for name in SCENARIOS:
        result = est.scenarios[name]
        for index, share in enumerate(result.claims):
            bucket = (name, _first_of(share.claim.date))
            buckets.setdefault(bucket, []).append(share)
            if result.savings is not None:
                program.setdefault(bucket, []).append(result.savings.per_share[index])
    counted = any(est.scenarios[name].savings is not None for name in SCENARIOS)
    months: list[Month] = []
    running: dict[Scenario, Money] = dict.fromkeys(SCENARIOS, ZERO)
    for start in month_starts(min(dates), max(dates)):
        charges: dict[Scenario, Money] = {}
        patient: dict[Scenario, Money] = {}
        up_front: dict[Scenario, Money] = {}
        for name in SCENARIOS:
            shares = buckets.get((name, start), [])
            charges[name] = total(s.claim.charge for s in shares)
            patient[name] = total(s.patient for s in shares)
            up_front[name] = total(s.paid_up_front for s in shares)
            running[name] = running[name] + patient[name]
        pays = {name: total(program.get((name, start), ())) for name in SCENARIOS}
        months.append(
            Month(
                start,
                sessions.get(start, 0),
                charges,
                patient,
                dict(running),
                paid_up_front=up_front,
                program_pays=pays if counted else None,
            )
        )
    return tuple(months)


def paid_up_front_by_month(
    claims: Mapping[Scenario, Sequence[Share]],
) -> dict[tuple[Scenario, str], Money]:
    """What is paid up front per scenario and ``YYYY-MM``, from the claims: how a quote
    saved before months carried the figure gets it (its claims always did)."""
    found: dict[tuple[Scenario, str], Money] = {}
    for name, shares in claims.items():
        for share in shares:
            key = (name, f"{share.claim.date:%Y-%m}")
            found[key] = found.get(key, ZERO) + share.paid_up_front
    return found


def first_month(months: Sequence[Month], scenario: Scenario = "typical") -> Money:
    """What the patient pays in the first calendar month of treatment ($0 with no month)."""
    return months[0].out_of_pocket[scenario] if months else ZERO
