"""A report as JSON and back: the contract of ``--format json`` (docs/json.md) and what
the quote log stores. Money is a two-decimal string (``"1234.50"``), percentages are
strings of percent (``"20"`` for 20%), dates ISO 8601.

:func:`to_data` and :func:`from_data` are inverses: a saved quote loads back into the
:class:`~ketacost.report.Report` it was made from, and prints exactly as it was quoted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from ketacost.charges import Line
from ketacost.coverage import Claim, Coverage, Share
from ketacost.money import HUNDRED, D, format_percent, money_str
from ketacost.months import Month
from ketacost.payment import FinanceTerms, HsaSaving, Loan
from ketacost.report import (
    Inputs,
    Labels,
    Report,
    ScenarioFigures,
    SheetInfo,
    assemble,
    claim_totals,
)
from ketacost.schedule import Session
from ketacost.sheet import SCENARIOS, PriceRange, Scenario

Data = dict[str, Any]


def percent_str(fraction: Decimal) -> str:
    """``0.1799`` -> ``"17.99"``: a percentage for machines."""
    return format_percent(fraction).rstrip("%")


def _percent(text: str) -> Decimal:
    return D(text) / HUNDRED


def _money_or_none(value: Decimal | None) -> str | None:
    return None if value is None else money_str(value)


def _d_or_none(text: str | None) -> Decimal | None:
    return None if text is None else D(text)


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


# -- to JSON -------------------------------------------------------------------------------


def coverage_data(cov: Coverage | None) -> Data | None:
    if cov is None:
        return None
    month, day = cov.plan_year_start
    return {
        "network": cov.network,
        "deductible": money_str(cov.deductible),
        "deductible_met": money_str(cov.deductible_met),
        "copay": money_str(cov.copay),
        "coinsurance": percent_str(cov.coinsurance),
        "oop_max": _money_or_none(cov.oop_max),
        "oop_met": money_str(cov.starting_oop),
        "allowed": _money_or_none(cov.allowed),
        "plan_year_start": f"{month:02d}-{day:02d}",
    }


def _terms_data(terms: FinanceTerms | None) -> Data | None:
    if terms is None:
        return None
    return {
        "months": terms.months,
        "apr": percent_str(terms.apr),
        "deferred_interest": terms.deferred,
    }


def _loan_data(loan: Loan | None) -> Data | None:
    """A payment plan: ``months - 1`` regular payments, then the final payment."""
    if loan is None:
        return None
    deferred = None
    if loan.deferred_interest is not None:
        deferred = {
            "apr": percent_str(loan.terms.apr),
            "charged_back": money_str(loan.deferred_interest),
        }
    return {
        "principal": money_str(loan.principal),
        "months": loan.terms.months,
        "apr": "0" if loan.terms.deferred else percent_str(loan.terms.apr),
        "monthly_payment": money_str(loan.payment),
        "final_payment": money_str(loan.final_payment),
        "total_interest": money_str(loan.total_interest),
        "total_paid": money_str(loan.total_paid),
        "deferred_interest": deferred,
    }


def inputs_data(inputs: Inputs) -> Data:
    price = inputs.price
    return {
        "condition": inputs.condition,
        "treatment": inputs.treatment,
        "sessions": inputs.sessions,
        "weeks": inputs.weeks,
        "price": None
        if price is None
        else {
            "low": money_str(price.low),
            "typical": money_str(price.typical),
            "high": money_str(price.high),
        },
        "maintenance": inputs.maintenance,
        "months": inputs.months,
        "start": inputs.start.isoformat(),
        "ride": money_str(inputs.ride),
        "coverage": coverage_data(inputs.coverage),
        "without": list(inputs.without),
        "assumes": list(inputs.assumes),
        "hsa_rate": None if inputs.hsa_rate is None else percent_str(inputs.hsa_rate),
        "finance": _terms_data(inputs.finance),
        "until": _iso(inputs.until),
    }


def _line_data(line: Line) -> Data:
    return {
        "key": line.key,
        "label": line.label,
        "kind": line.kind,
        "quantity": line.quantity,
        "unit": money_str(line.unit),
        "amount": money_str(line.amount),
        "codes": list(line.codes),
    }


def _share_data(share: Share) -> Data:
    claim = share.claim
    return {
        "date": claim.date.isoformat(),
        "item": claim.label,
        "session": None if claim.session is None else claim.session + 1,
        "phase": claim.phase,
        "charge": money_str(claim.charge),
        "allowed": money_str(share.allowed),
        "deductible": money_str(share.deductible),
        "copay": money_str(share.copay),
        "coinsurance": money_str(share.coinsurance),
        "balance_bill": money_str(share.balance_bill),
        "patient_pays": money_str(share.patient),
        "plan_pays": money_str(share.plan),
        "paid_up_front": money_str(share.paid_up_front),
    }


def _scenario_data(s: ScenarioFigures) -> Data:
    return {
        "per_session": money_str(s.per_session),
        "booster_price": money_str(s.booster_price),
        "sessions": s.sessions,
        "lines": [_line_data(line) for line in s.lines],
        "charges": money_str(s.charges),
        "insurance_pays": money_str(s.insurance_pays),
        "out_of_pocket": money_str(s.out_of_pocket),
        "paid_up_front": money_str(s.paid_up_front),
        "other_costs": money_str(s.other_costs),
        "other_lines": [_line_data(line) for line in s.other_lines],
        "claims": [_share_data(share) for share in s.claims],
        "hsa_saving": None if s.hsa is None else money_str(s.hsa.saving),
        "after_tax_cost": None if s.hsa is None else money_str(s.hsa.after_tax_cost),
        "financing": _loan_data(s.loan),
    }


def month_data(month: Month) -> Data:
    """One calendar month: ``{"month": "2026-11", "sessions": 3, "charges": {...}, ...}``."""
    return {
        "month": month.key,
        "sessions": month.sessions,
        "charges": {name: money_str(v) for name, v in month.charges.items()},
        "out_of_pocket": {name: money_str(v) for name, v in month.out_of_pocket.items()},
    }


def sheet_data(sheet: SheetInfo) -> Data:
    return {"name": sheet.name, "path": sheet.path, "sha256": sheet.sha256, "source": sheet.source}


def to_data(report: Report) -> Data:
    """The whole report as JSON-ready data."""
    labels = report.labels
    return {
        "ketacost": report.version,
        "disclaimer": report.disclaimer,
        "sheet": sheet_data(report.sheet),
        "inputs": inputs_data(report.inputs),
        "labels": {
            "treatment": labels.treatment,
            "maintenance": labels.maintenance,
            "interval": labels.interval,
        },
        "schedule": [
            {"session": s.number + 1, "date": s.date.isoformat(), "phase": s.phase}
            for s in report.schedule
        ],
        "scenarios": {name: _scenario_data(report.scenarios[name]) for name in SCENARIOS},
        "months": [month_data(month) for month in report.months],
        "notes": list(report.notes),
    }


def dumps(data: Any) -> str:
    """JSON text: indented, UTF-8 as is, one trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- from JSON -----------------------------------------------------------------------------


