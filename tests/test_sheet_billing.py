"""The sheet's parts a Good Faith Estimate relies on (docs/gfe.md): codes with units,
infusion minutes, other providers and who bills each item, the clinic's open days; each
problem reported at its line, and `sheet check` warning of items without codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.sheet.load import parse_sheet
from ketacost.sheet.model import Code
from tests.sheet_samples import problems

TREATMENT = "[treatments.pain]\nprice = 900\n"


def test_codes_carry_units_and_minutes_are_read() -> None:
    """Issue 13's four-hour infusion: 96365, 96366 three times, J3490; 240 minutes."""
    sheet = parse_sheet(
        "[treatments.pain]\nprice = 900\ninfusion_minutes = 240\n"
        'codes = ["96365", { code = "96366", units = 3 }, "j3490"]\n'
    )
    pain = sheet.treatment("pain")
    assert pain.billing == (Code(code="96365"), Code(code="96366", units=3), Code(code="J3490"))
    assert pain.codes == ("96365", "96366", "J3490")
    assert [str(c) for c in pain.billing] == ["96365", "96366 x3", "J3490"]
    assert pain.infusion_minutes == 240


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ('["9636"]', "clinic.toml:3: each of 'codes' in [treatments.pain] must be a CPT/HCPCS"),
        ('["ketamine"]', "not 'ketamine'"),
        ("[96365]", "not 96365"),
        ('[{ code = "96366", units = 0 }]', "units of '96366' in [treatments.pain] must be"),
        ('[{ code = "96366", units = 101 }]', "a whole number from 1 to 100"),
        ('[{ code = "96366", units = true }]', "a whole number from 1 to 100"),
        ('[{ code = "96366", count = 2 }]', "unknown key 'count' in 'codes'"),
        ('["96365", "96365"]', "code 96365 is listed twice in [treatments.pain]: give its units"),
        ('"96365"', "must be"),
    ],
)
def test_bad_codes_are_reported_at_their_line(codes: str, message: str) -> None:
    """A code that is not CPT/HCPCS, bad units, a repeated code: each at its line."""
    found = problems(f"{TREATMENT}codes = {codes}\n")
    assert any(message in line for line in found), found


def test_infusion_minutes_are_bounded() -> None:
    """1 minute to 24 hours."""
    assert problems(f"{TREATMENT}infusion_minutes = 0\n") == [
        "clinic.toml:3: infusion_minutes in [treatments.pain] must be from 1 to 1440"
    ]
    assert problems(f"{TREATMENT}infusion_minutes = 60\n") == []


PROVIDER = """
[providers.psychiatry]
name = "Oak Psychiatry Group"
npi = "1679576722"
tin = "98-7654321"
address = "200 Oak Avenue"
state = "IL"
"""


def test_a_fee_names_its_provider() -> None:
    """[providers.KEY] tables are read; provider = "KEY" names who bills an item."""
    sheet = parse_sheet(
        TREATMENT + PROVIDER + '[fees.eval]\namount = 300\ncodes = ["90792"]\n'
        'provider = "Psychiatry"\n'
    )
    [provider] = sheet.providers
    assert (provider.key, provider.name, provider.npi) == (
        "psychiatry",
        "Oak Psychiatry Group",
        "1679576722",
    )
    assert sheet.fees[0].provider == "psychiatry"
    assert sheet.treatment("pain").provider is None


def test_provider_problems_are_reported() -> None:
    """An unknown provider key (with a suggestion), a provider lacking fields or with a
    bad NPI, and a provider named 'clinic'."""
    found = problems(
        TREATMENT
        + PROVIDER
        + '[fees.eval]\namount = 300\nprovider = "psychiatri"\n'
        + '[providers.lab]\nname = "Lab"\nnpi = "1234567890"\n'
        + '[providers.clinic]\nname = "X"\n'
    )
    text = "\n".join(found)
    assert "[fees.eval] names unknown provider 'psychiatri' (did you mean 'psychiatry'?)" in text
    assert "[providers.lab] lacks tin, address, state" in text
    assert "NPI '1234567890' in [providers.lab] is not valid" in text
    assert "'clinic' is the sheet's own [clinic]" in text


def test_open_days_are_read_and_checked() -> None:
    """Monday to Friday by default; a list of day names otherwise; none or a bad name is a
    problem at its line."""
    assert parse_sheet(TREATMENT).clinic.open_days == (0, 1, 2, 3, 4)
    sheet = parse_sheet(TREATMENT + '[clinic]\nopen_days = ["Tue", "thursday", "sat"]\n')
    assert sheet.clinic.open_days == (1, 3, 5)
    assert problems(TREATMENT + "[clinic]\nopen_days = []\n") == [
        "clinic.toml:4: open_days in [clinic] must list at least one of "
        "mon, tue, wed, thu, fri, sat, sun"
    ]
    assert "'fry' is not a day" in problems(TREATMENT + '[clinic]\nopen_days = ["fry"]\n')[0]


def test_sheet_check_warns_of_items_without_codes(runner: CliRunner, tmp_path: Path) -> None:
    """The sheet is valid (status 0) but each item without a service code is named."""
    sheet = tmp_path / "clinic.toml"
    sheet.write_text(TREATMENT + '[fees.nausea]\namount = 25\nper = "session"\n')
    result = runner.invoke(cli, ["sheet", "check", str(sheet)])
    assert result.exit_code == 0
    assert result.stdout.startswith("OK: ")
    assert "warning: [treatments.pain] has no service codes" in result.stderr
    assert "warning: [fees.nausea] has no service codes" in result.stderr


def test_the_starter_sheet_codes_everything(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 13: the starter sheet ships no item without a code."""
    target = tmp_path / "starter.toml"
    assert runner.invoke(cli, ["sheet", "init", str(target)]).exit_code == 0
    result = runner.invoke(cli, ["sheet", "check", str(target)])
    assert result.exit_code == 0
    assert "no service codes" not in result.stderr
