"""Reading and checking price sheets: every validation of issue 4, each with its line."""

from __future__ import annotations

import hashlib
from dataclasses import fields, replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketacost.money import HUNDRED, cents
from ketacost.sheet.check import npi_is_valid, tin_is_valid
from ketacost.sheet.load import SheetError, load_sheet, parse_sheet
from tests.sheet_samples import FIGURE, problems, write

TREATMENT = "[treatments.depression]\nprice = 450\n"


def test_figure_sheet_reads_every_part() -> None:
    """The issue's figure sheet loads: clinic, exact price, fee with code, conditional discount."""
    sheet = parse_sheet(FIGURE, "clinic.toml")
    assert sheet.name == "Riverside Ketamine Clinic"
    assert sheet.clinic.npi == "1234567893"
    assert sheet.clinic.tin == "12-3456789"
    depression = sheet.treatment("depression")
    assert depression.price.is_exact
    assert depression.price.typical == Decimal("450.00")
    assert depression.codes == ("96365", "J3490")
    (fee,) = sheet.fees
    assert (fee.key, fee.amount, fee.per, fee.codes) == (
        "consultation",
        Decimal("250.00"),
        "once",
        ("90792",),
    )
    (discount,) = sheet.discounts
    assert (discount.rate, discount.applies_to, discount.when) == (
        Decimal("0.10"),
        "induction",
        "prepaid",
    )


def test_money_is_read_as_decimal_never_float() -> None:
    """A TOML float such as 450.10 arrives as the exact Decimal 450.10."""
    sheet = parse_sheet("[treatments.a]\nprice = 450.10\n")
    price = sheet.treatment("a").price.low
    assert isinstance(price, Decimal)
    assert price == Decimal("450.10")


def test_toml_syntax_error_names_its_line() -> None:
    """Broken TOML is one problem at the line tomllib reports."""
    assert problems('[sheet]\nname = "x"\nprice 450\n') == [
        "clinic.toml:3: not valid TOML: Expected '=' after a key in a key/value pair (column 7)"
    ]


def test_unknown_key_suggests_the_near_one() -> None:
    """A misspelt key is reported at its line with a did-you-mean."""
    assert problems(TREATMENT + 'lable = "Depression"\n') == [
        "clinic.toml:3: unknown key 'lable' in [treatments.depression] (did you mean 'label'?)"
    ]


def test_unknown_table_suggests_the_near_one() -> None:
    """A misspelt table ([treatment.x] for [treatments.x]) is reported at its header."""
    assert problems(TREATMENT + "\n[fee.consult]\namount = 250\n") == [
        "clinic.toml:4: unknown table [fee] (did you mean 'fees'?)"
    ]


def test_sheet_key_outside_any_table_points_to_sheet() -> None:
    """``name = ...`` before any table belongs in [sheet], and the message says so."""
    assert problems('nmae = "Clinic"\n' + TREATMENT) == [
        "clinic.toml:1: unknown key 'nmae' outside any table (did you mean 'name' in [sheet]?)"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[fees.consult]\nlabel = "Consultation"\n',
            "clinic.toml:4: [fees.consult] is missing 'amount'",
        ),
        (
            '[discounts.prepaid]\nwhen = "prepaid"\n',
            "clinic.toml:4: [discounts.prepaid] is missing 'percent' or 'amount' "
            "(how much it takes off)",
        ),
        (
            '[plans.membership]\ntreatment = "depression"\n',
            "clinic.toml:4: [plans.membership] is missing 'every'",
        ),
    ],
)
def test_missing_required_fields(text: str, expected: str) -> None:
    """A fee without amount, a discount without size, a plan without interval."""
    assert problems(TREATMENT + "\n" + text) == [expected]


def test_treatment_without_price_is_reported() -> None:
    """A treatment needs an exact price or a low/high range."""
    assert problems('[treatments.depression]\nlabel = "Depression"\n') == [
        "clinic.toml:1: [treatments.depression] needs a 'price', or a 'low' and a 'high'"
    ]


def test_range_missing_high_is_reported() -> None:
    """A low without a high names the missing key."""
    assert problems("[treatments.depression]\nlow = 400\n") == [
        "clinic.toml:1: [treatments.depression] is missing 'high'"
    ]


