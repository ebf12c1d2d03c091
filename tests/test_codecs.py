"""Round trips of the codecs to and from plain data (issue 20): each record, built by the
core's own builders from generated requests, encodes to JSON-ready data and decodes back
to the record it was, and encoding that again gives the same data."""

from __future__ import annotations

import ast
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

import ketacost
from ketacost.coverage.build import build_coverage
from ketacost.coverage.data import coverage_data, coverage_from_data
from ketacost.coverage.fields import MAX_CLAIM_DAYS, MAX_FILING_LIMIT
from ketacost.coverage.shares import Coverage, Network
from ketacost.entries import ID_ALPHABET, entry_data, new_entry
from ketacost.estimate import estimate
from ketacost.gfe.document import GoodFaithEstimate, estimate_for_gfe, make_gfe
from ketacost.gfe.record import gfe_data, gfe_from_data, gfe_result, read_gfe, saved_gfe
from ketacost.gfe.timing import TimingError, duty_data, duty_for, read_duty
from ketacost.paying.data import paying_data, paying_from_data
from ketacost.paying.financing import FinanceTerms
from ketacost.paying.how_paid import Paying
from ketacost.report.build import build_report
from ketacost.report.to_data import from_data, report_inputs_data, to_data
from ketacost.request import EstimateError, EstimateRequest, build_request
from ketacost.request_data import (
    replay_request,
    request_data,
    request_from_data,
    saved_request,
)
from ketacost.sheet.load import BUILTIN_SHEET, load_sheet, parse_sheet
from ketacost.sheet.model import SCENARIOS, PriceRange, PriceSheet
from ketacost.superbill.claims import Payment, payment_data, payment_from_data
from tests.clinic import CLINIC, CO_PROVIDER

SHEET = load_sheet()
FIXTURES = Path(__file__).parent / "fixtures"
TODAY = date(2026, 12, 5)
FEW = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

dollars = st.integers(min_value=0, max_value=5_000).map(Decimal)
cents = st.integers(min_value=0, max_value=500_000).map(lambda c: Decimal(c) / 100)
starts = st.integers(0, 800).map(lambda days: date(2026, 1, 1) + timedelta(days=days))
plans = st.sampled_from([None, "none", "4w", "every 2 weeks", "monthly", "every 2 months"])


def boosters(condition: str | None, plan: str | None, sheet: PriceSheet = SHEET) -> bool:
    """Whether the plan asked for (None: the treatment's own) has boosters, so that months
    may be asked for."""
    own = sheet.treatment(condition or sheet.default_condition).maintenance
    return plan != "none" and (plan is not None or own.unit != "none")


BILLED_CODES = ("96365", "96366", "J3490", "J0013")
"""The service codes the built-in sheet bills."""
code_amounts = st.lists(
    st.tuples(st.sampled_from(BILLED_CODES), cents), unique_by=lambda pair: pair[0]
).map(tuple)


@st.composite
def coverages(draw: st.DrawFn, per_code: bool = True, refunds: bool = True) -> Coverage | None:
    """A plan as the options give it: in or out of network, deductible and coinsurance
    always given, the rest sometimes; out of network, sometimes with the terms a coverage
    file adds (separate out-of-network figures, allowed amounts per code or a percent of
    Medicare's fees covering every code billed, the days a claim takes, the filing limit).
    ``per_code`` False leaves out the amounts per code (for a treatment billed without
    codes, which they cannot allow); ``refunds`` False every out-of-network term."""
    if draw(st.booleans()):
        return None
    deductible = draw(dollars)
    met = draw(st.one_of(st.none(), st.just(deductible / 2)))
    optional = st.one_of(st.none(), cents)
    network: Network = draw(st.sampled_from(["in", "out"]))
    out = refunds and network == "out"  # the days a claim takes, the filing limit
    plan = build_coverage(
        network=network,
        deductible=deductible,
        deductible_met=met,
        copay=draw(st.one_of(st.none(), st.just(Decimal("25")))),
        coinsurance=Decimal(draw(st.integers(0, 100))) / 100,
        oop_max=(oop_max := draw(st.one_of(st.none(), dollars.map(lambda a: a + deductible)))),
        oop_met=None if oop_max is None else draw(st.one_of(st.none(), st.just(met or Decimal(0)))),
        allowed=draw(optional.map(lambda a: None if a is None else a + 25)),
        plan_year_start=draw(st.one_of(st.none(), st.sampled_from([(1, 1), (7, 1), (10, 15)]))),
        claim_days=draw(st.one_of(st.none(), st.integers(1, MAX_CLAIM_DAYS))) if out else None,
        filing_limit=draw(st.one_of(st.none(), st.integers(1, MAX_FILING_LIMIT))) if out else None,
    )
    if plan is None or not out or not draw(st.booleans()):
        return plan
    terms: dict[str, Any] = {}
    if draw(st.booleans()):  # the plan's separate out-of-network terms
        oon = draw(dollars)
        oon_met = draw(st.one_of(st.none(), st.just(oon / 4)))
        terms |= {
            "oon_deductible": oon,
            "oon_deductible_met": oon_met,
            "oon_coinsurance": Decimal(draw(st.integers(0, 100))) / 100,
            "oon_oop_max": draw(st.one_of(st.none(), dollars.map(lambda a: a + oon))),
            "oon_oop_met": draw(st.one_of(st.none(), st.just(oon_met or Decimal(0)))),
        }
    how = draw(st.sampled_from(["session", "codes", "medicare"] if per_code else ["session"]))
    if how != "session":  # every code billed is allowed, by the plan's amount or Medicare's
        fees = tuple((code, draw(cents)) for code in BILLED_CODES)
        own = draw(code_amounts)
        terms |= {"allowed": None, "oon_allowed": fees if how == "codes" else own}
        if how == "medicare":
            terms |= {
                "medicare_percent": Decimal(draw(st.integers(1, 1000))) / 100,
                "medicare_fees": fees,
            }
    return replace(plan, **terms)


