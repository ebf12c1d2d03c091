"""``ketacost wizard``: scripted answers, the one-line command it prints, clean exits."""

from __future__ import annotations

import io
import shlex

import pytest
from click.testing import CliRunner

from ketacost.cli import cli

# condition, sessions, boosters, months, insurance?, network, deductible, met, copay,
# coinsurance, out-of-pocket max, HSA tax rate, payment plan
INSURED = "pain\n\n4w\n\ny\nin\n1500\n200\n25\n20%\n3000\n\n\n"


def test_defaults_only(runner: CliRunner) -> None:
    """Enter at every question: the default estimate and a bare command."""
    result = runner.invoke(cli, ["wizard"], input="\n\n\n\n\n\n")
    assert result.exit_code == 0, result.output
    assert "[depression]" in result.stdout  # defaults are shown
    assert "[6]" in result.stdout
    assert "[none]" in result.stdout
    assert "[y/N]" in result.stdout
    assert "Estimated cost of ketamine infusion therapy" in result.stdout
    assert result.stdout.rstrip().endswith("ketacost estimate")


def test_insured_answers_give_an_equivalent_command(runner: CliRunner) -> None:
    """The printed command reproduces the wizard's estimate exactly."""
    result = runner.invoke(cli, ["wizard"], input=INSURED)
    assert result.exit_code == 0, result.output
    line = result.stdout.rstrip().splitlines()[-1].strip()
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


def test_bad_answer_is_asked_again(runner: CliRunner) -> None:
    """A bad answer is explained and the question asked again, not a crash."""
    result = runner.invoke(
        cli, ["wizard"], input="migraine\npain\nten\n8\nevery 3 days\n6w\n24\nn\n\n\n"
    )
    assert result.exit_code == 0, result.output
    assert "Error: 'migraine' is not one of" in result.stdout
    assert "Error: 'ten' is not a valid integer" in result.stdout
    assert "unknown maintenance plan 'every 3 days'" in result.stdout
    assert "--sessions 8 --maintenance 6w --months 24" in result.stdout


def test_sheet_is_carried_into_the_command(runner: CliRunner, tmp_path: object) -> None:
    """--sheet is asked about nothing, but appears in the printed command."""
    from importlib.resources import files
    from pathlib import Path

    sheet = Path(str(tmp_path)) / "my clinic.toml"
    sheet.write_text(files("ketacost").joinpath("data/national.toml").read_text())
    result = runner.invoke(cli, ["wizard", "--sheet", str(sheet)], input="\n\n\nn\n\n\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.rstrip().endswith(shlex.quote(str(sheet)))


def test_hsa_and_payment_plan(runner: CliRunner) -> None:
    """HSA rate and a payment plan are asked, shown under the table and in the command."""
    result = runner.invoke(cli, ["wizard"], input="\n\n\nn\n24\n12@9.99\n")
    assert result.exit_code == 0, result.output
    assert "HSA (self-only coverage) at a 24% tax rate" in " ".join(result.stdout.split())
    assert "over 12 months at 9.99% APR" in result.stdout
    line = result.stdout.rstrip().splitlines()[-1].strip()
    assert line == "ketacost estimate --hsa-rate 24% --finance 12@9.99%"
    again = runner.invoke(cli, shlex.split(line)[1:])
    assert again.stdout.split("This is an estimate")[0] in result.stdout


def test_bad_payment_plan_is_asked_again(runner: CliRunner) -> None:
    """A payment plan of zero months is explained and asked again."""
    result = runner.invoke(cli, ["wizard"], input="\n\n\nn\n\n0\n12\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.count("A payment plan?") == 2
    assert result.stdout.rstrip().endswith("ketacost estimate --finance 12")


@pytest.mark.parametrize("answers", ["", "pain\n", "pain\n\n4w\n\ny\n"])
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
