"""An estimate as plain data (dicts, lists, strings): the JSON contract of SPEC 7.

Money is a two-decimal string everywhere. The same dict is what the quote log stores.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ketacost import DISCLAIMER, __version__
from ketacost.charges import Line
from ketacost.coverage import Coverage, Share
from ketacost.estimate import Estimate, ScenarioResult
from ketacost.money import format_percent, money_str
from ketacost.render.summary import assumptions
from ketacost.sheet import PriceSheet

if TYPE_CHECKING:
    from ketacost.months import Month
    from ketacost.payment import FinanceTerms, Loan


def sheet_info(sheet: PriceSheet) -> dict[str, str]:
    return {"name": sheet.name, "path": sheet.path, "sha256": sheet.sha256,
            "source": sheet.source}


def coverage_data(cov: Coverage | None) -> dict[str, Any] | None:
    if cov is None:
        return None
    month, day = cov.plan_year_start
    return {
        "network": cov.network, "deductible": money_str(cov.deductible),
        "deductible_met": money_str(cov.deductible_met), "copay": money_str(cov.copay),
        "coinsurance": percent_str(cov.coinsurance),
        "oop_max": None if cov.oop_max is None else money_str(cov.oop_max),
        "oop_met": money_str(cov.starting_oop),
        "allowed": None if cov.allowed is None else money_str(cov.allowed),
        "plan_year_start": f"{month:02d}-{day:02d}",
    }


def percent_str(fraction: Decimal) -> str:
    """``0.1799`` -> ``"17.99"``: a percentage for machines."""
    return format_percent(fraction).rstrip("%")


def terms_data(terms: FinanceTerms | None) -> dict[str, Any] | None:
    if terms is None:
        return None
    return {"months": terms.months, "apr": percent_str(terms.apr),
            "deferred_interest": terms.deferred}


def loan_data(loan: Loan | None) -> dict[str, Any] | None:
    """A payment plan: ``payments - 1`` regular payments, then the final payment."""
    if loan is None:
        return None
    deferred = None
    if loan.deferred_interest is not None:
        deferred = {"apr": percent_str(loan.terms.apr),
                    "charged_back": money_str(loan.deferred_interest)}
    return {
        "principal": money_str(loan.principal), "months": loan.terms.months,
        "apr": "0" if loan.terms.deferred else percent_str(loan.terms.apr),
        "monthly_payment": money_str(loan.payment),
        "final_payment": money_str(loan.final_payment),
        "total_interest": money_str(loan.total_interest),
        "total_paid": money_str(loan.total_paid),
        "deferred_interest": deferred,
    }


def inputs(est: Estimate) -> dict[str, Any]:
    """The request, normalized: every default filled in, so it can be replayed."""
    req = est.request
    price = req.price
    return {
        "condition": req.condition or est.treatment.key,
        "treatment": est.treatment.key,
        "sessions": est.sessions_per_induction,
        "weeks": est.weeks,
        "price": None if price is None else {
            "low": money_str(price.low), "typical": money_str(price.typical),
            "high": money_str(price.high)},
        "maintenance": req.maintenance.normalized,
        "months": req.months,
        "start": req.start.isoformat(),
        "ride": money_str(req.ride),
        "coverage": coverage_data(req.coverage),
        "without": list(req.without),
        "assumes": [item.key for item in est.assumed],
        "hsa_rate": None if req.hsa_rate is None else percent_str(req.hsa_rate),
        "finance": terms_data(req.finance),
        "until": None if req.until is None else req.until.isoformat(),
    }


def line_data(line: Line) -> dict[str, Any]:
    return {"key": line.key, "label": line.label, "kind": line.kind,
            "quantity": line.quantity, "unit": money_str(line.unit),
            "amount": money_str(line.amount), "codes": list(line.codes)}


def share_data(share: Share) -> dict[str, Any]:
    claim = share.claim
    return {
        "date": claim.date.isoformat(), "item": claim.label,
        "session": None if claim.session is None else claim.session + 1,
        "phase": claim.phase, "charge": money_str(claim.charge),
        "allowed": money_str(share.allowed), "deductible": money_str(share.deductible),
        "copay": money_str(share.copay), "coinsurance": money_str(share.coinsurance),
        "balance_bill": money_str(share.balance_bill), "patient_pays": money_str(share.patient),
        "plan_pays": money_str(share.plan), "paid_up_front": money_str(share.paid_up_front),
    }


def scenario_data(result: ScenarioResult) -> dict[str, Any]:
    return {
        "per_session": money_str(result.per_session),
        "booster_price": money_str(result.booster_price),
        "sessions": result.sessions,
        "lines": [line_data(line) for line in result.lines],
        "charges": money_str(result.charges),
        "insurance_pays": money_str(result.insurance_pays),
        "out_of_pocket": money_str(result.out_of_pocket),
        "paid_up_front": money_str(result.paid_up_front),
        "other_costs": money_str(result.other_costs),
        "other_lines": [line_data(line) for line in result.other],
        "claims": [share_data(share) for share in result.shares],
        "hsa_saving": None if result.hsa is None else money_str(result.hsa.saving),
        "after_tax_cost": None if result.hsa is None else money_str(result.hsa.after_tax_cost),
        "financing": loan_data(result.loan),
    }


def month_data(month: Month) -> dict[str, Any]:
    """One calendar month: ``{"month": "2026-11", "sessions": 3, "charges": {...}, ...}``."""
    return {
        "month": month.key, "sessions": month.sessions,
        "charges": {name: money_str(v) for name, v in month.charges.items()},
        "out_of_pocket": {name: money_str(v) for name, v in month.out_of_pocket.items()},
    }


def labels(est: Estimate) -> dict[str, str]:
    """Names for people: the treatment, the maintenance plan and its bare interval."""
    plan = est.request.maintenance
    return {"treatment": est.treatment.label, "maintenance": plan.label,
            "interval": replace(plan, plan=None).label}


def estimate_data(est: Estimate) -> dict[str, Any]:
    """The whole estimate as JSON-ready data."""
    from ketacost.months import by_month

    return {
        "ketacost": __version__,
        "disclaimer": DISCLAIMER,
        "sheet": sheet_info(est.sheet),
        "inputs": inputs(est),
        "labels": labels(est),
        "schedule": [{"session": s.number + 1, "date": s.date.isoformat(), "phase": s.phase}
                     for s in est.schedule],
        "scenarios": {name: scenario_data(result) for name, result in est.scenarios.items()},
        "months": [month_data(month) for month in by_month(est)],
        "notes": assumptions(est),
    }


def to_json(data: dict[str, Any]) -> str:
    import json

    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
