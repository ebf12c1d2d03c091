"""``ketacost wizard``: scripted answers, the one-line command it prints, clean exits."""

from __future__ import annotations

import io
import json
import re
import shlex
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacost.answers import parse_plan
from ketacost.cli import cli
from ketacost.sheet.load import load_sheet
from tests.clinic import clinic_sheet

SHEET = load_sheet()

# condition, sessions, first date, boosters, months, insurance?, network, deductible, met,
# copay, coinsurance, out-of-pocket max, HSA tax rate, payment plan
INSURED = "pain\n\n\n4w\n\ny\nin\n1500\n200\n25\n20%\n3000\n\n\n"


def command_of(stdout: str) -> str:
    """The one-line command the wizard prints after its estimate."""
    lines = stdout.splitlines()
    return lines[lines.index("Next time, the same estimate in one line:") + 1].strip()


def test_defaults_only(runner: CliRunner) -> None:
    """Enter at every question: the default estimate and a bare command; end of input at
    the closing offers means no."""
    result = runner.invoke(cli, ["wizard"], input="\n" * 7)
    assert result.exit_code == 0, result.output
    assert "[depression]" in result.stdout  # defaults are shown
    assert "[6]" in result.stdout
    assert "[today]" in result.stdout
    assert "[none]" in result.stdout
    assert "(y/n) [n]" in result.stdout
    assert "Estimated cost of ketamine infusion therapy" in result.stdout
    assert command_of(result.stdout) == "ketacost estimate"


def test_insured_answers_give_an_equivalent_command(runner: CliRunner) -> None:
    """The printed command reproduces the wizard's estimate exactly."""
    result = runner.invoke(cli, ["wizard"], input=INSURED)
    assert result.exit_code == 0, result.output
    line = command_of(result.stdout)
    assert line == (
        "ketacost estimate --condition pain --maintenance 4w --network in "
        "--deductible 1500.00 --deductible-met 200.00 --copay 25.00 "
        "--oop-max 3000.00 --coinsurance 20%"
    )
    args = shlex.split(line)[1:]
    again = runner.invoke(cli, args)
    assert again.exit_code == 0, again.output
    table = again.stdout.split("This is an estimate")[0]
    assert table in result.stdout


def test_bad_answers_are_explained_in_plain_words(runner: CliRunner) -> None:
    """A bad answer is explained as a person would, and the question asked again."""
    result = runner.invoke(
        cli,
        ["wizard"],
        input="migraine\npain\nlots\n8\nsoon\n2027-01-04\nevery 3 days\n6w\nforever\n24\n"
        "maybe\nn\n\n\n",
    )
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Please choose one of: depression, pain, spravato, im, kap." in out
    assert "Please answer with a number of sessions from 1 to 100, like 6." in out
    assert "Please give the date as year-month-day, like 2027-01-04, or say today." in out
    assert 'Please answer none, monthly or "every 4 weeks"' in out
    assert "Please answer with a number of months from 1 to 60, like 12." in out
    assert "Please answer yes or no (y or n)." in out
    for programmer in ("Error:", "is not a valid", "integer", "range", "Traceback"):
        assert programmer not in out
    assert command_of(out) == (
        "ketacost estimate --condition pain --sessions 8 --start 2027-01-04 "
        "--maintenance 6w --months 24"
    )


@pytest.mark.parametrize(
    ("said", "typed"),
    [
        ("once a month", "monthly"),
        ("every month", "monthly"),
        ("monthly", "monthly"),
        ("Once a month.", "monthly"),
        ("every 4 weeks", "4w"),
        ("every four weeks", "4w"),
        ("once every 4 weeks", "4w"),
        ("every other week", "2w"),
        ("every 2 months", "every 2 months"),
        ("quarterly", "every 3 months"),
    ],
)
def test_boosters_in_a_persons_words(runner: CliRunner, said: str, typed: str) -> None:
    """ "once a month" and its kin are answers; the command says monthly, never 1m."""
    result = runner.invoke(cli, ["wizard"], input=f"\nsix\n2027-01-04\n{said}\n\n\n\n\n")
    assert result.exit_code == 0, result.output
    line = command_of(result.stdout)
    assert line == f"ketacost estimate --start 2027-01-04 --maintenance {shlex.quote(typed)}"
    assert "1m" not in line
    again = runner.invoke(cli, shlex.split(line)[1:])
    assert again.stdout.split("This is an estimate")[0] in result.stdout


