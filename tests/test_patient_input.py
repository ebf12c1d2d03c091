"""A patient's name and date of birth without the process list: ``--patient -`` reads the
first line of standard input, ``--dob -`` the next; a terminal is asked for what is left
out. No error repeats either."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ketacost.cli import patient
from ketacost.cli.app import cli
from tests.clinic import clinic_sheet

NAME, DOB = "Zelda Quux", "1971-06-05"


def saved(db: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT patient, dob FROM entries").fetchall()
    return [(str(p), str(d)) for p, d in rows]


def test_quote_reads_the_name_then_the_date_of_birth(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    result = runner.invoke(
        cli,
        ["quote", "--patient", "-", "--dob", "-", "--db", str(db), "-f", "json"],
        input=f"{NAME}\n{DOB}\n",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["patient"], data["dob"]) == (NAME, DOB)


def test_the_order_on_the_command_line_does_not_matter(runner: CliRunner, tmp_path: Path) -> None:
    """The name is always the first line, the date of birth the next."""
    result = runner.invoke(
        cli,
        ["quote", "--dob", "-", "--patient", "-", "--db", str(tmp_path / "q.db"), "-f", "json"],
        input=f"{NAME}\r\n{DOB}\r\n",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["patient"], data["dob"]) == (NAME, DOB)


def test_only_the_date_of_birth_from_standard_input(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        cli,
        ["quote", "--patient", NAME, "--dob", "-", "--db", str(tmp_path / "q.db"), "-f", "json"],
        input=f"{DOB}\n",
    )
    assert json.loads(result.stdout)["dob"] == DOB


def test_a_gfe_from_standard_input(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "gfe.html"
    result = runner.invoke(
        cli,
        [
            "gfe",
            "--sheet",
            str(clinic_sheet(tmp_path)),
            "--patient",
            "-",
            "--dob",
            "-",
            "--dx",
            "F33.1",
            "--db",
            str(tmp_path / "q.db"),
            "-o",
            str(page),
        ],
        input=f"{NAME}\n{DOB}\n",
    )
    assert result.exit_code == 0, result.output
    assert NAME in page.read_text()
    assert saved(tmp_path / "q.db") == [(NAME, DOB)]


MESSAGE_WORDS = frozenset({
    "patient", "standard", "input", "line", "date", "birth", "from", "today", "must", "empty",
    "longer", "than", "characters", "contains", "control", "Invalid", "value", "Error",
})  # fmt: skip
"""Words the messages say themselves ("not a date of birth"): a line typed as ``date`` is
not repeated by them."""


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first=st.text(max_size=60),
    second=st.text(max_size=30),
)
@example(first="0", second="date")  # "not a date of birth": the message's own word
@example(first="0", second="Erro")  # a part of the message's own "Error": not a repeat
def test_bad_lines_are_one_line_naming_the_option_never_the_value(
    runner: CliRunner, tmp_path: Path, first: str, second: str
) -> None:
    """Whatever standard input holds: either a saved quote, or status 2 and one line that
    names --patient or --dob and repeats neither line."""
    result = runner.invoke(
        cli,
        ["quote", "--patient", "-", "--dob", "-", "--db", str(tmp_path / "q.db"), "-f", "json"],
        input=f"{first}\n{second}\n",
        catch_exceptions=False,
    )
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1
        assert "'--patient'" in result.stderr or "'--dob'" in result.stderr
        shown = set(re.findall(r"\w+", result.stderr))  # word by word: "Erro" is not "Error"
        for line in (first, second):
            words = {w for w in re.findall(r"\w+", line) if len(w) > 3}
            assert not (words & shown) - MESSAGE_WORDS


@pytest.mark.parametrize(
    ("stdin", "message"),
    [
        ("", "Invalid value for '--patient': standard input has no line for it"),
        (f"{NAME}\n", "Invalid value for '--dob': standard input has no line for it"),
        (f"{NAME}\nnot a date\n", "Invalid value for '--dob': not a date of birth"),
        ("\x1b[2J\n1971-06-05\n", "Invalid value for '--patient': contains control characters"),
        ("x" * 2000 + "\n", "Invalid value for '--patient': its line is longer than 1000"),
    ],
)
def test_missing_or_bad_lines(runner: CliRunner, tmp_path: Path, stdin: str, message: str) -> None:
    result = runner.invoke(
        cli,
        ["quote", "--patient", "-", "--dob", "-", "--db", str(tmp_path / "q.db")],
        input=stdin,
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {message}")


def test_a_terminal_is_asked_for_what_is_missing(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(patient, "stdin_is_terminal", lambda: True)
    page = tmp_path / "gfe.html"
    args = ["gfe", "--sheet", str(clinic_sheet(tmp_path)), "--dx", "F33.1", "-o", str(page)]
    result = runner.invoke(
        cli, [*args, "--db", str(tmp_path / "q.db")], input=f"{NAME}\n1971-13-40\n{DOB}\n"
    )
    assert result.exit_code == 0, result.output
    assert "Patient's name: " in result.stdout
    assert result.stdout.count("Date of birth (YYYY-MM-DD): ") == 2  # asked again after a bad one
    assert saved(tmp_path / "q.db") == [(NAME, DOB)]


def test_without_a_terminal_a_missing_value_is_a_usage_error(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(
        cli,
        ["gfe", "--sheet", str(clinic_sheet(tmp_path)), "--dx", "F33.1", "-o", "x.html"],
        input="",
    )
    assert result.exit_code == 2
    assert result.stderr == "Error: Missing option '--patient'.\n"


def test_help_says_how_to_keep_the_name_out_of_the_process_list(runner: CliRunner) -> None:
    text = runner.invoke(cli, ["gfe", "--help"]).stdout
    assert "- reads it from the first line of standard" in " ".join(text.split())
    assert "[required]" in text
