"""Paying for it through the CLI: --hsa-rate, --finance, --deferred-interest."""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from tests.helpers import estimate_json as run_json
from tests.test_payment import reference_payment


def test_finance_12_on_3600(runner: CliRunner) -> None:
    """--finance 12 on the typical $3,600.00: $300.00 a month, no interest."""
    typical = run_json(runner, "--finance", "12")["scenarios"]["typical"]
    assert typical["out_of_pocket"] == "3600.00"
    assert typical["financing"] == {
        "principal": "3600.00",
        "months": 12,
        "apr": "0",
        "monthly_payment": "300.00",
        "final_payment": "300.00",
        "total_interest": "0.00",
        "total_paid": "3600.00",
        "deferred_interest": None,
    }


def test_finance_with_apr_matches_the_formula_in_every_scenario(runner: CliRunner) -> None:
    """--finance 24@17.99: each scenario's payment is the amortization formula, to the cent."""
    data = run_json(runner, "--finance", "24@17.99")
    assert data["inputs"]["finance"] == {"months": 24, "apr": "17.99", "deferred_interest": False}
    for scenario in data["scenarios"].values():
        loan = scenario["financing"]
        principal = Decimal(scenario["out_of_pocket"])
        assert Decimal(loan["monthly_payment"]) == reference_payment(
            principal, 24, Decimal("17.99")
        )
        assert Decimal(loan["total_paid"]) == Decimal(loan["monthly_payment"]) * 23 + Decimal(
            loan["final_payment"]
        )
        assert Decimal(loan["total_interest"]) == Decimal(loan["total_paid"]) - principal


def test_financing_follows_coverage(runner: CliRunner) -> None:
    """What is financed is the out-of-pocket cost after insurance ($1,920.00 typical)."""
    data = run_json(runner, "--deductible", "1500", "--coinsurance", "20", "--finance", "12")
    assert data["scenarios"]["typical"]["financing"]["monthly_payment"] == "160.00"


def test_hsa_after_tax_cost(runner: CliRunner) -> None:
    """--hsa-rate 24 on $3,600.00 saves $864.00: after-tax cost $2,736.00."""
    data = run_json(runner, "--hsa-rate", "24")
    typical = data["scenarios"]["typical"]
    assert (typical["hsa_saving"], typical["after_tax_cost"]) == ("864.00", "2736.00")
    assert data["inputs"]["hsa_rate"] == "24"
    assert data["scenarios"]["low"]["after_tax_cost"] == "1824.00"


def test_without_paying_options_the_keys_are_null(runner: CliRunner) -> None:
    """Not asked: after_tax_cost and financing are null, the inputs record none."""
    data = run_json(runner)
    typical = data["scenarios"]["typical"]
    assert (typical["after_tax_cost"], typical["financing"]) == (None, None)
    assert (data["inputs"]["hsa_rate"], data["inputs"]["finance"]) == (None, None)


def test_deferred_interest_in_json(runner: CliRunner) -> None:
    """A deferred-interest promotion pays at 0% and reports what would be charged back."""
    data = run_json(runner, "--finance", "12@26.99", "--deferred-interest")
    loan = data["scenarios"]["typical"]["financing"]
    assert (loan["apr"], loan["monthly_payment"], loan["total_interest"]) == ("0", "300.00", "0.00")
    assert loan["deferred_interest"]["apr"] == "26.99"
    assert Decimal(loan["deferred_interest"]["charged_back"]) > 0
    assert data["inputs"]["finance"]["deferred_interest"] is True


def test_lines_under_the_table(runner: CliRunner) -> None:
    """The typical scenario's HSA and financing figures, the eligibility and tax notes."""
    result = runner.invoke(cli, ["estimate", "--hsa-rate", "24", "--finance", "12@9.99"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    assert (
        "For the typical estimate, paying from an HSA (self-only coverage) at a 24% tax rate "
        "saves $864.00: after-tax cost $2,736.00 (rides included)."
    ) in text
    assert "plan administrator" in text
    assert "letter of medical necessity" in text
    assert "financing $3,600.00 over 12 months at 9.99% APR: $316.48 a month" in text
    assert "7.5% of adjusted gross income" in text


def test_deferred_interest_line(runner: CliRunner) -> None:
    """--deferred-interest explains the charge-back and the assumption behind it."""
    result = runner.invoke(
        cli, ["estimate", "--price", "600", "--finance", "12@26.99", "--deferred-interest"]
    )
    text = " ".join(result.stdout.split())
    assert (
        "Financing $3,600.00 over 12 months, no interest if paid in full: $300.00 a month" in text
    )
    assert "interest at 26.99% APR is charged back from the purchase date" in text


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["--finance", "0"], "--finance"),
        (["--finance", "0@9.99"], "--finance"),
        (["--finance", "121"], "--finance"),
        (["--finance", "twelve"], "--finance"),
        (["--finance", "12@"], "--finance"),
        (["--finance", "12@abc"], "--finance"),
        (["--finance", "12@101"], "--finance"),
        (["--hsa-rate", "150"], "--hsa-rate"),
        (["--deferred-interest"], "--deferred-interest"),
        (["--finance", "12", "--deferred-interest"], "--deferred-interest"),
    ],
)
def test_bad_paying_options(runner: CliRunner, args: list[str], option: str) -> None:
    """A finance term of zero, a bad APR or rate: status 2, one line naming the option."""
    result = runner.invoke(cli, ["estimate", *args])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"'{option}'" in result.stderr
