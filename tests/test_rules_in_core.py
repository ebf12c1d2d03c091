"""Each rule once, in the core (issue 20, item 5): a rule the faces (the command line, the
web desk, a batch row, a saved request) share lives in the core, which every face calls;
the faces only say it in their own words (an option, a form field, a column)."""

from __future__ import annotations

import inspect
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import ketacost
from ketacost.batch import RowError
from ketacost.batch import request_of as batch_request
from ketacost.cli import cli, complete
from ketacost.cli.estimate_cmd import estimate as estimate_command
from ketacost.coverage.build import build_coverage
from ketacost.estimate import estimate
from ketacost.money import D
from ketacost.parse import ParseError, parse_price_range
from ketacost.paying.data import ACCOUNTS, FINANCE_WHAT
from ketacost.paying.financing import FinanceTerms
from ketacost.paying.how_paid import Paying
from ketacost.plain import PlainError
from ketacost.request import (
    DEFAULT_MONTHS,
    EstimateError,
    build_request,
    can_leave_out,
    one_price,
    promotion,
    resolve,
    treatment_of,
)
from ketacost.request_data import price_from_data, replay_request, request_from_data
from ketacost.sheet.load import SheetError, load_sheet, parse_sheet
from ketacost.sheet.model import PriceRange, PriceRangeError, PriceSheet
from ketacost.web.form import CHOICES as form_choices
from tests.clinic import clinic_sheet
from tests.conftest import START
from tests.web import desk, field_error

PLAN = '[plans.club]\nevery = "4 weeks"\ntreatment = "spravato"\n'
STARTER = str(Path(ketacost.__file__).parent / "data" / "starter.toml")


@pytest.fixture(scope="module")
def sheet() -> PriceSheet:
    return load_sheet()


# 1. "months needs boosters"


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"months": 6, "maintenance": "none"}, "is how long boosters last; give a maintenance"),
        ({"months": 6}, "has none by default; give a maintenance plan too"),
        ({"months": 12, "condition": "pain"}, "has none by default"),
    ],
)
def test_months_without_boosters_is_refused_by_the_request(
    sheet: PriceSheet, values: dict[str, object], words: str
) -> None:
    with pytest.raises(EstimateError, match=words) as caught:
        build_request(sheet, START, **values)  # type: ignore[arg-type]
    assert caught.value.field == "months"


def test_months_left_out_is_the_default_and_months_with_boosters_are_taken(
    sheet: PriceSheet,
) -> None:
    assert build_request(sheet, START).months == DEFAULT_MONTHS
    assert build_request(sheet, START, maintenance="none").months == DEFAULT_MONTHS
    assert build_request(sheet, START, months=6, maintenance="monthly").months == 6
    assert build_request(sheet, START, months=3, condition="spravato").months == 3


def test_a_batch_row_and_plain_data_refuse_months_without_boosters(sheet: PriceSheet) -> None:
    with pytest.raises(RowError, match=r"^months: is how long boosters last"):
        batch_request({"months": "6", "maintenance": "none"}, sheet, START)
    with pytest.raises(EstimateError, match="how long boosters last") as caught:
        request_from_data(sheet, START, {"months": "6", "maintenance": "none"})
    assert caught.value.field == "months"


@pytest.mark.parametrize("months", ["6", "12"])
def test_months_typed_with_no_boosters_are_refused_on_every_face(
    sheet: PriceSheet, runner: CliRunner, months: str
) -> None:
    """12 is the default a saved quote always holds, but typed it is asked for: the web
    desk and a batch row refuse it as the command line does."""
    answer = desk().get("/estimate", params={"months": months, "maintenance": "none"})
    assert answer.status_code == 400
    assert "how long boosters last" in field_error(answer.text, "months")
    with pytest.raises(RowError, match=r"^months: is how long boosters last"):
        batch_request({"months": months, "maintenance": "none"}, sheet, START)
    result = runner.invoke(cli, ["estimate", "--months", months, "-m", "none"])
    assert result.exit_code == 2


@pytest.mark.parametrize("args", [["-m", "none"], []])
def test_the_command_line_names_its_option(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, ["estimate", "--months", "6", *args])
    assert result.exit_code == 2
    assert "Invalid value for '--months': is how long boosters last" in result.output


