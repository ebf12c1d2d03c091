"""`ketacost batch`: a CSV of requests in, one row of figures per request out."""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.batch import OUTPUT_COLUMNS
from ketacost.cli import cli
from ketacost.sheet.model import SCENARIOS
from tests.conftest import START

DAY = START.isoformat()

# Rows as a front desk might send them; each must quote exactly like `estimate`.
SAMPLE: list[dict[str, str]] = [
    {"id": "defaults", "start": DAY},
    {"id": "pain", "condition": "pain", "sessions": "8", "weeks": "3", "start": DAY},
    {"id": "boosters", "maintenance": "every 4 weeks", "months": "6", "start": DAY},
    {"id": "exact", "price": "$500", "start": DAY, "ride": "25"},
    {"id": "range", "price_low": "450", "price_high": "750", "start": DAY},
    {"id": "in-network", "deductible": "1500", "coinsurance": "20", "start": DAY},
    {
        "id": "capped",
        "deductible": "1,000",
        "deductible_met": "200",
        "copay": "25",
        "coinsurance": "20%",
        "oop_max": "2000",
        "allowed": "500",
        "start": DAY,
    },
    {
        "id": "out-of-network",
        "network": "out",
        "deductible": "1000",
        "coinsurance": "30",
        "allowed": "450",
        "start": DAY,
    },
    {
        "id": "plan-year",
        "deductible": "1500",
        "coinsurance": "20",
        "maintenance": "monthly",
        "plan_year_start": "12-01",
        "start": DAY,
    },
    {
        "id": "met",
        "deductible": "500",
        "deductible_met": "500",
        "oop_met": "900",
        "oop_max": "1000",
        "coinsurance": "10",
        "condition": "PTSD",
        "start": DAY,
    },
]


def to_csv(
    rows: list[dict[str, str]], columns: list[str] | None = None, line_end: str = "\n"
) -> str:
    columns = columns or sorted({key for row in rows for key in row})
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator=line_end)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def estimate_args(row: dict[str, str]) -> list[str]:
    """The `estimate` options that ask for what a batch row asks for."""
    args = ["estimate", "--format", "json"]
    for column, value in row.items():
        if column in ("id", "price_high"):
            continue
        if column == "price_low":
            args += ["--price-range", f"{value}-{row['price_high']}"]
        else:
            args += [f"--{column.replace('_', '-')}", value]
    return args


def run_batch(
    runner: CliRunner, text: str | bytes, *args: str
) -> tuple[int, list[dict[str, str]], str]:
    result = runner.invoke(cli, ["batch", "-", *args], input=text)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    return result.exit_code, rows, result.stderr


def test_batch_equals_estimate_json(runner: CliRunner) -> None:
    """Every figure of a batch row equals `estimate --format json` for the same request."""
    code, rows, _ = run_batch(runner, to_csv(SAMPLE))
    assert code == 0
    assert [r["id"] for r in rows] == [s["id"] for s in SAMPLE]
    for sample, row in zip(SAMPLE, rows, strict=True):
        result = runner.invoke(cli, estimate_args(sample))
        assert result.exit_code == 0, result.output
        scenarios = json.loads(result.stdout)["scenarios"]
        assert row["error"] == ""
        assert int(row["sessions"]) == scenarios["typical"]["sessions"]
        for name in SCENARIOS:
            for measure in ("charges", "insurance_pays", "out_of_pocket"):
                assert row[f"{name}_{measure}"] == scenarios[name][measure], (sample, measure)


def test_output_columns_in_contract_order(runner: CliRunner) -> None:
    """Output: id, sessions, charges/insurance/out-of-pocket per scenario, then error."""
    result = runner.invoke(cli, ["batch", "-"], input=to_csv(SAMPLE[:1]))
    header = result.stdout.splitlines()[0]
    assert header == (
        "id,sessions,low_charges,low_insurance_pays,low_out_of_pocket,"
        "typical_charges,typical_insurance_pays,typical_out_of_pocket,"
        "high_charges,high_insurance_pays,high_out_of_pocket,error"
    )
    assert tuple(header.split(",")) == OUTPUT_COLUMNS