@st.composite
def requests(draw: st.DrawFn) -> EstimateRequest:
    """A request as a patient or the desk makes it, through ``build_request``."""
    condition = draw(st.sampled_from([None, "depression", "pain", "ptsd", "spravato", "kap"]))
    coverage = draw(coverages(per_code=condition != "kap"))
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
    plan = draw(plans)
    months = draw(st.one_of(st.none(), st.integers(0, 24)))
    return build_request(
        SHEET,
        TODAY,
        condition=condition,
        sessions=draw(st.one_of(st.none(), st.integers(1, 12))),
        weeks=draw(st.one_of(st.none(), st.integers(1, 4))),
        price=draw(st.one_of(st.none(), cents)),
        maintenance=plan,
        months=months if boosters(condition, plan) else None,
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
    data = _plain(report_inputs_data(report))
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
    if data is not None:  # a form's text of the plan reads alike
        assert coverage_from_data(_form(data)) == filled


@FEW
@given(requests())
@example(build_request(SHEET, date(2026, 1, 1), condition="spravato"))  # a phased induction
def test_replayed_inputs_quote_the_same_clinic_charges(request: EstimateRequest) -> None:
    """A self-pay quote's saved inputs replay to a request whose clinic charges are the
    same, scenario by scenario and line by line (what a later GFE of it lists)."""
    report = build_report(estimate(replace(request, until=None), SHEET))
    if report.request.coverage is not None:
        return  # replay refuses an insured quote (tests/test_gfe.py); it leaves out until
    replayed = replay_request(SHEET, TODAY, _plain(report_inputs_data(report)))
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
    replayed = replay_request(SHEET, TODAY, _plain(report_inputs_data(report)))
    assert not replayed.phased
    assert build_report(estimate(replayed, SHEET)).schedule == report.schedule


def test_a_quote_saved_before_phased_was_kept_replays_as_it_always_did() -> None:
    """A quote saved by 0.1 or 0.2 has no ``phased``: a phased treatment's own totals
    replay as its phases (as they always did), other totals spread evenly."""
    phased = build_request(SHEET, TODAY, condition="spravato", start=date(2026, 1, 1))
    even = build_request(SHEET, TODAY, condition="spravato", sessions=8, start=date(2026, 1, 1))
    for request in (phased, even):
        report = build_report(estimate(request, SHEET))
        saved = _plain(report_inputs_data(report))
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


GFE_SHEET = parse_sheet(
    Path(BUILTIN_SHEET).read_text(encoding="utf-8")
    + "\n[clinic]\n"
    + "".join(f"{key} = {json.dumps(value)}\n" for key, value in CLINIC.items())
    + CO_PROVIDER.replace(
        'codes = ["90792"]', 'codes = [{ code = "90792", units = 2, modifiers = ["95", "GT"] }]'
    )
    + """
[discounts.cash]
label = "Cash price"
percent = 5
applies_to = "induction"

[discounts.veteran]
label = "Veterans' discount"
amount = 50
applies_to = "all"
when = "the patient is a veteran"
""",
    "clinic.toml",
)
"""The built-in prices with a clinic, a second provider whose fee carries modifiers, a
discount every self-pay patient gets and one on a condition."""
words = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)
ids = st.text(st.sampled_from(ID_ALPHABET), min_size=6, max_size=6)
days = st.dates(date(2026, 1, 1), date(2028, 12, 31))