def test_the_sheets_own_plans_are_offered(runner: CliRunner, tmp_path: Path) -> None:
    """A clinic's plans (the starter sheet's 'membership') are offered by name and taken."""
    sheet = tmp_path / "clinic.toml"
    assert runner.invoke(cli, ["sheet", "init", str(sheet)]).exit_code == 0
    result = runner.invoke(
        cli, ["wizard", "--sheet", str(sheet)], input="\n\n2027-01-04\nmembership\n\n\n\n\n"
    )
    assert result.exit_code == 0, result.output
    assert "membership (Monthly membership (example))" in result.stdout
    line = command_of(result.stdout)
    assert "--maintenance membership" in line
    again = runner.invoke(cli, shlex.split(line)[1:])
    assert again.exit_code == 0, again.output
    assert again.stdout.split("This is an estimate")[0] in result.stdout


def test_sheet_is_carried_into_the_command(runner: CliRunner, tmp_path: Path) -> None:
    """--sheet is asked about nothing, but appears in the printed command."""
    from importlib.resources import files

    sheet = tmp_path / "my clinic.toml"
    sheet.write_text(files("ketacost").joinpath("data/national.toml").read_text())
    result = runner.invoke(cli, ["wizard", "--sheet", str(sheet)], input="\n\n\n\nn\n\n\n")
    assert result.exit_code == 0, result.output
    assert command_of(result.stdout).endswith(shlex.quote(str(sheet)))


def test_help_names_the_config_sheet_as_the_default(runner: CliRunner) -> None:
    """wizard --help describes --sheet in the same words as estimate --help: the config
    sheet when there is one, which is what the wizard uses."""

    def sheet_help(command: str) -> str:
        text = runner.invoke(cli, [command, "--help"]).stdout.split("Options:")[1]
        block = text.split("--sheet FILE", 1)[1]
        return " ".join(re.split(r"\n\s+-", block)[0].split())

    assert sheet_help("wizard") == sheet_help("estimate")
    assert "the sheet in the config directory" in sheet_help("wizard")
    assert "[default: built-in national averages]" not in sheet_help("wizard")


def test_the_config_sheet_is_used(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["sheet", "init"]).exit_code == 0
    result = runner.invoke(cli, ["wizard"], input="\n" * 7)
    assert "My Clinic price sheet" in result.stdout


def test_hsa_and_payment_plan(runner: CliRunner) -> None:
    """HSA rate and a payment plan are asked, shown under the table and in the command."""
    result = runner.invoke(cli, ["wizard"], input="\n\n\n\nn\n24\n12@9.99\n")
    assert result.exit_code == 0, result.output
    assert "HSA (self-only coverage) at a 24% tax rate" in " ".join(result.stdout.split())
    assert "over 12 months at 9.99% APR" in result.stdout
    line = command_of(result.stdout)
    assert line == "ketacost estimate --hsa-rate 24% --finance 12@9.99%"
    again = runner.invoke(cli, shlex.split(line)[1:])
    assert again.stdout.split("This is an estimate")[0] in result.stdout


