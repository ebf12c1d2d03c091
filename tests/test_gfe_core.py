"""The Good Faith Estimate core (ketacost.gfe) and its page (docs/gfe.md): the rules, the
items, and a page byte for byte the same as the frozen page of ketacost 0.1.0."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

from ketacost.coverage import Coverage
from ketacost.estimate import estimate
from ketacost.gfe import (
    MAX_MONTHS,
    GfeError,
    GoodFaithEstimate,
    Period,
    Provider,
    estimate_for_gfe,
    gfe_record,
    make_gfe,
    provider_of,
)
from ketacost.money import total
from ketacost.render.gfe import gfe_page
from ketacost.report import build_report
from ketacost.report_json import to_data
from ketacost.request import EstimateError, EstimateRequest, build_request
from ketacost.sheet import PriceRange, PriceSheet
from ketacost.sheet_load import load_sheet
from tests import gfe_page_010 as frozen
from tests.clinic import CLINIC, clinic_sheet

START = date(2026, 11, 23)
TODAY = date(2026, 11, 20)
CREATED = "2026-11-20T23:59:30+00:00"
"""When the entry was saved (UTC): late enough that the local date may differ."""
DOB = date(1980, 4, 30)
STARTER_CLINIC = {
    "name": 'Calm & "Waters" <b>Clinic</b>',
    "npi": "1234567893",
    "tin": "12-3456789",
    "address": "1 Elm St, Springfield, IL",
    "state": "IL",
}
"""A clinic with no phone, for the starter sheet (fees, a discount, a plan, boosters)."""
PRINT_FIXES = (
    # 0.2.0, deliberately: the total prints once, after the items. As a footer group the
    # browser repeated it at the foot of every page the items ran over.
    (
        "thead { display: table-header-group; }\n",
        "thead { display: table-header-group; }\n/* The total prints once, after the last "
        "item: a footer group would repeat at every page foot. */\n"
        "tfoot { display: table-row-group; }\n",
    ),
)
"""The only changes from 0.1.0's page: print rules in its style sheet, not its content."""


def with_print_fixes(page: str) -> str:
    """0.1.0's page with today's print rules (each replaces one line it had)."""
    for old, new in PRINT_FIXES:
        assert page.count(old) == 1
        page = page.replace(old, new)
    return page


def starter_sheet(folder: Path) -> Path:
    """The starter sheet with its [clinic] filled in (no phone)."""
    text = (files("ketacost") / "data" / "starter.toml").read_text(encoding="utf-8")
    for key, value in STARTER_CLINIC.items():
        blank = 'name = "My Clinic"' if key == "name" else f'{key} = ""'
        assert blank in text
        text = text.replace(blank, f"{key} = {json.dumps(value)}", 1)
    path = folder / "starter.toml"
    path.write_text(text, encoding="utf-8")
    return path


SHEETS: dict[str, Callable[[Path], Path]] = {
    "clinic": clinic_sheet,
    "no phone": lambda folder: clinic_sheet(folder, phone="", name="Calm & <b>Co</b>"),
    "discount": lambda folder: clinic_sheet(
        folder, extra='[discounts.prepaid]\nlabel = "Prepaid series"\npercent = 10\n'
    ),
    "starter": starter_sheet,
}


@dataclass(frozen=True)
class Case:
    """One Good Faith Estimate: a sheet, the request's values, and what the desk adds."""

    sheet: str
    request: dict[str, Any]
    diagnoses: tuple[str, ...] = ("F33.1",)
    scheduled: date | None = None
    separately: tuple[str, ...] = ()
    patient: str = "Ann Lee"
    prepared_by: str | None = None
    replaces: str | None = None


