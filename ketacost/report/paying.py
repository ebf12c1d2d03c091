"""The paying figures of one scenario in a report, and their JSON both ways (docs/json.md):
the HSA/FSA saving by calendar year, a savings program, the medical-expense deduction and
what a payment plan of the induction alone leaves to pay.

A quote saved before these existed has none of their keys, and loads with none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ketacost.estimate import ScenarioFigures
from ketacost.money import D, Money, money_str, percent_from_str, percent_str
from ketacost.paying.financing import HsaSaving
from ketacost.paying.how_paid import Later
from ketacost.paying.savings import ProgramYear, SavingsResult
from ketacost.paying.tax import DeductionYear, MedicalDeduction, YearSaving
from ketacost.sheet.model import SavingsProgram

Data = dict[str, Any]


def hsa_data(hsa: HsaSaving | None) -> Data | None:
    if hsa is None:
        return None
    return {
        "account": hsa.account,
        "tax_rate": percent_str(hsa.rate),
        "payroll": hsa.payroll,
        "spent": money_str(hsa.amount),
        "from_account": money_str(hsa.from_account),
        "saving": money_str(hsa.saving),
        "by_year": [
            {
                "year": y.year,
                "spent": money_str(y.spent),
                "limit": money_str(y.limit),
                "limit_year": y.limit_year,
                "from_account": money_str(y.from_account),
                "saving": money_str(y.saving),
            }
            for y in hsa.years
        ],
    }


def scenario_paying_data(figures: ScenarioFigures) -> Data:
    """The keys a scenario's JSON gains: ``hsa``, ``savings_program`` (with
    ``after_program``), ``medical_deduction`` and ``financing_left``."""
    savings, deduction, later = figures.savings, figures.deduction, figures.later
    return {
        "hsa": hsa_data(figures.hsa),
        "savings_program": None
        if savings is None
        else {
            "key": savings.program.key,
            "label": savings.program.label,
            "treatment": savings.program.treatment,
            "patient_pays": money_str(savings.program.patient_pays),
            "yearly_cap": money_str(savings.program.yearly_cap),
            "as_of": savings.program.as_of,
            "source": savings.program.source,
            "note": savings.program.note,
            "medication": None
            if savings.program.medication is None
            else money_str(savings.program.medication),
            "pays": money_str(savings.pays),
            "after_program": money_str(figures.after_program),
            "by_year": [
                {"year": y.year, "pays": money_str(y.pays), "cap_reached": y.cap_reached}
                for y in savings.years
            ],
        },
        "medical_deduction": None
        if deduction is None
        else {
            "agi": money_str(deduction.agi),
            "threshold": money_str(deduction.threshold),
            "deductible": money_str(deduction.deductible),
            "by_year": [
                {
                    "year": y.year,
                    "expenses": money_str(y.expenses),
                    "deductible": money_str(y.deductible),
                }
                for y in deduction.years
            ],
        },
        "financing_left": None
        if later is None
        else {
            "amount": money_str(later.amount),
            "boosters": later.sessions,
            "per_booster": money_str(later.per_session),
        },
    }


def read_hsa(
    data: Mapping[str, Any], out_of_pocket: Money, rate: Decimal | None
) -> HsaSaving | None:
    """The HSA saving of a scenario's JSON: the ``hsa`` record, or (a quote saved before
    it) the bare saving on the out-of-pocket cost."""
    record = data.get("hsa")
    if record is not None:
        return HsaSaving(
            amount=D(record["spent"]),
            rate=percent_from_str(record["tax_rate"]),
            saving=D(record["saving"]),
            account=record["account"],
            payroll=record["payroll"],
            years=tuple(
                YearSaving(
                    year=y["year"],
                    spent=D(y["spent"]),
                    limit=D(y["limit"]),
                    limit_year=y["limit_year"],
                    from_account=D(y["from_account"]),
                    saving=D(y["saving"]),
                )
                for y in record["by_year"]
            ),
        )
    if data.get("hsa_saving") is not None and rate is not None:
        return HsaSaving(amount=out_of_pocket, rate=rate, saving=D(data["hsa_saving"]))
    return None


def read_savings(data: Mapping[str, Any]) -> SavingsResult | None:
    """The savings program of a scenario's JSON (none in a quote saved before it)."""
    program = data.get("savings_program")
    if program is None:
        return None
    terms = SavingsProgram(
        key=program["key"],
        label=program["label"],
        treatment=program["treatment"],
        patient_pays=D(program["patient_pays"]),
        yearly_cap=D(program["yearly_cap"]),
        source=program["source"],
        as_of=program["as_of"],
        note=program["note"],
        medication=None if program.get("medication") is None else D(program["medication"]),
    )
    years = tuple(
        ProgramYear(year=y["year"], pays=D(y["pays"]), cap_reached=y["cap_reached"])
        for y in program["by_year"]
    )
    per_share = tuple(  # absent from quotes saved by 0.2.0
        D(claim["savings_program_pays"])
        for claim in data.get("claims", ())
        if "savings_program_pays" in claim
    )
    return SavingsResult(program=terms, per_share=per_share, years=years)


def read_later(data: Mapping[str, Any]) -> Later | None:
    """What financing the induction alone leaves to pay (none in a quote saved before it)."""
    left = data.get("financing_left")
    return None if left is None else Later(amount=D(left["amount"]), sessions=left["boosters"])


def read_deduction(data: Mapping[str, Any]) -> MedicalDeduction | None:
    """The medical-expense deduction (none in a quote saved before it)."""
    deduction = data.get("medical_deduction")
    if deduction is None:
        return None
    return MedicalDeduction(
        agi=D(deduction["agi"]),
        threshold=D(deduction["threshold"]),
        years=tuple(
            DeductionYear(year=y["year"], expenses=D(y["expenses"]), deductible=D(y["deductible"]))
            for y in deduction["by_year"]
        ),
    )
