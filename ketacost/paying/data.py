"""How a request is paid, as plain data and back: the paying keys of a report's
``inputs`` (docs/json.md), which the quote log keeps and a web form sends.

:func:`paying_data` and :func:`paying_from_data` are inverses; the reader also takes a
form's text for every value (:mod:`ketacost.plain`) and refuses a bad one with an
EstimateError naming its key. Whether the values fit together (an account needs a tax
rate) is the request's check (:func:`ketacost.request.check_paying`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast, get_args

from ketacost import plain
from ketacost.money import money_str, percent_str
from ketacost.paying.financing import FinanceTerms
from ketacost.paying.how_paid import FinanceWhat, Paying
from ketacost.paying.tax import Account
from ketacost.request import EstimateError

Data = dict[str, Any]

PAYING_KEYS = ("hsa_rate", "finance", "account", "payroll", "agi", "finance_what", "savings")
TERMS_KEYS = ("months", "apr", "deferred_interest", "promo_months")
ACCOUNTS: tuple[str, ...] = get_args(Account)
FINANCE_WHAT: tuple[str, ...] = get_args(FinanceWhat)


def terms_data(terms: FinanceTerms | None) -> Data | None:
    """A payment plan: ``{"months": 12, "apr": "17.99", "deferred_interest": false}``,
    and ``promo_months`` for a 0% promotion (left out when there is none)."""
    if terms is None:
        return None
    data: Data = {
        "months": terms.months,
        "apr": percent_str(terms.apr),
        "deferred_interest": terms.deferred,
    }
    if terms.promo_months:
        data["promo_months"] = terms.promo_months
    return data


def terms_from_data(data: plain.Plain | None) -> FinanceTerms | None:
    """The payment plan :func:`terms_data` wrote (or a form's ``months``, ``apr`` and
    ``deferred_interest``); an APR left out is 0%."""
    if data is None:
        return None
    plain.only(data, TERMS_KEYS, "finance")
    if not plain.given(data, "months"):
        return None
    months = plain.count(data, "months")
    assert months is not None  # given
    apr = plain.percent(data, "apr")
    try:
        return FinanceTerms(
            months=months,
            apr=apr if apr is not None else Decimal(0),
            deferred=plain.flag(data, "deferred_interest"),
            promo_months=plain.count(data, "promo_months") or 0,
        )
    except ValueError as error:
        raise EstimateError(str(error), "finance") from None


def paying_data(paying: Paying) -> Data:
    """The paying keys of a request's plain data, in the order the JSON has always had."""
    return {
        "hsa_rate": None if paying.hsa_rate is None else percent_str(paying.hsa_rate),
        "finance": terms_data(paying.finance),
        "account": paying.account,
        "payroll": paying.payroll,
        "agi": None if paying.agi is None else money_str(paying.agi),
        "finance_what": paying.finance_what,
        "savings": paying.savings,
    }


def paying_from_data(data: plain.Plain) -> Paying:
    """How the request pays, from plain data: :func:`paying_data`'s keys (absent ones
    from a quote saved before they existed ask for nothing)."""
    return Paying(
        hsa_rate=plain.percent(data, "hsa_rate"),
        account=cast("Account | None", plain.choice(data, "account", ACCOUNTS)),
        payroll=plain.flag(data, "payroll"),
        agi=plain.money(data, "agi"),
        finance=terms_from_data(plain.nested(data, "finance")),
        finance_what=cast("FinanceWhat | None", plain.choice(data, "finance_what", FINANCE_WHAT)),
        savings=plain.flag(data, "savings"),
    )
