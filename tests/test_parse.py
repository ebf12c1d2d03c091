"""Parsers of what people type, shared by the options and batch files."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.parse import (
    ParseError,
    parse_count,
    parse_date,
    parse_month_day,
    parse_price_range,
)


def test_dates() -> None:
    """ISO dates only; impossible days are refused with their own message."""
    assert parse_date(" 2026-12-28 ") == date(2026, 12, 28)
    with pytest.raises(ParseError, match="is not a date"):
        parse_date("28/12/2026")
    with pytest.raises(ParseError, match="is not a real date"):
        parse_date("2026-02-30")


def test_month_days() -> None:
    """MM-DD, one or two digits; 02-29 is a day (plan years may start on it)."""
    assert parse_month_day("7-1") == (7, 1)
    assert parse_month_day("02-29") == (2, 29)
    with pytest.raises(ParseError, match="is not a month and day"):
        parse_month_day("13-01")


def test_price_ranges() -> None:
    """LOW-HIGH with the midpoint as typical; low above high is refused."""
    price = parse_price_range("$400-$801")
    assert (price.low, price.typical, price.high) == (
        Decimal("400.00"),
        Decimal("600.50"),
        Decimal("801.00"),
    )
    with pytest.raises(ParseError, match="is not a range"):
        parse_price_range("400")
    with pytest.raises(ParseError, match="above the high"):
        parse_price_range("800-400")
    with pytest.raises(ParseError, match="not an amount of money"):
        parse_price_range("4OO-800")
    for text in ("-800", "400-", " - "):  # an end left out: the text as typed is named
        with pytest.raises(ParseError, match=f"^{re.escape(repr(text))} is not a range"):
            parse_price_range(text)


def test_counts() -> None:
    """Whole numbers only; limits are checked by the estimate."""
    assert parse_count(" 6 ") == 6
    for text in ("6.5", "-1", "six", ""):
        with pytest.raises(ParseError, match="is not a whole number"):
            parse_count(text)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2026-02-30"], "Invalid value for '--start': '2026-02-30' is not a real date"),
        (["--plan-year-start", "2-30"], "Invalid value for '--plan-year-start': '2-30' is not a"),
        (["--price-range", "800-400"], "Invalid value for '--price-range': the low price 800"),
        (
            ["--price", "500", "--price-range", "400-800"],
            "Invalid value for '--price': give an exact price or a price range, not both",
        ),
        (["--maintenance", "sometimes"], "Invalid value for '--maintenance': unknown maintenance"),
        (
            ["--deductible", "100", "--deductible-met", "200"],
            "Invalid value for '--deductible-met': the deductible met ($200.00) is more than",
        ),
    ],
)
def test_options_use_the_shared_parsers(runner: CliRunner, args: list[str], message: str) -> None:
    """`estimate` still names the option at fault, status 2, in one line."""
    result = runner.invoke(cli, ["estimate", *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}")
    assert len(result.stderr.splitlines()) == 1
