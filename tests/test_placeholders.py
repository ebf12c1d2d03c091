"""The starter sheet's examples left in a clinic's sheet (issue 19): `sheet check` flags
each, and a Good Faith Estimate from a sheet still holding any is refused, naming each."""

from __future__ import annotations

import json
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.sheet.load import load_sheet, parse_sheet
from ketacost.sheet.placeholders import EXAMPLE_PROVIDER, placeholders
from tests.clinic import CLINIC, clinic_sheet
from tests.sheet_samples import FIGURE

STARTER = (files("ketacost") / "data" / "starter.toml").read_text(encoding="utf-8")
PATIENT = ["--patient", "Ann Lee", "--dob", "1980-04-30", "--dx", "F33.1"]
IDENTITY = {k: v for k, v in CLINIC.items() if k != "name"}
ALL = [
    "[sheet] name",
    "[clinic] name",
    "[treatments.depression] price and booster_price",
    "[treatments.pain] low, typical and high",
    "[fees.consultation] amount",
    "[fees.anti-nausea] amount",
    "[discounts.prepaid] percent",
    "[plans.membership] booster_price",
]
"""Every example the starter sheet holds, as a refusal names it."""


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketacost.cli import clock

    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 20))


def starter_with(folder: Path, **replace: str) -> Path:
    """The starter sheet with the clinic's identity filled in (its name left as the
    example) and each ``old=new`` text replaced once."""
    text = STARTER
    for key, value in IDENTITY.items():
        text = text.replace(f'{key} = ""', f"{key} = {json.dumps(value)}", 1)
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    path = folder / "clinic.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_starter_sheet_is_all_placeholders() -> None:
    """Every example name and price of the starter is found, in the sheet's order."""
    found = placeholders(parse_sheet(STARTER))
    assert [p.where for p in found] == ALL
    assert found[2].text == "[treatments.depression] price $450.00 and booster_price $400.00"
    assert found[6].text == "[discounts.prepaid] percent 10%"
    assert found[1].text == "[clinic] name 'My Clinic'"


def test_a_sheet_of_its_own_holds_none(tmp_path: Path) -> None:
    """The built-in sheet and a clinic's own names and prices are not examples; a price
    or a label changed in a table makes that table the clinic's, and a hand-written fee
    of the starter's amount under another label is the clinic's too."""
    assert placeholders(load_sheet(clinic_sheet(tmp_path))) == []
    assert placeholders(load_sheet(None)) == []
    assert placeholders(parse_sheet(FIGURE)) == []
    for old, new in (
        ("price = 450", "price = 500"),
        ('label = "Depression, anxiety, PTSD (example)"', 'label = "Depression"'),
    ):
        own = parse_sheet(STARTER.replace(old, new, 1))
        assert "[treatments.depression] price and booster_price" not in [
            p.where for p in placeholders(own)
        ]


def test_the_example_provider_is_a_placeholder() -> None:
    """The commented [providers.psychiatry] of the starter, uncommented as it is."""
    assert f'# name = "{EXAMPLE_PROVIDER}"' in STARTER
    text = STARTER.replace("# [providers.psychiatry]", "[providers.psychiatry]")
    for key in ("name", "npi", "tin", "address", "state"):
        text = text.replace(f"# {key} = ", f"{key} = ")
    where = [p.where for p in placeholders(parse_sheet(text))]
    assert "[providers.psychiatry] name" in where


def test_sheet_check_flags_each_placeholder(runner: CliRunner, tmp_path: Path) -> None:
    """The sheet is valid (status 0), with one warning per example left in it."""
    path = tmp_path / "clinic.toml"
    assert runner.invoke(cli, ["sheet", "init", str(path)]).exit_code == 0
    result = runner.invoke(cli, ["sheet", "check", str(path)])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "starter sheet's example" in line]
    assert len(warnings) == len(ALL)
    assert f"{path}: warning: [clinic] name 'My Clinic' is the starter sheet's example" in (
        result.stderr
    )
    assert "[treatments.pain] low $700.00, typical $950.00 and high $1,500.00" in result.stderr


def test_a_gfe_from_a_sheet_with_placeholders_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """Status 2, one line naming each example left and the file to edit; nothing saved."""
    sheet = starter_with(tmp_path)
    db = tmp_path / "q.db"
    result = runner.invoke(cli, ["gfe", "--sheet", str(sheet), "--db", str(db), *PATIENT,
                                 "-o", str(tmp_path / "g.html")])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1
    assert "'--sheet'" in result.stderr and str(sheet) in result.stderr
    for where in ALL:
        assert where in result.stderr, where
    assert not (tmp_path / "g.html").exists()


def test_a_gfe_names_only_the_placeholders_left(runner: CliRunner, tmp_path: Path) -> None:
    """A sheet whose names and prices are the clinic's but one fee: that fee alone."""
    sheet = starter_with(
        tmp_path,
        **{
            'name = "My Clinic price sheet"': 'name = "Calm Waters prices"',
            'name = "My Clinic"': 'name = "Calm Waters"',
            "price = 450": "price = 480",
            "low = 700": "low = 750",
            "amount = 250": "amount = 275",
            "percent = 10": "percent = 5",
            "booster_price = 375": "booster_price = 360",
        },
    )
    result = runner.invoke(cli, ["gfe", "--sheet", str(sheet), "--db", str(tmp_path / "q.db"),
                                 *PATIENT, "-o", str(tmp_path / "g.html")])  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "[fees.anti-nausea] amount" in result.stderr
    assert all(where not in result.stderr for where in ALL if "anti-nausea" not in where)
    fixed = sheet.read_text(encoding="utf-8").replace("amount = 25\n", "amount = 30\n", 1)
    sheet.write_text(fixed, encoding="utf-8")
    done = runner.invoke(cli, ["gfe", "--sheet", str(sheet), "--db", str(tmp_path / "q.db"),
                               *PATIENT, "-o", str(tmp_path / "g.html")])  # fmt: skip
    assert done.exit_code == 0, done.output
