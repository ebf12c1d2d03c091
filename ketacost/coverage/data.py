"""A patient's plan as plain data and back (a report's ``inputs.coverage``, docs/json.md),
and as the coverage file that :mod:`ketacost.coverage.file` reads (docs/coverage.md).

:func:`coverage_data` and :func:`coverage_from_data` are inverses, with the
out-of-pocket amount met filled in as the figures use it (a report stores it so). The
reader also takes a web form's text and a plan given in part (the fields left out take
the defaults the options have), through the same builder as the command line
(:func:`ketacost.request.build_coverage`), so the same values are refused with the same
field-named errors. :func:`coverage_toml` writes a coverage file that reads back to the
same plan.
"""

from __future__ import annotations

from typing import Any, cast

from ketacost import plain
from ketacost.coverage.file import KEYS
from ketacost.coverage.shares import Coverage, Network
from ketacost.money import money_str, percent_str
from ketacost.request import build_coverage

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
    }


def coverage_from_data(data: plain.Plain | None) -> Coverage | None:
    """The plan :func:`coverage_data` wrote, or one a form gives (at least the
    deductible and coinsurance); None (self-pay) when no field is given."""
    if data is None:
        return None
    plain.only(data, KEYS, "coverage")
    return build_coverage(
        network=cast(Network | None, plain.choice(data, "network", ("in", "out"))),
        deductible=plain.money(data, "deductible"),
        deductible_met=plain.money(data, "deductible_met"),
        copay=plain.money(data, "copay"),
        coinsurance=plain.percent(data, "coinsurance"),
        oop_max=plain.money(data, "oop_max"),
        oop_met=plain.money(data, "oop_met"),
        allowed=plain.money(data, "allowed"),
        plan_year_start=plain.month_day(data, "plan_year_start"),
    )


def coverage_toml(cov: Coverage) -> str:
    """The plan as a coverage file (TOML): amounts as numbers, the coinsurance as text in
    percent (``"0.5%"`` stays half a percent), a value left at its default left out."""
    month, day = cov.plan_year_start
    values: list[tuple[str, str | None]] = [
        ("network", f'"{cov.network}"'),
        ("deductible", money_str(cov.deductible)),
        ("deductible_met", money_str(cov.deductible_met)),
        ("copay", money_str(cov.copay)),
        ("coinsurance", f'"{percent_str(cov.coinsurance)}%"'),
        ("oop_max", None if cov.oop_max is None else money_str(cov.oop_max)),
        ("oop_met", None if cov.oop_met is None else money_str(cov.oop_met)),
        ("allowed", None if cov.allowed is None else money_str(cov.allowed)),
        ("plan_year_start", f'"{month:02d}-{day:02d}"'),
    ]
    return "".join(f"{key} = {value}\n" for key, value in values if value is not None)
