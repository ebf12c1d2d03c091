"""Out-of-network cash flow: what is paid up front beside the net, month by month; the
payment plan finances the cash paid up front and says what reimbursement is expected;
the off-label caveat and the meaning of the insurance words stay under the figures."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.coverage.build import build_coverage
from ketacost.report.to_data import from_data, to_data
from ketacost.sheet.model import Scenario
from tests.conftest import START
from tests.helpers import estimate_json, report_with

D = Decimal
SCENARIOS: tuple[Scenario, ...] = ("low", "typical", "high")
OUT = ("--network", "out", "--deductible", "500", "--coinsurance", "20", "--allowed", "500")
LOG_010 = Path(__file__).parent / "fixtures" / "quotes-0.1.0.db"
OUT_OF_NETWORK_010 = "Q-20261130-XZ3TDN"  # out of network, saved by 0.1.0


def months_of(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["month"]: m for m in data["months"]}


def test_months_carry_paid_up_front_out_of_network(runner: CliRunner) -> None:
    """Out of network the patient pays the clinic the whole charge each month: paid up
    front equals the charges, is more than the net, and adds up to the scenario's total."""
    data = estimate_json(runner, *OUT)
    months = months_of(data)
    november = months["2026-11"]
    assert set(november["paid_up_front"]) == set(november["charges"]) == set(SCENARIOS)
    assert november["paid_up_front"]["typical"] == "2400.00"  # 4 sessions x $600
    assert november["out_of_pocket"]["typical"] == "1200.00"  # $500 + 20% of 3 x $500 + 3 x $100
    for name in SCENARIOS:
        ups = [D(m["paid_up_front"][name]) for m in data["months"]]
        assert sum(ups) == D(data["scenarios"][name]["paid_up_front"])
        assert all(m["paid_up_front"][name] == m["charges"][name] for m in data["months"])


def test_months_paid_up_front_is_the_net_in_network(runner: CliRunner) -> None:
    """In network the clinic bills only the patient's share: paid up front is the net."""
    data = estimate_json(runner, "--deductible", "500", "--coinsurance", "20")
    for month in data["months"]:
        assert month["paid_up_front"] == month["out_of_pocket"]


def test_the_months_round_trip_through_json() -> None:
    """A saved report reads back with the same months, paid up front included."""
    coverage = build_coverage(network="out", deductible=D(500), coinsurance=D("0.2"))
    report = report_with(coverage=coverage, maintenance="monthly")
    data = to_data(report)
    again = from_data(json.loads(json.dumps(data)))
    assert again.months == report.months
    assert to_data(again) == data


def test_a_010_quote_without_months_paid_up_front_gets_it_from_its_claims(
    runner: CliRunner, tmp_path: Path
) -> None:
    """0.1.0 saved months without paid_up_front: it is added up from the saved claims
    (which carry it), so the old quote shows the cash paid each month, as a fresh
    estimate of the same request does."""
    db = tmp_path / "quotes.db"
    shutil.copyfile(LOG_010, db)
    shown = runner.invoke(
        cli, ["quotes", "show", OUT_OF_NETWORK_010, "-f", "json", "--db", str(db)]
    )
    assert shown.exit_code == 0, shown.output
    saved = json.loads(shown.stdout)  # exactly as 0.1.0 saved it
    assert saved["inputs"]["coverage"]["network"] == "out"
    assert "paid_up_front" not in saved["months"][0]
    months = {m.key: m for m in from_data(saved).months}
    inputs, cov = saved["inputs"], saved["inputs"]["coverage"]
    fresh = estimate_json(
        runner,
        *("--start", inputs["start"], "--maintenance", inputs["maintenance"]),
        *("--network", "out", "--deductible", cov["deductible"]),
        *("--deductible-met", cov["deductible_met"], "--coinsurance", cov["coinsurance"]),
        *("--oop-max", cov["oop_max"], "--allowed", cov["allowed"]),
    )
    assert len(fresh["months"]) == len(months)
    for month in fresh["months"]:
        got = months[month["month"]].paid_up_front
        assert {name: str(got[name]) for name in SCENARIOS} == month["paid_up_front"]
    assert months["2027-01"].paid_up_front["typical"] == D("3600.00")
    assert months["2027-01"].out_of_pocket["typical"] == D("3240.00")  # as saved by 0.1.0
    table = runner.invoke(
        cli, ["quotes", "show", OUT_OF_NETWORK_010, "--db", str(db)], env={"COLUMNS": "100"}
    )
    assert table.exit_code == 0, table.output


