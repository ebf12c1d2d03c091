"""A 0%-for-N-months promotion on a payment plan (issue 20's change experiment):
``--promo-months N`` charges no interest for the plan's first N months, then its APR on
what is left, with one level monthly payment (docs/paying.md)."""

from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.cli import cli
from ketacost.money import CENTS, ZERO
from ketacost.paying.data import paying_data, paying_from_data
from ketacost.paying.financing import FinanceTerms, finance
from ketacost.paying.how_paid import Paying
from tests.conftest import START

D = Decimal
DOCS = Path(__file__).parent.parent / "docs" / "paying.md"


def _by_hand(principal: Decimal, months: int, apr: Decimal, promo: int) -> tuple[Decimal, ...]:
    """The worked example's arithmetic, step by step: the level payment P with
    P x promo + P x (1 - (1 + r)^-(months - promo)) / r = principal, then month by month
    (interest on the balance, rounded, none in the promotion's months)."""
    with localcontext() as ctx:
        ctx.prec = 50
        r = apr / 12
        annuity = (1 - (1 + r) ** -(months - promo)) / r
        payment = (principal / (promo + annuity)).quantize(CENTS, ROUND_HALF_UP)
    balance, interest = principal, ZERO
    for month in range(1, months + 1):
        accrued = ZERO if month <= promo else (balance * r).quantize(CENTS, ROUND_HALF_UP)
        interest += accrued
        balance += accrued
        if month < months:
            balance -= payment
    return payment, balance, interest


def test_the_worked_example_to_the_cent() -> None:
    """docs/paying.md: $3,600.00 over 12 months, 0% for the first 6, then 17.99%."""
    loan = finance(D(3600), FinanceTerms(months=12, apr=D("0.1799"), promo_months=6))
    assert (loan.payment, loan.final_payment, loan.total_interest, loan.total_paid) == (
        D("307.76"),
        D("307.79"),
        D("93.15"),
        D("3693.15"),
    )
    assert (loan.payment, loan.final_payment, loan.total_interest) == _by_hand(
        D(3600), 12, D("0.1799"), 6
    )


def test_the_docs_show_the_worked_example_s_figures() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## A 0% promotion") :]
    for figure in ("$307.76", "$307.79", "$93.15", "$3,693.15", "--promo-months 6"):
        assert figure in section


@settings(max_examples=150, deadline=None)
@given(
    principal=st.integers(10_000, 5_000_000).map(lambda c: D(c) / 100),
    months=st.integers(2, 120),
    apr=st.integers(1, 3600).map(lambda bp: D(bp) / 10_000),
    data=st.data(),
)
def test_a_promotion_adds_up_and_never_costs_more(
    principal: Decimal, months: int, apr: Decimal, data: st.DataObject
) -> None:
    """The payments add up to the total paid; a promotion never charges more interest
    than the plan without it, and its interest is the hand calculation's. (From $100 up:
    a dollar or two over many months is paid a cent a month, and there the cent's
    rounding, not the promotion, decides the interest.)"""
    promo = data.draw(st.integers(1, months - 1))
    loan = finance(principal, FinanceTerms(months=months, apr=apr, promo_months=promo))
    plain = finance(principal, FinanceTerms(months=months, apr=apr))
    assert loan.payment * (months - 1) + loan.final_payment == loan.total_paid
    assert loan.final_payment > 0
    assert ZERO <= loan.total_interest <= plain.total_interest
    payment, final, interest = _by_hand(principal, months, apr, promo)
    if final > 0:  # else the payment is a cent less (as without a promotion)
        assert (loan.payment, loan.final_payment, loan.total_interest) == (
            payment,
            final,
            interest,
        )


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ({"months": 12, "apr": D("0.1799"), "promo_months": 12}, "fewer months than the plan"),
        ({"months": 12, "apr": ZERO, "promo_months": 6}, "APR"),
        ({"months": 12, "apr": D("0.2699"), "promo_months": 6, "deferred": True}, "deferred"),
    ],
)
def test_impossible_promotions_are_refused(terms: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FinanceTerms(**terms)  # type: ignore[arg-type]


def test_a_promotion_round_trips_through_the_paying_codec() -> None:
    paying = Paying(finance=FinanceTerms(months=24, apr=D("0.2299"), promo_months=6))
    data = json.loads(json.dumps(paying_data(paying)))
    assert data["finance"]["promo_months"] == 6
    assert paying_from_data(data) == paying
    plain = paying_data(Paying(finance=FinanceTerms(months=24, apr=D("0.2299"))))
    assert "promo_months" not in plain["finance"]  # the JSON of every other plan as it was


def _estimate(*args: str, code: int = 0) -> tuple[str, str]:
    result = CliRunner().invoke(
        cli, ["estimate", "--start", START.isoformat(), "--price", "600", *args]
    )
    assert result.exit_code == code, result.output
    return result.stdout, result.stderr


def test_the_command_line_quotes_the_promotion() -> None:
    out, _ = _estimate("--finance", "12@17.99", "--promo-months", "6", "--format", "json")
    data = json.loads(out)
    financing = data["scenarios"]["typical"]["financing"]
    assert financing["monthly_payment"] == "307.76"
    assert financing["final_payment"] == "307.79"
    assert financing["total_interest"] == "93.15"
    assert data["inputs"]["finance"]["promo_months"] == 6
    note = next(n for n in data["notes"] if n.startswith("Financing"))
    assert "0% for the first 6 months, then 17.99% APR" in note


@pytest.mark.parametrize(
    "args",
    [
        ("--promo-months", "6"),
        ("--finance", "12@17.99", "--promo-months", "12"),
        ("--finance", "12", "--promo-months", "6"),
        ("--finance", "12@26.99", "--deferred-interest", "--promo-months", "6"),
        ("--finance", "12@17.99", "--promo-months", "x"),
    ],
)
def test_a_bad_promotion_is_one_line_naming_the_option(args: tuple[str, ...]) -> None:
    _, err = _estimate(*args, code=2)
    assert "--promo-months" in err
    assert "Traceback" not in err
    assert re.search(r"^Error: ", err, re.M)
