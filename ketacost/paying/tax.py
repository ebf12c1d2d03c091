"""Paying with pre-tax money, and the medical-expense deduction (docs/paying.md).

- An HSA or a health FSA saves the tax on what it pays, but only on what may be put in it
  in a calendar year (the IRS limits in ``data/hsa_limits.toml``, each with its source).
  For a year not yet published, the latest published limit is used, and said so.
- Money put in through payroll also escapes FICA (7.65%), so the saving rate is the tax
  rate plus 7.65%. A health FSA is always funded that way (salary reduction).
- The medical-expense deduction: only what is above 7.5% of adjusted gross income, only
  when itemizing, and never for what an HSA/FSA paid with pre-tax money.

Decimal only; every amount is rounded to the cent as it is computed.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Literal

from ketacost.money import HUNDRED, ZERO, Money, cents

Account = Literal["hsa-self", "hsa-family", "hsa-self-55", "hsa-family-55", "fsa"]
"""An HSA for self-only or family coverage (``-55``: its holder is 55 or older, so the
yearly catch-up contribution is allowed too), or a health FSA."""
DEFAULT_ACCOUNT: Account = "hsa-self"
ACCOUNT_NAMES: dict[str, str] = {
    "hsa-self": "HSA (self-only coverage)",
    "hsa-family": "HSA (family coverage)",
    "hsa-self-55": "HSA (self-only coverage, with the catch-up from age 55)",
    "hsa-family-55": "HSA (family coverage, with the catch-up from age 55)",
    "fsa": "health FSA",
}
_FIELDS: dict[Account, str] = {
    "hsa-self": "hsa_self",
    "hsa-family": "hsa_family",
    "hsa-self-55": "hsa_self",
    "hsa-family-55": "hsa_family",
    "fsa": "fsa",
}
DEDUCTION_FLOOR = Decimal("0.075")
"""Medical expenses are deductible above 7.5% of adjusted gross income (IRS Publication 502)."""
LIMITS_FILE = os.path.join(os.path.dirname(os.path.dirname(__file__)), "data", "hsa_limits.toml")


@dataclass(frozen=True, slots=True, kw_only=True)
class Limits:
    """The published limits by calendar year, the FICA rate, and their sources."""

    years: Mapping[int, Mapping[str, Decimal]]
    sources: Mapping[int, str]
    fica: Decimal
    fica_source: str

    def limit(self, account: Account, year: int) -> tuple[Money, int]:
        """The account's limit for ``year`` and the year it was published for: the year
        itself, or the latest published year before or after it."""
        known = sorted(self.years)
        used = (
            year if year in self.years else max((y for y in known if y <= year), default=known[0])
        )
        figures = self.years[used]
        catch_up = figures["hsa_catch_up"] if account.endswith("-55") else ZERO
        return figures[_FIELDS[account]] + catch_up, used


@cache
def limits() -> Limits:
    """The built-in data file, read once."""
    with open(LIMITS_FILE, "rb") as handle:
        data = tomllib.load(handle, parse_float=Decimal)
    years = {
        int(year): {k: Decimal(v) for k, v in body.items() if k != "source"}
        for year, body in data["years"].items()
    }
    sources = {int(year): str(body["source"]) for year, body in data["years"].items()}
    fica = Decimal(data["fica_percent"]) / HUNDRED
    return Limits(years=years, sources=sources, fica=fica, fica_source=str(data["fica_source"]))


@dataclass(frozen=True, slots=True, kw_only=True)
class YearSaving:
    """One calendar year of paying from the account."""

    year: int
    spent: Money
    """Eligible spending dated this year (out of pocket and rides)."""
    limit: Money
    limit_year: int
    """The year whose published limit is used (another year's when this one's is not
    published yet)."""
    from_account: Money
    """What the account pays: the spending, up to the limit."""
    saving: Money


def account_saving(
    spending: Mapping[int, Money], account: Account, rate: Decimal
) -> tuple[YearSaving, ...]:
    """The tax saved each calendar year: ``rate`` x what the account pays that year, which
    is the year's spending up to the year's contribution limit."""
    table = limits()
    result = []
    for year in sorted(spending):
        limit, used = table.limit(account, year)
        paid = min(spending[year], limit)
        result.append(
            YearSaving(
                year=year,
                spent=spending[year],
                limit=limit,
                limit_year=used,
                from_account=paid,
                saving=cents(rate * paid),
            )
        )
    return tuple(result)


def through_payroll(account: Account, payroll: bool) -> bool:
    """Whether the account is funded through payroll: when the request says so, and always
    for a health FSA, which only salary reduction funds (IRS Publication 969)."""
    return payroll or account == "fsa"


def saving_rate(tax_rate: Decimal, payroll: bool) -> Decimal:
    """The tax rate, plus FICA when the money goes in through payroll."""
    return tax_rate + limits().fica if payroll else tax_rate


@dataclass(frozen=True, slots=True, kw_only=True)
class DeductionYear:
    year: int
    expenses: Money
    """Medical expenses of this treatment dated this year, less what an HSA/FSA paid."""
    deductible: Money


@dataclass(frozen=True, slots=True, kw_only=True)
class MedicalDeduction:
    """What of this treatment's expenses is deductible, if the patient itemizes."""

    agi: Money
    threshold: Money
    """7.5% of the adjusted gross income: expenses below it are not deductible."""
    years: tuple[DeductionYear, ...]

    @property
    def deductible(self) -> Money:
        return sum((y.deductible for y in self.years), ZERO)


def medical_deduction(
    spending: Mapping[int, Money], agi: Money, from_account: Mapping[int, Money] | None = None
) -> MedicalDeduction:
    """Each calendar year's expenses (less what the account paid) above 7.5% of ``agi``;
    the same AGI is assumed for every year."""
    threshold = cents(agi * DEDUCTION_FLOOR)
    paid = from_account or {}
    years = []
    for year in sorted(spending):
        expenses = max(spending[year] - paid.get(year, ZERO), ZERO)
        years.append(
            DeductionYear(year=year, expenses=expenses, deductible=max(expenses - threshold, ZERO))
        )
    return MedicalDeduction(agi=agi, threshold=threshold, years=tuple(years))