def test_bad_payment_plan_is_asked_again(runner: CliRunner) -> None:
    """A payment plan of zero months is explained and asked again."""
    result = runner.invoke(cli, ["wizard"], input="\n\n\n\nn\n\n0\n12\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("A payment plan?") == 2
    assert "Please give the number of months, like 12" in result.stdout
    assert command_of(result.stdout) == "ketacost estimate --finance 12"


def test_it_offers_the_month_view(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["wizard"], input="\n\n2027-01-04\nmonthly\n\n\n\n\ny\nn\n")
    assert result.exit_code == 0, result.output
    assert "Show what you pay month by month (y/n) [n]" in result.stdout
    months = result.stdout.split("Show what you pay month by month")[1]
    assert "Month by month" in months and "Jan 2027" in months and "Jan 2028" in months


def test_it_offers_to_save_the_quote(runner: CliRunner, tmp_path: Path) -> None:
    """Saved as 'ketacost quote' saves: in the quote log, under a new id, with the patient
    named; 'quotes show' reprints the same figures."""
    db = tmp_path / "log" / "quotes.db"
    answers = "\n\n2027-01-04\nonce a month\n\nn\n\n\nn\nyes\nAnn Lee\nSam\n"
    result = runner.invoke(cli, ["wizard", "--db", str(db)], input=answers)
    assert result.exit_code == 0, result.output
    found = re.search(r"Saved as quote (Q-\d{8}-[0-9A-Z]{6})\.", result.stdout)
    assert found, result.stdout
    shown = runner.invoke(cli, ["quotes", "show", found.group(1), "--db", str(db), "-f", "json"])
    assert shown.exit_code == 0, shown.output
    entry = json.loads(shown.stdout)
    assert entry["patient"] == "Ann Lee" and entry["prepared_by"] == "Sam"
    line = command_of(result.stdout)
    fresh = json.loads(runner.invoke(cli, [*shlex.split(line)[1:], "-f", "json"]).stdout)
    assert entry["scenarios"] == fresh["scenarios"]
    listed = runner.invoke(cli, ["quotes", "list", "--db", str(db)], env={"COLUMNS": "120"})
    assert found.group(1) in listed.stdout


def test_saving_is_never_done_unasked(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "quotes.db"
    result = runner.invoke(cli, ["wizard", "--db", str(db)], input="\n" * 9)
    assert result.exit_code == 0, result.output
    assert not db.exists()


@pytest.mark.parametrize("answers", ["", "pain\n", "pain\n\n\n4w\n\ny\n"])
def test_end_of_input_leaves_cleanly(runner: CliRunner, answers: str) -> None:
    """End of input at any question: status 1, one line, no traceback."""
    result = runner.invoke(cli, ["wizard"], input=answers)
    assert result.exit_code == 1
    assert result.stderr == "Aborted.\n"
    assert "Traceback" not in result.output
    assert result.stdout.endswith("\n")  # the open question's line is ended


class Interrupted(io.BytesIO):
    """Standard input whose reader gets Ctrl-C (KeyboardInterrupt) at the first read."""

    def read(self, size: int | None = -1) -> bytes:
        if size == 0:  # the test runner's check that this is a binary stream
            return b""
        raise KeyboardInterrupt

    def read1(self, size: int | None = -1) -> bytes:
        raise KeyboardInterrupt

    def readinto(self, buffer: object) -> int:
        raise KeyboardInterrupt

    def readline(self, size: int | None = -1) -> bytes:
        raise KeyboardInterrupt


def test_ctrl_c_leaves_cleanly(runner: CliRunner) -> None:
    """Ctrl-C at a question: status 1, one line, no traceback."""
    result = runner.invoke(cli, ["wizard"], input=Interrupted())
    assert result.exit_code == 1, result.output
    assert result.stderr == "Aborted.\n"
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, KeyboardInterrupt)


def test_a_saved_self_pay_quote_for_a_named_patient_is_a_request(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 19 item 2, as 'ketacost quote' does: saved for a named patient without
    insurance, the quote keeps a request for a Good Faith Estimate (due 3 business days
    later: asked Friday 2026-11-20, due Wednesday 11-25) and gfe due lists it; saved
    without a name, none."""
    from datetime import date

    from ketacost.cli import clock

    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 20))
    db = tmp_path / "quotes.db"
    named = "\n\n2027-01-04\nonce a month\n\nn\n\n\nn\nyes\nAnn Lee\n\n"
    result = runner.invoke(cli, ["wizard", "--db", str(db)], input=named)
    assert result.exit_code == 0, result.output
    assert "due by 2026-11-25 (3 business days)" in result.stdout
    unnamed = "\n\n2027-01-04\nonce a month\n\nn\n\n\nn\nyes\n\n\n"
    assert runner.invoke(cli, ["wizard", "--db", str(db)], input=unnamed).exit_code == 0
    due = runner.invoke(cli, ["gfe", "due", "--db", str(db), "-f", "json"])
    [duty] = json.loads(due.stdout)["duties"]
    assert (duty["patient"], duty["due"]) == ("Ann Lee", "2026-11-25")


def test_spravato_without_boosters_one_line_says_so(runner: CliRunner) -> None:
    """Spravato's own plan has boosters every 2 weeks, so 'none' must be in the line: the
    wizard's $12,600.00, not a year of boosters ($39,900.00). Enter keeps its own plan,
    shown as the default, and the line then needs no --maintenance."""
    result = runner.invoke(cli, ["wizard"], input="spravato\n\n\nnone\nn\n\n\n")
    assert result.exit_code == 0, result.output
    line = command_of(result.stdout)
    assert line == "ketacost estimate --condition spravato --maintenance none"
    again = json.loads(runner.invoke(cli, [*shlex.split(line)[1:], "-f", "json"]).stdout)
    assert again["scenarios"]["typical"]["charges"] == "12600.00"
    assert "$12,600.00" in result.stdout and "$39,900.00" not in result.stdout
    kept = runner.invoke(cli, ["wizard"], input="spravato\n\n\n\n\nn\n\n\n")
    assert "[every 2 weeks]" in kept.stdout
    assert command_of(kept.stdout) == "ketacost estimate --condition spravato"


@st.composite
def wizard_answers(draw: st.DrawFn) -> str:
    """What a person might type at each question, Enter (the default) included; the
    closing offers: no month view, save the quote with no names."""
    condition = draw(st.sampled_from(["", "depression", "pain", "spravato", "im", "kap", "ptsd"]))
    treatment = SHEET.treatment(condition or SHEET.default_condition)
    sessions = draw(st.sampled_from(["", "1", "six", "8", "12"]))
    start = draw(st.sampled_from(["", "tomorrow", "2027-01-04", "2027-12-20"]))
    boosters = draw(st.sampled_from(["", "none", "monthly", "every 4 weeks", "2w", "quarterly"]))
    lines = [condition, sessions, start, boosters]
    plan = treatment.maintenance if boosters == "" else parse_plan(boosters, {})
    if plan.unit != "none":
        lines.append(draw(st.sampled_from(["", "3", "24"])))
    if draw(st.booleans()):
        deductible = draw(st.sampled_from(["0", "1500"]))
        met = draw(st.sampled_from(["", "0"] + (["200"] if deductible != "0" else [])))
        lines += ["y", draw(st.sampled_from(["", "in", "out"])), deductible, met]
        lines.append(draw(st.sampled_from(["", "25"])))  # copay
        lines.append(draw(st.sampled_from(["0", "20", "35%", "12.5"])))  # coinsurance
        lines.append(draw(st.sampled_from(["", "3000"])))  # out-of-pocket maximum
    else:
        lines.append("n")
    lines.append(draw(st.sampled_from(["", "24", "32.5"])))  # HSA tax rate
    lines.append(draw(st.sampled_from(["", "12", "24@17.99"])))  # payment plan
    lines += ["n", "y", "", ""]
    return "\n".join(lines) + "\n"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(answers=wizard_answers())
def test_the_one_line_gives_the_wizards_result(
    runner: CliRunner, tmp_path: Path, answers: str
) -> None:
    """For any answers, the printed command run with --format json gives exactly the
    result the wizard computed (as it saved it in the quote log): every figure, the
    inputs, the notes."""
    db = tmp_path / f"{uuid.uuid4().hex}.db"
    result = runner.invoke(cli, ["wizard", "--db", str(db)], input=answers)
    assert result.exit_code == 0, result.output
    saved = re.search(r"Saved as quote (Q-\d{8}-[0-9A-Z]{6})\.", result.stdout)
    assert saved, result.stdout
    shown = runner.invoke(cli, ["quotes", "show", saved.group(1), "--db", str(db), "-f", "json"])
    entry = json.loads(shown.stdout)
    line = command_of(result.stdout)
    again = runner.invoke(cli, [*shlex.split(line)[1:], "--format", "json"])
    assert again.exit_code == 0, (line, again.output)
    fresh = json.loads(again.stdout)
    assert {key: entry[key] for key in fresh} == fresh, line


def test_the_one_line_command_shows_an_escape_in_a_file_name_safely(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A sheet whose file name holds an escape sequence: the one-line command writes it
    in the shell's own quoting ($'...\\x1b...'), which runs as the same command and sends
    no escape to the terminal (click keeps them on a terminal, as ``color=True`` does)."""
    import subprocess

    folder = tmp_path / "x\x1b[2Jy"
    folder.mkdir()
    sheet = clinic_sheet(folder)
    result = runner.invoke(cli, ["wizard", "--sheet", str(sheet)], input="\n" * 12, color=True)
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if x.startswith("  ketacost estimate"))
    assert "\x1b" not in line and "\\x1b[2Jy" in line
    said = subprocess.run(
        ["bash", "-c", f"printf '%s\\n' {line.strip().removeprefix('ketacost estimate ')}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert said == ["--sheet", str(sheet)]


def test_a_quote_the_wizard_saves_keeps_the_clinic_s_letterhead(
    runner: CliRunner, tmp_path: Path
) -> None:
    """As 'ketacost quote' and the web desk save it: the clinic of the sheet is kept with
    the quote, so that it prints under the clinic's name."""
    sheet, db = clinic_sheet(tmp_path), tmp_path / "quotes.db"
    answers = "\n\n2027-01-04\nonce a month\n\nn\n\n\nn\nyes\nAnn Lee\n\n"
    result = runner.invoke(cli, ["wizard", "--sheet", str(sheet), "--db", str(db)], input=answers)
    assert result.exit_code == 0, result.output
    entry_id = next(w for w in result.stdout.split() if w.startswith("Q-")).rstrip(".")
    shown = json.loads(runner.invoke(cli, ["quotes", "show", entry_id, "--db", str(db),
                                           "-f", "json"]).stdout)  # fmt: skip
    assert shown["clinic"]["name"] == "Calm Waters Ketamine Clinic"
