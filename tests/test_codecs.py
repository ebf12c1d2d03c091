"""Round trips of the codecs to and from plain data (issue 20): each record, built by the
core's own builders from generated requests, encodes to JSON-ready data and decodes back
to the record it was, and encoding that again gives the same data."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from ketacost.coverage.build import build_coverage
from ketacost.coverage.data import coverage_data, coverage_from_data
from ketacost.coverage.shares import Coverage
from ketacost.estimate import estimate
from ketacost.gfe.document import estimate_for_gfe, make_gfe
from ketacost.gfe.record import SavedGfe, SavedProvider, gfe_record, read_gfe
from ketacost.gfe.timing import TimingError, duty_data, duty_for, read_duty
from ketacost.paying.data import paying_data, paying_from_data
from ketacost.paying.financing import FinanceTerms
from ketacost.paying.how_paid import Paying
from ketacost.report.model import build_report
from ketacost.report.to_data import from_data, inputs_data, to_data
from ketacost.request import EstimateError, EstimateRequest, build_request
from ketacost.request_data import (
    replay_request,
    request_data,
    request_from_data,
    saved_request,
)
from ketacost.sheet.load import load_sheet, parse_sheet
from ketacost.sheet.model import SCENARIOS, PriceRange, PriceSheet
from tests.clinic import CO_PROVIDER, clinic_sheet

SHEET = load_sheet()
TODAY = date(2026, 12, 5)
FEW = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

dollars = st.integers(min_value=0, max_value=5_000).map(Decimal)
cents = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100)
starts = st.integers(0, 800).map(lambda days: date(2026, 1, 1) + timedelta(days=days))
plans = st.sampled_from([None, "none", "4w", "every 2 weeks", "monthly", "every 2 months"])


@st.composite
def coverages(draw: st.DrawFn) -> Coverage | None:
    """A plan as the options give it: in or out of network, deductible and coinsurance
    always given, the rest sometimes."""
    if draw(st.booleans()):
        return None
    deductible = draw(dollars)
    met = draw(st.one_of(st.none(), st.just(deductible / 2)))
    optional = st.one_of(st.none(), cents)
    return build_coverage(
        network=draw(st.sampled_from(["in", "out"])),
        deductible=deductible,
        deductible_met=met,
        copay=draw(st.one_of(st.none(), st.just(Decimal("25")))),
        coinsurance=Decimal(draw(st.integers(0, 100))) / 100,
        oop_max=(oop_max := draw(st.one_of(st.none(), dollars.map(lambda a: a + deductible)))),
        oop_met=None if oop_max is None else draw(st.one_of(st.none(), st.just(met or Decimal(0)))),
        allowed=draw(optional.map(lambda a: None if a is None else a + 25)),
        plan_year_start=draw(st.one_of(st.none(), st.sampled_from([(1, 1), (7, 1), (10, 15)]))),
    )


@st.composite
def requests(draw: st.DrawFn) -> EstimateRequest:
    """A request as a patient or the desk makes it, through ``build_request``."""
    condition = draw(st.sampled_from([None, "depression", "pain", "ptsd", "spravato", "kap"]))
    coverage = draw(coverages())
    hsa_rate = draw(st.one_of(st.none(), st.sampled_from([Decimal("0.22"), Decimal("0.1")])))
    finance = draw(
        st.one_of(
            st.none(),
            st.builds(
                FinanceTerms,
                months=st.integers(1, 24),
                apr=st.sampled_from([Decimal(0), Decimal("0.1799")]),
            ),
            st.just(FinanceTerms(months=12, apr=Decimal("0.2699"), deferred=True)),
        )
    )
    start = draw(starts)
    return build_request(
        SHEET,
        TODAY,
        condition=condition,
        sessions=draw(st.one_of(st.none(), st.integers(1, 12))),
        weeks=draw(st.one_of(st.none(), st.integers(1, 4))),
        price=draw(st.one_of(st.none(), cents)),
        maintenance=draw(plans),
        months=draw(st.one_of(st.none(), st.integers(0, 24))),
        start=start,
        ride=draw(st.sampled_from([None, Decimal("25")])),
        coverage=coverage,
        paying=Paying(
            hsa_rate=hsa_rate,
            account=None
            if hsa_rate is None
            else draw(st.sampled_from([None, "hsa-family", "fsa"])),
            payroll=hsa_rate is not None and draw(st.booleans()),
            finance=finance,
            finance_what=None if finance is None else draw(st.sampled_from([None, "induction"])),
            agi=draw(st.one_of(st.none(), st.just(Decimal("60000")))),
            savings=condition == "spravato" and coverage is not None and draw(st.booleans()),
        ),
        until=draw(st.one_of(st.none(), st.integers(30, 400).map(lambda n: start + timedelta(n)))),
    )


def _plain(data: Any) -> Any:
    """The data as it comes back from JSON text (what the log and --format json keep)."""
    return json.loads(json.dumps(data))


@FEW
@given(requests(), st.sampled_from(SCENARIOS))
@example(build_request(SHEET, date(2026, 1, 1)), "typical")  # New Year's Day: a moved session
@example(  # a savings program: what it pays of each claim
    build_request(
        SHEET,
        date(2026, 1, 1),
        condition="spravato",
        coverage=Coverage(network="in", deductible=Decimal(0), coinsurance=Decimal(0)),
        paying=Paying(savings=True),
    ),
    "low",
)
def test_report_round_trips(request: EstimateRequest, scenario: Any) -> None:
    """A report decodes from its plain data to itself, and encodes again to the same data."""
    report = build_report(estimate(request, SHEET), scenario)
    data = _plain(to_data(report))
    back = from_data(data)
    assert back == report
    assert to_data(back) == data


@FEW
@given(requests())
def test_inputs_round_trip(request: EstimateRequest) -> None:
    """A report keeps the normalised request (the out-of-pocket met filled in), and its
    ``inputs`` are that request's codec's: they read back, with no sheet, to the request,
    and encode alike."""
    report = build_report(estimate(request, SHEET))
    assert report.request == _filled(request)
    data = _plain(inputs_data(report))
    assert {k: v for k, v in data.items() if k not in ("treatment", "assumes")} == _plain(
        request_data(report.request)
    )
    assert saved_request(data, report.labels.interval) == report.request
    assert data["treatment"] == report.treatment
    assert data["assumes"] == list(report.assumes)


PLANS_SHEET = parse_sheet(
    '[treatments.a]\nprice = 500\n[plans.taper]\nevery = "4w for 3 months, then 6w"\n'
    'label = "Tapering"\n[plans.monthly]\nevery = "6w"\nlabel = "A plan keyed monthly"\n',
    "clinic.toml",
)


@pytest.mark.parametrize("plan", ["taper", "monthly", "4w for 2m, then 1m", "weekly"])
def test_a_saved_plan_of_the_sheet_reads_back_with_its_intervals(plan: str) -> None:
    """A plan of the sheet is saved by its key (even one that reads as an interval):
    a saved quote reads it back with the intervals its labels keep, not the sheet's."""
    request = build_request(PLANS_SHEET, TODAY, maintenance=plan, start=date(2026, 1, 5))
    report = build_report(estimate(request, PLANS_SHEET))
    data = _plain(to_data(report))
    back = from_data(data)
    assert back.request.maintenance == request.maintenance
    assert back == report
    assert to_data(back) == data


