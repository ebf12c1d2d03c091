"""The refund forecast from the command line and the coverage file (docs/refunds.md):
every new key read with its line, every bad value one line with status 2, the options
standing for the separate out-of-network terms, the HSA sentence, a saved quote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.coverage.file import CoverageFileError, parse_coverage
from ketacost.money import D

START = ("--start", "2026-03-02", "--price", "600")
OUT = ("--network", "out", "--deductible", "0", "--coinsurance", "20")
SEPARATE = """\
network = "out"
deductible = 500
deductible_met = 500
coinsurance = 20
oon_deductible = 1500
oon_coinsurance = 40
oon_oop_max = 6000
"""


def invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, ["estimate", *START, *args])
    return result.exit_code, result.stdout, result.stderr


def typical(stdout: str) -> dict[str, str]:
    data = json.loads(stdout)
    figures: dict[str, str] = data["scenarios"]["typical"]
    return figures


def test_every_new_key_is_read_with_its_line() -> None:
    parsed = parse_coverage(
        SEPARATE + 'oon_deductible_met = 100\noon_oop_met = 200\noon_allowed = { "96365" = 180 }\n'
        'medicare_percent = "150%"\nmedicare_fees = { J3490 = 0 }\nclaim_days = 45\n'
        "filing_limit = 365\n",
        "plan.toml",
    )
    values = parsed.values
    assert values["oon_deductible"] == D("1500") and values["oon_coinsurance"] == D("0.4")
    assert values["oon_allowed"] == (("96365", D("180")),)
    assert values["medicare_fees"] == (("J3490", D("0")),)
    assert values["medicare_percent"] == D("1.5")
    assert (values["claim_days"], values["filing_limit"]) == (45, 365)
    assert parsed.where("filing_limit") == "plan.toml:14"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('oon_allowed = { "96365" = -5 }', "plan.toml:1: '96365' in [oon_allowed] must not be"),
        ("oon_allowed = 180", "plan.toml:1: oon_allowed must be a table of amounts per code"),
        ("oon_allowed = {}", "plan.toml:1: oon_allowed must be a table"),
        ("medicare_percent = 0", "plan.toml:1: medicare_percent must be a percent above 0"),
        ('medicare_percent = "lots"', "plan.toml:1: medicare_percent must be a percent"),
        ("medicare_percent = 5000", "plan.toml:1: medicare_percent must be a percent"),
        ("claim_days = 0", "plan.toml:1: claim_days must be from 1 to 365 days"),
        ("filing_limit = 99999", "plan.toml:1: filing_limit must be from 1 to 1,095 days"),
        ('claim_days = "soon"', "plan.toml:1: claim_days must be a whole number of days"),
        ("oon_coinsurance = 140", "plan.toml:1: oon_coinsurance"),
    ],
)
def test_bad_values_are_named_with_their_line(text: str, message: str) -> None:
    with pytest.raises(CoverageFileError) as caught:
        parse_coverage(text + "\n", "plan.toml")
    assert str(caught.value).startswith(message), str(caught.value)


@pytest.mark.parametrize(
    ("file", "args", "message"),
    [
        ("", (*OUT, "--medicare-percent", "150"), "'--medicare-percent': a percent of Medicare"),
        ("", ("--deductible", "0", "--coinsurance", "20", "--claim-days", "30"), "out-of-net"),
        ("", ("--deductible", "0", "--coinsurance", "20", "--filing-limit", "30"), "out-of-net"),
        ("", (*OUT, "--claim-days", "0"), "'--claim-days'"),
        ("", (*OUT, "--claim-days", "366"), "'--claim-days'"),
        ("", (*OUT, "--filing-limit", "1096"), "'--filing-limit'"),
        ("", (*OUT, "--medicare-percent", "0"), "'--medicare-percent'"),
        ('oon_allowed = { "96365" = 180 }\n', (*OUT,), "give none for J3490"),
        ('oon_allowed = { "96365" = 180, "J3490" = 0 }\n', (*OUT, "-c", "pain"), "none for 96366"),
        ('oon_allowed = { "96365" = 180 }\n', (*OUT, "--allowed", "400"), "per session or per"),
        ('oon_allowed = { "96 365" = 180 }\n', OUT, "plan.toml:1: oon_allowed: '96 365' is not"),
        ('oon_allowed = { "\\u001b[31m" = 1 }\n', OUT, "is not a service code"),
        ("oon_oop_max = 900\n", OUT, "plan.toml:1: oon_oop_max needs the out-of-network"),
        (SEPARATE + "oon_deductible_met = 2000\n", (), "plan.toml:8: out of network: the"),
        (SEPARATE, ("--deductible-met", "2000"), "'--deductible-met': out of network: the"),
    ],
)
def test_each_bad_input_is_one_line_with_status_2(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    file: str,
    args: tuple[str, ...],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    plan = ("--coverage", "plan.toml") if file else ()
    (tmp_path / "plan.toml").write_text(file, encoding="utf-8")
    status, stdout, stderr = invoke(runner, *plan, *args)
    assert status == 2, stdout
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert message in stderr, stderr
    assert "\x1b" not in stderr


def test_options_with_network_out_stand_for_the_separate_terms(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file's out-of-network deductible is $1,500; --deductible-met 1500 meets it (and
    leaves the in-network figures alone): every session refunds 60% of $600."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.toml").write_text(SEPARATE, encoding="utf-8")
    base = invoke(runner, "--coverage", "plan.toml", "-f", "json")
    assert typical(base[1])["insurance_pays"] == "1260.00"
    status, stdout, stderr = invoke(
        runner, "--coverage", "plan.toml", "--deductible-met", "1500", "-f", "json"
    )
    assert status == 0, stderr
    assert typical(stdout)["insurance_pays"] == "2160.00"
    coverage = json.loads(stdout)["inputs"]["coverage"]
    assert (coverage["deductible_met"], coverage["oon_deductible_met"]) == ("500.00", "1500.00")
    inside = invoke(runner, "--coverage", "plan.toml", "--network", "in", "-f", "json")
    assert typical(inside[1])["insurance_pays"] == "2880.00"  # met in network: 80% of all


def test_the_insurance_sentence_gives_the_terms_in_use(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plan.toml").write_text(SEPARATE, encoding="utf-8")
    status, stdout, stderr = invoke(runner, "--coverage", "plan.toml", "-f", "json")
    assert status == 0, stderr
    notes = " ".join(json.loads(stdout)["notes"])
    assert "Out-of-network, deductible $1,500.00 ($0.00 met), coinsurance 40%" in notes
    assert "out-of-pocket max $6,000.00" in notes


def test_the_notes_say_when_refunds_come_and_the_filing_deadline(runner: CliRunner) -> None:
    status, stdout, stderr = invoke(runner, *OUT, "-f", "json")
    assert status == 0, stderr
    notes = json.loads(stdout)["notes"]
    (line,) = [n for n in notes if n.startswith("Refunds:")]
    assert "pay back $2,880.00 in all, about 60 days after each visit" in line
    assert "within 90 days of the visit (the shortest common limit" in line
    status, stdout, stderr = invoke(runner, *OUT, "--filing-limit", "365", "-f", "json")
    assert status == 0, stderr
    assert any("within 365 days of the visit." in n for n in json.loads(stdout)["notes"])


def test_in_network_has_no_refund_months_nor_refund_note(runner: CliRunner) -> None:
    status, stdout, stderr = invoke(
        runner, "--deductible", "0", "--coinsurance", "20", "-f", "json"
    )
    assert status == 0, stderr
    data = json.loads(stdout)
    assert "refund_months" not in data
    assert not any(n.startswith("Refunds:") for n in data["notes"])


def test_the_hsa_sentence_uses_the_cash_paid_up_front(runner: CliRunner) -> None:
    status, stdout, stderr = invoke(runner, *OUT, "--hsa-rate", "24", "-f", "json")
    assert status == 0, stderr
    notes = json.loads(stdout)["notes"]
    assert any(
        n.startswith("Out of network you pay the clinic $3,600.00 up front; the $2,880.00")
        for n in notes
    ), notes


def test_a_saved_quote_shows_the_same_refund_months(runner: CliRunner, tmp_path: Path) -> None:
    db = str(tmp_path / "q.db")
    (tmp_path / "plan.toml").write_text(
        SEPARATE + 'oon_allowed = { "96365" = 550, "J3490" = 0 }\nclaim_days = 40\n',
        encoding="utf-8",
    )
    quoted = runner.invoke(
        cli,
        ["quote", "--db", db, *START, "--coverage", str(tmp_path / "plan.toml"), "-f", "json"],
    )
    assert quoted.exit_code == 0, quoted.output
    data = json.loads(quoted.stdout)
    assert (
        data["refund_months"][-1]["carried"]["typical"]
        == data["scenarios"]["typical"]["out_of_pocket"]
    )
    shown = runner.invoke(cli, ["quotes", "show", data["id"], "--db", db, "-f", "json"])
    assert json.loads(shown.stdout) == data
    table = runner.invoke(cli, ["quotes", "show", data["id"], "--db", db, "-f", "markdown"])
    assert "Refunds: the plan is expected to pay back" in table.stdout
