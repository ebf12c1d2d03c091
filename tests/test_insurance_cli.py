"""Insurance through the CLI: the issue's figures via --format json, and bad input."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from tests.helpers import estimate_json as run_json
from tests.helpers import figures


def test_deductible_1500_coinsurance_20(runner: CliRunner) -> None:
    """--deductible 1500 --coinsurance 20: out of pocket 1680/1920/2160, plan 720/1680/2640."""
    data = run_json(runner, "--deductible", "1500", "--coinsurance", "20")
    assert figures(data, "out_of_pocket") == ["1680.00", "1920.00", "2160.00"]
    assert figures(data, "insurance_pays") == ["720.00", "1680.00", "2640.00"]
    assert figures(data, "paid_up_front") == ["1680.00", "1920.00", "2160.00"]


def test_oop_max_2000_caps_the_high_scenario(runner: CliRunner) -> None:
    """The same with --oop-max 2000: the high scenario's out of pocket becomes 2000.00."""
    data = run_json(runner, "--deductible", "1500", "--coinsurance", "20", "--oop-max", "2000")
    assert figures(data, "out_of_pocket") == ["1680.00", "1920.00", "2000.00"]
    assert data["scenarios"]["high"]["insurance_pays"] == "2800.00"


def test_deductible_starts_over_at_new_year(runner: CliRunner) -> None:
    """--price 600 --start 2026-12-28: 2880.00, the deductible resets between sessions 2 and 3."""
    data = run_json(
        runner,
        "--price",
        "600",
        "--start",
        "2026-12-28",
        "--deductible",
        "1500",
        "--coinsurance",
        "20",
    )
    typical = data["scenarios"]["typical"]
    assert typical["out_of_pocket"] == "2880.00"
    assert [c["deductible"] for c in typical["claims"]] == [
        "600.00",
        "600.00",
        "600.00",
        "600.00",
        "300.00",
        "0.00",
    ]


def test_out_of_network_pays_up_front(runner: CliRunner) -> None:
    """--network out --allowed 500 --coinsurance 40: out of pocket 1800.00, up front 3600.00."""
    data = run_json(
        runner, "--price", "600", "--network", "out", "--allowed", "500", "--coinsurance", "40",
        "--deductible", "0",
    )  # fmt: skip
    typical = data["scenarios"]["typical"]
    assert (typical["out_of_pocket"], typical["paid_up_front"]) == ("1800.00", "3600.00")
    assert typical["insurance_pays"] == "1800.00"
    assert {c["balance_bill"] for c in typical["claims"]} == {"100.00"}


def test_json_claims_add_up_to_the_scenario(runner: CliRunner) -> None:
    """The per-session breakdown adds up to the scenario's totals, to the cent."""
    data = run_json(
        runner,
        "--deductible",
        "1000",
        "--copay",
        "25",
        "--coinsurance",
        "15",
        "--maintenance",
        "monthly",
    )
    for scenario in data["scenarios"].values():
        claims = scenario["claims"]
        assert len(claims) == scenario["sessions"]
        for key, field in (("out_of_pocket", "patient_pays"), ("insurance_pays", "plan_pays")):
            assert sum(Decimal(c[field]) for c in claims) == Decimal(scenario[key])


def test_inputs_record_the_coverage_used(runner: CliRunner) -> None:
    """The JSON inputs carry the coverage, every default filled in."""
    data = run_json(
        runner, "--deductible", "1500", "--coinsurance", "20%", "--plan-year-start", "07-01"
    )
    assert data["inputs"]["coverage"] == {
        "network": "in",
        "deductible": "1500.00",
        "deductible_met": "0.00",
        "copay": "0.00",
        "coinsurance": "20",
        "oop_max": None,
        "oop_met": "0.00",
        "allowed": None,
        "plan_year_start": "07-01",
    }


