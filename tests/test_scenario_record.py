"""One scenario, one record (issue 20): the estimate builds each scenario's figures once,
with its totals, and the report holds that very record; a saved quote reads back into the
same record, and its stored totals must be the sums of its stored parts."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import ketacost
import ketacost.estimate
import ketacost.report.model
from ketacost.coverage.shares import Coverage
from ketacost.estimate import Estimate, estimate
from ketacost.paying.how_paid import Paying
from ketacost.report.build import build_report
from ketacost.report.to_data import from_data, to_data
from ketacost.request import build_request
from ketacost.schedule.sessions import parse_maintenance
from ketacost.sheet.load import load_sheet
from ketacost.sheet.model import SCENARIOS, PriceSheet
from tests.conftest import START

SHEET = load_sheet()
OUT_OF_NETWORK = Coverage(
    network="out",
    deductible=Decimal(1000),
    deductible_met=Decimal(0),
    copay=Decimal(0),
    coinsurance=Decimal("0.3"),
    oop_max=Decimal(4000),
    oop_met=Decimal(0),
    allowed=Decimal(450),
)
SET = {
    "sessions",
    "charges",
    "insurance_pays",
    "out_of_pocket",
    "other_costs",
    "program_pays",
    "after_program",
}
"""The totals every view and each batch row read: fields set when the record is made."""
SUMMED = {"allowed", "deductible", "copay", "coinsurance", "balance_bill", "paid_up_front"}
"""The claims' other columns: added up by the record where a view shows them."""


def _estimate() -> Estimate:
    request = build_request(
        SHEET, START, coverage=OUT_OF_NETWORK, months=3, maintenance=parse_maintenance("4w")
    )
    return estimate(request, SHEET)


def test_the_report_holds_the_records_the_estimate_built() -> None:
    est = _estimate()
    report = build_report(est)
    for name in SCENARIOS:
        assert report.scenarios[name] is est.scenarios[name]


def test_one_record_of_a_scenario() -> None:
    record = ketacost.estimate.ScenarioFigures
    assert vars(ketacost.report.model)["ScenarioFigures"] is record  # not a copy
    for gone in ("ScenarioResult",):
        assert not hasattr(ketacost.estimate, gone)
    for gone in ("ClaimTotals", "claim_totals"):
        assert not hasattr(ketacost.report.model, gone)


def test_the_totals_are_set_once_when_the_record_is_made() -> None:
    """The totals every view reads are fields the record fills when it is made; the
    others are the record's own properties, so no view adds up claims itself."""
    record = ketacost.estimate.ScenarioFigures
    assert {f.name for f in dataclasses.fields(record) if not f.init} == SET
    assert all(isinstance(getattr(record, name), property) for name in SUMMED | {"adjustment"})
    figures = _estimate().scenarios["typical"]
    claims = figures.claims
    assert figures.out_of_pocket == sum(s.patient for s in claims)
    assert figures.insurance_pays == sum(s.plan for s in claims)
    assert figures.paid_up_front == sum(s.paid_up_front for s in claims)
    assert figures.charges == sum(line.amount for line in figures.lines)
    assert figures.charges == sum(s.claim.charge for s in claims)
    assert figures.sessions == sum(1 for s in claims if s.claim.session is not None)
    assert figures.after_program == figures.out_of_pocket  # no savings program


def _saved() -> dict[str, Any]:
    data = to_data(build_report(_estimate()))
    assert from_data(data) == build_report(_estimate())
    return data


@pytest.mark.parametrize(
    ("field", "value"),
    [("paid_up_front", "1.00"), ("sessions", 99)],
)
def test_a_saved_total_that_is_not_the_sum_of_its_parts_is_refused(
    field: str, value: object
) -> None:
    """A stored total the figures no longer print from must still agree with its parts:
    one changed by hand is refused, not silently replaced."""
    data = _saved()
    data["scenarios"]["high"][field] = value
    with pytest.raises(ValueError, match="high"):
        from_data(data)


def test_saved_claims_whose_charges_do_not_add_up_are_refused() -> None:
    data = _saved()
    data["scenarios"]["low"]["claims"][0]["charge"] = "1.00"
    with pytest.raises(ValueError, match="low"):
        from_data(data)


def test_the_notes_are_written_from_the_report() -> None:
    """The notes say what the report holds (its figures, its exactness, its coverage),
    as the rows do: given a report, they follow it, not figures of their own."""
    from dataclasses import replace

    from ketacost.report.notes import assumptions

    plain = _estimate()
    paid = estimate(
        build_request(
            SHEET,
            START,
            coverage=OUT_OF_NETWORK,
            months=3,
            maintenance=parse_maintenance("4w"),
            paying=Paying(hsa_rate=Decimal("0.22")),
        ),
        SHEET,
    )
    report = build_report(plain)
    assert tuple(assumptions(report)) == report.notes
    assert not any("HSA" in note for note in report.notes)
    with_hsa = replace(report, scenarios=build_report(paid).scenarios)
    assert any("HSA" in note for note in assumptions(with_hsa))
    prefix = "For the typical estimate, "
    assert any(note.startswith(prefix) for note in assumptions(with_hsa))
    exact = replace(with_hsa, exact=True)
    assert not any(note.startswith(prefix) for note in assumptions(exact))


STARTER = load_sheet(str(Path(ketacost.__file__).parent / "data" / "starter.toml"))


@pytest.mark.parametrize(
    ("sheet", "asked"),
    [
        (STARTER, {"maintenance": "membership", "with_": ["prepaid"], "months": 6}),
        (STARTER, {"without": ["anti-nausea"], "coverage": OUT_OF_NETWORK}),
        (SHEET, {"condition": "spravato", "coverage": OUT_OF_NETWORK}),
        (SHEET, {"condition": "spravato", "sessions": 8, "months": 0}),
    ],
)
def test_the_notes_are_written_from_the_report_alone(
    sheet: PriceSheet, asked: dict[str, Any]
) -> None:
    """The notes take the report only: what they say of the sheet (the treatment, the
    booster plan, the optional fees and conditional discounts) is in the report's
    SheetInfo, and the phased induction and the plan's unit in its request."""
    from ketacost.report.notes import assumptions

    est = estimate(build_request(sheet, START, **asked), sheet)
    report = build_report(est)
    assert tuple(assumptions(report)) == report.notes
    info = report.sheet
    assert info.treatment == est.treatment
    assert info.plan == est.plan
    assert (info.assumed, info.not_applied) == (est.assumed, est.not_applied)
    assert report.request == est.request


def test_a_saved_quote_keeps_its_notes_as_written() -> None:
    """A saved quote holds no sheet to write notes from: it keeps its own, and asking to
    write them again is refused rather than guessed."""
    from ketacost.report.notes import assumptions

    report = build_report(_estimate())
    back = from_data(to_data(report))
    assert back == report
    assert back.notes == report.notes
    assert back.sheet.treatment is None
    with pytest.raises(ValueError, match="saved"):
        assumptions(back)


def test_exactness_is_the_reports_alone() -> None:
    assert not hasattr(Estimate, "exact_price")