def test_sheet_without_treatments_is_reported() -> None:
    """A sheet must price at least one treatment."""
    assert problems('[sheet]\nname = "Empty"\n') == [
        "clinic.toml:1: the sheet prices no treatments: add a [treatments.NAME] table"
    ]


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("[treatments.depression]\nprice = -450\n", 2, "'price' in [treatments.depression]"),
        (TREATMENT + "[fees.consult]\namount = -250\n", 4, "'amount' in [fees.consult]"),
        (TREATMENT + "[discounts.loyal]\namount = -5\n", 4, "'amount' in [discounts.loyal]"),
        (TREATMENT + "[treatments.pain]\nlow = -1\nhigh = 900\n", 4, "'low' in [treatments.pain]"),
    ],
)
def test_negative_amounts_are_refused(text: str, line: int, key: str) -> None:
    """No price, fee or discount amount may be negative."""
    assert problems(text) == [f"clinic.toml:{line}: {key} must not be negative"]


def test_more_than_two_decimals_is_refused() -> None:
    """Amounts are whole cents."""
    assert problems("[treatments.depression]\nprice = 450.125\n") == [
        "clinic.toml:2: 'price' in [treatments.depression] has more than two decimals"
    ]


def test_low_above_high_is_refused() -> None:
    """A range whose low is above its high is reported at the low."""
    assert problems("[treatments.pain]\nlow = 2000\nhigh = 700\n") == [
        "clinic.toml:2: [treatments.pain] low 2000.00 is above high 700.00"
    ]


def test_typical_outside_range_is_refused() -> None:
    """The typical price lies between low and high."""
    assert problems("[treatments.pain]\nlow = 700\nhigh = 900\ntypical = 950\n") == [
        "clinic.toml:4: [treatments.pain] typical 950.00 is not between low 700.00 and high 900.00"
    ]


def test_exact_price_and_range_together_are_refused() -> None:
    """A treatment gives an exact price or a range, not both."""
    assert problems("[treatments.pain]\nprice = 800\nlow = 700\nhigh = 900\n") == [
        "clinic.toml:2: [treatments.pain] has both 'price' and a low/high range: "
        "give one or the other"
    ]


def test_discount_over_100_percent_is_refused() -> None:
    """A percentage discount runs from 0 to 100."""
    assert problems(TREATMENT + "[discounts.prepaid]\npercent = 110\n") == [
        "clinic.toml:4: 'percent' in [discounts.prepaid] must be from 0 to 100, not 110"
    ]


def test_discount_with_percent_and_amount_is_refused() -> None:
    """A discount is a percentage or an amount, not both."""
    assert problems(TREATMENT + "[discounts.x]\npercent = 5\namount = 10\n") == [
        "clinic.toml:5: [discounts.x] gives both 'percent' and 'amount': give one"
    ]


def test_npi_check_digit() -> None:
    """Luhn over 80840 + the first nine digits: 1234567893 is valid, 1234567890 is not."""
    assert npi_is_valid("1234567893")
    assert not npi_is_valid("1234567890")
    assert not npi_is_valid("123456789")
    assert not npi_is_valid("12345678a3")


def test_npi_failing_its_check_digit_is_reported() -> None:
    """A sheet whose clinic NPI fails the check digit is refused at the npi line."""
    sheet = '[clinic]\nname = "Riverside"\nnpi = "{}"\n\n' + TREATMENT
    assert problems(sheet.format("1234567893")) == []
    assert problems(sheet.format("1234567890")) == [
        "clinic.toml:3: NPI '1234567890' is not valid: it must be 10 digits whose last is "
        "the check digit"
    ]


def test_npi_written_as_a_number_asks_for_quotes() -> None:
    """An NPI must be text; written bare, the message says to quote it."""
    assert problems("[clinic]\nnpi = 1234567893\n" + TREATMENT) == [
        "clinic.toml:2: 'npi' in [clinic] must be text (in quotes)"
    ]


@pytest.mark.parametrize("tin", ["123456789", "12-345678", "123-456789", "AB-1234567"])
def test_tin_not_nn_nnnnnnn_is_reported(tin: str) -> None:
    """A TIN must be written NN-NNNNNNN."""
    assert not tin_is_valid(tin)
    assert problems(f'[clinic]\ntin = "{tin}"\n' + TREATMENT) == [
        f"clinic.toml:2: TIN '{tin}' must look like NN-NNNNNNN"
    ]