CASES = {
    "scheduled, every 6 weeks": Case(
        "clinic", {"maintenance": "every 6 weeks"}, diagnoses=("F33.1", "G89.29"),
        scheduled=START, separately=("Psychiatric evaluation",), prepared_by="Sam"),
    "monthly, cut at 12 months": Case(
        "clinic", {"maintenance": "monthly"}, replaces="G-20261101-4VX2QD"),
    "self-pay discount, cut": Case("discount", {"maintenance": "4w"}),
    "escaped text, no phone": Case(
        "no phone", {}, patient="<script>alert(1)</script>",
        prepared_by="</style><script>alert(2)</script>", replaces='G-1"<b>',
        separately=("<img src=x onerror=alert(3)>", "  two   words ", "   ")),
    "fees, plan with booster price, cut": Case(
        "starter", {"maintenance": "membership", "months": 18, "start": date(2027, 1, 31)},
        separately=("Psychiatric evaluation", "Lab work")),
    "fees, price range, slow pace, cut": Case(
        "starter", {"condition": "pain", "maintenance": "every 2 months", "months": 24},
        diagnoses=("G89.4", "M79.7"), scheduled=START),
    "optional fee left out": Case(
        "starter", {"without": ("anti-nausea",), "maintenance": "6w"}, scheduled=START),
    "one session at an exact price": Case(
        "clinic", {"price": Decimal(500), "sessions": 1, "weeks": 1, "start": date(2026, 11, 24)}),
    "about 2.5 a week, month-end start": Case(
        "clinic", {"sessions": 5, "weeks": 2, "maintenance": "3 weeks", "months": 13,
                   "start": date(2027, 2, 28)}),
    "a price range given": Case(
        "clinic", {"price_range": PriceRange.between(Decimal(450), Decimal(900)),
                   "maintenance": "every 5 weeks"}),
}  # fmt: skip


def sheet_for(case: Case, folder: Path) -> PriceSheet:
    return load_sheet(SHEETS[case.sheet](folder))


def request_for(case: Case, sheet: PriceSheet) -> EstimateRequest:
    values = {"start": case.scheduled or START, **case.request}
    return build_request(sheet, TODAY, **values)


def issued() -> date:
    """The date issued, as the command works it out: the local date of the saved time."""
    return datetime.fromisoformat(CREATED).astimezone().date()


def new_gfe(case: Case, sheet: PriceSheet) -> GoodFaithEstimate:
    """The new path: the core's rules, the typed report, the core's items."""
    est, period = estimate_for_gfe(request_for(case, sheet), sheet)
    return make_gfe(
        build_report(est),
        period,
        id="G-20261120-ABC123",
        issued=issued(),
        patient=case.patient,
        dob=DOB,
        provider=provider_of(sheet),
        diagnoses=case.diagnoses,
        scheduled=case.scheduled,
        separately=case.separately,
        prepared_by=case.prepared_by,
        replaces=case.replaces,
    )


def saved_entry(gfe: GoodFaithEstimate) -> frozen.Entry:
    """The entry the quote log keeps for a Good Faith Estimate, as the old page read it."""
    result = to_data(gfe.report)
    result["gfe"] = gfe_record(gfe)
    return frozen.Entry(
        id=gfe.id,
        created=CREATED,
        patient=gfe.patient,
        dob=gfe.dob.isoformat(),
        prepared_by=gfe.prepared_by,
        replaces=gfe.replaces,
        version=gfe.report.version,
        result=result,
    )


@pytest.mark.parametrize("name", CASES)
def test_the_page_is_byte_for_byte_the_frozen_page(name: str, tmp_path: Path) -> None:
    """The page drawn from the typed estimate is exactly the page 0.1.0 drew from the saved
    entry, and that entry is what 0.1.0's rules saved for the same request."""
    case = CASES[name]
    sheet = sheet_for(case, tmp_path)
    gfe = new_gfe(case, sheet)
    entry = saved_entry(gfe)
    est, block = frozen.gfe_block(
        estimate(request_for(case, sheet), sheet),
        list(case.diagnoses),
        case.scheduled,
        list(case.separately),
    )
    old_result = to_data(build_report(est))
    old_result["gfe"] = block
    assert json.dumps(entry.result) == json.dumps(old_result)  # same keys, order and values
    page = gfe_page(gfe)
    assert type(page) is str
    assert page.encode() == with_print_fixes(frozen.gfe_page(entry)).encode()


