"""A batch is a file of strangers' text: a bad cell of any kind fails its row only, the
other rows are quoted as if it were not there, and the output is its owner's only."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacost import batch as batch_module
from ketacost import plain
from ketacost.batch import INPUT_COLUMNS
from ketacost.cli.app import cli

HOSTILE = [
    "9" * 5000,
    "every " + "9" * 5000 + " weeks",
    "99999999999999999999",
    "\u0663\u0660\u0660",  # Arabic-Indic 300
    "\uff11\uff12\uff13",  # full-width 123
    "0.2",
    "9999-12-31",
    "0001-01-01",
    "nan",
    "inf",
    "1e999999999",
    "-5",
    "\x1b[2J\x1b[HFAKE TOTAL $1.00",
    "\u202eevil",
    "=1+1",
    "\uff1dcmd",
    "a\x00b",
    "x" * 300,
    "$",
    "1,2,3",
    "13-45",
    "every 0 weeks",
    "400-800",
    "\n",
]
GOOD = {"sessions": "6", "start": "2026-11-23"}


def rows_of(output: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(output)))


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    bad=st.lists(
        st.tuples(st.sampled_from(INPUT_COLUMNS[1:]), st.sampled_from(HOSTILE)),
        min_size=1,
        max_size=4,
    )
)
def test_a_bad_cell_fails_its_row_only(runner: CliRunner, bad: list[tuple[str, str]]) -> None:
    columns = list(INPUT_COLUMNS)
    lines = io.StringIO()
    writer = csv.DictWriter(lines, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerow({"id": "before", **GOOD})
    hostile = {"id": "hostile", **GOOD}
    hostile.update(bad)
    writer.writerow(hostile)
    writer.writerow({"id": "after", **GOOD})
    result = runner.invoke(cli, ["batch", "-"], input=lines.getvalue(), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = rows_of(result.stdout)
    assert [r["id"] for r in out] == ["before", "hostile", "after"]
    assert out[0]["error"] == out[2]["error"] == ""
    assert out[0]["typical_charges"] == out[2]["typical_charges"] != ""
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout


def test_rows_the_csv_reader_cannot_read_fail_alone(runner: CliRunner) -> None:
    """A cell over the CSV module's field limit, a line over a megabyte: each fails its
    row, and the next row is read as usual."""
    text = f"id,sessions\na,6\nb,{'1' * 200_000}\nc,{'2' * 1_100_000}\nd,4\n"
    result = runner.invoke(cli, ["batch", "-"], input=text)
    assert result.exit_code == 0, result.output
    out = rows_of(result.stdout)
    assert [(r["id"], bool(r["error"])) for r in out] == [
        ("a", False),
        ("", True),
        ("", True),
        ("d", False),
    ]
    assert out[1]["error"].startswith("line 3: field larger than field limit")
    assert out[2]["error"] == "line 4: a line longer than 1,000,000 characters"
    assert len(result.stdout) < 2000


def test_a_long_cell_is_refused_before_parsing(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["batch", "-"], input=f"id,price\nx,{'1' * 500}\n")
    (row,) = rows_of(result.stdout)
    assert row["error"] == "line 2: price: is longer than 200 characters"


def test_an_id_is_safe_for_a_terminal_and_a_spreadsheet(runner: CliRunner) -> None:
    text = 'id,sessions\n"\x1b]0;title\x07=cmd",6\n"\uff1dSUM(A1)",6\n'
    out = rows_of(runner.invoke(cli, ["batch", "-"], input=text).stdout)
    assert out[0]["id"] == "\\x1b]0;title\\x07=cmd"
    assert out[1]["id"] == "'\uff1dSUM(A1)"


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_batch_output_is_written_0600(runner: CliRunner, tmp_path: Path, umask: int) -> None:
    out = tmp_path / "quotes.csv"
    out.write_text("old\n")
    out.chmod(0o644)
    previous = os.umask(umask)
    try:
        result = runner.invoke(
            cli, ["batch", "-", "-o", str(out)], input="id,sessions\nAnn Lee,6\n"
        )
    finally:
        os.umask(previous)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_not_read_as_requests(runner: CliRunner, device: str) -> None:
    result = runner.invoke(cli, ["batch", device])
    assert result.exit_code == 2
    assert (
        result.stderr
        == "Error: Invalid value for 'REQUESTS.csv': is a device, not a file of requests\n"
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("0.2", "did you mean 20%?"),
        ("0.2%", ""),
        ("\u0662\u0660", "is not a percentage"),
    ],
)
def test_batch_coinsurance_refuses_a_bare_fraction(
    runner: CliRunner, cell: str, message: str
) -> None:
    text = f"id,deductible,coinsurance,start\nx,500,{cell},2026-11-23\n"
    (row,) = rows_of(runner.invoke(cli, ["batch", "-"], input=text).stdout)
    assert (message in row["error"]) if message else row["error"] == ""


NAMES = ["Zed Quorrin", "Ann=Lee", "María-José Ñúñez", "O'Brien, Pat", "Ynez (Jr) Vask", "zoë"]
"""What a desk might type in any cell by mistake: a patient's name."""


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("column", [c for c in INPUT_COLUMNS if c != "id"])
def test_strict_never_echoes_a_cells_text(runner: CliRunner, column: str, name: str) -> None:
    """--strict stops at a bad cell with one line naming the file, line and column, but
    not the cell's text (it goes to a screen or a log; the output's error cell, with the
    data, may spell it out)."""
    row = {"id": name, column: name}
    if column in ("price_low", "price_high"):
        row = {"id": name, "price_low": name, "price_high": name}
    source = io.StringIO()
    writer = csv.DictWriter(source, fieldnames=list(row))
    writer.writeheader()
    writer.writerow(row)
    result = runner.invoke(cli, ["batch", "-", "--strict"], input=source.getvalue())
    if result.exit_code == 0:
        return  # a name that happens to be a valid value for this column
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: standard input:2: ")
    for word in name.replace("=", " ").replace("-", " ").replace(",", " ").split():
        assert word.strip("()'").lower() not in line.lower(), (column, line)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("-450", "'-450' is not an amount of money (e.g. 450 or $1,234.50)"),
        ("- 450", "'- 450' is not an amount of money (e.g. 450 or $1,234.50)"),
        ("450-", "'450-' is not a range (use LOW-HIGH, e.g. 400-800)"),
        ("-450-800", "'-450-800' is not a range (use LOW-HIGH, e.g. 400-800)"),
    ],
)
def test_a_price_cell_with_a_dash_is_named_as_typed(
    runner: CliRunner, cell: str, message: str
) -> None:
    """A price cell is one amount or a range (the request's codec reads both): a negative
    amount, or a range with an end missing, is refused with the text typed, never an empty
    end's ''."""
    text = f"id,price,start\nx,{cell},2026-11-23\n"
    (row,) = rows_of(runner.invoke(cli, ["batch", "-"], input=text).stdout)
    assert row["error"] == f"line 2: price: {message}"