def test_good_tin_passes() -> None:
    """12-3456789 is a well-formed TIN."""
    assert tin_is_valid("12-3456789")
    assert problems('[clinic]\ntin = "12-3456789"\n' + TREATMENT) == []


def test_alias_used_twice_is_reported() -> None:
    """Two treatments may not share a name; the second is reported at its aliases."""
    text = (
        '[treatments.depression]\nprice = 450\naliases = ["anxiety", "mood"]\n\n'
        '[treatments.ptsd]\nprice = 500\naliases = ["Mood"]\n'
    )
    assert problems(text) == [
        "clinic.toml:7: 'mood' is used by both [treatments.depression] and [treatments.ptsd]"
    ]


def test_alias_equal_to_another_key_is_reported() -> None:
    """An alias may not be another treatment's key."""
    text = (
        "[treatments.depression]\nprice = 450\n[treatments.pain]\nprice = 900\n"
        'aliases = ["depression"]\n'
    )
    assert problems(text) == [
        "clinic.toml:5: 'depression' is used by both [treatments.depression] and [treatments.pain]"
    ]


def test_booster_price_on_plan_without_treatment_is_reported() -> None:
    """A plan's own booster price must say which treatment it prices."""
    assert problems(TREATMENT + '[plans.membership]\nevery = "monthly"\nbooster_price = 375\n') == [
        "clinic.toml:5: [plans.membership] sets 'booster_price' but names no 'treatment' "
        "it applies to"
    ]


def test_plan_naming_unknown_treatment_is_reported() -> None:
    """A plan's treatment must be a treatment of the sheet."""
    assert problems(
        TREATMENT + '[plans.membership]\nevery = "monthly"\ntreatment = "depresion"\n'
    ) == [
        "clinic.toml:5: [plans.membership] names unknown treatment 'depresion' "
        "(did you mean 'depression'?)"
    ]


def test_plan_treatment_given_by_alias_resolves_to_its_key() -> None:
    """A plan may name its treatment by an alias; it is stored as the treatment's key."""
    sheet = parse_sheet(
        '[treatments.depression]\nprice = 450\naliases = ["mood"]\n'
        '[plans.membership]\nevery = "4 weeks"\ntreatment = "mood"\n'
        "booster_price = 375\n"
    )
    plan = sheet.plan("membership")
    assert plan is not None
    assert plan.treatment == "depression"
    assert plan.booster_price == Decimal("375.00")


def test_bad_choice_is_reported_with_the_choices() -> None:
    """A fee's ``per`` is once, series or session."""
    assert problems(TREATMENT + '[fees.x]\namount = 5\nper = "sesion"\n') == [
        'clinic.toml:5: \'per\' in [fees.x] must be one of "once", "series", "session", '
        "not 'sesion' (did you mean 'session'?)"
    ]


def test_only_usd_is_supported() -> None:
    """The currency is USD."""
    assert problems('[sheet]\ncurrency = "EUR"\n' + TREATMENT) == [
        "clinic.toml:2: currency 'EUR' is not supported (only USD)"
    ]


def test_every_problem_is_listed_at_once_in_line_order() -> None:
    """Problems from different tables are all reported, sorted by line."""
    text = (
        '[clinic]\nnpi = "1234567890"\ntin = "1"\n\n'
        "[treatments.pain]\nlow = 900\nhigh = 700\n\n"
        '[fees.consult]\namount = -1\nlable = "x"\n'
    )
    assert [line.split(": ")[0] for line in problems(text)] == [
        "clinic.toml:2",
        "clinic.toml:3",
        "clinic.toml:6",
        "clinic.toml:10",
        "clinic.toml:11",
    ]


def test_inline_table_problem_points_at_its_line() -> None:
    """A problem inside an inline table is reported at that table's line."""
    assert problems("[treatments]\ndepression = { price = 450, lwo = 1 }\n") == [
        "clinic.toml:2: unknown key 'lwo' in [treatments.depression] (did you mean 'low'?)"
    ]