@FEW
@given(coverages())
def test_coverage_round_trips(coverage: Coverage | None) -> None:
    """A patient's plan decodes from its plain data to itself, with the out-of-pocket met
    filled in as the figures use it (as a report stores it), and encodes alike."""
    data = _plain(coverage_data(coverage))
    filled = None if coverage is None else replace(coverage, oop_met=coverage.starting_oop)
    assert coverage_from_data(data) == filled
    assert coverage_data(coverage_from_data(data)) == data


@FEW
@given(requests())
@example(build_request(SHEET, date(2026, 1, 1), condition="spravato"))  # a phased induction
def test_replayed_inputs_quote_the_same_clinic_charges(request: EstimateRequest) -> None:
    """A self-pay quote's saved inputs replay to a request whose clinic charges are the
    same, scenario by scenario and line by line (what a later GFE of it lists)."""
    report = build_report(estimate(replace(request, until=None), SHEET))
    if report.request.coverage is not None:
        return  # replay refuses an insured quote (tests/test_gfe.py); it leaves out until
    replayed = replay_request(SHEET, TODAY, _plain(inputs_data(report)))
    again = build_report(estimate(replayed, SHEET))
    for name in SCENARIOS:
        assert again.scenarios[name].lines == report.scenarios[name].lines
    assert again.schedule == report.schedule


