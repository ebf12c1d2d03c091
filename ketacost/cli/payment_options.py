"""How the patient pays, shared by ``estimate`` and ``quote``: an HSA or FSA, a payment
plan, the medical-expense deduction, a savings program (docs/paying.md). The options reach
the command as the request's own record, ``paying: Paying``."""

from __future__ import annotations

from decimal import Decimal

import click

from ketacost.cli.grouping import Decorator, grouped
from ketacost.cli.params import FINANCE, MONEY, PERCENT
from ketacost.cli.run import domain_errors
from ketacost.paying.data import ACCOUNTS, FINANCE_WHAT
from ketacost.paying.financing import FinanceTerms
from ketacost.paying.how_paid import FinanceWhat, Paying
from ketacost.paying.tax import Account
from ketacost.request import deferred, promotion


def paying_of(
    *,
    hsa_rate: Decimal | None = None,
    finance: FinanceTerms | None = None,
    deferred_interest: bool = False,
    promo_months: int | None = None,
    account: Account | None = None,
    payroll: bool = False,
    agi: Decimal | None = None,
    finance_what: FinanceWhat | None = None,
    savings: bool = False,
) -> Paying:
    """The options as the request's :class:`~ketacost.paying.how_paid.Paying`."""
    with domain_errors():
        terms = promotion(deferred(finance) if deferred_interest else finance, promo_months)
    return Paying(
        hsa_rate=hsa_rate,
        account=account,
        payroll=payroll,
        agi=agi,
        finance=terms,
        finance_what=finance_what,
        savings=savings,
    )


PAYMENT_FIELDS = (
    "hsa_rate",
    "finance",
    "deferred_interest",
    "promo_months",
    "account",
    "payroll",
    "agi",
    "finance_what",
    "savings",
)

payment_options: Decorator = grouped(
    paying_of,
    "paying",
    [
        click.option(
            "--hsa-rate",
            type=PERCENT,
            metavar="PCT",
            help="Pay from an HSA/FSA: your marginal tax rate, e.g. 24 (after-tax cost).",
        ),
        click.option(
            "--finance",
            type=FINANCE,
            help="A payment plan for the out-of-pocket cost: MONTHS or MONTHS@APR, "
            "e.g. 12 or 24@17.99.",
        ),
        click.option(
            "--deferred-interest",
            is_flag=True,
            help='The plan is a "no interest if paid in full" promotion; the APR is '
            "what is charged back if a balance remains.",
        ),
        click.option(
            "--promo-months",
            type=click.IntRange(min=1),
            metavar="N",
            help="The plan charges 0% for its first N months, then its APR on what is "
            "left (one level payment), e.g. --finance 24@22.99 --promo-months 6.",
        ),
        click.option(
            "--finance-what",
            type=click.Choice(FINANCE_WHAT),
            help="What the payment plan finances: the whole course (boosters too, from "
            "day one) or the induction alone. [default: all]",
        ),
        click.option(
            "--account",
            type=click.Choice(ACCOUNTS),
            help="The account --hsa-rate pays from; its yearly contribution limit caps "
            "the saving (-55: you are 55 or older, so the $1,000 catch-up counts too). "
            "[default: hsa-self]",
        ),
        click.option(
            "--payroll",
            is_flag=True,
            help="The account is funded through payroll: FICA (7.65%) is saved too "
            "(always so for --account fsa).",
        ),
        click.option(
            "--agi",
            type=MONEY,
            metavar="AMOUNT",
            help="Adjusted gross income: shows the medical-expense deduction (above 7.5% "
            "of it, if you itemize).",
        ),
        click.option(
            "--savings",
            is_flag=True,
            help="Count the treatment's manufacturer savings program (commercial "
            "insurance only; e.g. Spravato's).",
        ),
    ],
    fields=PAYMENT_FIELDS,
)
"""How it is paid, as ``paying: Paying``."""