def test_the_month_table_shows_both_and_says_reimbursement_comes_later(
    runner: CliRunner,
) -> None:
    args = ["estimate", "--start", START.isoformat(), "--by-month", *OUT]
    result = runner.invoke(cli, args, env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Paid up" in out and "front" in out and "Out of" in out
    assert "$2,400.00" in out and "$1,200.00" in out  # November: paid up front, net
    assert "reimbursement comes later" in " ".join(out.split())
    inside = runner.invoke(
        cli,
        ["estimate", "--start", START.isoformat(), "--by-month", "--deductible", "500"],
        env={"COLUMNS": "100"},
    )
    assert "Paid up" not in inside.stdout and "reimbursement comes later" not in inside.stdout


def test_month_csv_and_markdown_show_paid_up_front(runner: CliRunner) -> None:
    base = ["estimate", "--start", START.isoformat(), "--by-month", *OUT]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(cli, [*base, "-f", "csv"]).stdout)))
    assert rows[0]["paid_up_front_typical"] == "2400.00"
    assert rows[0]["out_of_pocket_typical"] == "1200.00"
    markdown = runner.invoke(cli, [*base, "-f", "markdown"]).stdout
    assert "Paid up front (typical)" in markdown
    assert "| Nov 2026 | 4 | $2,400.00 | $2,400.00 | $720.00 | $1,200.00 |" in markdown
    assert "reimbursement comes later" in markdown


def test_finance_pays_what_is_paid_up_front_out_of_network(runner: CliRunner) -> None:
    """Out of network the payment plan finances the cash paid to the clinic ($3,600.00),
    not the net ($1,600.00), and the sentence says how much reimbursement is expected."""
    data = estimate_json(runner, *OUT, "--finance", "12")
    typical = data["scenarios"]["typical"]
    assert typical["financing"]["principal"] == typical["paid_up_front"] == "3600.00"
    assert typical["financing"]["monthly_payment"] == "300.00"
    assert typical["out_of_pocket"] == "1600.00"
    note = " ".join(n for n in data["notes"] if "financing" in n)
    assert "financing $3,600.00 over 12 months" in note
    assert "expected to reimburse $2,000.00 later" in note


def test_finance_in_network_is_unchanged(runner: CliRunner) -> None:
    """In network what is paid up front is the out-of-pocket cost, financed as before."""
    data = estimate_json(runner, "--deductible", "500", "--coinsurance", "20", "--finance", "12")
    typical = data["scenarios"]["typical"]
    assert typical["financing"]["principal"] == typical["out_of_pocket"]
    assert not [n for n in data["notes"] if "reimburse" in n]


@pytest.mark.parametrize(
    ("args", "what", "codes"),
    [
        (("--deductible", "1500", "--coinsurance", "0"), "depression", "96365/J3490"),
        (
            ("--coinsurance", "20", "--network", "out", "--deductible", "0"),
            "depression",
            "96365/J3490",
        ),
        (
            ("--condition", "pain", "--copay", "30", "--deductible", "0", "--coinsurance", "0"),
            "chronic pain",
            "96365/96366/J3490",
        ),
    ],
)
def test_the_off_label_caveat_stays_when_insurance_is_modelled(
    runner: CliRunner, args: tuple[str, ...], what: str, codes: str
) -> None:
    notes = " ".join(estimate_json(runner, *args)["notes"])
    assert (
        f"Most plans do not cover IV ketamine for {what}; check coverage for {codes} and ask "
        "about prior authorization." in notes
    )


def test_self_pay_keeps_its_own_caveat(runner: CliRunner) -> None:
    notes = " ".join(estimate_json(runner)["notes"])
    assert "insurance rarely covers ketamine infusions (off-label)" in notes
    assert "prior authorization" not in notes and "Terms:" not in notes


def test_the_insurance_words_are_explained_when_they_appear(runner: CliRunner) -> None:
    """One line under the figures says what each insurance word in them means, only the
    words that apply."""
    inside = " ".join(estimate_json(runner, "--deductible", "500", "--coinsurance", "20")["notes"])
    assert "Terms: deductible, what you pay each plan year before the plan pays;" in inside
    assert "coinsurance, your percent of the allowed amount" in inside
    assert "balance bill" not in inside and "paid up front" not in inside
    outside = " ".join(estimate_json(runner, *OUT)["notes"])
    for word in ("deductible", "coinsurance", "allowed amount", "balance bill", "paid up front"):
        assert f"; {word}, " in outside or f"Terms: {word}, " in outside
    table = runner.invoke(cli, ["estimate", *OUT], env={"COLUMNS": "80"}).stdout
    assert "Terms: deductible" in table
    terms = [line for line in table.splitlines() if "Terms:" in line]
    assert len(terms) == 1
