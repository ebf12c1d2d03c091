"""The wizard's answers read as a person writes them (ketacost/answers.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketacost.answers import (
    NUMBER_WORDS,
    AnswerError,
    optional,
    parse_amount,
    parse_name,
    parse_network,
    parse_number,
    parse_payment_plan,
    parse_plan,
    parse_start,
    parse_yes_no,
)
from ketacost.schedule.sessions import Maintenance, parse_maintenance

WORDS = {number: word for word, number in NUMBER_WORDS.items() if word != "once"}


@given(st.integers(min_value=1, max_value=20), st.sampled_from(["", " sessions", "  "]))
def test_numbers_in_digits_or_words(number: int, tail: str) -> None:
    assert parse_number(f"{number}{tail}", 1, 100, "sessions", 6) == number
    assert parse_number(f" {WORDS[number].upper()}{tail}", 1, 100, "sessions", 6) == number


@given(st.text(max_size=20))
def test_any_text_is_a_number_or_a_plain_sentence(text: str) -> None:
    """Hostile input: a number in range, or the one plain sentence; never anything else."""
    try:
        number = parse_number(text, 1, 100, "sessions", 6)
    except AnswerError as error:
        message = str(error)
    else:
        message = "" if 1 <= number <= 100 else "out of range"
    assert message in ("", "Please answer with a number of sessions from 1 to 100, like 6.")


@given(st.integers(min_value=1, max_value=52))
def test_every_n_weeks_said_many_ways(weeks: int) -> None:
    expected = parse_maintenance(f"{weeks}w")
    for said in (f"every {weeks} weeks", f"once every {weeks} weeks", f"Every {weeks} weeks."):
        assert parse_plan(said, {}) == expected
    if weeks in WORDS:
        assert parse_plan(f"every {WORDS[weeks]} weeks", {}) == expected


@pytest.mark.parametrize(
    "said", ["once a month", "every month", "monthly", "a month", "per month", "Once a month."]
)
def test_monthly_said_many_ways(said: str) -> None:
    assert parse_plan(said, {}) == Maintenance(unit="months", every=1)


@pytest.mark.parametrize("said", ["none", "no", "no boosters", "nothing", "None"])
def test_no_boosters(said: str) -> None:
    assert parse_plan(said, {}).unit == "none"


def test_a_sheets_plan_by_name_and_a_plain_refusal() -> None:
    plans = {"membership": Maintenance(unit="months", every=1, plan="membership")}
    assert parse_plan("Membership", plans).plan == "membership"
    with pytest.raises(AnswerError, match="or one of this clinic's plans: membership"):
        parse_plan("every 3 days", plans)


@given(st.text(max_size=30))
def test_any_plan_text_reads_or_is_refused_plainly(text: str) -> None:
    try:
        parse_plan(text, {})
    except AnswerError as error:
        message = str(error)
    else:
        message = 'Please answer none, monthly or "every 4 weeks"'
    assert message.startswith('Please answer none, monthly or "every 4 weeks"')


def test_dates_yes_no_network_money_plans_and_names() -> None:
    today = date(2026, 11, 23)
    assert parse_start("today", today) == today
    assert parse_start("Tomorrow", today) == today + timedelta(days=1)
    assert parse_start("2027-01-04", today) == date(2027, 1, 4)
    with pytest.raises(AnswerError, match="like 2027-01-04"):
        parse_start("next week", today)
    assert parse_yes_no("Yes") and not parse_yes_no("n")
    with pytest.raises(AnswerError, match="yes or no"):
        parse_yes_no("maybe")
    assert parse_network("out of network") == "out" == parse_network("Out-of-network")
    assert parse_network("in network") == "in"
    assert str(parse_amount("$1,500")) == "1500.00"
    with pytest.raises(AnswerError, match="amount in dollars"):
        parse_amount("lots")
    assert optional(parse_amount)("none") is None
    terms = parse_payment_plan("24 months at 17.99%")
    assert (terms.months, str(terms.apr)) == (24, "0.1799")
    assert parse_name("  ") is None
    assert parse_name(" Ann   Lee ") == "Ann Lee"
    with pytest.raises(AnswerError) as caught:
        parse_name("Ann\x07Lee")
    assert "Ann" not in str(caught.value)
