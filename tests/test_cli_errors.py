"""Every error is one readable line; a bare group prints its help; a command that takes
patient information never repeats the patient's name or date of birth in an error."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from ketacost.cli.app import cli, one_line, redact

NAME = "Zelda Quux"


@pytest.mark.parametrize("group", [[], ["quotes"], ["sheet"]])
def test_a_bare_group_prints_its_help_as_help_does(runner: CliRunner, group: list[str]) -> None:
    bare = runner.invoke(cli, group)
    helped = runner.invoke(cli, [*group, "--help"])
    assert bare.exit_code == 0
    assert bare.stdout == helped.stdout
    assert bare.stdout.startswith("Usage: ")
    assert "\n\nCommands:\n" in bare.stdout or "\nCommands:\n" in bare.stdout
    assert bare.stderr == ""


def test_a_missing_choice_is_one_readable_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["quotes", "export"])
    assert result.exit_code == 2
    assert result.stderr == "Error: Missing option '--format' / '-f'. Choose from: csv, json\n"


@pytest.mark.parametrize(
    ("message", "line"),
    [
        (
            "Missing option '-f'. Choose from:\n\tcsv,\n\tjson",
            "Missing option '-f'. Choose from: csv, json",
        ),
        ("first\n\nsecond", "first; second"),
        ("one line", "one line"),
        ("bad \x1b[2J value", "bad \\x1b[2J value"),
        ("bidi \u202e here", "bidi \\u202e here"),
    ],
)
def test_one_line_joins_readably_and_escapes_controls(message: str, line: str) -> None:
    assert one_line(message) == line


@pytest.mark.parametrize(
    "args",
    [
        ["quotes", "list", "--patient", "Zelda", "Quux"],
        ["quotes", "export", "-f", "csv", "--patient", "Zelda", "Quux"],
        ["quote", "--patient", "Zelda", "Quux"],
        ["quote", "--patient=Zelda", "Quux"],
        ["quote", "--patient", "Zelda", "--dob", "Quux"],
        ["quote", "--patient", "Zelda", "--dob=Quux"],
        ["gfe", "--patient", "Zelda", "Quux", "--dob", "1980-01-01", "--dx", "F33.1"],
        ["gfe", "--patient", "Zelda", "--dob", "Quux", "--dx", "F33.1", "-o", "x.html"],
        ["gfe", "--patient", "Zelda", "--dobb", "Quux"],
        ["gfe", "--patient", "Zelda", "--patiet=Quux"],
        ["gfe", "--patient", "Zelda Quux", "--dob", "1980-01-01", "-o", "x.html", "extra"],
    ],
)
def test_no_error_of_a_patient_command_repeats_the_patient(
    runner: CliRunner, args: list[str]
) -> None:
    """The patient's name and date of birth, a word that may be part of a name typed
    without quotes, and the value of a mistyped option are never repeated."""
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "Zelda" not in result.stderr and "Quux" not in result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ["quotes", "list", "--patient", "Zelda", "--limit", "Quux"],
        ["quotes", "list", "--patient", "Zelda", "--since", "Quux"],
        ["quotes", "list", "--patient", "Zelda", "-n", "Quux"],
        ["quote", "--patient", "Zelda", "--sessions", "Quux"],
        ["quote", "--patient", "Zelda", "--network", "Quux"],
        ["quote", "--patient", "Zelda", "--price", "Quux"],
        ["quote", "--patient", "Zelda", "--start", "Quux"],
        ["quote", "--patient", "Zelda", "--condition", "Quux"],
        ["quote", "--patient", "Zelda", "--maintenance", "Quux"],
        ["quote", "--patient", "Zelda", "-f", "Quux"],
        ["quote", "--patient", "Zelda", "--Quux"],
        ["gfe", "--patient", "Zelda", "--dob", "1980-01-01", "--dx", "Quux", "-o", "x.html"],
    ],
)
def test_an_error_of_a_patient_command_shows_the_value_to_fix(
    runner: CliRunner, args: list[str]
) -> None:
    """Issue 19: any other value typed wrong (a count, a date, a treatment, a code, an
    unknown option) is shown so it can be fixed; the patient still is not."""
    result = runner.invoke(cli, args)
    assert result.exit_code == 2, result.output
    assert "Quux" in result.stderr and "Zelda" not in result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_an_unknown_option_is_named_and_its_value_hidden(runner: CliRunner) -> None:
    """--deductible (an option of estimate) and --dobb (a typo) are named, with the
    suggestion; the word after an unknown option may be the patient's: hidden."""
    known = runner.invoke(cli, ["gfe", "--patient", NAME, "--deductible", "500"])
    assert known.exit_code == 2
    assert "--deductible" in known.stderr  # click quotes it from 8.2.2 on
    typo = runner.invoke(cli, ["gfe", "--patient", NAME, "--dobb", "1980-01-01"])
    assert typo.exit_code == 2
    assert "--dobb" in typo.stderr and "1980-01-01" not in typo.stderr
    assert re.search(r"--dob\b", typo.stderr)  # quoted or not, as the click version has it
    assert "Zelda" not in known.stderr + typo.stderr


def test_a_stray_word_is_explained_without_repeating_it(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["quotes", "list", "--patient", "Zelda", "Quux"])
    assert "quote a name with spaces" in result.stderr


def test_commands_without_patient_data_keep_the_value_in_the_message(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["estimate", "--price", "abc"])
    assert result.exit_code == 2
    assert "'abc' is not an amount" in result.stderr


def test_redact_hides_each_value_and_each_word_of_one() -> None:
    """Every word of a hidden value becomes ``...``; option names stay."""
    message = "Invalid value for '--limit': 'Ann Lee' is not a number; Lee"
    line = redact(message, ["Ann Lee"])
    assert "Ann" not in line and "Lee" not in line
    assert "'--limit'" in line


def test_hidden_values_are_the_patients_and_stray_words() -> None:
    """The values of --patient and --dob, a stray word and an unknown option's value are
    hidden; another option's value, a flag and a command name are not."""
    from ketacost.cli.app import hidden_values
    from ketacost.cli.quote_cmd import quote

    keep = frozenset({"quote", "--patient", "--dob", "--limit"})
    args = ["quote", "--patient", "Ann", "--dob=1980-01-01", "--price", "450", "Lee",
            "--pricee=9", "--json-please", "7"]  # fmt: skip
    assert hidden_values(args, quote, keep) == ["Ann", "1980-01-01", "Lee", "9", "7"]


def test_a_full_standard_output_is_one_line_status_1() -> None:
    """`ketacost estimate > /dev/full`: one line, status 1, no traceback."""
    import subprocess
    import sys

    for args in (["estimate"], ["estimate", "-f", "json"], ["sheet", "show"]):
        with open("/dev/full", "w") as full:
            done = subprocess.run(
                [sys.executable, "-m", "ketacost", *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
                env={"HOME": "/nonexistent-home", "PATH": "/usr/bin:/bin"},
            )
        assert done.returncode == 1, done.stderr
        assert done.stderr.count("\n") == 1, done.stderr
        assert "No space left on device" in done.stderr
        assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["x" * 5000],
        ["estimate", "--" + "x" * 5000],
        ["estimate", "--condition", "x" * 5000],
        ["compare", "x" * 5000],
        ["sheet", "check", "x" * 5000],
    ],
)
def test_an_error_quoting_a_huge_argument_is_cut_short(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code in (1, 2)
    assert result.stderr.count("\n") == 1 and len(result.stderr) <= len("Error: ") + 501
