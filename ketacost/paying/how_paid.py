"""How one scenario's cost is paid (docs/paying.md): what a savings program pays, what an
HSA/FSA saves within its yearly limits, the medical-expense deduction, and a payment plan
for the whole course or the induction alone.

Works on the shares coverage produced and on the rides; every amount is dated, so each
is counted in its calendar year.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from ketacost.charges import Line
from ketacost.coverage.shares import Share
from ketacost.money import ZERO, Money, cents, total
from ketacost.paying.financing import FinanceTerms, HsaSaving, Loan, finance
from ketacost.paying.savings import SavingsResult, apply_program
from ketacost.paying.tax import (
    DEFAULT_ACCOUNT,
    Account,
    MedicalDeduction,
    account_saving,
    medical_deduction,
    saving_rate,
    through_payroll,
)
from ketacost.schedule.sessions import INDUCTION, Session
from ketacost.sheet.model import SavingsProgram

FinanceWhat = Literal["induction", "all"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Later:
    """What is left to pay as it comes when only the induction is financed."""

    amount: Money
    sessions: int
    """The maintenance sessions it is spread over."""

    @property
    def per_session(self) -> Money:
        """The average per booster (the last may differ by cents)."""
        return cents(self.amount / self.sessions) if self.sessions else ZERO


@dataclass(frozen=True, slots=True, kw_only=True)
class Paid:
    """Everything about how a scenario is paid; None where it was not asked."""

    savings: SavingsResult | None = None
    hsa: HsaSaving | None = None
    loan: Loan | None = None
    later: Later | None = None
    deduction: MedicalDeduction | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Paying:
    """How the patient means to pay: the request's paying part (an EstimateRequest's
    ``paying``). Every field left at its default asks for nothing."""

    hsa_rate: Decimal | None = None
    """Marginal tax rate (a fraction) when paying from an HSA/FSA."""
    account: Account | None = None
    """The account paid from: ``hsa-self`` (None: the default), ``hsa-family`` or ``fsa``."""
    payroll: bool = False
    """The account is funded through payroll, so FICA is saved too."""
    agi: Money | None = None
    """Adjusted gross income, for the medical-expense deduction."""
    finance: FinanceTerms | None = None
    """A payment plan for the out-of-pocket cost."""
    finance_what: FinanceWhat | None = None
    """What the payment plan finances: ``all`` (None: the default) or ``induction``."""
    savings: bool = False
    """Count the treatment's manufacturer savings program (commercial insurance only)."""


NO_PAYING = Paying()
"""Paying as it comes: no account, no plan, no program."""


def _by_year(amounts: Sequence[tuple[date, Money]]) -> dict[int, Money]:
    years: dict[int, Money] = {}
    for day, amount in amounts:
        years[day.year] = years.get(day.year, ZERO) + amount
    return years


def how_paid(
    shares: Sequence[Share],
    rides: Sequence[Line],
    schedule: Sequence[Session],
    ask: Paying,
    program: SavingsProgram | None = None,
) -> Paid:
    """The savings program first (it lowers what the patient owes), then the HSA/FSA on
    what is left plus rides, the deduction on what the account did not pay, and the loan
    on what the patient pays the clinic up front (the induction's part with
    ``finance_what``)."""
    savings = apply_program(shares, program) if program is not None else None
    paid_by_program = savings.per_share if savings else (ZERO,) * len(shares)
    owed = [(s.claim.date, s.patient - p) for s, p in zip(shares, paid_by_program, strict=True)]
    ride = total(line.unit for line in rides)
    spending = owed + [(s.date, ride) for s in schedule] if ride else owed
    by_year = _by_year(spending)
    hsa = None
    if ask.hsa_rate is not None:
        account = ask.account or DEFAULT_ACCOUNT
        payroll = through_payroll(account, ask.payroll)
        years = account_saving(by_year, account, saving_rate(ask.hsa_rate, payroll))
        hsa = HsaSaving(
            amount=total(a for _, a in spending),
            rate=ask.hsa_rate,
            saving=total(y.saving for y in years),
            account=account,
            payroll=payroll,
            years=years,
        )
    deduction = None
    if ask.agi is not None:
        from_account = {y.year: y.from_account for y in hsa.years} if hsa else None
        deduction = medical_deduction(by_year, ask.agi, from_account)
    loan, later = None, None
    if ask.finance is not None:
        # A loan pays what goes to the clinic up front: out of network the whole charge
        # (the plan's reimbursement comes later), in network the patient's share.
        cash = [
            (s.claim.date, s.paid_up_front - p)
            for s, p in zip(shares, paid_by_program, strict=True)
        ]
        last = max((s.date for s in schedule if s.phase == INDUCTION), default=None)
        if ask.finance_what == "induction" and last is not None:
            now = total(a for d, a in cash if d <= last)
            rest = total(a for d, a in cash if d > last)
            boosters = sum(1 for s in schedule if s.phase != INDUCTION)
            later = Later(amount=rest, sessions=boosters)
            loan = finance(now, ask.finance)
        else:
            loan = finance(total(a for _, a in cash), ask.finance)
    return Paid(savings=savings, hsa=hsa, loan=loan, later=later, deduction=deduction)
