"""Estimates on a clinic's price sheet: fees, discounts, booster prices, named plans,
--without, and the one-column table of an exact price."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ketacost.cli import cli
from ketacost.request import build_request
from tests.conftest import START
from tests.sheet_samples import FIGURE, write

BASE = """\
[sheet]
name = "Test clinic"

[treatments.depression]
price = 450
booster_price = 400
codes = ["96365", "J3490"]

[treatments.pain]
low = 700
high = 1500
"""


def run_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    """Run ``estimate --format json`` from START and return the parsed output."""
    result = runner.invoke(cli, ["estimate", "--start", START.isoformat(), "-f", "json", *args])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def lines(data: dict[str, Any], scenario: str = "typical") -> dict[str, dict[str, Any]]:
    return {line["key"]: line for line in data["scenarios"][scenario]["lines"]}


def test_issue_figure_250_plus_6_x_405(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 4's figure: $250 consultation + 6 x ($450 - 10% prepaid) = $2,680.00."""
    sheet = write(tmp_path, FIGURE)
    data = run_json(runner, "--sheet", str(sheet), "--with", "prepaid")
    for name in ("low", "typical", "high"):
        scenario = data["scenarios"][name]
        assert scenario["charges"] == "2680.00"
        assert scenario["out_of_pocket"] == "2680.00"
        assert scenario["insurance_pays"] == "0.00"
        assert scenario["sessions"] == 6
    got = lines(data)
    assert (got["induction"]["quantity"], got["induction"]["unit"], got["induction"]["amount"]) == (
        6,
        "450.00",
        "2700.00",
    )
    assert got["induction"]["codes"] == ["96365", "J3490"]
    assert (got["prepaid"]["kind"], got["prepaid"]["unit"], got["prepaid"]["amount"]) == (
        "discount",
        "-45.00",
        "-270.00",
    )
    assert (
        got["consultation"]["kind"],
        got["consultation"]["amount"],
        got["consultation"]["codes"],
    ) == ("fee", "250.00", ["90792"])
    sessions = [c["charge"] for c in data["scenarios"]["typical"]["claims"] if c["session"]]
    assert sessions == ["405.00"] * 6
    assert data["inputs"]["assumes"] == ["prepaid"]


def test_without_drops_a_conditional_discount(runner: CliRunner, tmp_path: Path) -> None:
    """--without prepaid quotes the series at full price: 250 + 6 x 450 = 2,950.00."""
    data = run_json(runner, "--sheet", str(write(tmp_path, FIGURE)), "--without", "prepaid")
    assert data["scenarios"]["typical"]["charges"] == "2950.00"
    assert "prepaid" not in lines(data)
    assert data["inputs"]["without"] == ["prepaid"]
    assert data["inputs"]["assumes"] == []


def test_without_drops_an_optional_fee(runner: CliRunner, tmp_path: Path) -> None:
    """An optional per-session fee is charged by default and left out with --without."""
    sheet = write(tmp_path, BASE + '[fees.nausea]\namount = 25\nper = "session"\noptional = true\n')
    assert run_json(runner, "--sheet", str(sheet))["scenarios"]["typical"]["charges"] == "2850.00"
    data = run_json(runner, "--sheet", str(sheet), "--without", "nausea")
    assert data["scenarios"]["typical"]["charges"] == "2700.00"


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("consultation", "'consultation' is not optional on price sheet"),
        ("nope", "'nope' is not a fee or discount of price sheet"),
    ],
)
def test_without_refuses_what_cannot_be_left_out(
    runner: CliRunner, tmp_path: Path, key: str, message: str
) -> None:
    """A required fee or unknown key given to --without is a usage error naming the option."""
    sheet = write(tmp_path, FIGURE)
    result = runner.invoke(cli, ["estimate", "--sheet", str(sheet), "--without", key])
    assert result.exit_code == 2
    assert "'--without'" in result.stderr
    assert message in result.stderr
    assert "(can be left out: prepaid)" in result.stderr


