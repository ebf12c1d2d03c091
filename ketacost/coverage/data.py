"""A patient's plan as plain data and back (a report's ``inputs.coverage``, docs/json.md).

:func:`coverage_data` and :func:`coverage_from_data` are inverses, with the
out-of-pocket amount met filled in as the figures use it (a report stores it so). The
reader also takes a web form's text and a plan given in part (the fields left out take
the defaults the options have), through the same builder as the command line
(:func:`ketacost.coverage.build.build_coverage`), so the same values are refused with
the same field-named errors.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from ketacost import plain
from ketacost.coverage.build import build_coverage
from ketacost.coverage.fields import MAX_MEDICARE_PERCENT
from ketacost.coverage.file import CODE_KEYS, KEYS
from ketacost.coverage.shares import OON_TERMS, Coverage, CoverageError, Network
from ketacost.money import D, money_str, percent_str

Data = dict[str, Any]


def coverage_data(cov: Coverage | None) -> Data | None:
    """The plan as plain data; None for self-pay."""
    if cov is None:
        return None
    month, day = cov.plan_year_start
    return {
        "network": cov.network,
        "deductible": money_str(cov.deductible),
        "deductible_met": money_str(cov.deductible_met),
        "copay": money_str(cov.copay),
        "coinsurance": percent_str(cov.coinsurance),
        "oop_max": None if cov.oop_max is None else money_str(cov.oop_max),
        "oop_met": money_str(cov.starting_oop),
        "allowed": None if cov.allowed is None else money_str(cov.allowed),
        "plan_year_start": f"{month:02d}-{day:02d}",
        **_out_of_network_data(cov),
    }


def _out_of_network_data(cov: Coverage) -> Data:
    """The out-of-network figures a plan gives (docs/refunds.md), only those given, so a
    plan without them is saved as before ketacost 0.3."""
    found: Data = {}
    for key in OON_TERMS:
        value = getattr(cov, f"oon_{key}")
        if value is not None:
            found[f"oon_{key}"] = percent_str(value) if key == "coinsurance" else money_str(value)
    for key in CODE_KEYS:
        if getattr(cov, key):
            found[key] = {code: money_str(amount) for code, amount in getattr(cov, key)}
    if cov.medicare_percent is not None:
        found["medicare_percent"] = percent_str(cov.medicare_percent)
    for key in ("claim_days", "filing_limit"):
        if getattr(cov, key) is not None:
            found[key] = getattr(cov, key)
    return found


def _out_of_network(data: plain.Plain) -> dict[str, Any]:
    """The out-of-network terms and amounts per code :func:`_out_of_network_data` wrote."""
    found: dict[str, Any] = {}
    for key in OON_TERMS:
        name = f"oon_{key}"
        value = plain.percent(data, name) if key == "coinsurance" else plain.money(data, name)
        if value is not None:
            found[name] = value
    medicare = plain.percent_of(data, "medicare_percent", MAX_MEDICARE_PERCENT * 100)
    if medicare is not None:  # with the fees it needs, below
        found["medicare_percent"] = medicare
    for key in CODE_KEYS:
        table = data.get(key)
        if table:
            if not isinstance(table, dict):
                raise plain.PlainError("must be a table of service codes and amounts", key)
            try:
                found[key] = tuple((str(code), D(amount)) for code, amount in table.items())
            except (TypeError, ValueError, ArithmeticError):
                raise plain.PlainError("must give an amount for each code", key) from None
    return found


def coverage_from_data(data: plain.Plain | None, *, typed: bool = False) -> Coverage | None:
    """The plan :func:`coverage_data` wrote, or one a form gives (at least the
    deductible and coinsurance); None (self-pay) when no field is given. ``typed``: the
    values are what a person typed (a form's fields, a batch row's cells), held to the
    rules the command line's options are; else the plan is read as ketacost saved it."""
    if data is None:
        return None
    plain.only(data, KEYS, "coverage")
    coverage = build_coverage(
        saved=not typed,
        network=cast(Network | None, plain.choice(data, "network", ("in", "out"))),
        deductible=plain.money(data, "deductible"),
        deductible_met=plain.money(data, "deductible_met"),
        copay=plain.money(data, "copay"),
        coinsurance=plain.percent(data, "coinsurance"),
        oop_max=plain.money(data, "oop_max"),
        oop_met=plain.money(data, "oop_met"),
        allowed=plain.money(data, "allowed"),
        plan_year_start=plain.month_day(data, "plan_year_start"),
        claim_days=plain.count(data, "claim_days"),
        filing_limit=plain.count(data, "filing_limit"),
    )
    oon = _out_of_network(data)
    if coverage is None or not oon:
        return coverage
    try:
        return replace(coverage, **oon)
    except CoverageError as error:
        raise plain.PlainError(str(error), error.field) from None