def test_self_pay_records_no_coverage(runner: CliRunner) -> None:
    """Without coverage options the estimate is self-pay and says so."""
    data = run_json(runner)
    assert data["inputs"]["coverage"] is None
    assert figures(data, "insurance_pays") == ["0.00", "0.00", "0.00"]


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--coinsurance", "120"], "--coinsurance"),
        (["--coinsurance", "-5"], "--coinsurance"),
        (["--deductible", "1000", "--deductible-met", "1500"], "--deductible-met"),
        (["--oop-max", "2000", "--oop-met", "2500"], "--oop-met"),
        (
            ["--deductible", "3000", "--deductible-met", "2500", "--oop-max", "2000"],
            "--deductible-met",
        ),
        (["--plan-year-start", "13-01"], "--plan-year-start"),
        (["--plan-year-start", "02-30"], "--plan-year-start"),
        (["--plan-year-start", "July"], "--plan-year-start"),
        (["--network", "sideways"], "--network"),
    ],
)
def test_bad_coverage_is_one_line_naming_the_option(
    runner: CliRunner, args: list[str], option: str
) -> None:
    """Impossible coverage exits 2 with one line on stderr naming the option."""
    result = runner.invoke(cli, ["estimate", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("Error:")
    assert f"'{option}'" in result.stderr


def test_table_shows_paid_up_front_out_of_network(runner: CliRunner) -> None:
    """Out of network, the table shows what is paid up front and the net after repayment."""
    result = runner.invoke(
        cli,
        [
            "estimate",
            "--price",
            "600",
            "--network",
            "out",
            "--allowed",
            "500",
            "--coinsurance",
            "40",
            "--deductible",
            "0",
        ],
    )
    assert result.exit_code == 0
    assert "Paid up front" in result.stdout
    assert "$3,600.00" in result.stdout
    assert "$1,800.00" in result.stdout


def test_coverage_options_appear_in_help(runner: CliRunner) -> None:
    """--help lists the coverage and payment options."""
    result = runner.invoke(cli, ["estimate", "--help"])
    for option in (
        "--coverage FILE",
        "--network",
        "--oop-max",
        "--plan-year-start",
        "--hsa-rate",
        "--finance",
        "--deferred-interest",
        "--by-session",
        "--scenario",
    ):
        assert option in result.stdout


def test_plan_file_example_in_readme_works(runner: CliRunner, tmp_path: Path) -> None:
    """The coverage file example in docs/guide.md is valid and gives the figures it claims."""
    guide = (Path(__file__).parent.parent / "docs" / "guide.md").read_text(encoding="utf-8")
    section = guide[guide.index("## Insurance, HSA and financing") :]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    plan = tmp_path / "my-plan.toml"
    plan.write_text(example, encoding="utf-8")
    data = run_json(runner, "--coverage", str(plan))
    assert data["inputs"]["coverage"]["deductible"] == "1500.00"


@pytest.mark.parametrize(
    ("args", "option", "needs"),
    [
        (["--network", "out"], "--deductible", "deductible and coinsurance"),
        (["--copay", "25"], "--deductible", "deductible and coinsurance"),
        (["--deductible", "1500"], "--coinsurance", "coinsurance"),
        (["--coinsurance", "20", "--oop-max", "3000"], "--deductible", "deductible"),
        (["--allowed", "500", "--network", "out"], "--deductible", "deductible and coinsurance"),
    ],
)
def test_a_partial_plan_is_refused_not_made_generous(
    runner: CliRunner, args: list[str], option: str, needs: str
) -> None:
    """Without its deductible and coinsurance a plan would be the most generous one
    (--network out alone: out of pocket $0.00; --copay 25 alone: $150.00): refused with one
    line naming the missing option (status 2)."""
    result = runner.invoke(cli, ["estimate", *args])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: Missing option '{option}'. Insurance needs the plan's {needs} (0 if it has none)\n"
    )
    compared = runner.invoke(cli, ["compare", "a", "b: -n 4", *args])
    assert compared.exit_code == 2 and option in compared.stderr


def test_zero_is_a_plan_figure_like_any_other(runner: CliRunner) -> None:
    """A plan with no deductible and no coinsurance says so with 0: --copay 25 then costs
    $150.00 over six sessions, as the insurance line states."""
    data = run_json(
        runner, "--price", "600", "--copay", "25", "--deductible", "0", "--coinsurance", "0"
    )
    assert data["scenarios"]["typical"]["out_of_pocket"] == "150.00"
    assert "deductible $0.00 ($0.00 met), copay $25.00, coinsurance 0%" in " ".join(data["notes"])


def test_a_coverage_file_needs_them_too(runner: CliRunner, tmp_path: Path) -> None:
    """A file holding only a copay is refused the same way; options may complete it."""
    plan = tmp_path / "plan.toml"
    plan.write_text("copay = 25\n")
    result = runner.invoke(cli, ["estimate", "--coverage", str(plan)])
    assert result.exit_code == 2 and f"'--coverage': {plan}: insurance needs" in result.stderr
    completed = ["--coverage", str(plan), "--deductible", "0", "--coinsurance", "20"]
    assert runner.invoke(cli, ["estimate", *completed]).exit_code == 0


def test_a_batch_row_with_a_partial_plan_names_its_column(
    runner: CliRunner, tmp_path: Path
) -> None:
    calls = tmp_path / "calls.csv"
    calls.write_text("id,deductible,coinsurance,copay\nA,,,25\nB,1000,20,\n")
    result = runner.invoke(cli, ["batch", str(calls)])
    rows = result.stdout.splitlines()
    assert rows[1].endswith(
        "line 2: deductible: Insurance needs the plan's deductible and coinsurance "
        "(0 if it has none)"
    )
    assert rows[2].startswith("B,6,") and rows[2].endswith(",")


def test_the_wizard_asks_both_with_no_default(runner: CliRunner) -> None:
    """The wizard, like the options, has no default deductible or coinsurance: Enter asks
    again; the command it prints gives both, zeros included."""
    answers = "\n\n2027-01-04\n\ny\nout\n\n0\n\n\n\n0\n\n\n\n"
    result = runner.invoke(cli, ["wizard"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Deductible (0 if none): " in result.stdout
    assert "Coinsurance in percent (0 if none): " in result.stdout
    assert "Please give an amount in dollars" in result.stdout
    assert "Please give the coinsurance as a percent" in result.stdout
    lines = result.stdout.splitlines()
    line = lines[lines.index("Next time, the same estimate in one line:") + 1].strip()
    assert line == (
        "ketacost estimate --start 2027-01-04 --network out --deductible 0.00 --coinsurance 0%"
    )
