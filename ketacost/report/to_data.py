"""A report as JSON and back: the JSON contract (docs/json.md) and what
the quote log stores. Money is a two-decimal string (``"1234.50"``), percentages are
strings of percent (``"20"`` for 20%), dates ISO 8601.

:func:`to_data` and :func:`from_data` are inverses: a saved quote loads back into the
:class:`~ketacost.report.model.Report` it was made from, and prints exactly as it was quoted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from ketacost.charges import Line
from ketacost.coverage.shares import Share
from ketacost.estimate import ScenarioFigures
from ketacost.money import money_str, percent_str
from ketacost.months import Month
from ketacost.paying.financing import Loan
from ketacost.report.from_data import read_report
from ketacost.report.model import Report, SheetInfo
from ketacost.report.paying import scenario_paying_data
from ketacost.request_data import inputs_data
from ketacost.schedule.sessions import Session
from ketacost.sheet.model import SCENARIOS

Data = dict[str, Any]


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


def report_inputs_data(report: Report) -> Data:
    """The report's ``inputs``: its request as the request's codec writes them."""
    return inputs_data(
        report.request,
        treatment=report.treatment,
        assumes=report.assumes,
        phased_saved=report.phased_saved,
    )


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


def _claims_data(s: ScenarioFigures) -> list[Data]:
    """The claims; with a savings program, each says what the program pays of it."""
    claims = [_share_data(share) for share in s.claims]
    savings = s.savings
    if savings is not None:
        for claim, pays in zip(claims, savings.per_share, strict=True):
            claim["savings_program_pays"] = money_str(pays)
    return claims


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
        "claims": _claims_data(s),
        "hsa_saving": None if s.hsa is None else money_str(s.hsa.saving),
        "after_tax_cost": None if s.hsa is None else money_str(s.hsa.after_tax_cost),
        "financing": _loan_data(s.loan),
        **scenario_paying_data(s),
    }


def month_data(month: Month) -> Data:
    """One calendar month: ``{"month": "2026-11", "sessions": 3, "charges": {...},
    "out_of_pocket": {...}, "paid_up_front": {...}}``, each figure per scenario, and
    ``savings_program_pays`` when a savings program is counted."""
    data: Data = {
        "month": month.key,
        "sessions": month.sessions,
        "charges": {name: money_str(v) for name, v in month.charges.items()},
        "out_of_pocket": {name: money_str(v) for name, v in month.out_of_pocket.items()},
        "paid_up_front": {name: money_str(v) for name, v in month.paid_up_front.items()},
    }
    if month.program_pays is not None:
        data["savings_program_pays"] = {
            name: money_str(v) for name, v in month.program_pays.items()
        }
    return data


def _session_data(session: Session) -> Data:
    """One session; a session moved off its planned day also says that day and why."""
    data: Data = {
        "session": session.number + 1,
        "date": session.date.isoformat(),
        "phase": session.phase,
    }
    if session.moved_from is not None:
        data["moved_from"] = session.moved_from.isoformat()
        data["moved_because"] = session.moved_because
    return data


def sheet_data(sheet: SheetInfo) -> Data:
    return {"name": sheet.name, "path": sheet.path, "sha256": sheet.sha256, "source": sheet.source}


def to_data(report: Report) -> Data:
    """The whole report as JSON-ready data."""
    labels = report.labels
    return {
        "ketacost": report.version,
        "disclaimer": report.disclaimer,
        "sheet": sheet_data(report.sheet),
        "inputs": report_inputs_data(report),
        "labels": {
            "treatment": labels.treatment,
            "maintenance": labels.maintenance,
            "interval": labels.interval,
        },
        "schedule": [_session_data(s) for s in report.schedule],
        "scenarios": {name: _scenario_data(report.scenarios[name]) for name in SCENARIOS},
        "months": [month_data(month) for month in report.months],
        **_refund_months_data(report),
        "notes": list(report.notes),
    }


def _refund_months_data(report: Report) -> Data:
    """Out of network, ``refund_months``: per ``YYYY-MM``, what is paid at the visits,
    the refunds landing and the balance carried, each per scenario (docs/json.md);
    nothing otherwise, so other estimates keep their shape."""
    months = report.refund_months
    if not months:
        return {}
    return {
        "refund_months": [
            {
                "month": month.key,
                "paid": {name: money_str(month.paid[name]) for name in SCENARIOS},
                "refunds": {name: money_str(month.refunds[name]) for name in SCENARIOS},
                "carried": {name: money_str(month.carried[name]) for name in SCENARIOS},
            }
            for month in months
        ]
    }


def dumps(data: Any) -> str:
    """JSON text: indented, UTF-8 as is, one trailing newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def from_data(data: Mapping[str, Any]) -> Report:
    """The report that :func:`to_data` wrote (a fresh one, or one from the quote log).
    Raises KeyError, TypeError or ValueError on data that is not such a report."""
    return read_report(data)
