"""TOML files (price sheets, coverage files) are bounded before they are parsed: only
regular files of at most a megabyte, no nesting deeper than 16, no number of more than 18
digits, no non-finite or absurd value; each refused as FILE:LINE, never a traceback."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.cli.app import cli
from ketacost.coverage.file import CoverageFileError, load_coverage, parse_coverage
from ketacost.sheet.load import SheetError, load_sheet, parse_sheet
from ketacost.toml.source import MAX_BYTES, MAX_DEPTH, MAX_DIGITS, bounds_problem

SHEET = """\
[sheet]
name = "Test"

[treatments.depression]
{body}
"""


def sheet_with(body: str) -> str:
    return SHEET.format(body=body)


def problems(text: str, kind: str = "sheet") -> list[str]:
    try:
        if kind == "sheet":
            parse_sheet(sheet_with(text), "s.toml")
        else:
            parse_coverage(text, "c.toml")
    except (SheetError, CoverageFileError) as error:
        return error.lines()
    return []


@settings(max_examples=60, deadline=None)
@given(
    depth=st.integers(min_value=MAX_DEPTH + 1, max_value=3000),
    opener=st.sampled_from(["[", "{a="]),
    where=st.sampled_from(["sheet", "coverage"]),
)
def test_deep_nesting_is_refused_at_its_line(depth: int, opener: str, where: str) -> None:
    closer = "]" if opener == "[" else "}"
    value = opener * depth + "1" + closer * depth
    if where == "sheet":
        found = problems(f"price = 450\ncodes = {value}")
        assert found == [f"s.toml:6: nested more than {MAX_DEPTH} deep"]
    else:
        found = problems(f"network = 'in'\nallowed = {value}", "coverage")
        assert found == [f"c.toml:2: nested more than {MAX_DEPTH} deep"]


@settings(max_examples=100, deadline=None)
@given(
    digits=st.integers(min_value=MAX_DIGITS + 1, max_value=6000),
    shape=st.sampled_from(["{n}", "1e{n}", "1.{n}", "{n}.5", "-{n}", "1e-{n}", "0x{n}"]),
    key=st.sampled_from(["price", "low", "induction_sessions", "booster_price"]),
)
def test_numbers_too_long_are_refused_before_parsing(digits: int, shape: str, key: str) -> None:
    number = shape.format(n="9" * digits)
    found = problems(f"{key} = {number}")
    assert found == [f"s.toml:5: a number of more than {MAX_DIGITS} digits"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("price = 1e99999999999999999", "'price' in [treatments.depression]"),
        ("price = nan", "is not a finite number"),
        ("price = inf", "is not a finite number"),
        ("price = -inf", "is not a finite number"),
        ("price = 1e999999", "is more than the largest amount"),
        ("induction_sessions = 999999999999999999\nprice = 450", "whole number from 1 to 100"),
    ],
)
def test_absurd_sheet_values_are_refused_with_their_line(text: str, message: str) -> None:
    found = problems(text)
    assert found and all(line.startswith("s.toml:5") for line in found[:1]), found
    assert message in " ".join(found)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("coinsurance = nan", "must be from 0 to 100"),
        ("coinsurance = inf", "must be from 0 to 100"),
        ("coinsurance = 1e999999999", "must be from 0 to 100"),
        ("deductible = nan", "is not a finite number"),
        ("deductible = 1e99999", "more than the largest amount"),
        ("coinsurance = 0.2", 'did you mean 20%? write "0.2%" for two tenths of a percent'),
        ('coinsurance = "0.2"', "did you mean 20%? write 0.2% for two tenths of a percent"),
    ],
)
def test_absurd_coverage_values_are_refused_with_their_line(text: str, message: str) -> None:
    found = problems(text, "coverage")
    assert len(found) == 1 and found[0].startswith("c.toml:1: ")
    assert message in found[0]


@pytest.mark.parametrize("text", ['coinsurance = "0.2%"', "coinsurance = 20", "coinsurance = 0"])
def test_percentages_written_plainly_are_read(text: str) -> None:
    assert problems(text, "coverage") == []


def test_a_discount_of_a_bare_fraction_is_refused_with_a_hint() -> None:
    text = sheet_with("price = 450") + "\n[discounts.cash]\npercent = 0.1\n"
    with pytest.raises(SheetError) as caught:
        parse_sheet(text, "s.toml")
    assert caught.value.lines() == [
        "s.toml:8: 'percent' in [discounts.cash] 0.1 is ambiguous: did you mean 10%? "
        'write "0.1%" for one tenth of a percent'
    ]


@settings(max_examples=30, deadline=None)
@given(length=st.integers(min_value=100, max_value=900_000))
def test_a_long_key_is_reported_short(length: int) -> None:
    key = "k" * length
    found = problems(f"price = 450\n{key} = 1")
    assert len(found) == 1 and len(found[0]) < 200
    assert "unknown key 'kkkk" in found[0]


def test_a_file_larger_than_a_megabyte_is_refused_at_once(tmp_path: Path) -> None:
    big = tmp_path / "big.toml"
    big.write_text("k" * 5_000_000 + " = 1\n")
    with pytest.raises(SheetError, match=f"larger than {MAX_BYTES:,} bytes"):
        load_sheet(big)
    with pytest.raises(CoverageFileError, match="larger than"):
        load_coverage(big)
    with pytest.raises(SheetError, match="larger than"):
        parse_sheet("#" * (MAX_BYTES + 1))


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null", "/dev/urandom", "/"])
@pytest.mark.parametrize("option", ["--sheet", "--coverage"])
def test_only_regular_files_are_read(runner: CliRunner, path: str, option: str) -> None:
    result = runner.invoke(cli, ["estimate", option, path])
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1
    assert option in result.stderr or "price sheet" in result.stderr


def test_a_fifo_is_refused_without_waiting_for_a_writer(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "sheet.toml"
    os.mkfifo(fifo)
    outcome: list[int] = []
    worker = threading.Thread(
        target=lambda: outcome.append(runner.invoke(cli, ["sheet", "check", str(fifo)]).exit_code)
    )
    worker.start()
    worker.join(timeout=10)
    assert outcome and outcome[0] in (1, 2), "reading a FIFO hung"


@settings(max_examples=200)
@given(st.text(alphabet="[]{}\"'#\n 0123456789_=abc.,", max_size=200))
def test_the_bounds_check_never_fails_on_any_text(text: str) -> None:
    """Whatever the text (broken strings, stray brackets), the check gives None or a
    line and a message; tomllib then says what else is wrong."""
    found = bounds_problem(text)
    assert found is None or (found[0] >= 1 and found[1])


@pytest.mark.parametrize(
    "text",
    [
        'label = "[[[[[[[[[[[[[[[[[[[[[[[ 99999999999999999999999"',
        "label = '{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{'",
        "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ 999999999999999999999999",
        'label = """\n[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n99999999999999999999999999\n"""',
    ],
)
def test_brackets_and_digits_in_strings_and_comments_are_fine(text: str) -> None:
    assert bounds_problem(text) is None
    assert problems("price = 450\n" + text) == []
