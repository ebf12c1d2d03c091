"""Bounds on what a person types, checked before it is parsed: ASCII digits only for money
and counts, no number of more than a few dozen digits, a sane date window, and a bare
percentage between 0 and 1 refused with a hint."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.cli.app import cli
from ketacost.money import MoneyError, parse_money, parse_percent
from ketacost.parse import (
    FIRST_DAY,
    LAST_DAY,
    ParseError,
    parse_count,
    parse_date,
    parse_finance,
    parse_month_day,
)
from ketacost.schedule.sessions import ScheduleError, parse_maintenance

# Digits of other scripts that str.isdigit() (and int(), Decimal(), \d) accept.
FOREIGN_DIGITS = st.sampled_from(
    [chr(zero + n) for zero in (0x0660, 0x06F0, 0x0966, 0xFF10, 0x1D7CE) for n in range(10)]
)


@settings(max_examples=300)
@given(st.text(alphabet=st.one_of(st.sampled_from("0123456789$,."), FOREIGN_DIGITS), min_size=1))
def test_money_and_counts_take_ascii_digits_only(text: str) -> None:
    """Any text with a digit of another script is refused as money, count or percentage."""
    if text.isascii():
        return
    for parse in (parse_money, parse_count, parse_percent):
        with pytest.raises((MoneyError, ParseError)):
            parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "\u0663\u0660\u0660",
        "\uff11\uff12\uff13",
        "\u06f1\u06f2",
        "\u096a\u096b\u0966",
        "$\u0661\u066c\u0660\u0660\u0660",
    ],
)
def test_foreign_digits_are_refused_on_the_command_line(runner: CliRunner, text: str) -> None:
    for option in ("--price", "--deductible", "--sessions", "--months", "--coinsurance"):
        result = runner.invoke(cli, ["estimate", option, text])
        assert result.exit_code == 2, (option, text, result.output)
        assert option in result.stderr


@settings(max_examples=200)
@given(st.integers(min_value=25, max_value=6000), st.sampled_from("91"))
def test_huge_numbers_are_refused_before_they_are_built(digits: int, digit: str) -> None:
    """Long runs of digits (beyond Python's own 4,300-digit limit too) are refused with a
    short message, never parsed."""
    text = digit * digits
    for parse in (parse_money, parse_count, parse_percent):
        with pytest.raises((MoneyError, ParseError)) as caught:
            parse(text)
        assert len(str(caught.value)) < 120
    with pytest.raises(ParseError):
        parse_finance(f"{text}@5")
    with pytest.raises(ParseError):
        parse_finance(f"12@{text}")
    with pytest.raises(ScheduleError):
        parse_maintenance(f"every {text} weeks")


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--maintenance", "every " + "9" * 5000 + " weeks"),
        ("--maintenance", "every 9999999 weeks"),
        ("--months", "99999999999999999999"),
        ("--sessions", "9" * 5000),
        ("--weeks", "1_0"),
        ("--price", "1" * 5000),
        ("--price-range", "1" * 5000 + "-2"),
        ("--finance", "9" * 5000),
        ("--start", "9999-12-31"),
        ("--start", "0001-01-01"),
        ("--start", "\uff12\uff10\uff12\uff16-01-01"),
    ],
)
def test_absurd_values_are_one_line_status_2(runner: CliRunner, option: str, value: str) -> None:
    result = runner.invoke(cli, ["estimate", option, value])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 300
    assert option in result.stderr


def test_a_limit_too_large_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["quotes", "list", "--limit", "99999999999999999999"])
    assert result.exit_code == 2
    assert "--limit" in result.stderr and "too large" in result.stderr


@settings(max_examples=300)
@given(st.dates())
def test_dates_outside_the_window_are_refused_with_the_window(day: date) -> None:
    text = day.isoformat()
    if FIRST_DAY <= day <= LAST_DAY:
        assert parse_date(text) == day
    else:
        with pytest.raises(ParseError, match="outside the dates accepted"):
            parse_date(text)


@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "--start", "2999-12-31", "--maintenance", "monthly", "--months", "60"],
        ["estimate", "--start", "2999-12-31", "--weeks", "52", "-m", "every 52 weeks"],
        ["estimate", "--start", "1900-01-01", "--deductible", "100", "--coinsurance", "20"],
    ],
)
def test_schedules_at_the_window_s_ends_are_estimated(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, [*args, "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


def test_since_outside_the_window_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["quotes", "list", "--since", "0001-01-01"])
    assert result.exit_code == 2
    assert "--since" in result.stderr and "1900-01-01" in result.stderr


@settings(max_examples=200)
@given(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("0.999999"), places=6))
def test_a_bare_fraction_is_refused_with_a_hint(value: Decimal) -> None:
    text = f"{value.normalize():f}"
    with pytest.raises(MoneyError, match=r"did you mean .*%\? write .*% for "):
        parse_percent(text)
    assert parse_percent(text + "%") == value / 100


@pytest.mark.parametrize(
    ("text", "fraction"),
    [("0", "0"), ("1", "0.01"), ("20", "0.2"), ("20%", "0.2"), ("0.2%", "0.002"), ("100", "1")],
)
def test_percentages_still_accepted(text: str, fraction: str) -> None:
    assert parse_percent(text) == Decimal(fraction)


@pytest.mark.parametrize("option", ["--coinsurance", "--hsa-rate"])
def test_every_percentage_option_refuses_a_bare_fraction(runner: CliRunner, option: str) -> None:
    result = runner.invoke(cli, ["estimate", option, "0.2"])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: Invalid value for '{option}': '0.2' is ambiguous: "
        "did you mean 20%? write 0.2% for two tenths of a percent\n"
    )
    plan = ["--deductible", "0", "--coinsurance", "20"] if option == "--coinsurance" else []
    assert runner.invoke(cli, ["estimate", *plan, option, "0.2%"]).exit_code == 0


def test_a_finance_apr_refuses_a_bare_fraction(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["estimate", "--finance", "12@0.5"])
    assert result.exit_code == 2 and "did you mean 50%?" in result.stderr
    assert runner.invoke(cli, ["estimate", "--finance", "12@0.5%"]).exit_code == 0


@pytest.mark.parametrize("text", ["07-01", "7-1", "02-29"])
def test_month_days_still_read(text: str) -> None:
    assert parse_month_day(text)


@pytest.mark.parametrize("text", ["\u0660\u0667-\u0660\u0661", "07-" + "1" * 300, "\uff11-\uff11"])
def test_month_days_take_ascii_digits_only(text: str) -> None:
    with pytest.raises(ParseError):
        parse_month_day(text)
