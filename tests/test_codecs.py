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

from ketacost.coverage.shares import Coverage
from ketacost.estimate import estimate
from ketacost.gfe.document import estimate_for_gfe, make_gfe
from ketacost.gfe.record import SavedGfe, SavedProvider, gfe_record, read_gfe
from ketacost.gfe.timing import TimingError, duty_data, duty_for, read_duty
from ketacost.paying.financing import FinanceTerms
from ketacost.report.from_data import _coverage, _inputs
from ketacost.report.model import build_report
from ketacost.report.to_data import coverage_data, from_data, inputs_data, to_data
from ketacost.request import EstimateRequest, build_coverage, build_request, replay_request
from ketacost.sheet.load import load_sheet
from ketacost.sheet.model import SCENARIOS, PriceSheet
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
        oop_max=draw(st.one_of(st.none(), dollars.map(lambda a: a + deductible))),
        oop_met=draw(st.one_of(st.none(), st.just(met or Decimal(0)))),
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
        hsa_rate=hsa_rate,
        account=None if hsa_rate is None else draw(st.sampled_from([None, "hsa-family", "fsa"])),
        payroll=hsa_rate is not None and draw(st.booleans()),
        finance=finance,
        finance_what=None if finance is None else draw(st.sampled_from([None, "induction"])),
        agi=draw(st.one_of(st.none(), st.just(Decimal("60000")))),
        savings=condition == "spravato" and coverage is not None and draw(st.booleans()),
        until=draw(st.one_of(st.none(), st.integers(30, 400).map(lambda n: start + timedelta(n)))),
    )


def _plain(data: Any) -> Any:
    """The data as it comes back from JSON text (what the log and --format json keep)."""
    return json.loads(json.dumps(data))


@FEW
@given(requests(), st.sampled_from(SCENARIOS))
@example(EstimateRequest(start=date(2026, 1, 1)), "typical")  # New Year's Day: a moved session
@example(  # a savings program: what it pays of each claim
    EstimateRequest(
        start=date(2026, 1, 1),
        condition="spravato",
        coverage=Coverage(network="in", deductible=Decimal(0), coinsurance=Decimal(0)),
        savings=True,
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
    """The normalised inputs decode from their plain data to themselves and encode alike."""
    inputs = build_report(estimate(request, SHEET)).inputs
    data = _plain(inputs_data(inputs))
    assert _inputs(data) == inputs
    assert inputs_data(_inputs(data)) == data


@FEW
@given(coverages())
def test_coverage_round_trips(coverage: Coverage | None) -> None:
    """A patient's plan decodes from its plain data to itself, with the out-of-pocket met
    filled in as the figures use it (as a report stores it), and encodes alike."""
    data = _plain(coverage_data(coverage))
    filled = None if coverage is None else replace(coverage, oop_met=coverage.starting_oop)
    assert _coverage(data) == filled
    assert coverage_data(_coverage(data)) == data


@FEW
@given(requests())
@example(EstimateRequest(start=date(2026, 1, 1), condition="spravato"))  # a phased induction
def test_replayed_inputs_quote_the_same_clinic_charges(request: EstimateRequest) -> None:
    """A self-pay quote's saved inputs replay to a request whose clinic charges are the
    same, scenario by scenario and line by line (what a later GFE of it lists)."""
    report = build_report(estimate(replace(request, until=None), SHEET))
    if report.inputs.coverage is not None:
        return  # replay refuses an insured quote (tests/test_gfe.py); it leaves out until
    if _ambiguous(request, report.inputs.sessions, report.inputs.weeks):
        return  # test_an_even_spread_of_a_phased_treaments_own_totals_replays_as_phases
    replayed = replay_request(SHEET, TODAY, _plain(inputs_data(report.inputs)))
    again = build_report(estimate(replayed, SHEET))
    for name in SCENARIOS:
        assert again.scenarios[name].lines == report.scenarios[name].lines
    assert again.schedule == report.schedule


def _ambiguous(request: EstimateRequest, sessions: int, weeks: int) -> bool:
    """A treatment with phases (Spravato) asked for with exactly its own sessions and weeks
    spelled out, so spread evenly: its saved inputs read the same as a phased quote's."""
    treatment = SHEET.treatment(request.condition or SHEET.default_condition)
    own = (treatment.induction_sessions, treatment.induction_weeks)
    return bool(treatment.phases) and request.sessions is not None and (sessions, weeks) == own


@pytest.mark.xfail(
    reason="the saved inputs do not say whether the induction was phased: issue 20's "
    "request rework records it; until then such totals replay as the phases",
    strict=True,
)
def test_an_even_spread_of_a_phased_treaments_own_totals_replays_as_phases() -> None:
    """Known and written down (docs/gfe.md): Spravato asked for as 12 sessions spelled out
    (spread evenly over its 8 weeks) replays as its label phases, so a GFE from that quote
    would list other dates than the quote."""
    request = build_request(SHEET, TODAY, condition="spravato", sessions=12, start=date(2026, 1, 1))
    report = build_report(estimate(request, SHEET))
    replayed = replay_request(SHEET, TODAY, _plain(inputs_data(report.inputs)))
    assert build_report(estimate(replayed, SHEET)).schedule == report.schedule


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