def test_the_cases_cover_every_part_of_the_page(tmp_path: Path) -> None:
    """The byte comparison sees each optional part of the page, and its absence."""
    pages = []
    for index, case in enumerate(CASES.values()):
        folder = tmp_path / str(index)
        folder.mkdir()
        pages.append(gfe_page(new_gfe(case, sheet_for(case, folder))))
    parts = (
        "covers at most 12 months", "list price $", "Self-pay discounts included above",
        "price per session ranges from", "(plan membership)", "(about 2.5 a week)",
        "series of 1 session on", "<th>Phone</th>", "<th>Replaces</th>", "Not scheduled yet",
        "(the series is not scheduled yet; dates may change)", "None expected at this time.",
        ", prepared by ", "<td>Psychiatric evaluation</td>", "<td>90792</td>", "<td>none</td>",
    )  # fmt: skip
    for part in parts:
        assert any(part in page for page in pages), part
        assert not all(part in page for page in pages), part


def test_every_text_is_escaped_and_the_footer_stays_in_its_string(tmp_path: Path) -> None:
    """Markup in a name, a note or an id shows as text; the style element ends once."""
    case = CASES["escaped text, no phone"]
    page = gfe_page(new_gfe(case, sheet_for(case, tmp_path)))
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert page.count("</style>") == 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'content: "Good Faith Estimate G-20261120-ABC123, patient \\3c script\\3e ' in page


def clinic(tmp_path: Path, **fields: str) -> PriceSheet:
    return load_sheet(clinic_sheet(tmp_path, **fields))


@pytest.mark.parametrize(
    ("given", "field", "message"),
    [
        ({"coverage": Coverage(deductible=Decimal(500))}, "coverage",
         "a Good Faith Estimate is for patients not using insurance"),
        ({"ride": Decimal(20)}, "ride", "a Good Faith Estimate lists the clinic's charges only"),
    ],
)  # fmt: skip
def test_insurance_and_rides_are_refused(
    tmp_path: Path, given: dict[str, Any], field: str, message: str
) -> None:
    """A Good Faith Estimate is for patients not using insurance, and lists the clinic's
    charges only: coverage and rides home are refused, naming the field."""
    sheet = clinic(tmp_path)
    with pytest.raises(GfeError) as error:
        estimate_for_gfe(build_request(sheet, TODAY, start=START, **given), sheet)
    assert error.value.field == field
    assert str(error.value) == message


def test_the_built_in_sheet_names_no_provider() -> None:
    """The built-in sheet has no [clinic]: no provider, so no Good Faith Estimate."""
    with pytest.raises(GfeError) as error:
        provider_of(load_sheet())
    assert error.value.field == "sheet"
    assert str(error.value) == (
        "the built-in price sheet names no clinic: a Good Faith Estimate must give the "
        "provider's name, NPI, TIN, address and state (use your clinic's price sheet)"
    )


@pytest.mark.parametrize("missing", ["name", "npi", "tin", "address", "state"])
def test_a_clinic_without_its_identity_is_refused(tmp_path: Path, missing: str) -> None:
    """Each of name, NPI, TIN, address and state is required; the message names it."""
    with pytest.raises(GfeError, match=f"the price sheet's \\[clinic\\] lacks {missing}:") as error:
        provider_of(clinic(tmp_path, **{missing: "  " if missing == "name" else ""}))
    assert error.value.field == "sheet"


def test_the_provider_comes_from_the_sheet_and_the_phone_is_optional(tmp_path: Path) -> None:
    """The provider is the sheet's [clinic]; without a phone it is still complete."""
    assert provider_of(clinic(tmp_path)) == Provider(**CLINIC)
    assert provider_of(clinic(tmp_path, phone="")).phone == ""


