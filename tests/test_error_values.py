"""An error shows the value the user must fix (a wrong ICD-10 code, a fee name, a file
path), escaped; only the patient's name and date of birth stay hidden (issue 19). A GFE
without a clinic names the file to edit; ``gfe --help`` marks what it needs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from tests.clinic import clinic_sheet

NAME, DOB = "Zelda Quixote", "1971-06-05"
SECRETS = (NAME, "Zelda", "Quixote", DOB)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketacost.cli import clock

    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 20))


def gfe(
    runner: CliRunner, tmp_path: Path, *args: str, sheet: bool = True, dob: str = DOB
) -> Result:
    chosen = ["--sheet", str(clinic_sheet(tmp_path))] if sheet else []
    result = runner.invoke(
        cli,
        [
            "gfe",
            "--db",
            str(tmp_path / "q.db"),
            "--patient",
            NAME,
            "--dob",
            dob,
            *chosen,
            *args,
            "-o",
            str(tmp_path / "g.html"),
        ],
    )
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert len(result.stderr.splitlines()) == 1
    for secret in SECRETS:
        assert secret not in result.stdout + result.stderr, secret
    return result


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["--dx", "F33.1", "--dx", "F3"], "'F3' is not an ICD-10 code"),
        (["--dx", "F33.1", "--without", "nosuchfee"], "'nosuchfee' is not a fee or discount"),
        (["--dx", "F33.1", "--with", "vetran"], "'vetran'"),
        (["--dx", "F33.1", "--sheet", "no/such/sheet.toml"], "no/such/sheet.toml"),
        (["--dx", "F33.1", "--condition", "spravvato"], "'spravvato'"),
        (["--dx", "F33.1", "--prepared-by", "Sam", "--replaces", "G-1"], "G-1"),
    ],
)
def test_an_error_shows_the_value_to_fix_but_never_the_patient(
    runner: CliRunner, tmp_path: Path, args: list[str], shown: str
) -> None:
    """The code, fee, discount, file, treatment or id typed wrong is in the message; the
    patient's name and date of birth are not."""
    result = gfe(runner, tmp_path, *args)
    assert shown in result.stderr, result.stderr


def test_the_value_shown_is_escaped(runner: CliRunner, tmp_path: Path) -> None:
    """A value holding an escape sequence is shown with it made visible, not obeyed."""
    result = gfe(runner, tmp_path, "--dx", "F33.1", "--without", "x\x1b[2Jy")
    assert "\x1b" not in result.stderr
    assert "x\\x1b[2Jy" in result.stderr


def test_the_patient_stays_hidden_when_it_is_the_value_at_fault(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A date of birth that is not a date, or a name typed without quotes: neither is
    repeated, though the option at fault is named."""
    result = gfe(runner, tmp_path, "--dx", "F33.1", sheet=False, dob="1971-13-05")
    assert result.exit_code == 2
    assert "'--dob'" in result.stderr and "1971-13-05" not in result.stderr
    assert "Zelda" not in result.stderr
    stray = runner.invoke(cli, ["quote", "--patient", "Zelda", "Quixote", "--without", "nosuchfee"])
    assert stray.exit_code == 2
    assert "Quixote" not in stray.stderr and "Zelda" not in stray.stderr


def test_a_mistyped_option_is_shown_and_its_value_hidden(runner: CliRunner) -> None:
    """``--dobb 1971-06-05``: the typo is named, the date (a birth date) is not."""
    result = runner.invoke(cli, ["gfe", "--patient", NAME, "--dobb", DOB])
    assert result.exit_code == 2
    assert "--dobb" in result.stderr
    assert DOB not in result.stderr and "Zelda" not in result.stderr


def test_gfe_help_marks_the_date_of_birth_required(runner: CliRunner) -> None:
    """A GFE needs the patient's name and date of birth: the help says so, not
    "(optional)"."""
    text = " ".join(runner.invoke(cli, ["gfe", "--help"]).stdout.split())
    dob = text[text.index("--dob DATE") : text.index("--prepared-by")]
    patient = text[text.index("--patient NAME") : text.index("--dob DATE")]
    for help_text in (dob, patient):
        assert "(optional)" not in help_text
        assert "[required" in help_text


def test_the_first_gfe_without_a_clinic_names_the_file_to_edit(
    runner: CliRunner, tmp_path: Path
) -> None:
    """No clinic sheet yet: the error names the sheet 'ketacost sheet init' writes, the
    file every command then uses; a sheet lacking its NPI names that sheet."""
    from ketacost.cli.sheets import config_sheet

    result = gfe(runner, tmp_path, "--dx", "F33.1", sheet=False)
    assert "names no clinic" in result.stderr
    assert "ketacost sheet init" in result.stderr
    assert config_sheet() in result.stderr
    lacking = clinic_sheet(tmp_path, "lacking.toml", npi="")
    result = gfe(runner, tmp_path, "--dx", "F33.1", "--sheet", str(lacking), sheet=False)
    assert "lacks npi" in result.stderr and str(lacking) in result.stderr
    notice = runner.invoke(cli, ["gfe", "notice", "-o", str(tmp_path / "n.html")])
    assert notice.exit_code == 2
    assert config_sheet() in notice.stderr


@pytest.mark.parametrize(
    ("option", "typed"),
    [
        ("--without", "zelda quixote"),  # the name in another case
        ("--without", "ZELDA"),
        ("--dx", "x" * 36 + " Quixote"),  # the value shown is cut in the middle of the name
        ("--dx", "x" * 33 + " Zelda Quixote"),
        ("--dx", "x" * 35 + " zelda"),
    ],
)
def test_the_patient_stays_hidden_in_another_case_or_cut_short(
    runner: CliRunner, tmp_path: Path, option: str, typed: str
) -> None:
    """The name typed into another option is hidden whatever its case, and no start of it
    is left where the value shown is cut short (``'xx... Qui'...``)."""
    result = gfe(runner, tmp_path, "--dx", "F33.1", option, typed)
    for part in ("zel", "ZEL", "Zel", "Qui", "qui"):
        assert part not in result.stderr, result.stderr


def test_the_patient_stays_hidden_when_the_line_is_cut(runner: CliRunner) -> None:
    """An error line is cut at 500 characters; the name is hidden before the cut, so no
    start of it is left at the end of the line."""
    from ketacost.cli.app import MAX_LINE

    for pad in range(MAX_LINE - 70, MAX_LINE - 20):
        typed = "x" * pad + " Zelda Quixote"
        result = runner.invoke(cli, ["quote", "--patient", NAME, "--without", typed])
        assert result.exit_code == 2
        assert "Zel" not in result.stderr and "Qui" not in result.stderr, result.stderr


def test_a_gfe_for_sessions_in_the_past_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """``--start 2020-01-06`` made a GFE issued today listing planned sessions in 2020;
    a Good Faith Estimate is for care to come, as with --scheduled. Nothing is saved."""
    result = gfe(runner, tmp_path, "--dx", "F33.1", "--start", "2020-01-06")
    assert "'--start'" in result.stderr and "2020-01-06 is in the past" in result.stderr
    listed = runner.invoke(cli, ["quotes", "list", "--db", str(tmp_path / "q.db")])
    assert "G-" not in listed.stdout
    today = runner.invoke(
        cli,
        ["gfe", "--db", str(tmp_path / "q.db"), "--patient", NAME, "--dob", DOB, "--sheet",
         str(clinic_sheet(tmp_path)), "--dx", "F33.1", "--start", "2026-11-20",
         "-o", str(tmp_path / "g.html")],
    )  # fmt: skip
    assert today.exit_code == 0, today.output
