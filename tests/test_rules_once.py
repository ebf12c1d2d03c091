"""Each rule once (issue 20): who a Good Faith Estimate is for, what a payment plan may be,
and which option gives a field are each decided in one place that every face calls."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

import ketacost.cli
from ketacost.answers import AnswerError, parse_payment_plan
from ketacost.coverage.shares import Coverage
from ketacost.gfe.timing import is_request, is_self_pay
from ketacost.parse import ParseError, parse_finance
from ketacost.paying.financing import MAX_MONTHS, FinanceTerms
from ketacost.request import EstimateError, deferred


def test_self_pay_is_no_health_plan_as_a_record_or_as_saved() -> None:
    plan = Coverage(deductible=Decimal(0), coinsurance=Decimal("0.2"))
    assert is_self_pay(None)
    assert not is_self_pay(plan)
    assert not is_self_pay({"network": "in"})  # a saved quote's coverage
    assert is_request("Ann Lee", None, None)
    assert not is_request("Ann Lee", plan, None)
    assert not is_request("Ann Lee", {"network": "in"}, None)
    assert is_request("Ann Lee", plan, True)  # the desk's word wins


def test_a_deferred_interest_plan_needs_its_apr_in_the_terms_themselves() -> None:
    """The payment plan's record refuses a promotion with nothing to charge back, so no
    face can make one: the request's ``deferred`` reports it naming its field."""
    with pytest.raises(ValueError, match="needs the APR charged back"):
        FinanceTerms(months=12, apr=Decimal(0), deferred=True)
    with pytest.raises(EstimateError) as caught:
        deferred(FinanceTerms(months=12, apr=Decimal(0)))
    assert caught.value.field == "deferred_interest"
    with pytest.raises(EstimateError):
        deferred(None)
    made = deferred(FinanceTerms(months=12, apr=Decimal("0.2699")))
    assert made.deferred and made.apr == Decimal("0.2699")


@pytest.mark.parametrize("months", [0, MAX_MONTHS + 1])
def test_every_face_takes_the_terms_limits(months: int) -> None:
    """The option's parser and the wizard's answer both refuse a plan the terms refuse,
    and the wizard's help names the terms' own limit."""
    with pytest.raises(ValueError, match=f"1 to {MAX_MONTHS} months"):
        FinanceTerms(months=months, apr=Decimal(0))
    with pytest.raises(ParseError, match=f"1 to {MAX_MONTHS} months"):
        parse_finance(str(months))
    with pytest.raises(AnswerError, match=f"1 to {MAX_MONTHS} months"):
        parse_payment_plan(str(months))
    assert parse_finance(str(MAX_MONTHS)).months == MAX_MONTHS


def test_no_command_spells_an_option_from_a_field_by_hand() -> None:
    """An error's option is found by the CLI's one mapper (``flag_of`` / ``usage_error``,
    which read the running command's own options), never by writing ``'--FIELD'`` from
    a field's name: a field whose option is spelled otherwise would be misnamed."""
    cli = Path(ketacost.cli.__file__).parent
    by_hand = [
        f"{path.name}:{number}"
        for path in sorted(cli.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""f["']'--\{""", line)
    ]
    assert by_hand == []