def test_a_plan_longer_than_a_year_is_cut_at_twelve_months(tmp_path: Path) -> None:
    """Monthly boosters run to December 2027: the estimate keeps the sessions up to the
    day before the first one's anniversary, and the period says what was planned."""
    sheet = clinic(tmp_path)
    request = build_request(sheet, TODAY, start=START, maintenance="monthly")
    est, period = estimate_for_gfe(request, sheet)
    assert MAX_MONTHS == 12
    assert period == Period(START, date(2027, 11, 22), 18, date(2027, 12, 4))
    assert len(est.schedule) == 17
    assert est.schedule[-1].date <= period.end
    assert est.request.until == period.end
    full = estimate(request, sheet)
    assert est.schedule == full.schedule[:17]


def test_a_plan_within_a_year_is_not_cut(tmp_path: Path) -> None:
    """Boosters every 6 weeks end within the year: nothing planned is left out."""
    sheet = clinic(tmp_path)
    request = build_request(sheet, TODAY, start=START, maintenance="every 6 weeks")
    est, period = estimate_for_gfe(request, sheet)
    assert period == Period(START, date(2027, 11, 22))
    assert est == estimate(request, sheet)


def test_a_request_that_cannot_be_estimated_raises_its_own_error(tmp_path: Path) -> None:
    """An EstimateError passes through, naming its field."""
    sheet = clinic(tmp_path)
    with pytest.raises(EstimateError) as error:
        estimate_for_gfe(build_request(sheet, TODAY, start=START, sessions=0), sheet)
    assert error.value.field == "sessions"


@pytest.mark.parametrize("name", CASES)
def test_the_items_add_up_to_the_typical_clinic_charges(name: str, tmp_path: Path) -> None:
    """Sessions (discounts folded in) and fees add up to the typical scenario's clinic
    charges; the total is the sum of the items."""
    case = CASES[name]
    gfe = new_gfe(case, sheet_for(case, tmp_path))
    typical = gfe.report.scenarios["typical"]
    assert gfe.total == total(item.amount for item in gfe.items) == typical.charges
    sessions = [item for item in gfe.items if item.label.endswith(" sessions")]
    assert sum(item.quantity for item in sessions) == typical.sessions


def test_discounts_are_folded_into_the_sessions_they_lower(tmp_path: Path) -> None:
    """The starter sheet's prepaid discount lowers induction sessions only; fees follow."""
    case = CASES["optional fee left out"]
    gfe = new_gfe(case, sheet_for(case, tmp_path))
    rows = [(i.label, ", ".join(i.codes), i.quantity, str(i.unit), str(i.amount),
             str(i.list_unit)) for i in gfe.items]  # fmt: skip
    assert rows == [
        ("Induction sessions", "96365, J3490", 6, "405.00", "2430.00", "450.00"),
        ("Maintenance sessions", "96365, J3490", 8, "400.00", "3200.00", "None"),
        ("Psychiatric evaluation", "90792", 1, "250.00", "250.00", "None"),
    ]
    assert gfe.total == Decimal("5880.00")


def test_the_record_keeps_the_saved_keys_and_values(tmp_path: Path) -> None:
    """The gfe block of a saved entry: provider, codes, dates, the period and any cut;
    items scheduled separately are tidied and blank ones dropped."""
    case = Case("clinic", {"maintenance": "monthly"}, diagnoses=("F33.1", "G89.29"),
                scheduled=START, separately=(" Psychiatric\tevaluation ", "", "  "))  # fmt: skip
    gfe = new_gfe(case, sheet_for(case, tmp_path))
    assert gfe.separately == ("Psychiatric evaluation",)
    assert json.dumps(gfe_record(gfe)) == json.dumps({
        "provider": CLINIC,  # name, npi, tin, address, state, phone
        "diagnoses": ["F33.1", "G89.29"],
        "scheduled": "2026-11-23",
        "separately": ["Psychiatric evaluation"],
        "covers": {"from": "2026-11-23", "to": "2027-11-22"},
        "planned": {"sessions": 18, "last": "2027-12-04"},
    })  # fmt: skip