@st.composite
def gfes(draw: st.DrawFn) -> GoodFaithEstimate:
    """A Good Faith Estimate as the desk issues one, through ``make_gfe``: varied plans,
    providers, discounts and texts."""
    start = draw(starts)
    condition = draw(st.sampled_from(["depression", "pain", "spravato", "im"]))
    plan = draw(plans)
    request = build_request(
        GFE_SHEET,
        TODAY,
        condition=condition,
        sessions=draw(st.one_of(st.none(), st.integers(1, 12))),
        weeks=draw(st.one_of(st.none(), st.integers(1, 4))),
        maintenance=plan,
        months=draw(st.integers(0, 24)) if boosters(condition, plan, GFE_SHEET) else None,
        start=start,
        price=draw(st.one_of(st.none(), cents.map(lambda c: c + 1))),
        with_=draw(st.sampled_from([(), ("veteran",)])),
    )
    est, period = estimate_for_gfe(request, GFE_SHEET)
    return make_gfe(
        est,
        period,
        id=f"G-20261205-{draw(ids)}",
        issued=draw(days),
        patient=draw(words),
        dob=draw(st.dates(date(1900, 1, 1), date(2026, 12, 5))),
        diagnoses=draw(st.lists(st.sampled_from(["F33.1", "F43.10", "G89.4"]), max_size=3)),
        scheduled=draw(st.one_of(st.none(), st.just(est.schedule[0].date))),
        separately=draw(st.lists(words, max_size=2)),
        prepared_by=draw(st.one_of(st.none(), words)),
        replaces=draw(st.one_of(st.none(), ids.map(lambda tail: f"G-20261201-{tail}"))),
        due=draw(st.one_of(st.none(), days)),
        quote=draw(st.one_of(st.none(), ids.map(lambda tail: f"Q-20261201-{tail}"))),
    )


@FEW
@given(gfes())
def test_gfe_round_trips(gfe: GoodFaithEstimate) -> None:
    """A Good Faith Estimate decodes from its plain data to itself (items, diagnoses,
    dates, providers, discounts, the estimate it lists), and encodes again to the same
    data. What the duties and the bill check read of it is what its record reads as."""
    data = _plain(gfe_data(gfe))
    back = gfe_from_data(data)
    assert back == gfe
    assert _plain(gfe_data(back)) == data
    assert read_gfe(data) == saved_gfe(gfe)


@FEW
@given(gfes())
def test_a_saved_gfe_reads_back_from_the_log_s_entry(gfe: GoodFaithEstimate) -> None:
    """What the log keeps of a GFE (its entry, as ``quotes show --format json`` prints
    it) reads back as the Good Faith Estimate that was issued."""
    entry = new_entry(
        "gfe",
        gfe_result(gfe),
        entry_id=gfe.id,
        created=datetime(2026, 12, 5, 15, 30, tzinfo=UTC),
        patient=gfe.patient,
        dob=gfe.dob.isoformat(),
        prepared_by=gfe.prepared_by,
        replaces=gfe.replaces,
        desk="front",
    )
    assert gfe_from_data(_plain(entry_data(entry))) == gfe
    assert read_gfe(_plain(entry.result)) == saved_gfe(gfe)


def ann_lees_gfe(request: EstimateRequest) -> GoodFaithEstimate:
    """The GFE the desk issues Ann Lee for ``request`` on the GFE sheet, today."""
    return make_gfe(
        *estimate_for_gfe(request, GFE_SHEET),
        id="G-20261205-ABC123",
        issued=TODAY,
        patient="Ann Lee",
        dob=date(1980, 4, 30),
        diagnoses=("F33.1",),
        scheduled=None,
        separately=(),
    )


