"""A manufacturer's savings program (the request's ``savings``, docs/paying.md): for a commercially
insured patient, the program pays the patient's share of each treatment session's
medication above what the program says the patient pays (``$10 per treatment``), up to its
yearly cap per calendar year. It pays nothing toward fees or the observation visit, and
nothing for a patient without insurance.

The medication's share of what the patient pays for a session is the patient's share in
proportion to the medication's part of the charge (the sheet's ``medication``), rounded to
the cent: as if the clinic billed the medication and the visit apart under the same plan.
Claims are taken in date order, so the cap runs out on the last sessions of a year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ketacost.coverage.shares import Share
from ketacost.money import ZERO, Money, cents
from ketacost.sheet.model import SavingsProgram


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgramYear:
    year: int
    pays: Money
    cap_reached: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class SavingsResult:
    """What the program pays: per share (in the order of the shares given) and per year."""

    program: SavingsProgram
    per_share: tuple[Money, ...]
    years: tuple[ProgramYear, ...]

    @property
    def pays(self) -> Money:
        return sum((y.pays for y in self.years), ZERO)


def medication_share(share: Share, program: SavingsProgram) -> Money:
    """The part of what the patient pays for a session that is for the medication: all
    of it when the sheet gives no ``medication`` part, else in proportion to it."""
    charge = share.claim.charge
    if program.medication is None or charge <= program.medication:
        return share.patient
    return cents(share.patient * program.medication / charge)


def apply_program(shares: Sequence[Share], program: SavingsProgram) -> SavingsResult:
    """What the program pays toward each share: for a session, the patient's share of its
    medication above ``program.patient_pays``, while the calendar year's cap lasts; for a
    fee, nothing."""
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
        paid = min(max(medication_share(share, program) - program.patient_pays, ZERO), room)
        left[year] = room - paid
        pays[year] = pays.get(year, ZERO) + paid
        per_share[index] = paid
    years = tuple(
        ProgramYear(year=y, pays=pays[y], cap_reached=left[y] == ZERO) for y in sorted(pays)
    )
    return SavingsResult(program=program, per_share=tuple(per_share), years=years)