def test_hash_is_of_the_file_bytes(tmp_path: Path) -> None:
    """The sheet's SHA-256 is the file's, byte for byte (CRLF and all)."""
    path = tmp_path / "clinic.toml"
    path.write_bytes(FIGURE.replace("\n", "\r\n").encode())
    sheet = load_sheet(path)
    assert sheet.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert sheet.short_hash == sheet.sha256[:12]


def test_unreadable_sheet_is_one_problem(tmp_path: Path) -> None:
    """A missing file is reported, naming it, without a line."""
    with pytest.raises(SheetError) as caught:
        load_sheet(tmp_path / "missing.toml")
    assert caught.value.lines() == [
        f"{tmp_path / 'missing.toml'}: cannot read the price sheet: No such file or directory"
    ]


def test_builtin_sheet_loads() -> None:
    """The built-in national averages: depression $400-$800, pain $700-$2,000."""
    sheet = load_sheet()
    assert sheet.path == "(built-in)"
    assert sheet.treatment("anxiety").price.low == Decimal("400.00")
    assert sheet.treatment("pain").price.high == Decimal("2000.00")


def test_written_sheet_loads(tmp_path: Path) -> None:
    """A sheet read from a file keeps its path."""
    sheet = load_sheet(write(tmp_path, FIGURE))
    assert sheet.path == str(tmp_path / "clinic.toml")


def test_percent_is_stored_as_the_fraction_it_means() -> None:
    """``percent = 10`` is the rate 0.10: $45.00 off $450.00, described as 10%."""
    (discount,) = parse_sheet(FIGURE, "clinic.toml").discounts
    assert discount.rate == Decimal("0.10")
    assert discount.off(Decimal("450.00")) == Decimal("45.00")
    assert discount.describe() == "10% off induction sessions"


@given(
    price=st.integers(0, 10_000_000).map(lambda c: Decimal(c) / 100),
    hundredths=st.integers(0, 10_000),
)
def test_a_fraction_takes_off_what_the_percentage_did(price: Decimal, hundredths: int) -> None:
    """To the cent, a rate off a price is what ``price * percent / 100`` was, whatever the
    price and the percentage (0 to 100, two decimals: 17.99%)."""
    percent = Decimal(hundredths) / 100
    # A bare number between 0 and 1 is refused as ambiguous: such a rate is written "0.5%".
    written = f'"{percent}%"' if 0 < percent < 1 else f"{percent}"
    discount = parse_sheet(f"[treatments.a]\nprice = 1\n[discounts.d]\npercent = {written}\n")
    (read,) = discount.discounts
    assert read.rate == percent / 100
    assert read.off(price) == cents(price * percent / HUNDRED)
    assert read.describe().startswith(f"{percent.normalize():f}% off")


def test_percent_may_be_written_with_a_percent_sign() -> None:
    """A sheet's ``percent = "10%"`` reads as coverage coinsurance does: the rate 0.10."""
    (discount,) = parse_sheet(TREATMENT + '[discounts.prepaid]\npercent = "10%"\n').discounts
    assert discount.rate == Decimal("0.10")


def test_sheet_records_are_immutable_and_changed_only_by_copy() -> None:
    """A fee cannot be changed in place; ``dataclasses.replace`` makes a new fee and leaves the old
    one as it was (docs/index.md, "Records")."""
    (fee,) = parse_sheet(FIGURE, "clinic.toml").fees
    with pytest.raises(AttributeError):
        fee.amount = Decimal(0)  # type: ignore[misc]
    cheaper = replace(fee, amount=Decimal("200.00"))
    assert (fee.amount, cheaper.amount) == (Decimal("250.00"), Decimal("200.00"))
    assert cheaper != fee
    assert replace(cheaper, amount=fee.amount) == fee


def test_a_treatments_extras_are_treatment_fields_of_the_same_type() -> None:
    """The sheet reader copies each extra into the Treatment field of the same name."""
    from typing import get_type_hints

    from ketacost.sheet.model import Treatment
    from ketacost.sheet.treatments import TreatmentExtras

    treatment, extras = get_type_hints(Treatment), get_type_hints(TreatmentExtras)
    assert extras and all(treatment[name] == kind for name, kind in extras.items())
    defaults = {f.name: f.default for f in fields(Treatment)}
    assert {f.name: f.default for f in fields(TreatmentExtras)} == {
        f.name: defaults[f.name] for f in fields(TreatmentExtras)
    }