def test_a_saved_quote_without_boosters_replays_with_its_months(sheet: PriceSheet) -> None:
    """Every quote saved by 0.1 and 0.2 holds ``months`` (12 when not given), with no
    boosters too: it replays as it did, its months kept."""
    inputs = {
        **{"condition": "depression", "sessions": 6, "weeks": 2, "price": None},
        **{"maintenance": "none", "months": 12, "start": "2026-12-07", "without": []},
    }
    request = replay_request(sheet, date(2026, 12, 1), inputs)
    assert (request.months, request.maintenance.unit) == (12, "none")
    assert replay_request(sheet, date(2026, 12, 1), {**inputs, "months": 7}).months == 7


# 2. "promo_months needs a plan"


def test_a_promotion_is_built_by_the_request_naming_its_field() -> None:
    plan = FinanceTerms(months=24, apr=Decimal("0.2299"))
    assert promotion(None, None) is None
    assert promotion(plan, None) == plan
    assert promotion(plan, 6) == FinanceTerms(months=24, apr=Decimal("0.2299"), promo_months=6)
    for terms, months, words in [
        (None, 6, "give a payment plan"),
        (FinanceTerms(months=12, apr=Decimal(0)), 6, "APR that follows it"),
        (plan, 24, "fewer months than the plan"),
    ]:
        with pytest.raises(EstimateError, match=words) as caught:
            promotion(terms, months)
        assert caught.value.field == "promo_months"


def test_the_web_form_takes_a_promotion_as_the_command_line_does(runner: CliRunner) -> None:
    client = desk()
    page = client.get("/estimate").text
    assert 'name="promo_months"' in page and "0% for its first N months" in page
    query = {"start": START.isoformat(), "finance": "24@22.99", "promo_months": "6"}
    answer = client.get("/estimate", params=query, headers={"accept": "application/json"})
    args = ["--finance", "24@22.99", "--promo-months", "6", "--format", "json"]
    cli_run = runner.invoke(cli, ["estimate", "--start", START.isoformat(), *args])
    assert cli_run.exit_code == 0, cli_run.output
    assert answer.status_code == 200 and answer.content == cli_run.stdout_bytes
    assert answer.json()["inputs"]["finance"]["promo_months"] == 6


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ({"promo_months": "6"}, "is a promotion of a payment plan; give a payment plan"),
        ({"promo_months": "6", "finance": "12"}, "APR that follows it"),
        ({"promo_months": "0", "finance": "12@20"}, "must be from 1"),
        ({"promo_months": "six", "finance": "12@20"}, "is not a whole number"),
    ],
)
def test_the_web_form_shows_a_bad_promotion_next_to_its_field(
    form: dict[str, str], words: str
) -> None:
    answer = desk().get("/estimate", params=form)
    assert answer.status_code == 400
    assert words in field_error(answer.text, "promo_months")


def test_the_command_line_names_the_promotions_option(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["estimate", "--promo-months", "6"])
    assert result.exit_code == 2
    assert (
        "Invalid value for '--promo-months': is a promotion of a payment plan; give --finance "
        "too (e.g. --finance 24@22.99)"
    ) in result.stderr


# 3. A price's low <= typical <= high


@pytest.mark.parametrize(
    ("low", "typical", "high", "field", "words"),
    [
        ("800.00", "800.00", "400.00", "low", "low 800.00 is above high 400.00"),
        ("400.00", "900.00", "800.00", "typical", "typical 900.00 is not between low 400.00"),
        ("400.00", "300.00", "800.00", "typical", "typical 300.00 is not between"),
    ],
)
def test_a_price_range_refuses_itself_out_of_order(
    low: str, typical: str, high: str, field: str, words: str
) -> None:
    with pytest.raises(PriceRangeError, match=words) as caught:
        PriceRange(low=D(low), typical=D(typical), high=D(high))
    assert caught.value.field == field
    with pytest.raises(PlainError, match=f"is not a price from low to high: {words}"):
        price_from_data({"price": {"low": low, "typical": typical, "high": high}})


def test_every_reader_of_a_price_keeps_its_own_words() -> None:
    assert PriceRange.exact(D("450")).is_exact
    assert PriceRange.between(D("400"), D("800")).typical == D("600.00")
    with pytest.raises(ParseError, match="the low price 900 is above the high 400"):
        parse_price_range("900-400")
    sheet = "[treatments.pain]\nlow = 900\nhigh = 400\n"
    with pytest.raises(
        SheetError, match=r"x.toml:2: \[treatments.pain\] low 900.00 is above high 400.00"
    ):
        parse_sheet(sheet, "x.toml")