CACHED = [
    value
    for module in (plain, batch_module)
    for value in vars(module).values()
    if hasattr(value, "cache_clear")
]
"""The readers' caches (functools.lru_cache) a batch reads cells through."""


def test_repeated_spellings_quote_as_each_row_alone(runner: CliRunner) -> None:
    """The readers' caches never answer one spelling with another's value: every row of a
    file that repeats "20", "20%", " 20", "0.2" and "0.2%" (and amounts written several
    ways) quotes to the cells it quotes alone."""
    header = "id,deductible,coinsurance,price,sessions,start\n"
    spellings = ["20", "20%", " 20", "0.2", "0.2%", "020", "2"]
    amounts = ["450", "$450", " 450", "4,500", "450.5"]
    lines = [
        f"r{n},{amounts[n % 5]},{spellings[n % 7]},{amounts[(n + 2) % 5]},{6 + n % 2},2026-11-23"
        for n in range(35)
    ]
    batch = ["batch", "-", "--jobs", "1"]
    together = rows_of(runner.invoke(cli, batch, input=header + "\n".join(lines)).stdout)
    assert len(together) == 35
    for line, row in zip(lines, together, strict=True):
        for cached in CACHED:
            cached.cache_clear()  # alone: read afresh, by the parsers themselves
        (alone,) = rows_of(runner.invoke(cli, batch, input=header + line).stdout)
        figures = {key: value for key, value in row.items() if key != "error"}
        assert figures == {key: value for key, value in alone.items() if key != "error"}
        assert row["error"].partition(": ")[2] == alone["error"].partition(": ")[2]