def test_an_even_spread_of_a_phased_treaments_own_totals_replays_as_phases() -> None:
    """Spravato asked for as 12 sessions spelled out (spread evenly over its 8 weeks)
    replays spread evenly, so a GFE from that quote lists the quote's dates: the inputs
    record that its induction was not phased (before issue 20 it replayed as the phases)."""
    request = build_request(SHEET, TODAY, condition="spravato", sessions=12, start=date(2026, 1, 1))
    report = build_report(estimate(request, SHEET))
    replayed = replay_request(SHEET, TODAY, _plain(inputs_data(report)))
    assert not replayed.phased
    assert build_report(estimate(replayed, SHEET)).schedule == report.schedule


def test_a_quote_saved_before_phased_was_kept_replays_as_it_always_did() -> None:
    """A quote saved by 0.1 or 0.2 has no ``phased``: a phased treatment's own totals
    replay as its phases (as they always did), other totals spread evenly."""
    phased = build_request(SHEET, TODAY, condition="spravato", start=date(2026, 1, 1))
    even = build_request(SHEET, TODAY, condition="spravato", sessions=8, start=date(2026, 1, 1))
    for request in (phased, even):
        report = build_report(estimate(request, SHEET))
        saved = _plain(inputs_data(report))
        del saved["phased"]
        replayed = replay_request(SHEET, TODAY, saved)
        assert replayed.phased == request.phased
        assert build_report(estimate(replayed, SHEET)).schedule == report.schedule


INPUT_KEYS = [
    *("condition", "treatment", "sessions", "weeks", "price", "maintenance", "months"),
    *("start", "ride", "coverage", "without", "assumes", "hsa_rate", "finance", "until"),
    *("with", "account", "payroll", "agi", "finance_what", "savings", "phased"),
]
"""The keys of a report's inputs, in the order every version has written them."""


def test_a_quote_saved_before_phased_was_kept_writes_back_as_it_was() -> None:
    """The report keeps the request, whose ``phased`` is a yes or no; a quote saved by
    0.1 or 0.2 had none, and its JSON is written back without it, byte for byte."""
    request = build_request(SHEET, TODAY, condition="spravato", start=date(2026, 1, 1))
    data = _plain(to_data(build_report(estimate(request, SHEET))))
    assert list(data["inputs"]) == INPUT_KEYS
    del data["inputs"]["phased"]
    back = from_data(data)
    assert not back.phased_saved
    assert back.request.phased is False
    assert json.dumps(to_data(back)) == json.dumps(data)


@pytest.fixture(scope="module")
def gfe_sheet(tmp_path_factory: pytest.TempPathFactory) -> PriceSheet:
    """The built-in sheet with a clinic's identity and a second provider's fee."""
    folder: Path = tmp_path_factory.mktemp("gfe-sheet")
    return load_sheet(str(clinic_sheet(folder, extra=CO_PROVIDER)))


@FEW
@given(
    condition=st.sampled_from(["depression", "pain", "spravato"]),
    sessions=st.one_of(st.none(), st.integers(1, 12)),
    weeks=st.one_of(st.none(), st.integers(1, 4)),
    maintenance=plans,
    months=st.integers(0, 24),
    start=starts,
    quote=st.one_of(st.none(), st.just("Q-20261201-ABCDEF")),
)
def test_gfe_record_reads_back_what_the_duties_need(
    gfe_sheet: PriceSheet,
    condition: str,
    sessions: int | None,
    weeks: int | None,
    maintenance: str | None,
    months: int,
    start: date,
    quote: str | None,
) -> None:
    """A GFE's log record reads back its providers, subtotals, period and quote (the
    only decoder there is: read_gfe gives a SavedGfe, not the GoodFaithEstimate)."""
    request = build_request(
        gfe_sheet,
        TODAY,
        condition=condition,
        sessions=sessions,
        weeks=weeks,
        maintenance=maintenance,
        months=months,
        start=start,
    )
    est, period = estimate_for_gfe(request, gfe_sheet)
    gfe = make_gfe(
        est,
        period,
        id="G-20261205-ABC123",
        issued=TODAY,
        patient="A Patient",
        dob=date(1980, 1, 2),
        diagnoses=("F33.1",),
        scheduled=start,
        separately=("Psychotherapy",),
        quote=quote,
    )
    record = _plain(gfe_record(gfe))
    saved = read_gfe({"gfe": record})
    assert saved == SavedGfe(
        providers=tuple(
            SavedProvider(
                key=s.provider.key, name=s.provider.name, npi=s.provider.npi, subtotal=s.amount
            )
            for s in gfe.subtotals
        ),
        start=period.start,
        end=period.end,
        quote=quote,
        continues=period.planned_sessions is not None,
    )
    assert _plain(gfe_record(gfe)) == record


