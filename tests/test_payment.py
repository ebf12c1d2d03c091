"""Paying for it (docs/paying.md): HSA/FSA after-tax cost, loans, deferred-interest promotions."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.money import CENTS, D
from ketacost.paying.financing import FinanceTerms, deferred_interest, finance, hsa


def reference_payment(principal: Decimal, months: int, apr_percent: Decimal) -> Decimal:
    """The amortization formula computed exactly with fractions, rounded half up to cents."""
    p = Fraction(principal)
    if apr_percent == 0:
        exact = p / months
    else:
        r = Fraction(apr_percent) / 1200
        exact = p * r / (1 - (1 + r) ** -months)
    return (Decimal(math.floor(exact * 100 + Fraction(1, 2))) * CENTS).quantize(CENTS)


def terms(months: int, apr: str = "0", *, deferred: bool = False) -> FinanceTerms:
    return FinanceTerms(months=months, apr=D(apr) / 100, deferred=deferred)


def test_hsa_saving_is_rate_times_amount_rounded() -> None:
    """24% of $1,920.00 is $460.80 saved: after-tax cost $1,459.20."""
    result = hsa(D("1920.00"), D("0.24"))
    assert (result.saving, result.after_tax_cost) == (D("460.80"), D("1459.20"))


def test_hsa_saving_rounds_half_up() -> None:
    """22% of $100.25 is 22.055, saved as $22.06."""
    assert hsa(D("100.25"), D("0.22")).saving == D("22.06")


def test_finance_12_months_at_zero_on_3600() -> None:
    """--finance 12 on $3,600.00: twelve payments of $300.00, no interest."""
    loan = finance(D("3600.00"), terms(12))
    assert (loan.payment, loan.final_payment) == (D("300.00"), D("300.00"))
    assert (loan.total_interest, loan.total_paid) == (D("0.00"), D("3600.00"))


def test_zero_percent_final_payment_absorbs_the_cents() -> None:
    """$1,000 over 3 months: $333.33, $333.33 and a final $333.34, totalling exactly $1,000."""
    loan = finance(D("1000.00"), terms(3))
    assert (loan.payment, loan.final_payment, loan.total_paid) == (
        D("333.33"),
        D("333.34"),
        D("1000.00"),
    )


def test_known_loan_10000_at_6_percent_over_60_months() -> None:
    """The textbook figure: $10,000 at 6% APR for 60 months is $193.33 a month."""
    loan = finance(D("10000.00"), terms(60, "6"))
    assert loan.payment == D("193.33")
    assert loan.total_paid == loan.payment * 59 + loan.final_payment
    assert loan.total_interest == loan.total_paid - D("10000.00")


def test_24_months_at_1799_matches_the_formula() -> None:
    """--finance 24@17.99 on $3,600.00 matches the exact amortization formula to the cent."""
    loan = finance(D("3600.00"), terms(24, "17.99"))
    assert loan.payment == reference_payment(D("3600.00"), 24, D("17.99"))
    assert loan.payment == D("179.71")


@settings(max_examples=300)
@given(
    principal=st.integers(min_value=1, max_value=100_000_000).map(lambda c: D(c) * CENTS),
    months=st.integers(min_value=1, max_value=120),
    apr=st.integers(min_value=0, max_value=9999).map(lambda b: D(b) / 100),
)
def test_payment_matches_an_independent_computation(
    principal: Decimal, months: int, apr: Decimal
) -> None:
    """For any loan, the regular payment is the exact formula rounded half up (or one cent
    less when that would pay the loan off early), and the totals add up to the cent."""
    loan = finance(principal, terms(months, str(apr)))
    expected = reference_payment(principal, months, apr)
    assert loan.payment in (expected, max(expected - CENTS, D("0.00")))
    assert loan.final_payment > 0
    assert loan.total_paid == loan.payment * (months - 1) + loan.final_payment
    assert loan.total_interest == loan.total_paid - principal
    assert loan.total_interest >= 0


def test_tiny_amounts_never_get_a_negative_final_payment() -> None:
    """$0.11 over 12 months: rounding the payment up would overpay; the last one absorbs it."""
    loan = finance(D("0.11"), terms(12))
    assert loan.final_payment > 0
    assert loan.total_paid == D("0.11")


def test_nothing_to_finance() -> None:
    """A zero balance needs no payments."""
    loan = finance(D("0.00"), terms(12, "17.99"))
    assert (loan.payment, loan.final_payment, loan.total_paid) == (D("0"), D("0"), D("0"))


def test_deferred_interest_promotion_pays_no_interest_on_time() -> None:
    """A deferred-interest plan is paid at 0%: $3,600 over 12 months is $300.00 a month."""
    loan = finance(D("3600.00"), terms(12, "26.99", deferred=True))
    assert (loan.payment, loan.total_interest, loan.total_paid) == (
        D("300.00"),
        D("0.00"),
        D("3600.00"),
    )
    assert loan.deferred_interest == deferred_interest(D("3600.00"), terms(12, "26.99"))


def test_deferred_interest_is_charged_on_the_planned_balances() -> None:
    """If a balance remains, interest at the APR is charged back from the purchase date on
    each month's planned balance ($1,200 over 3 months at 12%: 12.00 + 8.00 + 4.00)."""
    assert deferred_interest(D("1200.00"), terms(3, "12")) == D("24.00")


def test_deferred_interest_rounds_each_month() -> None:
    """Each month's interest is rounded to the cent, then added up."""
    months = 12
    r = D("26.99") / 1200
    balances = [D("3600.00") - D("300.00") * k for k in range(months)]
    expected = sum(((b * r).quantize(CENTS, rounding=ROUND_HALF_UP) for b in balances), D("0.00"))
    assert deferred_interest(D("3600.00"), terms(12, "26.99")) == expected


@pytest.mark.parametrize("months", [0, -1, 121])
def test_terms_refuse_an_impossible_term(months: int) -> None:
    """A loan runs 1 to 120 months."""
    with pytest.raises(ValueError, match="month"):
        FinanceTerms(months=months, apr=D("0"))


def test_readme_figures() -> None:
    """The figures the README quotes: 24@17.99 on $3,600 and a 12-month 26.99% promotion."""
    loan = finance(D("3600.00"), terms(24, "17.99"))
    assert (loan.payment, loan.total_interest, loan.total_paid) == (
        D("179.71"),
        D("713.04"),
        D("4313.04"),
    )
    promotion = finance(D("3600.00"), terms(12, "26.99", deferred=True))
    assert promotion.deferred_interest == D("526.32")
