"""--coverage FILE: a patient's plan in TOML, overridden by options, errors with lines."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.coverage.file import CoverageFileError, parse_coverage
from ketacost.money import D
from ketacost.sheet.load import SheetError, parse_sheet
from ketacost.toml.source import Problem, TomlError
from tests.conftest import START

PLAN = """\
# Acme PPO, 2026
network = "in"
deductible = 1500
coinsurance = 20
oop_max = 2000.00
plan_year_start = "01-01"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def estimate(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["estimate", "--start", START.isoformat(), *args])
    return result.exit_code, result.stdout, result.stderr


def test_parse_reads_money_as_decimal() -> None:
    """Amounts and percentages are Decimals (never floats), each with its line."""
    parsed = parse_coverage(PLAN, "plan.toml")
    assert parsed.values == {
        "network": "in",
        "deductible": D("1500"),
        "coinsurance": D("0.2"),
        "oop_max": D("2000.00"),
        "plan_year_start": (1, 1),
    }
    assert parsed.lines["oop_max"] == 5
    assert parsed.where("coinsurance") == "plan.toml:4"


def test_parse_accepts_percent_strings_and_toml_dates() -> None:
    """coinsurance = "20%" and plan_year_start = 2026-07-01 are understood."""
    parsed = parse_coverage('coinsurance = "20%"\nplan_year_start = 2026-07-01\n', "p.toml")
    assert (parsed.values["coinsurance"], parsed.values["plan_year_start"]) == (D("0.2"), (7, 1))


def test_file_gives_the_same_figures_as_the_options(runner: CliRunner, tmp_path: Path) -> None:
    """A plan file is the same as typing its figures: high out of pocket capped at 2000.00."""
    code, out, _ = estimate(runner, "--coverage", str(write(tmp_path, PLAN)), "--format", "json")
    assert code == 0
    scenarios = json.loads(out)["scenarios"]
    assert [scenarios[n]["out_of_pocket"] for n in ("low", "typical", "high")] == [
        "1680.00",
        "1920.00",
        "2000.00",
    ]


def test_options_override_the_file(runner: CliRunner, tmp_path: Path) -> None:
    """An option on the command line wins over the same field in the file."""
    code, out, _ = estimate(
        runner,
        "--coverage",
        str(write(tmp_path, PLAN)),
        "--deductible-met",
        "1500",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert data["inputs"]["coverage"]["deductible_met"] == "1500.00"
    assert data["scenarios"]["typical"]["out_of_pocket"] == "500.00"  # 1500 met, 2000 max


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("deductible = 1500\ncoinsurance = 120\n", 2, "coinsurance must be from 0 to 100"),
        ("deductible = 1500\ndeductible-met = 100\n", 2, "did you mean 'deductible_met'"),
        ("deductible = -5\n", 1, "deductible must not be negative"),
        ("deductible = 15.005\n", 1, "more than two decimals"),
        ('deductible = "lots"\n', 1, "deductible must be an amount"),
        ('network = "sideways"\n', 1, 'network must be "in" or "out"'),
        ('plan_year_start = "13-45"\n', 1, "not a month and day"),
        ("plan_year_start = 7\n", 1, "plan_year_start must be a month and day"),
        ("# my plan\ndeductible = 1500\ncopay = \n", 3, "not valid TOML"),
        ("deductible = 1500\n[coverage]\ncopay = 25\n", 2, "unknown key 'coverage'"),
        ("# nothing here\n", 0, "gives no coverage figures"),
    ],
)
def test_bad_file_names_file_and_line(
    runner: CliRunner, tmp_path: Path, text: str, line: int, words: str
) -> None:
    """A malformed coverage file exits 2 with one line: FILE:LINE: message."""
    path = write(tmp_path, text)
    code, out, err = estimate(runner, "--coverage", str(path))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    where = f"{path}:{line}: " if line else f"{path}: "
    assert where in err
    assert words in err
    assert "'--coverage'" in err


def test_contradiction_inside_the_file_points_at_its_line(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A met amount above its limit, both from the file: the file's line of the met amount."""
    path = write(tmp_path, "deductible = 1000\noop_max = 3000\ndeductible_met = 1200\n")
    code, _, err = estimate(runner, "--coverage", str(path))
    assert code == 2
    assert f"{path}:3: the deductible met ($1,200.00) is more than the deductible" in err


def test_contradiction_with_an_option_names_the_option(runner: CliRunner, tmp_path: Path) -> None:
    """A met amount given as an option that exceeds the file's limit names the option."""
    code, _, err = estimate(runner, "--coverage", str(write(tmp_path, PLAN)), "--oop-met", "2500")
    assert code == 2
    assert "'--oop-met'" in err


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    """A coverage file that does not exist exits 2 naming the file."""
    missing = tmp_path / "nope.toml"
    code, _, err = estimate(runner, "--coverage", str(missing))
    assert code == 2
    assert f"{missing}: cannot read the coverage file" in err


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="needs a user that file permissions apply to"
)
def test_unreadable_file(runner: CliRunner, tmp_path: Path) -> None:
    """A coverage file that cannot be read exits 2 naming the file."""
    path = write(tmp_path, PLAN)
    path.chmod(0)
    code, _, err = estimate(runner, "--coverage", str(path))
    assert code == 2
    assert "cannot read the coverage file" in err