@FEW
@given(starts, st.one_of(st.none(), st.integers(0, 400)), st.booleans())
def test_duty_round_trips(recorded: date, days: int | None, requested: bool) -> None:
    """A GFE duty decodes from its ``duty`` block to itself, and encodes alike."""
    scheduled = None if days is None else recorded + timedelta(days)
    try:
        duty = duty_for(recorded, scheduled, requested)
    except TimingError:
        assume(False)  # a scheduled day the duty rules refuse (tests/test_gfe_timing.py)
        return
    assume(duty is not None)
    assert duty is not None
    data = _plain(duty_data(duty))
    back = read_duty(data)
    assert back == duty
    assert back is not None
    assert duty_data(back) == data


def _form(data: Any) -> Any:
    """The data as a web form sends it: every value text (a number or yes/no written
    out, a value not given blank), groups of fields kept as groups."""
    if isinstance(data, dict):
        return {key: _form(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_form(value) for value in data]
    if isinstance(data, bool):
        return "true" if data else "false"
    return "" if data is None else str(data)


def _filled(request: EstimateRequest) -> EstimateRequest:
    """The request as its data reads back: the out-of-pocket met filled in."""
    cov = request.coverage
    return request if cov is None else replace(request, coverage=filled_coverage(cov))


def filled_coverage(cov: Coverage) -> Coverage:
    return replace(cov, oop_met=cov.starting_oop)


@FEW
@given(requests())
@example(build_request(SHEET, TODAY, condition="spravato", sessions=12))  # phased, spelled out
def test_request_round_trips(request: EstimateRequest) -> None:
    """A request decodes from its plain data to itself (on the sheet it was built on), and
    encodes again to the same data; a form's text of the same data decodes alike."""
    data = _plain(request_data(request))
    back = request_from_data(SHEET, TODAY, data)
    assert back == _filled(request)
    assert request_data(back) == data
    assert request_from_data(SHEET, TODAY, _form(data)) == back


@st.composite
def payings(draw: st.DrawFn) -> Paying:
    finance = draw(
        st.one_of(
            st.none(),
            st.builds(
                FinanceTerms,
                months=st.integers(1, 120),
                apr=st.integers(0, 10_000).map(lambda bp: Decimal(bp) / 10_000),
                deferred=st.just(False),
            ),
        )
    )
    return Paying(
        hsa_rate=draw(st.one_of(st.none(), st.integers(0, 100).map(lambda p: Decimal(p) / 100))),
        account=draw(st.sampled_from([None, "hsa-self", "hsa-family-55", "fsa"])),
        payroll=draw(st.booleans()),
        agi=draw(st.one_of(st.none(), cents)),
        finance=finance,
        finance_what=None if finance is None else draw(st.sampled_from([None, "all", "induction"])),
        savings=draw(st.booleans()),
    )


@FEW
@given(payings())
def test_paying_round_trips(paying: Paying) -> None:
    """How a request pays decodes from its plain data to itself, from a form's text too,
    and encodes alike (whether its values fit together is the request's check)."""
    data = _plain(paying_data(paying))
    assert paying_from_data(data) == paying
    assert paying_from_data(_form(data)) == paying
    assert paying_data(paying_from_data(data)) == data


@FEW
@given(coverages())
def test_a_form_s_text_of_a_plan_reads_as_its_data(coverage: Coverage | None) -> None:
    """A plan's data as a form's text (every value a string) reads back as the plan."""
    assume(coverage is not None)
    assert coverage is not None
    assert coverage_from_data(_form(coverage_data(coverage))) == filled_coverage(coverage)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sessions": "many"}, "sessions"),
        ({"sessions": "0"}, "sessions"),
        ({"start": "soon"}, "start"),
        ({"condition": "migraine"}, "condition"),
        ({"price": "400-"}, "price"),
        ({"ride": 25}, "ride"),
        ({"with": "veteran"}, "with_"),
        ({"payroll": "maybe"}, "payroll"),
        ({"hsa_rate": "abc"}, "hsa_rate"),
        ({"hsa_rate": "120"}, "hsa_rate"),
        ({"account": "fsa"}, "account"),
        ({"account": "ira", "hsa_rate": "24"}, "account"),
        ({"finance": {"months": "999"}}, "finance"),
        ({"finance_what": "induction"}, "finance_what"),
        ({"coverage": {"deductible": "-5", "coinsurance": "20"}}, "deductible"),
        ({"coverage": {"deductible": "500"}}, "coinsurance"),
        ({"coverage": "yes"}, "coverage"),
        ({"condition": "x" * 500}, "condition"),
        ({"sesions": "8"}, "sesions"),
        ({"coverage": {"deductible": "500", "coinsurance": "20", "copy": "5"}}, "coverage"),
        ({"finance": {"months": "12", "rate": "9"}}, "finance"),
    ],
)
def test_a_form_s_bad_value_is_refused_naming_its_field(data: dict[str, Any], field: str) -> None:
    """What a web form sends goes through the request's own checks: a bad value is an
    EstimateError naming the field, never another exception."""
    with pytest.raises(EstimateError) as error:
        request_from_data(SHEET, TODAY, data)
    assert error.value.field == field


