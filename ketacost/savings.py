"""A manufacturer's savings program (the request's ``savings``, docs/paying.md): for a commercially
insured patient, the program pays the patient's share of each treatment session above
what the program says the patient pays (``$10 per treatment``), up to its yearly cap per
calendar year. It pays nothing toward fees, and nothing for a patient without insurance.

Claims are taken in date order, so the cap runs out on the last sessions of a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from ketacost.coverage import Share
from ketacost.money import ZERO, Money
from ketacost.sheet import SavingsProgram


class ProgramYear(NamedTuple):
    year: int
    pays: Money
    cap_reached: bool


class SavingsResult(NamedTuple):
    """What the program pays: per share (in the order of the shares given) and per year."""

    program: SavingsProgram
    per_share: tuple[Money, ...]
    years: tuple[ProgramYear, ...]

    @property
    def pays(self) -> Money:
        return sum((y.pays for y in self.years), ZERO)


def apply_program(shares: Sequence[Share], program: SavingsProgram) -> SavingsResult:
    """What the program pays toward each share: for a session, the patient's share above
    ``program.patient_pays``, while the calendar year's cap lasts; for a fee, nothing."""
    left: dict[int, Money] = {}
    pays: dict[int, Money] = {}
    order = sorted(range(len(shares)), key=lambda i: (shares[i].claim.date, i))
    per_share = [ZERO] * len(shares)
    for index in order:
        share = shares[index]
        if share.claim.session is None:
            continue
        year = share.claim.date.year
        room = left.setdefault(year, program.yearly_cap)
        paid = min(max(share.patient - program.patient_pays, ZERO), room)
        left[year] = room - paid
        pays[year] = pays.get(year, ZERO) + paid
        per_share[index] = paid
    years = tuple(ProgramYear(y, pays[y], left[y] == ZERO) for y in sorted(pays))
    return SavingsResult(program, tuple(per_share), years)
