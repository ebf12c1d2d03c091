"""The Good Faith Estimate core (ketacost.gfe.document), its record (ketacost.gfe.record) and its
page (docs/gfe.md): the rules, the items with their codes and providers, and the page."""

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

from ketacost.coverage.shares import Coverage
from ketacost.estimate import estimate
from ketacost.gfe.document import (
    MAX_MONTHS,
    GfeError,
    GoodFaithEstimate,
    Period,
    estimate_for_gfe,
    make_gfe,
    provider_of,
)
from ketacost.gfe.record import gfe_record, read_gfe
from ketacost.money import total
from ketacost.render.gfe import gfe_page
from ketacost.request import EstimateError, EstimateRequest, build_request
from ketacost.sheet.load import load_sheet
from ketacost.sheet.model import PriceRange, PriceSheet, Provider
from tests.clinic import CLINIC, CO_PROVIDER, clinic_sheet

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
        "starter", {"without": ("anti-nausea",), "with_": ("prepaid",), "maintenance": "6w"},
        scheduled=START),
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
    """A Good Faith Estimate by the core's rules."""
    est, period = estimate_for_gfe(request_for(case, sheet), sheet)
    return make_gfe(
        est,
        period,
        id="G-20261120-ABC123",
        issued=issued(),
        patient=case.patient,
        dob=DOB,
        diagnoses=case.diagnoses,
        scheduled=case.scheduled,
        separately=case.separately,
        prepared_by=case.prepared_by,
        replaces=case.replaces,
    )


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
    day before the first one's anniversary, and the period says what was planned (the
    last booster, due on Saturday December 4, moves to Monday December 6)."""
    sheet = clinic(tmp_path)
    request = build_request(sheet, TODAY, start=START, maintenance="monthly")
    est, period = estimate_for_gfe(request, sheet)
    assert MAX_MONTHS == 12
    assert period == Period(
        start=START, end=date(2027, 11, 22), planned_sessions=18, planned_last=date(2027, 12, 6)
    )
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
    assert period == Period(start=START, end=date(2027, 11, 22))
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
    charges; the total is the sum of the items, and of the providers' subtotals."""
    case = CASES[name]
    gfe = new_gfe(case, sheet_for(case, tmp_path))
    typical = gfe.report.scenarios["typical"]
    assert gfe.total == total(item.amount for item in gfe.items) == typical.charges
    assert gfe.total == total(s.amount for s in gfe.subtotals)
    sessions = [item for item in gfe.items if item.label.endswith(" sessions")]
    assert sum(item.quantity for item in sessions) == typical.sessions
    assert all(item.codes for item in gfe.items)
    assert all(len(item.dates) == item.quantity for item in gfe.items)


def test_discounts_are_folded_into_the_sessions_they_lower(tmp_path: Path) -> None:
    """The starter sheet's prepaid discount (asked for) lowers induction sessions only and
    names its condition; fees follow."""
    case = CASES["optional fee left out"]
    gfe = new_gfe(case, sheet_for(case, tmp_path))
    rows = [(i.label, ", ".join(map(str, i.codes)), i.quantity, str(i.unit), str(i.amount),
             str(i.list_unit)) for i in gfe.items]  # fmt: skip
    assert rows == [
        ("Induction sessions", "96365, J3490", 6, "405.00", "2430.00", "450.00"),
        ("Maintenance sessions", "96365, J3490", 8, "400.00", "3200.00", "None"),
        ("Psychiatric evaluation (example)", "90792", 1, "250.00", "250.00", "None"),
    ]
    [discount] = gfe.items[0].discounts
    assert (discount.label, str(discount.off)) == ("Prepaid induction series (example)", "45.00")
    assert discount.when == "the series is paid in advance"
    assert gfe.total == Decimal("5880.00")


def test_a_four_hour_infusion_carries_its_units_and_duration(tmp_path: Path) -> None:
    """Issue 13: the starter's pain treatment bills 96365 once and 96366 three times, and
    the page says the infusion lasts about 4 hours; anti-nausea medication is J2405 x4."""
    case = Case("starter", {"condition": "pain"}, scheduled=START)
    gfe = new_gfe(case, sheet_for(case, tmp_path))
    assert [str(c) for c in gfe.items[0].codes] == ["96365", "96366 x3", "J3490"]
    nausea = next(i for i in gfe.items if i.label == "Anti-nausea medication (example)")
    assert [(c.code, c.units) for c in nausea.codes] == [("J2405", 4)]
    page = gfe_page(gfe)
    assert "intravenous (IV) infusions of ketamine" in page
    assert "Each session lasts about 4 hours." in page
    assert "<td data-label='Service codes'>96365, 96366\u00a0x3, J3490</td>" in page
    assert "40 to 60 minutes" not in page
    depression = new_gfe(Case("starter", {}), sheet_for(case, tmp_path))
    assert "Each session lasts about 45 minutes." in gfe_page(depression)


UNCODED = '[fees.nausea]\nlabel = "Anti-nausea medication"\namount = 25\nper = "session"\n'