def test_a_form_s_price_is_one_price_or_a_range() -> None:
    exact = request_from_data(SHEET, TODAY, {"price": "450"}).price
    assert exact == PriceRange.exact(Decimal(450))
    ranged = request_from_data(SHEET, TODAY, {"price": "$400-$800"}).price
    assert ranged == PriceRange.between(Decimal(400), Decimal(800))


def test_a_form_s_text_builds_the_request_the_options_would() -> None:
    """A form's fields, all text, give the request the same values as keywords do."""
    form = {
        "condition": "depression",
        "sessions": "6",
        "maintenance": "monthly",
        "start": "2027-01-04",
        "price": "$450",
        "with": "",
        "coverage": {"deductible": "1,500", "coinsurance": "20%", "network": "out"},
        "hsa_rate": "24",
        "payroll": "on",
        "finance": {"months": "12", "apr": "17.99"},
    }
    assert request_from_data(SHEET, TODAY, form) == build_request(
        SHEET,
        TODAY,
        condition="depression",
        sessions=6,
        maintenance="monthly",
        start=date(2027, 1, 4),
        price=Decimal(450),
        coverage=build_coverage(
            deductible=Decimal(1500), coinsurance=Decimal("0.2"), network="out"
        ),
        paying=Paying(
            hsa_rate=Decimal("0.24"),
            payroll=True,
            finance=FinanceTerms(months=12, apr=Decimal("0.1799")),
        ),
    )


OUT_OF_NETWORK_PLAN = Coverage(
    network="out",
    deductible=Decimal("500.00"),
    coinsurance=Decimal("0.3"),
    oon_allowed=(("96365", Decimal("180.00")),),
    medicare_percent=Decimal("1.5"),
    medicare_fees=(("96365", Decimal("70.00")), ("J3490", Decimal("0.00"))),
    claim_days=45,
    filing_limit=180,
    oon_deductible=Decimal("1000.00"),
    oon_deductible_met=Decimal("250.00"),
    oon_coinsurance=Decimal("0.4"),
    oon_oop_max=Decimal("6000.00"),
)


def test_an_out_of_network_plan_round_trips_with_its_refund_terms() -> None:
    """The out-of-network figures a refund forecast uses (a percent of Medicare's fee
    above 100 among them) are written and read back as they were, so a saved quote of
    such a plan can be shown again."""
    data = coverage_data(OUT_OF_NETWORK_PLAN)
    assert data is not None and data["medicare_percent"] == "150"
    assert coverage_from_data(data) == filled_coverage(OUT_OF_NETWORK_PLAN)
    assert coverage_from_data(_form(data)) == filled_coverage(OUT_OF_NETWORK_PLAN)
    sheet = load_sheet(None)
    report = build_report(
        estimate(build_request(sheet, date(2027, 1, 4), coverage=OUT_OF_NETWORK_PLAN), sheet)
    )
    assert to_data(from_data(to_data(report))) == to_data(report)