def _coverage(data: Data | None) -> Coverage | None:
    if data is None:
        return None
    month, day = (int(part) for part in data["plan_year_start"].split("-"))
    return Coverage(
        network=data["network"],
        deductible=D(data["deductible"]),
        deductible_met=D(data["deductible_met"]),
        copay=D(data["copay"]),
        coinsurance=_percent(data["coinsurance"]),
        oop_max=_d_or_none(data["oop_max"]),
        oop_met=D(data["oop_met"]),
        allowed=_d_or_none(data["allowed"]),
        plan_year_start=(month, day),
    )


def _terms(data: Data | None) -> FinanceTerms | None:
    if data is None:
        return None
    return FinanceTerms(data["months"], _percent(data["apr"]), data["deferred_interest"])


def _inputs(data: Data) -> Inputs:
    price = data["price"]
    return Inputs(
        condition=data["condition"],
        treatment=data["treatment"],
        sessions=data["sessions"],
        weeks=data["weeks"],
        price=None
        if price is None
        else PriceRange(D(price["low"]), D(price["typical"]), D(price["high"])),
        maintenance=data["maintenance"],
        months=data["months"],
        start=date.fromisoformat(data["start"]),
        ride=D(data["ride"]),
        coverage=_coverage(data["coverage"]),
        without=tuple(data["without"]),
        assumes=tuple(data["assumes"]),
        hsa_rate=None if data["hsa_rate"] is None else _percent(data["hsa_rate"]),
        finance=_terms(data["finance"]),
        until=_day(data["until"]),
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
        D(data["principal"]),
        terms,
        D(data["monthly_payment"]),
        D(data["final_payment"]),
        D(data["total_interest"]),
        None if deferred is None else D(deferred["charged_back"]),
    )


def _figures(data: Data, inputs: Inputs) -> ScenarioFigures:
    claims = tuple(_share(c) for c in data["claims"])
    totals = claim_totals(claims)
    out_of_pocket = D(data["out_of_pocket"])
    hsa = None
    if data["hsa_saving"] is not None and inputs.hsa_rate is not None:
        hsa = HsaSaving(out_of_pocket, inputs.hsa_rate, D(data["hsa_saving"]))
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
        hsa=hsa,
        loan=_loan(data["financing"], inputs.finance),
    )


def _months(data: list[Data]) -> tuple[Month, ...]:
    months = []
    running: dict[Scenario, Decimal] = {}
    for item in data:
        out_of_pocket = {name: D(item["out_of_pocket"][name]) for name in SCENARIOS}
        running = {name: running.get(name, D(0)) + out_of_pocket[name] for name in SCENARIOS}
        months.append(
            Month(
                date.fromisoformat(item["month"] + "-01"),
                item["sessions"],
                {name: D(item["charges"][name]) for name in SCENARIOS},
                out_of_pocket,
                dict(running),
            )
        )
    return tuple(months)


def from_data(data: Mapping[str, Any]) -> Report:
    """The report that :func:`to_data` wrote (a fresh one, or one from the quote log).
    Raises KeyError, TypeError or ValueError on data that is not such a report."""
    inputs = _inputs(data["inputs"])
    labels = data["labels"]
    sheet = data["sheet"]
    return assemble(
        version=data["ketacost"],
        disclaimer=data["disclaimer"],
        sheet=SheetInfo(sheet["name"], sheet["path"], sheet["sha256"], sheet["source"]),
        inputs=inputs,
        labels=Labels(labels["treatment"], labels["maintenance"], labels["interval"]),
        schedule=tuple(
            Session(s["session"] - 1, date.fromisoformat(s["date"]), s["phase"])
            for s in data["schedule"]
        ),
        scenarios={name: _figures(data["scenarios"][name], inputs) for name in SCENARIOS},
        months=_months(data["months"]),
        notes=data["notes"],
    )