@pytest.mark.parametrize(
    ("per", "quantity", "amount"),
    [("once", 1, "100.00"), ("series", 1, "100.00"), ("session", 18, "1800.00")],
)
def test_fee_per_once_series_session(
    runner: CliRunner, tmp_path: Path, per: str, quantity: int, amount: str
) -> None:
    """Over 6 induction + 12 monthly boosters a fee is charged once, once, or 18 times."""
    sheet = write(tmp_path, BASE + f'[fees.f]\nlabel = "Fee"\namount = 100\nper = "{per}"\n')
    data = run_json(runner, "--sheet", str(sheet), "--maintenance", "monthly")
    fee = lines(data)["f"]
    assert (fee["quantity"], fee["unit"], fee["amount"]) == (quantity, "100.00", amount)
    # 6 x 450 + 12 boosters x 400 = 7,500.00 of treatment.
    assert data["scenarios"]["typical"]["charges"] == f"{7500 + int(amount[:-3]):.2f}"


def test_series_fee_is_dated_on_the_first_induction_session(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A per-series fee is a claim on the day the series starts."""
    sheet = write(tmp_path, BASE + '[fees.f]\nlabel = "Series fee"\namount = 100\nper = "series"\n')
    claims = run_json(runner, "--sheet", str(sheet))["scenarios"]["typical"]["claims"]
    fee = [c for c in claims if c["item"] == "Series fee"]
    assert [(c["date"], c["charge"]) for c in fee] == [(START.isoformat(), "100.00")]


def test_treatment_booster_price(runner: CliRunner, tmp_path: Path) -> None:
    """Boosters are charged at the treatment's booster price, not the session price."""
    data = run_json(runner, "--sheet", str(write(tmp_path, BASE)), "--maintenance", "4w")
    typical = data["scenarios"]["typical"]
    assert (typical["per_session"], typical["booster_price"]) == ("450.00", "400.00")
    booster = lines(data)["maintenance"]
    assert (booster["quantity"], booster["unit"], booster["amount"]) == (13, "400.00", "5200.00")
    assert typical["charges"] == "7900.00"


def test_named_plan_with_its_own_booster_price(runner: CliRunner, tmp_path: Path) -> None:
    """A named plan sets the interval and its booster price overrides the treatment's."""
    sheet = write(
        tmp_path,
        BASE + '[plans.membership]\nlabel = "Monthly membership"\n'
        'every = "monthly"\ntreatment = "depression"\n'
        "booster_price = 375\n",
    )
    data = run_json(runner, "--sheet", str(sheet), "--maintenance", "membership")
    assert data["inputs"]["maintenance"] == "membership"
    booster = lines(data)["maintenance"]
    assert (booster["quantity"], booster["unit"], booster["amount"]) == (12, "375.00", "4500.00")
    assert data["scenarios"]["typical"]["charges"] == "7200.00"


def test_named_plan_picks_its_treatment(runner: CliRunner, tmp_path: Path) -> None:
    """With no --condition, a plan for pain estimates pain; another condition is refused."""
    sheet = write(
        tmp_path,
        BASE + '[plans.pain-care]\nevery = "6 weeks"\ntreatment = "pain"\nbooster_price = 650\n',
    )
    data = run_json(runner, "--sheet", str(sheet), "--maintenance", "pain-care")
    assert data["inputs"]["treatment"] == "pain"
    assert lines(data)["maintenance"]["unit"] == "650.00"
    result = runner.invoke(
        cli, ["estimate", "--sheet", str(sheet), "-m", "pain-care", "--condition", "depression"]
    )
    assert result.exit_code == 2
    assert "plan 'pain-care' is for 'pain', not 'depression'" in result.stderr


def test_discount_on_boosters_and_amount_off(runner: CliRunner, tmp_path: Path) -> None:
    """An amount off each maintenance session applies to boosters only."""
    sheet = write(
        tmp_path,
        BASE + '[discounts.loyal]\nlabel = "Loyalty"\namount = 50\napplies_to = "maintenance"\n',
    )
    data = run_json(runner, "--sheet", str(sheet), "--maintenance", "monthly")
    loyal = lines(data)["loyal"]
    assert (loyal["quantity"], loyal["unit"], loyal["amount"]) == (12, "-50.00", "-600.00")
    assert data["scenarios"]["typical"]["charges"] == "6900.00"


def table(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(
        cli, ["estimate", "--start", START.isoformat(), *args], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_exact_price_shows_one_column(runner: CliRunner, tmp_path: Path) -> None:
    """An exact price gives one 'Estimate' column, not Low/Typical/High."""
    out = table(runner, "--sheet", str(write(tmp_path, FIGURE)), "--with", "prepaid")
    header = next(line for line in out.splitlines() if "Estimate" in line)
    assert "Low" not in out
    assert "High" not in out
    assert "Typical" not in header
    assert "$2,680.00" in out


def test_range_shows_three_columns(runner: CliRunner, tmp_path: Path) -> None:
    """A range on the same sheet shows Low, Typical and High."""
    out = table(runner, "--sheet", str(write(tmp_path, BASE)), "--condition", "pain")
    header = next(line for line in out.splitlines() if "Typical" in line)
    assert header.index("Low") < header.index("Typical") < header.index("High")


def test_table_says_which_conditional_discount_is_assumed(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Under the table: a conditional discount is counted only when asked for (--with),
    and the note names its condition either way."""
    sheet = str(write(tmp_path, FIGURE))
    out = " ".join(table(runner, "--sheet", sheet, "--with", "prepaid").split())
    assert (
        "Assumes: Prepaid series, 10% off induction sessions, because prepaid (with prepaid)."
    ) in out
    assert "-$270.00" in out
    plain = " ".join(table(runner, "--sheet", sheet).split())
    assert "Assumes:" not in plain
    assert "-$270.00" not in plain
    assert (
        "Not included: Prepaid series, 10% off induction sessions, only when prepaid "
        "(add: with prepaid)."
    ) in plain


def test_table_rows_for_fees_and_discounts(runner: CliRunner, tmp_path: Path) -> None:
    """The fee and discount appear as rows of the table."""
    out = table(runner, "--sheet", str(write(tmp_path, FIGURE)), "--with", "prepaid")
    assert "Prepaid series (6)" in out
    assert "-$270.00" in out
    assert "Consultation" in out


def test_stacked_discounts_never_take_more_than_the_price(
    runner: CliRunner, tmp_path: Path
) -> None:
    """60% then $300 off a $450 session: the second is capped at the $180 left."""
    sheet = write(tmp_path, BASE + "[discounts.a]\npercent = 60\n[discounts.b]\namount = 300\n")
    data = run_json(runner, "--sheet", str(sheet))
    got = lines(data)
    assert (got["a"]["unit"], got["b"]["unit"]) == ("-270.00", "-180.00")
    typical = data["scenarios"]["typical"]
    assert typical["charges"] == "0.00"
    assert [c["charge"] for c in typical["claims"]] == ["0.00"] * 6


@given(
    price=st.integers(0, 3000),
    booster=st.integers(0, 3000),
    percent=st.integers(0, 100),
    amount=st.integers(0, 3000),
    scope=st.sampled_from(["induction", "maintenance", "all"]),
    fee=st.integers(0, 500),
    per=st.sampled_from(["once", "series", "session"]),
)
def test_charges_are_the_sum_of_the_claims(
    price: int, booster: int, percent: int, amount: int, scope: str, fee: int, per: str
) -> None:
    """Whatever a sheet's fees and discounts, the lines shown add up to what is billed."""
    from ketacost.estimate import estimate
    from ketacost.money import total
    from ketacost.sheet.load import parse_sheet

    sheet = parse_sheet(
        f"[treatments.t]\nprice = {price}\nbooster_price = {booster}\n"
        f'[discounts.p]\npercent = {percent}\napplies_to = "{scope}"\nwhen = "prepaid"\n'
        f'[discounts.a]\namount = {amount}\napplies_to = "all"\n'
        f'[fees.f]\namount = {fee}\nper = "{per}"\n'
    )
    result = estimate(build_request(sheet, START, maintenance="4w"), sheet)
    for scenario in result.scenarios.values():
        assert scenario.charges == total(s.claim.charge for s in scenario.claims)
        assert scenario.out_of_pocket == scenario.charges
        assert all(s.claim.charge >= 0 for s in scenario.claims)