def test_a_gfe_saved_before_its_record_was_whole_still_reads() -> None:
    """A record saved before the service, the list prices and the modifiers were kept
    reads back with them blank; one saved by 0.1.0 keeps no items, so it reads only as
    what the duties need (its page, kept as issued, is the GFE)."""
    request = build_request(GFE_SHEET, TODAY, with_=("veteran",), start=date(2027, 1, 4))
    gfe = ann_lees_gfe(request)
    data = _plain(gfe_data(gfe))
    for key in ("service", "description"):
        del data["gfe"][key]
    dropped = [item.pop("list_price", None) for item in data["gfe"]["items"]]
    dropped += [c.pop("modifiers", None) for item in data["gfe"]["items"] for c in item["codes"]]
    assert "600.00" in dropped and ["95", "GT"] in dropped  # a list price, a fee's modifiers
    back = gfe_from_data(data)
    assert (back.service, back.description) == ("", "")
    assert [i.list_unit for i in back.items] == [None] * len(gfe.items)
    assert [i.amount for i in back.items] == [i.amount for i in gfe.items]
    assert back.subtotals == gfe.subtotals
    old = FIXTURES / "upgrade-0.1.0" / "G-20261130-48ANXN.json"
    data = json.loads(old.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match=r"0\.1\.0"):
        gfe_from_data(data)
    assert read_gfe(data).start == date(2026, 12, 14)


@pytest.mark.parametrize("plan", [[], {}, 4, None])
def test_a_damaged_gfe_s_booster_plan_is_a_damaged_record(plan: Any) -> None:
    """A saved GFE whose inputs' maintenance is not text raises one of the errors its
    readers promise (KeyError, TypeError or ValueError), not an AttributeError."""
    request = build_request(GFE_SHEET, TODAY, start=date(2027, 1, 4))
    gfe = ann_lees_gfe(request)
    data = _plain(gfe_data(gfe))
    data["inputs"]["maintenance"] = plan
    with pytest.raises((KeyError, TypeError, ValueError)):
        gfe_from_data(data)


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
    """How a request may pay: a payment plan at a fixed APR, deferred interest or 0% for
    its first months, and the rest."""
    months = draw(st.integers(1, 120))
    apr = draw(st.integers(1, 10_000).map(lambda bp: Decimal(bp) / 10_000))
    kinds = ["none", "free", "fixed", "deferred", *(["promo"] if months > 1 else [])]
    kind = draw(st.sampled_from(kinds))
    finance = {
        "none": None,
        "free": FinanceTerms(months=months, apr=Decimal(0)),
        "fixed": FinanceTerms(months=months, apr=apr),
        "deferred": FinanceTerms(months=months, apr=apr, deferred=True),
        "promo": FinanceTerms(
            months=months, apr=apr, promo_months=draw(st.integers(1, max(months - 1, 1)))
        )
        if months > 1
        else None,
    }[kind]
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


def test_each_codec_function_has_one_name_in_the_package() -> None:
    """A codec's function (``*_data``, ``*_from_data``) is defined once in the package: a
    reader who meets ``inputs_data`` or ``paying_data`` knows which record it writes."""
    defined: dict[str, list[str]] = {}
    for path in sorted(Path(ketacost.__file__).parent.rglob("*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.endswith("_data"):
                defined.setdefault(node.name, []).append(str(path))
    twice = {name: paths for name, paths in defined.items() if len(paths) > 1}
    assert twice == {}


@st.composite
def payments(draw: st.DrawFn) -> Payment:
    """An insurer's payment as ``claims paid`` records it, with or without a forecast."""
    return Payment(
        id=f"C-20261205-{draw(ids)}",
        superbill=f"S-20261201-{draw(ids)}",
        amount=draw(cents),
        on=draw(days),
        forecast=draw(st.one_of(st.none(), cents)),
    )


@FEW
@given(payments())
def test_payment_round_trips(payment: Payment) -> None:
    """A payment decodes from its ``claim`` object to itself (the entry's id beside it),
    and encodes again to the same data."""
    data = _plain(payment_data(payment))
    back = payment_from_data(data, payment.id)
    assert back == payment
    assert payment_data(back) == data


def test_a_payment_recorded_before_the_codec_reads_and_writes_as_saved() -> None:
    """A ``claim`` object as ``claims paid`` has kept it (the forecast then, and the
    difference from it) reads back with its forecast, and writes out key for key."""
    saved = {"superbill": "S-20261207-8KD2QX", "amount": "900.00", "on": "2026-12-12",
             "forecast": "960.00", "difference": "-60.00"}  # fmt: skip
    payment = payment_from_data(saved, "C-20261212-4T7WQA")
    assert payment == Payment(
        id="C-20261212-4T7WQA",
        superbill="S-20261207-8KD2QX",
        amount=Decimal("900.00"),
        on=date(2026, 12, 12),
        forecast=Decimal("960.00"),
    )
    assert payment.difference == Decimal("-60.00")
    assert json.dumps(payment_data(payment)) == json.dumps(saved)
    unknown = {**saved, "forecast": None, "difference": None}
    assert payment_data(payment_from_data(unknown, "C-20261212-4T7WQA")) == unknown