# 4. Choices, count bounds, "not both" and the keys that can be left out, once each


def test_the_faces_offer_the_paying_records_own_choices() -> None:
    """The account and what a plan finances are offered as the paying codec reads them:
    the same tuples, not copies typed again."""
    params = {p.name: p for p in estimate_command.params}
    assert params["account"].type.choices is ACCOUNTS  # type: ignore[attr-defined]
    assert params["finance_what"].type.choices is FINANCE_WHAT  # type: ignore[attr-defined]
    assert form_choices["account"] is ACCOUNTS
    assert form_choices["finance_what"] is FINANCE_WHAT


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("sessions", 0, "must be from 1 to 100, not 0"),
        ("weeks", 53, "must be from 1 to 52, not 53"),
        ("months", 61, "must be from 0 to 60, not 61"),
    ],
)
def test_a_count_out_of_bounds_reads_alike_on_every_face(
    sheet: PriceSheet, field: str, value: int, words: str
) -> None:
    with pytest.raises(EstimateError, match=words):
        build_request(sheet, START, maintenance="monthly", **{field: value})  # type: ignore[arg-type]
    form = {field: str(value), "maintenance": "monthly"}
    assert words in field_error(desk().get("/estimate", params=form).text, field)


def test_an_exact_price_or_a_range_is_one_rule() -> None:
    assert one_price(D("450"), None) == PriceRange.exact(D("450"))
    assert one_price(None, PriceRange.between(D(400), D(800))) == PriceRange.between(D(400), D(800))
    assert one_price(None, None) is None
    with pytest.raises(EstimateError, match="give an exact price or a price range, not both"):
        one_price(D("450"), PriceRange.between(D(400), D(800)))


def test_what_can_be_left_out_is_what_completion_offers() -> None:
    sheet = load_sheet(STARTER)
    keys = [item.key for item in can_leave_out(sheet)]
    ctx = click.Context(estimate_command)
    ctx.params["sheet"] = STARTER
    assert keys == [item.value for item in complete.leave_out(ctx, ctx.command.params[0], "")]
    assert keys == ["prepaid", "anti-nausea"]  # a conditional discount, an optional fee
    for key in keys:
        build_request(sheet, START, without=[key])
    for fee in sheet.fees:
        if not fee.optional:
            with pytest.raises(EstimateError, match="is not optional"):
                build_request(sheet, START, without=[fee.key])


# 5. The request's treatment, plan and savings program, looked up in one place


def test_the_request_resolves_its_treatment_plan_and_program_once(tmp_path: Path) -> None:
    sheet = load_sheet(str(clinic_sheet(tmp_path, extra=PLAN)))
    insured = build_coverage(deductible=D(0), coinsurance=D("0.2"))
    request = build_request(
        sheet, START, condition="spravato", maintenance="club", coverage=insured,
        paying=Paying(savings=True),
    )  # fmt: skip
    found = resolve(request, sheet)
    assert found.treatment is sheet.treatment("spravato")
    assert found.plan is sheet.plan("club")
    assert found.program is sheet.savings_for("spravato")
    result = estimate(request, sheet)
    assert (result.treatment, result.plan) == (found.treatment, found.plan)
    plain = resolve(build_request(sheet, START), sheet)
    assert (plain.treatment.key, plain.plan, plain.program) == ("depression", None, None)


def test_a_condition_the_sheet_lost_is_one_error_naming_its_field(sheet: PriceSheet) -> None:
    request = replace(build_request(sheet, START), condition="flu")
    for lookup in (lambda: resolve(request, sheet), lambda: estimate(request, sheet)):
        with pytest.raises(EstimateError, match="unknown condition 'flu'") as caught:
            lookup()
        assert caught.value.field == "condition"
    with pytest.raises(EstimateError, match="unknown condition 'flu'") as caught:
        treatment_of(sheet, "flu")
    assert caught.value.field == "condition"


def test_the_estimate_reads_the_sheet_through_the_requests_lookup() -> None:
    """The estimate asks the request's :func:`resolve` for the treatment, the plan and
    the program; it does not look them up on the sheet a second time."""
    source = inspect.getsource(estimate)
    for lookup in ("sheet.treatment(", "sheet.plan(", "sheet.savings_for("):
        assert lookup not in source
