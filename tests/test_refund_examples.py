"""The worked examples of docs/refunds.md, to the cent: each command as the page prints
it, run through the CLI, with the refunds, their months and what the patient carries."""

from __future__ import annotations

import json
import shlex
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ketacost.cli import cli

D = Decimal
PAGE = Path(__file__).parent.parent / "docs" / "refunds.md"
FILES = {
    "below.toml": 'network = "out"\ndeductible = 0\ncoinsurance = 20\n'
    'oon_allowed = { "96365" = 450, "J3490" = 0 }\n',
    "above.toml": 'network = "out"\ndeductible = 0\ncoinsurance = 20\n'
    'oon_allowed = { "96365" = 700, "J3490" = 0 }\n',
    "medicare.toml": 'network = "out"\ndeductible = 0\ncoinsurance = 20\n'
    'medicare_percent = 150\nmedicare_fees = { "96365" = 70.00, "J3490" = 0 }\n',
    "separate.toml": 'network = "out"\ndeductible = 500\ndeductible_met = 500\n'
    "coinsurance = 20\noon_deductible = 1500\noon_coinsurance = 40\noon_oop_max = 6000\n",
}
SIX = "ketacost estimate --price 600 --start 2026-03-02"


def run(runner: CliRunner, folder: Path, command: str) -> dict[str, Any]:
    """The command's JSON (--by-month dropped: the JSON has the months either way)."""
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    args = [a for a in shlex.split(command)[1:] if a != "--by-month"]
    result = runner.invoke(cli, [*args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def refunds(data: dict[str, Any]) -> list[Decimal]:
    return [D(c["plan_pays"]) for c in data["scenarios"]["typical"]["claims"]]


def months(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    return [
        (m["month"], m["paid"]["typical"], m["refunds"]["typical"], m["carried"]["typical"])
        for m in data["refund_months"]
    ]


def totals(data: dict[str, Any]) -> tuple[str, str, str]:
    typical = data["scenarios"]["typical"]
    return typical["paid_up_front"], typical["insurance_pays"], typical["out_of_pocket"]


EXAMPLES = {
    "inside the deductible": f"{SIX} --network out --deductible 5000 --coinsurance 40 "
    "--allowed 500",
    "crossing a year": "ketacost estimate --price 600 --start 2026-12-21 --network out "
    "--deductible 1000 --coinsurance 20 --allowed 500 --by-month",
    "reaching the maximum": f"{SIX} --network out --deductible 500 --coinsurance 40 --oop-max 1500",
    "allowed below the charge": f"{SIX} --coverage below.toml",
    "paid 45 days later": f"{SIX} --network out --deductible 0 --coinsurance 20 "
    "--claim-days 45 --by-month",
    "percent of Medicare": f"{SIX} --coverage medicare.toml",
    "a separate deductible": f"{SIX} --coverage separate.toml",
}


@pytest.mark.parametrize("command", EXAMPLES.values(), ids=list(EXAMPLES))
def test_the_page_shows_each_command(command: str) -> None:
    assert f"\n{command}\n" in PAGE.read_text(encoding="utf-8")


@pytest.fixture
def example(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.chdir(tmp_path)
    return lambda name: run(runner, tmp_path, EXAMPLES[name])


def test_1_inside_the_deductible_nothing_comes_back(example: Any) -> None:
    data = example("inside the deductible")
    assert refunds(data) == [D(0)] * 6
    assert [D(c["deductible"]) for c in data["scenarios"]["typical"]["claims"]] == [D(500)] * 6
    assert totals(data) == ("3600.00", "0.00", "3600.00")
    assert months(data) == [("2026-03", "3600.00", "0.00", "3600.00")]


def test_2_crossing_a_calendar_year_the_deductible_starts_over(example: Any) -> None:
    data = example("crossing a year")
    claims = data["scenarios"]["typical"]["claims"]
    assert [c["date"] for c in claims] == [
        "2026-12-21",
        "2026-12-23",
        "2026-12-28",
        "2026-12-29",
        "2026-12-30",
        "2027-01-04",
    ]
    assert refunds(data) == [D(0), D(0), D(400), D(400), D(400), D(0)]
    assert claims[-1]["deductible"] == "500.00"  # the new year's deductible
    assert totals(data) == ("3600.00", "1200.00", "2400.00")
    assert months(data) == [
        ("2026-12", "3000.00", "0.00", "3000.00"),
        ("2027-01", "600.00", "0.00", "3600.00"),
        ("2027-02", "0.00", "1200.00", "2400.00"),
    ]


def test_3_reaching_the_out_of_network_maximum(example: Any) -> None:
    data = example("reaching the maximum")
    assert refunds(data) == [D(60), D(360), D(360), D(360), D(360), D(600)]
    assert totals(data) == ("3600.00", "2100.00", "1500.00")
    assert months(data)[-1] == ("2026-05", "0.00", "2100.00", "1500.00")


def test_4_allowed_below_the_charge_leaves_a_balance_bill(example: Any) -> None:
    data = example("allowed below the charge")
    first = data["scenarios"]["typical"]["claims"][0]
    assert (first["allowed"], first["coinsurance"], first["balance_bill"]) == (
        "450.00",
        "90.00",
        "150.00",
    )
    assert refunds(data) == [D(360)] * 6
    assert totals(data) == ("3600.00", "2160.00", "1440.00")


def test_4_allowed_above_the_charge_is_the_charge(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    data = run(runner, tmp_path, f"{SIX} --coverage above.toml")
    first = data["scenarios"]["typical"]["claims"][0]
    assert (first["allowed"], first["balance_bill"]) == ("600.00", "0.00")
    assert refunds(data) == [D(480)] * 6
    assert totals(data) == ("3600.00", "2880.00", "720.00")
    assert "above.toml" in PAGE.read_text(encoding="utf-8")


def test_5_a_claim_paid_45_days_later_lands_the_next_month(example: Any) -> None:
    data = example("paid 45 days later")
    assert refunds(data) == [D(480)] * 6
    assert months(data) == [
        ("2026-03", "3600.00", "0.00", "3600.00"),
        ("2026-04", "0.00", "2880.00", "720.00"),
    ]
    assert any("about 45 days after each visit" in note for note in data["notes"])


def test_6_a_percent_of_medicare_plan(example: Any) -> None:
    data = example("percent of Medicare")
    first = data["scenarios"]["typical"]["claims"][0]
    assert (first["allowed"], first["coinsurance"], first["balance_bill"]) == (
        "105.00",
        "21.00",
        "495.00",
    )
    assert refunds(data) == [D(84)] * 6
    assert totals(data) == ("3600.00", "504.00", "3096.00")


def test_7_a_separate_out_of_network_deductible(example: Any) -> None:
    data = example("a separate deductible")
    assert refunds(data) == [D(0), D(0), D(180), D(360), D(360), D(360)]
    assert totals(data) == ("3600.00", "1260.00", "2340.00")
    assert data["inputs"]["coverage"]["oon_deductible"] == "1500.00"


def test_the_month_table_is_printed_with_the_months_of_the_refunds(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    args = shlex.split(EXAMPLES["crossing a year"])[1:]
    table = runner.invoke(cli, args, env={"COLUMNS": "120"})
    assert table.exit_code == 0, table.output
    assert "Cash and refunds month by month" in table.stdout
    assert "Feb 2027" in table.stdout and "$1,200.00" in table.stdout
    markdown = runner.invoke(cli, [*args, "-f", "markdown"])
    assert "| Feb 2027 | $0.00 | $1,200.00 | $2,400.00 |" in markdown.stdout
    assert "| Dec 2026 | $3,000.00 | $0.00 | $3,000.00 |" in PAGE.read_text(encoding="utf-8")
