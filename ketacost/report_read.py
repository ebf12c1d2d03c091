"""A report read back from its JSON (:mod:`ketacost.report_json` writes it): a saved
quote loads into the :class:`~ketacost.report.Report` it was made from, so it prints
exactly as it was quoted (docs/json.md)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ketacost.charges import Line
from ketacost.coverage import Claim, Coverage, Share
from ketacost.money import ZERO, D, percent_from_str
from ketacost.months import Month, paid_up_front_by_month
from ketacost.payment import FinanceTerms, Loan
from ketacost.report import (
    Inputs,
    Labels,
    Report,
    ScenarioFigures,
    SheetInfo,
    assemble,
    claim_totals,
)
from ketacost.report_paying import read_hsa, read_paying
from ketacost.schedule import Session
from ketacost.sheet import SCENARIOS, PriceRange, Scenario

Data = dict[str, Any]


def _d_or_none(text: str | None) -> Decimal | None:
    return None if text is None else D(text)


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _coverage(data: Data | None) -> Coverage | None:
    if data is None:
        return None
    month, day = (int(part) for part in data["plan_year_start"].split("-"))
    return Coverage(
        network=data["network"],
        deductible=D(data["deductible"]),
        deductible_met=D(data["deductible_met"]),
        copay=D(data["copay"]),
        coinsurance=percent_from_str(data["coinsurance"]),
        oop_max=_d_or_none(data["oop_max"]),
        oop_met=D(data["oop_met"]),
        allowed=_d_or_none(data["allowed"]),
        plan_year_start=(month, day),
    )


def _terms(data: Data | None) -> FinanceTerms | None:
    if data is None:
        return None
    return FinanceTerms(
        months=data["months"], apr=percent_from_str(data["apr"]), deferred=data["deferred_interest"]
    )


def _inputs(data: Data) -> Inputs:
    price = data["price"]
    return Inputs(
        condition=data["condition"],
        treatment=data["treatment"],
        sessions=data["sessions"],
        weeks=data["weeks"],
        price=None
        if price is None
        else PriceRange(low=D(price["low"]), typical=D(price["typical"]), high=D(price["high"])),
        maintenance=data["maintenance"],
        months=data["months"],
        start=date.fromisoformat(data["start"]),
        ride=D(data["ride"]),
        coverage=_coverage(data["coverage"]),
        without=tuple(data["without"]),
        assumes=tuple(data["assumes"]),
        hsa_rate=None if data["hsa_rate"] is None else percent_from_str(data["hsa_rate"]),
        finance=_terms(data["finance"]),
        until=_day(data["until"]),
        with_=tuple(data.get("with", ())),  # 0.1.0 had no "with": it assumed discounts
        account=data.get("account"),  # 0.2.0's paying options: absent from older quotes
        payroll=data.get("payroll", False),
        agi=_d_or_none(data.get("agi")),
        finance_what=data.get("finance_what"),
        savings=data.get("savings", False),
    )


def _line(data: Data) -> Line:
    return Line(
        data["key"],
        data["label"],
        data["kind"],
        data["quantity"],
        D(data["unit"]),
        D(data["amount"]),
        tuple(data["codes"]),
    )


def _share(data: Data) -> Share:
    session = data["session"]
    claim = Claim(
        date.fromisoformat(data["date"]),
        data["item"],
        D(data["charge"]),
        None if session is None else session - 1,
        data["phase"],
    )
    return Share(
        claim,
        D(data["allowed"]),
        D(data["deductible"]),
        D(data["copay"]),
        D(data["coinsurance"]),
        D(data["balance_bill"]),
        D(data["patient_pays"]),
        D(data["plan_pays"]),
        D(data["paid_up_front"]),
    )


def _loan(data: Data | None, terms: FinanceTerms | None) -> Loan | None:
    if data is None or terms is None:
        return None
    deferred = data["deferred_interest"]
    return Loan(
        principal=D(data["principal"]),
        terms=terms,
        payment=D(data["monthly_payment"]),
        final_payment=D(data["final_payment"]),
        total_interest=D(data["total_interest"]),
        deferred_interest=None if deferred is None else D(deferred["charged_back"]),
    )


def _figures(data: Data, inputs: Inputs) -> ScenarioFigures:
    claims = tuple(_share(c) for c in data["claims"])
    totals = claim_totals(claims)
    out_of_pocket = D(data["out_of_pocket"])
    return ScenarioFigures(
        per_session=D(data["per_session"]),
        booster_price=D(data["booster_price"]),
        sessions=data["sessions"],
        lines=tuple(_line(x) for x in data["lines"]),
        charges=D(data["charges"]),
        insurance_pays=D(data["insurance_pays"]),
        out_of_pocket=out_of_pocket,
        paid_up_front=D(data["paid_up_front"]),
        adjustment=totals.charge - totals.allowed - totals.balance_bill,
        other_lines=tuple(_line(x) for x in data["other_lines"]),
        other_costs=D(data["other_costs"]),
        claims=claims,
        claim_totals=totals,
        hsa=read_hsa(data, out_of_pocket, inputs.hsa_rate),
        loan=_loan(data["financing"], inputs.finance),
        paying=read_paying(data),
    )


def _months(data: list[Data], scenarios: Mapping[Scenario, ScenarioFigures]) -> tuple[Month, ...]:
    """The months as saved. A quote saved by ketacost 0.1.0 has no ``paid_up_front`` per
    month: it is added up from the saved claims, which always carried it (so an
    out-of-network quote shows what was paid up front, not the net, as it would today)."""
    months = []
    running: dict[Scenario, Decimal] = {}
    from_claims: dict[tuple[Scenario, str], Decimal] | None = None
    for item in data:
        out_of_pocket = {name: D(item["out_of_pocket"][name]) for name in SCENARIOS}
        running = {name: running.get(name, D(0)) + out_of_pocket[name] for name in SCENARIOS}
        if "paid_up_front" in item:
            up_front = {name: D(item["paid_up_front"][name]) for name in SCENARIOS}
        else:
            if from_claims is None:
                from_claims = paid_up_front_by_month(
                    {name: scenarios[name].claims for name in SCENARIOS}
                )
            up_front = {name: from_claims.get((name, item["month"]), ZERO) for name in SCENARIOS}
        months.append(
            Month(
                date.fromisoformat(item["month"] + "-01"),
                item["sessions"],
                {name: D(item["charges"][name]) for name in SCENARIOS},
                out_of_pocket,
                dict(running),
                paid_up_front=up_front,
                program_pays=None
                if "savings_program_pays" not in item
                else {name: D(item["savings_program_pays"][name]) for name in SCENARIOS},
            )
        )
    return tuple(months)


def read_report(data: Mapping[str, Any]) -> Report:
    """The report that :func:`ketacost.report_json.to_data` wrote (a fresh one, or one
    from the quote log). Raises KeyError, TypeError or ValueError on data that is not
    such a report."""
    inputs = _inputs(data["inputs"])
    scenarios = {name: _figures(data["scenarios"][name], inputs) for name in SCENARIOS}
    labels = data["labels"]
    sheet = data["sheet"]
    return assemble(
        version=data["ketacost"],
        disclaimer=data["disclaimer"],
        sheet=SheetInfo(
            name=sheet["name"], path=sheet["path"], sha256=sheet["sha256"], source=sheet["source"]
        ),
        inputs=inputs,
        labels=Labels(
            treatment=labels["treatment"],
            maintenance=labels["maintenance"],
            interval=labels["interval"],
        ),
        schedule=tuple(
            Session(s["session"] - 1, date.fromisoformat(s["date"]), s["phase"])
            for s in data["schedule"]
        ),
        scenarios=scenarios,
        months=_months(data["months"], scenarios),
        notes=data["notes"],
    )