def test_undecodable_file(runner: CliRunner, tmp_path: Path) -> None:
    """A coverage file that is not UTF-8 text exits 2 naming the file, no traceback."""
    path = tmp_path / "plan.toml"
    path.write_bytes(b"deductible = 1500\n\xff\xfe\n")
    code, _, err = estimate(runner, "--coverage", str(path))
    assert code == 2
    assert f"{path}: cannot read the coverage file" in err


def test_error_class_formats_without_a_line() -> None:
    """Without a known line the message is FILE: message."""
    assert str(CoverageFileError("p.toml", [Problem(line=0, message="oops")])) == "p.toml: oops"


def test_directory_is_not_a_coverage_file(runner: CliRunner, tmp_path: Path) -> None:
    """A directory given as the coverage file exits 2 naming it, no traceback."""
    code, _, err = estimate(runner, "--coverage", str(tmp_path))
    assert code == 2
    assert "'--coverage'" in err
    assert str(tmp_path) in err


THREE_BAD = """\
network = "in"
deductible = -5
copay = 25
coinsurence = 20
oop_max = "lots"
"""


def coverage_problems(text: str) -> list[str]:
    with pytest.raises(CoverageFileError) as caught:
        parse_coverage(text, "plan.toml")
    return caught.value.lines()


def test_every_problem_is_reported_with_its_line() -> None:
    """Three bad keys are three FILE:LINE problems, in line order, not just the first."""
    assert coverage_problems(THREE_BAD) == [
        "plan.toml:2: deductible must not be negative",
        "plan.toml:4: unknown key 'coinsurence' (did you mean 'coinsurance'?)",
        "plan.toml:5: oop_max must be an amount (a number, e.g. 450 or 450.00)",
    ]


def test_error_text_is_the_first_problem_and_how_many_more() -> None:
    """As text (what --coverage shows), the first problem and a count of the rest."""
    with pytest.raises(CoverageFileError) as caught:
        parse_coverage(THREE_BAD, "plan.toml")
    assert str(caught.value) == "plan.toml:2: deductible must not be negative (and 2 more)"


def test_command_shows_the_first_problem_and_the_count(runner: CliRunner, tmp_path: Path) -> None:
    """A coverage file with several problems: status 2, one line naming the first."""
    path = write(tmp_path, THREE_BAD)
    code, out, err = estimate(runner, "--coverage", str(path))
    assert code == 2
    assert out == ""
    assert f"{path}:2: deductible must not be negative (and 2 more)" in err


@pytest.mark.parametrize(
    ("key", "near"),
    [("deductable", "deductible"), ("oop-max", "oop_max"), ("plan_year", "plan_year_start")],
)
def test_unknown_key_suggests_the_near_one(key: str, near: str) -> None:
    """A misspelt key is reported at its line with a did-you-mean."""
    assert coverage_problems(f"copay = 25\n{key} = 1\n") == [
        f"plan.toml:2: unknown key {key!r} (did you mean {near!r}?)"
    ]


def test_a_percent_string_out_of_range_is_reported() -> None:
    """coinsurance = "120%" is more than 100%, at its line."""
    assert coverage_problems('copay = 25\ncoinsurance = "120%"\n') == [
        "plan.toml:2: coinsurance '120%' is more than 100%"
    ]


def test_sheet_and_coverage_file_share_one_reader() -> None:
    """Both files are read by the same reader: the same fault gets the same words, and
    both errors are the reader's error type with FILE:LINE problems."""
    with pytest.raises(SheetError) as sheet:
        parse_sheet('[treatments.a]\nprice = 450\n[discounts.d]\npercent = "1x"\n', "s.toml")
    with pytest.raises(CoverageFileError) as plan:
        parse_coverage('copay = 25\ncoinsurance = "1x"\n', "p.toml")
    assert isinstance(sheet.value, TomlError)
    assert isinstance(plan.value, TomlError)
    assert sheet.value.lines() == [
        "s.toml:4: 'percent' in [discounts.d] '1x' is not a percentage (e.g. 20 or 20%)"
    ]
    assert plan.value.lines() == ["p.toml:2: coinsurance '1x' is not a percentage (e.g. 20 or 20%)"]


def test_bytes_with_a_byte_order_mark_are_read() -> None:
    """A file saved with a UTF-8 byte-order mark reads as without one."""
    parsed = parse_coverage("\ufeffcopay = 25\n".encode(), "plan.toml")
    assert parsed.values == {"copay": D("25.00")}


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ('network = "out"\n', "deductible and coinsurance"),
        ("copay = 25\ndeductible = 500\n", "coinsurance"),
    ],
)
def test_a_coverage_file_missing_what_a_figure_needs_names_the_file(
    runner: CliRunner, tmp_path: Path, text: str, missing: str
) -> None:
    """A plan given by a file that lacks its deductible or coinsurance is refused naming
    the file (status 2), not an option the user never typed (``Missing option
    '--deductible'``)."""
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["estimate", "--coverage", str(path)])
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1
    assert f"'--coverage': {path}: " in result.stderr and missing in result.stderr
    assert "Missing option" not in result.stderr
    given = runner.invoke(cli, ["estimate", "--coverage", str(path), "--deductible", "0",
                                "--coinsurance", "20"])  # fmt: skip
    assert given.exit_code == 0, given.output