def test_an_item_without_a_service_code_is_refused(tmp_path: Path) -> None:
    """Issue 13: 'Anti-nausea medication | none' is not a GFE item: the estimate is
    refused, naming the item and the sheet's table."""
    sheet = load_sheet(clinic_sheet(tmp_path, extra=UNCODED))
    est, period = estimate_for_gfe(build_request(sheet, TODAY, start=START), sheet)
    with pytest.raises(GfeError) as error:
        make_gfe(est, period, id="G-1", issued=TODAY, patient="A", dob=DOB, diagnoses=("F33.1",),
                 scheduled=None, separately=())  # fmt: skip
    assert error.value.field == "sheet"
    assert "'Anti-nausea medication' has no service code (CPT/HCPCS)" in str(error.value)
    assert "[fees.nausea]" in str(error.value)


def co_provider_gfe(tmp_path: Path) -> GoodFaithEstimate:
    sheet = load_sheet(clinic_sheet(tmp_path, extra=CO_PROVIDER))
    return new_gfe(Case("clinic", {"price": Decimal(500)}), sheet)


def test_a_co_providers_items_are_grouped_with_their_own_subtotal(tmp_path: Path) -> None:
    """Issue 13: the psychiatrist's evaluation is listed under that practice, and each
    provider has a subtotal (the $400 dispute line applies per provider)."""
    gfe = co_provider_gfe(tmp_path)
    assert [(s.provider.key, s.provider.npi, str(s.amount)) for s in gfe.subtotals] == [
        ("clinic", CLINIC["npi"], "3000.00"),
        ("psychiatry", "1679576722", "300.00"),
    ]
    assert [i.provider for i in gfe.items] == ["clinic", "psychiatry"]
    page = gfe_page(gfe)
    assert page.count("<tr class=subtotal>") == 2
    assert "Subtotal, Oak Psychiatry Group</th><td class=num>$300.00" in page
    assert "<h2>Also providing care</h2>" in page
    assert "<td>98-7654321</td>" in page
    assert page.index("Psychiatric evaluation") > page.index("Subtotal, Calm Waters")


def test_the_record_has_the_issues_shape_and_0_1_0s_keys(tmp_path: Path) -> None:
    """The gfe object: issued, scheduled, due, period, providers with subtotals, items with
    codes and units, diagnoses, total, replaces; money as two-decimal strings. The keys
    0.1.0 wrote stay, so old readers read it."""
    gfe = co_provider_gfe(tmp_path)
    record = gfe_record(gfe)
    assert list(record)[:10] == ["issued", "scheduled", "due", "period", "providers", "items",
                                 "diagnoses", "total", "replaces", "quote"]  # fmt: skip
    assert record["period"] == {"start": "2026-11-23", "end": "2027-11-22"}
    assert record["providers"][1] == {
        "key": "psychiatry", "name": "Oak Psychiatry Group", "npi": "1679576722",
        "tin": "98-7654321", "address": "200 Oak Avenue, Springfield, IL 62701", "state": "IL",
        "phone": "", "subtotal": "300.00",
    }  # fmt: skip
    assert record["items"][0] == {
        "description": "Induction sessions", "provider": CLINIC["npi"],
        "codes": [{"code": "96365", "units": 1}, {"code": "J3490", "units": 1}],
        "quantity": 6, "unit_price": "500.00", "total": "3000.00",
        "dates": ["2026-11-23", "2026-11-25", "2026-11-27", "2026-11-30", "2026-12-02",
                  "2026-12-04"],
        "discounts": [],
    }  # fmt: skip
    assert record["items"][1]["provider"] == "1679576722"
    assert record["total"] == "3300.00"
    assert record["provider"] == CLINIC
    assert record["covers"] == {"from": "2026-11-23", "to": "2027-11-22"}
    assert json.loads(json.dumps(record)) == record
    saved = read_gfe({"gfe": record})
    assert [(p.npi, str(p.subtotal)) for p in saved.providers] == [
        (CLINIC["npi"], "3000.00"), ("1679576722", "300.00")]  # fmt: skip
    assert (saved.start, saved.end) == (START, date(2027, 11, 22))


def test_a_0_1_0_record_reads_as_one_provider() -> None:
    """A Good Faith Estimate issued by 0.1.0 has one provider, the clinic, whose subtotal
    is what its page totalled: the typical clinic charges."""
    saved_json = Path(__file__).parent / "fixtures" / "upgrade-0.1.0" / "G-20261130-48ANXN.json"
    data = json.loads(saved_json.read_text(encoding="utf-8"))
    saved = read_gfe(data)
    [clinic_total] = saved.providers
    assert clinic_total.npi == "1234567893"
    assert str(clinic_total.subtotal) == data["scenarios"]["typical"]["charges"]
    assert (saved.start, saved.end) == (date(2026, 12, 14), date(2027, 12, 13))
    assert saved.quote is None


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


def test_items_scheduled_separately_say_how_their_estimates_come(tmp_path: Path) -> None:
    """Issue 13: with items scheduled separately, the page says the patient gets a
    separate GFE for each from whoever gives it, on scheduling or on request; with none,
    it says none are expected and nothing more."""
    sheet = sheet_for(Case("clinic", {}), tmp_path)
    listed = gfe_page(new_gfe(Case("clinic", {}, separately=("Lab work",)), sheet))
    assert "You will get a separate Good Faith Estimate for each, from the provider or " in (listed)
    assert "when you schedule it or whenever you ask for one" in listed
    assert "<li>Lab work</li>" in listed
    none = gfe_page(new_gfe(Case("clinic", {}), sheet))
    assert "<li>None expected at this time.</li>" in none
    assert "You will get a separate Good Faith Estimate" not in none