def test_spec_worked_example(runner: CliRunner) -> None:
    """docs/coverage.md: six sessions at $600, deductible $1,500, 20%: patient $1,920."""
    row = {"id": "x", "price": "600", "deductible": "1500", "coinsurance": "20", "start": DAY}
    _, rows, _ = run_batch(runner, to_csv([row]))
    assert rows[0]["typical_out_of_pocket"] == "1920.00"
    assert rows[0]["typical_insurance_pays"] == "1680.00"
    assert rows[0]["typical_charges"] == "3600.00"


def test_bad_rows_reported_and_the_rest_quoted(runner: CliRunner) -> None:
    """A bad row gets its error with its line number; the other rows still run (status 0)."""
    text = (
        "id,price,deductible,coinsurance,start\n"
        f"ok1,500,,,{DAY}\n"
        f"money,5OO,,,{DAY}\n"
        f"percent,500,1000,120,{DAY}\n"
        f"date,500,,,2026-02-30\n"
        f"cells,500,,,{DAY},extra\n"
        f"ok2,600,,,{DAY}\n"
    )
    code, rows, err = run_batch(runner, text)
    assert code == 0
    errors = {r["id"]: r["error"] for r in rows}
    assert errors["ok1"] == errors["ok2"] == ""
    assert errors["money"] == (
        "line 3: price: '5OO' is not an amount of money (e.g. 450 or $1,234.50)"
    )
    assert errors["percent"] == "line 4: coinsurance: '120' is more than 100%"
    assert errors["date"] == "line 5: start: '2026-02-30' is not a real date"
    assert errors["cells"] == "line 6: 6 cells, but the header has 5 columns"
    bad = next(r for r in rows if r["id"] == "money")
    assert all(bad[c] == "" for c in OUTPUT_COLUMNS[1:-1])
    assert "6 rows quoted, 4 with errors" in err


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"sessions": "0"}, "sessions: must be from 1 to 100, not 0"),
        ({"sessions": "six"}, "sessions: 'six' is not a whole number"),
        ({"weeks": "53"}, "weeks: must be from 1 to 52, not 53"),
        ({"months": "61", "maintenance": "monthly"}, "months: must be from 0 to 60, not 61"),
        ({"condition": "flu"}, "condition: unknown condition 'flu'"),
        ({"maintenance": "sometimes"}, "maintenance: unknown maintenance plan 'sometimes'"),
        ({"network": "maybe"}, "network: 'maybe' is not one of in, out"),
        ({"plan_year_start": "13-01"}, "plan_year_start: '13-01' is not a month and day"),
        ({"price": "500", "price_low": "400"}, "price: give price, or price_low and price_high"),
        ({"price_low": "400"}, "price_high: price_low and price_high go together"),
        (
            {"price_low": "900", "price_high": "400"},
            "price_low: the low price 900 is above the high",
        ),
        ({"price_low": "400", "price_high": "8OO"}, "price_high: '8OO' is not an amount of money"),
        ({"ride": "-5"}, "ride: '-5' is not an amount of money"),
        (
            {"oop_max": "100", "oop_met": "200"},
            "oop_met: the out-of-pocket amount met ($200.00) is more than the out-of-pocket "
            "maximum ($100.00)",
        ),
        (
            {"deductible": "100", "deductible_met": "200"},
            "deductible_met: the deductible met ($200.00) is more than the deductible ($100.00)",
        ),
    ],
)
def test_row_errors_name_the_column(runner: CliRunner, row: dict[str, str], message: str) -> None:
    """Each bad value is reported with the column that holds it, as `estimate` checks it."""
    _, rows, _ = run_batch(runner, to_csv([{"id": "r", "start": DAY, **row}]))
    assert rows[0]["error"].startswith(f"line 2: {message}")


