"""Money: one constructor, one rounding rule, no floats (docs/money.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ketacost.money import (
    D,
    MoneyError,
    cents,
    format_money,
    format_percent,
    money_str,
    parse_money,
    parse_percent,
    parse_percent_of,
    percent_from_str,
    percent_str,
    total,
)


def test_constructor_refuses_floats() -> None:
    """A float never becomes money, not even a harmless-looking one."""
    with pytest.raises(TypeError):
        D(0.1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        D(True)


def test_constructor_refuses_nan_and_infinity() -> None:
    """NaN and infinities are not amounts."""
    for text in ("NaN", "inf", "-Infinity", "sNaN"):
        with pytest.raises(MoneyError):
            D(text)


def test_cents_rounds_half_up() -> None:
    """Half a cent rounds away from zero, as ROUND_HALF_UP says."""
    assert cents(Decimal("0.005")) == Decimal("0.01")
    assert cents(Decimal("2.675")) == Decimal("2.68")
    assert cents(Decimal("2.674999")) == Decimal("2.67")


def test_total_is_sum_of_rounded_parts() -> None:
    """A total is the sum of the lines, in cents."""
    assert total([Decimal("0.10"), Decimal("0.20")]) == Decimal("0.30")
    assert str(total([])) == "0.00"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("450", "450.00"),
        ("$1,234.50", "1234.50"),
        ("99.9", "99.90"),
        (" 25 ", "25.00"),
        ("0", "0.00"),
        ("1,000,000", "1000000.00"),
    ],
)
def test_parse_money_accepts_what_people_type(text: str, expected: str) -> None:
    """Plain numbers, a dollar sign and thousands separators are money."""
    assert money_str(parse_money(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1e400",
        "NaN",
        "-5",
        "",
        "1.234",
        "1,23",
        "$",
        "12,34,567",
        "inf",
        "10000001",
    ],
)
def test_parse_money_refuses_what_is_not_money(text: str) -> None:
    """Words, exponents, NaN, negatives, fractions of cents and absurd sizes are refused."""
    with pytest.raises(MoneyError):
        parse_money(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20", Decimal("0.20")),
        ("20%", Decimal("0.20")),
        ("0", Decimal(0)),
        ("100", Decimal(1)),
        ("17.99", Decimal("0.1799")),
    ],
)
def test_parse_percent(text: str, expected: Decimal) -> None:
    """``20`` and ``20%`` both mean 0.20."""
    assert parse_percent(text) == expected


@pytest.mark.parametrize("text", ["101", "-1", "abc", "20%%", "NaN"])
def test_parse_percent_refuses_out_of_range(text: str) -> None:
    """A percentage is from 0 to 100."""
    with pytest.raises(MoneyError):
        parse_percent(text)


def test_formats() -> None:
    """Tables print $1,234.50; machines get 1234.50."""
    assert format_money(Decimal("1234.5")) == "$1,234.50"
    assert format_money(Decimal("-5")) == "-$5.00"
    assert money_str(Decimal("1234.5")) == "1234.50"
    assert format_percent(Decimal("0.2")) == "20%"
    assert format_percent(Decimal("1")) == "100%"
    assert format_percent(Decimal("0.1799")) == "17.99%"


@pytest.mark.parametrize("text", ["20", "17.99", "0", "100", "7.65", "0.5"])
def test_a_saved_percentage_reads_back_as_written(text: str) -> None:
    """JSON keeps a percentage as its number ("17.99"); reading it gives the fraction,
    and writing that fraction gives the same text."""
    fraction = percent_from_str(text)
    assert fraction == Decimal(text) / 100
    assert percent_str(fraction) == text


def test_a_percent_of_a_fee_reaches_its_stated_most() -> None:
    """A plan may allow up to 1,000% of Medicare's fee, as the message says: four digits."""
    assert parse_percent_of("1000", Decimal(1000)) == Decimal(10)
    assert parse_percent_of("150%", Decimal(1000)) == Decimal("1.5")
    with pytest.raises(MoneyError, match="at most 1,000%"):
        parse_percent_of("1000.5", Decimal(1000))


def test_a_saved_percentage_is_read_back_or_refused() -> None:
    assert percent_from_str("17.99") == Decimal("0.1799")
    assert percent_from_str("0.2") == Decimal("0.002")  # as percent_str writes 0.2%
    for bad in ("150", "abc", "-5", "1e2"):
        with pytest.raises(MoneyError):
            percent_from_str(bad)
