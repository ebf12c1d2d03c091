"""The one TOML reader of price sheets and coverage files: lines, typed values, problems."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ketacost.toml.source import Locator, Problem, TomlError, TomlSource


class ToyError(TomlError):
    """The error a caller asks the reader to raise."""


def source(text: str) -> TomlSource:
    return TomlSource.parse(text, "toy.toml", "toy file", ToyError)


def problems_of(src: TomlSource) -> list[str]:
    with pytest.raises(ToyError) as caught:
        src.check()
    return caught.value.lines()


def test_locator_finds_dotted_and_inline_keys() -> None:
    """Lines are found for headers, dotted keys and keys inside inline tables."""
    locate = Locator(
        "[treatments]\ndepression.price = 450\n"
        "pain = { low = 700, high = 900 }\n"
        'note = """\n[fees.x]\n"""\n[fees.x]\namount = 1\n'
    )
    assert locate.line_of("treatments") == 1
    assert locate.line_of("treatments.depression", "price") == 2
    assert locate.line_of("treatments.pain", "high") == 3
    assert locate.line_of("fees.x") == 7
    assert locate.line_of("fees.x", "amount") == 8
    assert locate.line_of("plans") == 0


def test_locator_finds_top_level_keys() -> None:
    """The top level is the table ``""``: its keys (quoted or not) and tables have lines."""
    locate = Locator('# a plan\ndeductible = 1500\n"copay" = 25\n[extra]\nx = 1\n')
    assert locate.line_of("", "deductible") == 2
    assert locate.line_of("", "copay") == 3
    assert locate.line_of("", "extra") == 4
    assert locate.line_of("", "missing") == 0
    assert locate.line_of("") == 0


def test_numbers_are_decimal_and_a_byte_order_mark_is_fine() -> None:
    """Bytes are decoded (a BOM allowed) and a TOML float arrives as the exact Decimal."""
    src = TomlSource.parse("\ufeffamount = 450.10\n".encode(), "toy.toml", "toy file")
    assert src.money(src.data, "", "amount") == Decimal("450.10")
    assert isinstance(src.data["amount"], Decimal)
    src.check()  # no problem: nothing raised


def test_bytes_that_are_not_utf8_are_one_problem() -> None:
    """Undecodable bytes raise the caller's error, naming the kind of file."""
    with pytest.raises(ToyError) as caught:
        TomlSource.parse(b"amount = 1\n\xff\xfe\n", "toy.toml", "toy file", ToyError)
    assert caught.value.lines() == ["toy.toml: cannot read the toy file: it is not UTF-8 text"]


def test_syntax_error_is_one_problem_at_its_line() -> None:
    """Broken TOML raises the caller's error at tomllib's line, the column in the message."""
    with pytest.raises(ToyError) as caught:
        source("a = 1\nb = = 2\n")
    assert caught.value.problems == (
        Problem(line=2, message="not valid TOML: Invalid value (column 5)"),
    )


@pytest.mark.parametrize(
    ("value", "rate"),
    [("20", "0.20"), ('"20%"', "0.20"), ('"17.99"', "0.1799"), ("0", "0"), ("100", "1")],
)
def test_percent_is_the_fraction_it_means(value: str, rate: str) -> None:
    """``20`` and ``"20%"`` are both 0.20: every rate is read as a fraction."""
    src = source(f"rate = {value}\n")
    assert src.percent(src.data, "", "rate") == Decimal(rate)
    assert src.problems == []


def test_every_problem_is_kept_with_its_line_in_line_order() -> None:
    """Each getter notes its problem and goes on; check() raises them all, by line."""
    src = source('name = 5\n[t]\nrate = 120\nper = "sesion"\nprice = -1\nlable = "x"\ncount = 0\n')
    table = src.data["t"]
    assert src.money(table, "t", "price") is None
    assert src.percent(table, "t", "rate") is None
    assert src.choice(table, "t", "per", ("once", "series", "session")) == "once"
    assert src.count(table, "t", "count", 6, most=100) == 6
    assert src.text(src.data, "", "name") == ""
    src.known_keys(table, "t", {"rate", "per", "price", "count", "label"})
    assert problems_of(src) == [
        "toy.toml:1: name must be text (in quotes)",
        "toy.toml:3: 'rate' in [t] must be from 0 to 100, not 120",
        'toy.toml:4: \'per\' in [t] must be one of "once", "series", "session", '
        "not 'sesion' (did you mean 'session'?)",
        "toy.toml:5: 'price' in [t] must not be negative",
        "toy.toml:6: unknown key 'lable' in [t] (did you mean 'label'?)",
        "toy.toml:7: 'count' in [t] must be a whole number from 1 to 100",
    ]


def test_two_choices_read_as_either_or() -> None:
    """With two choices the message says "a" or "b"."""
    src = source('network = "sideways"\n')
    assert src.choice(src.data, "", "network", ("in", "out")) == "in"
    assert problems_of(src) == ['toy.toml:1: network must be "in" or "out", not \'sideways\'']


def test_money_and_percent_name_what_they_expect() -> None:
    """Text where a number belongs: the message says what kind of number."""
    src = source('deductible = true\ncoinsurance = [20]\ncopay = "lots"\n')
    for key in ("deductible", "copay"):
        assert src.money(src.data, "", key) is None
    assert src.percent(src.data, "", "coinsurance") is None
    assert problems_of(src) == [
        "toy.toml:1: deductible must be an amount (a number, e.g. 450 or 450.00)",
        'toy.toml:2: coinsurance must be a percentage (e.g. 20 or "20%")',
        "toy.toml:3: copay must be an amount (a number, e.g. 450 or 450.00)",
    ]


def test_each_builds_every_named_table() -> None:
    """each() builds every [group.NAME] table and reports the ones it cannot."""
    src = source("[fees.a]\namount = 1\n[fees.B]\namount = 2\n[fees]\nc = 3\n")
    built = src.each("fees", lambda key, table, body: (key, table, body["amount"]))
    assert built == [("a", "fees.a", 1), ("B", "fees.B", 2)]
    assert problems_of(src) == [
        "toy.toml:3: [fees.B]: names are lower-case letters, digits, - or _ "
        "(e.g. [fees.consultation])",
        "toy.toml:6: [fees.c] must be a table",
    ]


def test_missing_required_key_names_its_table() -> None:
    """A required key that is absent is reported at its table's header."""
    src = source("[fees.a]\nlabel = 'x'\n")
    assert src.money(src.data["fees"]["a"], "fees.a", "amount", required=True) is None
    assert problems_of(src) == ["toy.toml:1: [fees.a] is missing 'amount'"]


def test_strings_are_a_list_of_texts() -> None:
    """A list of texts is read stripped; anything else is a problem."""
    src = source('codes = [" 96365 ", "J3490"]\nbad = ["x", 1]\n')
    assert src.strings(src.data, "", "codes") == ("96365", "J3490")
    assert src.strings(src.data, "", "bad") == ()
    assert problems_of(src) == ["toy.toml:2: bad must be a list of non-empty texts"]