def test_strict_stops_at_first_bad_row(runner: CliRunner, tmp_path: Path) -> None:
    """--strict: status 2 naming the file and line; OUT.csv is left as it was."""
    source = tmp_path / "calls.csv"
    source.write_text(f"id,price,start\nok,500,{DAY}\nbad,abc,{DAY}\nlater,600,{DAY}\n")
    out = tmp_path / "quotes.csv"
    out.write_text("previous quotes\n")
    result = runner.invoke(cli, ["batch", str(source), "-o", str(out), "--strict"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {source}:3: price: ... is not an amount")
    assert "Traceback" not in result.output
    assert out.read_text() == "previous quotes\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["calls.csv", "quotes.csv"]


def test_unknown_column_is_a_clear_error(runner: CliRunner) -> None:
    """An unknown column: status 2, one line naming it (with a suggestion), no output rows."""
    result = runner.invoke(cli, ["batch", "-"], input="id,dedutible\nx,100\n")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "Error: standard input:1: unknown column 'dedutible' (did you mean 'deductible'?)"
    )
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""


def test_repeated_column_is_an_error(runner: CliRunner) -> None:
    """A column named twice is refused rather than silently picking one."""
    result = runner.invoke(cli, ["batch", "-"], input="id,price,price\nx,1,2\n")
    assert result.exit_code == 2
    assert "column 'price' appears twice" in result.stderr


@pytest.mark.parametrize("text", ["", "id,price,start\n", "\ufeffid,price\r\n"])
def test_empty_and_header_only(runner: CliRunner, text: str) -> None:
    """An empty file or one with only a header: the output header, 0 rows, status 0."""
    code, rows, err = run_batch(runner, text.encode())
    assert code == 0
    assert rows == []
    assert "0 rows quoted, 0 with errors" in err


def test_bom_and_crlf(runner: CliRunner) -> None:
    """A byte-order mark and CRLF line ends (spreadsheet exports) read like plain CSV."""
    plain = to_csv(SAMPLE)
    excel = b"\xef\xbb\xbf" + to_csv(SAMPLE, line_end="\r\n").encode()
    _, expected, _ = run_batch(runner, plain)
    code, rows, _ = run_batch(runner, excel)
    assert code == 0
    assert rows == expected
    assert rows[0]["id"] == "defaults"


def test_blank_rows_skipped_and_header_case_ignored(runner: CliRunner) -> None:
    """Empty lines and rows of empty cells are skipped; ` ID ` names the id column."""
    text = f" ID ,Price,START\n\na,500,{DAY}\n,,\nb,600,{DAY}\n,,\n"
    code, rows, err = run_batch(runner, text)
    assert code == 0
    assert [r["id"] for r in rows] == ["a", "b"]
    assert "2 rows quoted" in err


def test_quoted_cells_and_formula_ids(runner: CliRunner) -> None:
    """Quoted cells with commas parse; an id a spreadsheet would run is neutralised."""
    text = f'id,price,start\n"=HYPERLINK(""x"")","$1,200",{DAY}\n'
    _, rows, _ = run_batch(runner, text)
    assert rows[0]["id"] == '\'=HYPERLINK("x")'
    assert rows[0]["typical_charges"] == "7200.00"


def test_blank_start_means_today(runner: CliRunner) -> None:
    """A blank start is today: the same figures as `estimate` without --start."""
    row = {"id": "t", "deductible": "1500", "coinsurance": "20", "maintenance": "monthly"}
    _, rows, _ = run_batch(runner, to_csv([row]))
    expected = json.loads(runner.invoke(cli, estimate_args(row)).stdout)["scenarios"]
    assert rows[0]["typical_out_of_pocket"] == expected["typical"]["out_of_pocket"]
    assert int(rows[0]["sessions"]) == expected["typical"]["sessions"]


def test_ten_thousand_rows(runner: CliRunner, tmp_path: Path) -> None:
    """10,000 rows: every one quoted in order, written to -o, summary on standard error."""
    rows = [
        {
            "id": f"r{i}",
            "price_low": str(400 + i % 200),
            "price_high": str(800 + i % 300),
            "deductible": str(500 * (1 + i % 4)),
            "deductible_met": str(i % 500),
            "coinsurance": str(10 + i % 3 * 10),
            "start": DAY,
        }
        for i in range(10_000)
    ]
    source, out = tmp_path / "calls.csv", tmp_path / "quotes.csv"
    source.write_text(to_csv(rows))
    result = runner.invoke(cli, ["batch", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"10,000 rows quoted to {out}, 0 with errors, in " in result.stderr
    quoted = list(csv.DictReader(out.open(newline="")))
    assert [r["id"] for r in quoted] == [r["id"] for r in rows]
    assert {r["error"] for r in quoted} == {""}
    last = json.loads(runner.invoke(cli, estimate_args(rows[-1])).stdout)["scenarios"]
    assert quoted[-1]["high_out_of_pocket"] == last["high"]["out_of_pocket"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_no_progress_bar_when_piped(runner: CliRunner) -> None:
    """Standard error that is not a terminal gets the one summary line and nothing else."""
    _, _, err = run_batch(runner, to_csv(SAMPLE))
    assert err.count("\n") == 1
    assert err.startswith("10 rows quoted, 0 with errors, in ")


def test_sheet_option(runner: CliRunner, tmp_path: Path) -> None:
    """--sheet prices the rows on a clinic's sheet; a bad sheet is a status-2 error."""
    sheet = tmp_path / "clinic.toml"
    sheet.write_text(
        '[sheet]\nname = "Clinic"\ndefault_condition = "depression"\n'
        '[treatments.depression]\nlabel = "Depression"\nprice = 450\n'
    )
    code, rows, _ = run_batch(runner, "id,sessions\na,2\n", "--sheet", str(sheet))
    assert code == 0
    assert rows[0]["typical_charges"] == "900.00"
    bad = tmp_path / "bad.toml"
    bad.write_text("[sheet\n")
    result = runner.invoke(cli, ["batch", "-", "--sheet", str(bad)], input="id\na\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: bad price sheet:")


def test_missing_file_and_bad_encoding(runner: CliRunner, tmp_path: Path) -> None:
    """A missing file, or a header that is not UTF-8, is a status-2 error; a row that is
    not UTF-8 fails that row only (status 2 with --strict). Never a traceback."""
    result = runner.invoke(cli, ["batch", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    code = runner.invoke(cli, ["batch", "-"], input=b"id,condition\na,d\xe9pression\nb,pain\n")
    assert code.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(code.stdout)))
    assert [r["id"] for r in rows] == ["", "b"]
    assert rows[0]["error"] == "line 2: not UTF-8 text (save it as CSV UTF-8)"
    strict = runner.invoke(cli, ["batch", "-", "--strict"], input=b"id\na\xe9\n")
    assert strict.exit_code == 2
    assert strict.stderr == "Error: standard input:2: not UTF-8 text (save it as CSV UTF-8)\n"
    header = runner.invoke(cli, ["batch", "-"], input=b"id,c\xe9\na,b\n")
    assert header.exit_code == 2
    assert header.stderr.startswith("Error: standard input:1: not UTF-8 text")


def test_output_folder_missing(runner: CliRunner, tmp_path: Path) -> None:
    """-o into a folder that does not exist: one line, status 1, nothing left behind."""
    result = runner.invoke(
        cli, ["batch", "-", "-o", str(tmp_path / "no" / "q.csv")], input="id\na\n"
    )
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Could not open file")
    assert "Traceback" not in result.output


def test_several_processes_write_the_same_output_row_for_row(tmp_path: Path) -> None:
    """A batch long enough to be shared among worker processes (more than one chunk)
    writes exactly what one process writes, errors included, in the same order."""
    import subprocess
    import sys

    from ketacost.cli.batch_pool import CHUNK

    rows = []
    for number in range(CHUNK * 3 + 7):
        bad = number % 397 == 0
        rows.append(
            {
                "id": f"r{number}",
                "sessions": "x" if bad else str(1 + number % 12),
                "maintenance": ("none", "4w", "monthly")[number % 3],
                "deductible": str(number % 2000),
                "coinsurance": "20",
                "start": "2026-11-23",
            }
        )
    requests = tmp_path / "calls.csv"
    requests.write_text(to_csv(rows), encoding="utf-8")
    home = tmp_path / "home"
    env = {key: value for key, value in os.environ.items() if not key.startswith("KETACOST_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / "c"), XDG_DATA_HOME=str(home / "d"))
    outputs = []
    for jobs in ("1", "2", "3"):
        out = tmp_path / f"out{jobs}.csv"
        done = subprocess.run(
            [sys.executable, "-m", "ketacost", "batch", str(requests), "-o", str(out), "-j", jobs],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert outputs[0].count(b"\n") == CHUNK * 3 + 8
    assert b"line 2: sessions:" in outputs[0]
