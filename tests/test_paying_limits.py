"""Paying honestly (docs/paying.md): the HSA/FSA contribution limits by calendar year,
payroll (FICA), rides, the medical-expense deduction, the savings program, and financing
the induction alone."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.cli import cli
from ketacost.coverage.build import build_coverage
from ketacost.money import ZERO, cents
from ketacost.paying.financing import FinanceTerms
from ketacost.paying.how_paid import Paying
from ketacost.paying.tax import Account, account_saving, limits, medical_deduction
from ketacost.report.to_data import from_data, to_data
from ketacost.request import EstimateError
from tests.conftest import START
from tests.helpers import estimate_json, estimate_with, report_with

D = Decimal


def test_limits_file_names_a_source_for_every_year() -> None:
    table = limits()
    assert table.years[2026]["hsa_self"] == D(4400)
    assert table.years[2026]["hsa_family"] == D(8750)
    assert table.years[2026]["hsa_catch_up"] == D(1000)
    assert table.years[2026]["fsa"] == D(3400)
    assert table.fica == D("0.0765")
    assert all("Rev. Proc." in table.sources[y] or "2025" in table.sources[y] for y in table.years)
    assert table.fica_source


def test_hsa_saving_is_capped_by_the_years_limit() -> None:
    """$4,800 in 2026 from a self-only HSA: only $4,400 goes in pre-tax, so 24% saves
    $1,056, not $1,152."""
    est = estimate_with(price=D(800), paying=Paying(hsa_rate=D("0.24")))
    hsa = est.scenarios["typical"].hsa
    assert hsa is not None
    assert hsa.saving == D("1056.00")
    assert hsa.from_account == D(4400)
    assert hsa.after_tax_cost == D("3744.00")
    assert [(y.year, y.limit_year) for y in hsa.years] == [(2026, 2026)]


@pytest.mark.parametrize(
    ("account", "saving"),
    [("hsa-family", "1152.00"), ("fsa", "1076.10"), ("hsa-self", "1056.00")],
)
def test_account_choice(account: Account, saving: str) -> None:
    """The account's limit caps the saving (an FSA's $3,400 at 24% plus FICA)."""
    est = estimate_with(price=D(800), paying=Paying(hsa_rate=D("0.24"), account=account))
    assert est.scenarios["typical"].hsa.saving == D(saving)  # type: ignore[union-attr]


def test_saving_split_by_calendar_year_with_an_unpublished_year() -> None:
    """Boosters into 2027: the 2027 limit is not published, so 2026's is used, and said."""
    report = report_with(price=D(1000), maintenance="monthly", paying=Paying(hsa_rate=D("0.3")))
    hsa = report.scenarios["typical"].hsa
    assert hsa is not None
    assert [(y.year, y.spent, y.from_account, y.limit_year) for y in hsa.years] == [
        (2026, D(6000), D(4400), 2026),
        (2027, D(12000), D(4400), 2026),
    ]
    assert hsa.saving == D("2640.00")
    notes = " ".join(" ".join(report.notes).split())
    assert "the 2027 limit is not published yet: the 2026 limit, $4,400.00, is used" in notes
    assert "An HSA needs a high-deductible health plan" in notes


def test_payroll_adds_fica_to_the_rate() -> None:
    est = estimate_with(price=D(500), paying=Paying(hsa_rate=D("0.22"), payroll=True))
    hsa = est.scenarios["typical"].hsa
    assert hsa is not None and hsa.payroll
    assert hsa.saving == cents(D(3000) * D("0.2965"))  # 22% + 7.65%


@pytest.mark.parametrize("payroll", [False, True])
def test_an_fsa_always_escapes_fica(runner: CliRunner, payroll: bool) -> None:
    """A health FSA is always funded by salary reduction: 22% + 7.65% on $3,000 saves
    $889.50 with or without --payroll, and the note says why."""
    args = ["--price", "500", "--hsa-rate", "22", "--account", "fsa"]
    data = estimate_json(runner, *args, *(["--payroll"] if payroll else []))
    hsa = data["scenarios"]["typical"]["hsa"]
    assert (hsa["saving"], hsa["payroll"]) == ("889.50", True)
    assert data["inputs"]["payroll"] is payroll  # the request as it was asked
    notes = " ".join(" ".join(data["notes"]).split())
    assert "plus 7.65% FICA (a health FSA is always funded through payroll)" in notes
    hsa_only = estimate_json(runner, "--price", "500", "--hsa-rate", "22")
    assert hsa_only["scenarios"]["typical"]["hsa"]["saving"] == "660.00"


def test_rides_count_toward_the_account_and_the_deduction() -> None:
    est = estimate_with(price=D(500), ride=D(25), paying=Paying(hsa_rate=D("0.2"), agi=D(10000)))
    typical = est.scenarios["typical"]
    assert typical.hsa is not None and typical.hsa.amount == D(3150)
    assert typical.hsa.saving == D(630)
    no_account = estimate_with(price=D(500), ride=D(25), paying=Paying(agi=D(10000))).scenarios[
        "typical"
    ]
    assert no_account.deduction is not None
    assert no_account.deduction.threshold == D(750)
    assert no_account.deduction.deductible == D(3150) - D(750)


def test_deduction_leaves_out_what_the_account_paid() -> None:
    """$4,800 in 2026, $4,400 of it from the HSA: $400 left, under 7.5% of $40,000."""
    est = estimate_with(price=D(800), paying=Paying(hsa_rate=D("0.24"), agi=D(40000)))
    deduction = est.scenarios["typical"].deduction
    assert deduction is not None
    assert (deduction.threshold, deduction.deductible) == (D(3000), ZERO)
    assert deduction.years[0].expenses == D(400)


def test_deduction_json_and_itemizing_note(runner: CliRunner) -> None:
    data = estimate_json(runner, "--price", "800", "--agi", "50000")
    typical = data["scenarios"]["typical"]["medical_deduction"]
    assert typical["threshold"] == "3750.00"
    assert typical["deductible"] == "1050.00"
    notes = " ".join(" ".join(data["notes"]).split())
    assert "only if you itemize" in notes


def test_finance_the_induction_alone() -> None:
    est = estimate_with(
        price=D(500),
        maintenance="4w",
        paying=Paying(finance=FinanceTerms(months=12, apr=ZERO), finance_what="induction"),
    )
    typical = est.scenarios["typical"]
    assert typical.loan is not None and typical.loan.principal == D(3000)
    assert typical.later is not None
    assert typical.later.sessions == 13 and typical.later.amount == D(6500)
    assert typical.later.per_session == D(500)
    everything = estimate_with(
        price=D(500), maintenance="4w", paying=Paying(finance=FinanceTerms(months=12, apr=ZERO))
    ).scenarios["typical"]
    assert everything.loan is not None and everything.loan.principal == D(9500)  # boosters too


def test_finance_what_in_the_notes_and_json(runner: CliRunner) -> None:
    data = estimate_json(
        runner, "--price", "500", "-m", "4w", "--finance", "12", "--finance-what", "induction"
    )
    left = data["scenarios"]["typical"]["financing_left"]
    assert left == {"amount": "6500.00", "boosters": 13, "per_booster": "500.00"}
    notes = " ".join(" ".join(data["notes"]).split())
    assert "the 13 maintenance sessions, $6,500.00 in all, are paid as they come" in notes


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--account", "fsa"], "--account"),
        (["--payroll"], "--payroll"),
        (["--finance-what", "induction"], "--finance-what"),
        (["--savings"], "--savings"),
        (["-c", "spravato", "--savings"], "--savings"),
    ],
)
def test_paying_options_that_need_another_are_refused(
    runner: CliRunner, args: list[str], flag: str
) -> None:
    result = runner.invoke(cli, ["estimate", *args])
    assert result.exit_code == 2
    assert flag in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_savings_program_pays_toward_the_medication_only() -> None:
    """Its terms: the program pays for the medication, not the observation visit. The
    medication is $590.00 of each $1,050.00 session, so the patient's share of it is their
    share x 590/1050, rounded to the cent; the program pays that less $10, up to the cap."""
    coverage = build_coverage(deductible=D(1500), coinsurance=D("0.2"))
    est = estimate_with(
        condition="spravato", coverage=coverage, months=0, paying=Paying(savings=True)
    )
    typical = est.scenarios["typical"]
    assert typical.savings is not None
    # 12 sessions at $1,050, 10 in 2026 and 2 in 2027 (the deductible starts over): in
    # each year the first two pay into the deductible ($1,050, then $450 + 20% of $600 =
    # $570), the rest $210 each.
    assert typical.out_of_pocket == D(1050) + D(570) + 8 * D(210) + D(1050) + D(570)
    # The medication's part of each: $590.00, $320.29 (570 x 590/1050 = 320.2857...),
    # $118.00; the program pays $580.00, $310.29 and $108.00 of them.
    assert typical.savings.per_share[:3] == (D("580.00"), D("310.29"), D("108.00"))
    assert typical.program_pays == 2 * D(580) + 2 * D("310.29") + 8 * D(108)
    assert typical.program_pays == D("2644.58")
    assert typical.after_program == D("2275.42")
    years = {y.year: y for y in typical.savings.years}
    assert not any(y.cap_reached for y in years.values())


def test_the_program_is_in_the_month_figures(runner: CliRunner) -> None:
    """The program's payment is a column of the month table and a figure of each month in
    JSON; the months add up to the scenario's total to the cent, and so does what is
    left after it."""
    args = ["-c", "spravato", "--deductible", "1500", "--coinsurance", "20", "--savings"]
    data = estimate_json(runner, *args)
    for name, scenario in data["scenarios"].items():
        program = scenario["savings_program"]
        months = [D(m["savings_program_pays"][name]) for m in data["months"]]
        assert sum(months, ZERO) == D(program["pays"])
        assert D(program["after_program"]) == D(scenario["out_of_pocket"]) - D(program["pays"])
    start = ["--start", START.isoformat()]
    result = runner.invoke(cli, ["estimate", *start, *args, "--by-month"], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    table = result.stdout.split("Out of pocket per month")[0]
    assert "Savings" in table and "after the" in table
    total = next(line for line in table.splitlines() if line.startswith("│ Total"))
    typical = data["scenarios"]["typical"]["savings_program"]
    assert f"-${D(typical['pays']):,.2f}" in total
    assert f"${D(typical['after_program']):,.2f}" in total
    plain = estimate_json(runner, *args[:-1])
    assert all("savings_program_pays" not in m for m in plain["months"])


def test_a_quote_saved_before_the_medication_terms_shows_as_it_was() -> None:
    """A quote saved by 0.2.0 with a savings program (no medication part, no monthly
    figures) keeps its figures and rows: what it was quoted, not recomputed."""
    coverage = build_coverage(deductible=D(1500), coinsurance=D("0.2"))
    data = to_data(
        report_with(condition="spravato", coverage=coverage, months=0, paying=Paying(savings=True))
    )
    for scenario in data["scenarios"].values():
        program = scenario["savings_program"]
        del program["medication"], program["after_program"]
        program["pays"] = "4800.00"  # 0.2.0 paid toward the whole share
        program["by_year"] = [
            {"year": 2026, "pays": "2800.00", "cap_reached": False},
            {"year": 2027, "pays": "2000.00", "cap_reached": False},
        ]
    for month in data["months"]:
        del month["savings_program_pays"]
    report = from_data(data)
    rows = {row.label: row.values for row in report.rows}
    assert rows["SPRAVATO withMe savings program pays"][1] == D("-4800.00")
    assert rows["You pay after the program"][1] == D("120.00")
    assert all(m.program_pays is None for m in report.months)
    assert report.scenarios["typical"].savings.program.medication is None  # type: ignore[union-attr]


def test_savings_cap_per_calendar_year() -> None:
    """A high deductible: the program's $8,000 runs out in 2027 and starts again in 2028."""
    coverage = build_coverage(deductible=D(9000), coinsurance=D("0.5"))
    est = estimate_with(condition="spravato", coverage=coverage, paying=Paying(savings=True))
    savings = est.scenarios["high"].savings
    assert savings is not None
    by_year = {y.year: y for y in savings.years}
    assert by_year[2027].pays == D(8000) and by_year[2027].cap_reached
    assert all(y.pays <= D(8000) for y in savings.years)


def test_savings_shown_in_rows_json_and_notes(runner: CliRunner) -> None:
    args = ["-c", "spravato", "--deductible", "1500", "--coinsurance", "20", "--savings"]
    data = estimate_json(runner, *args)
    program = data["scenarios"]["typical"]["savings_program"]
    assert program["patient_pays"] == "10.00" and program["yearly_cap"] == "8000.00"
    assert program["as_of"] and program["source"]
    coverage = build_coverage(deductible=D(1500), coinsurance=D("0.2"))
    report = report_with(condition="spravato", coverage=coverage, paying=Paying(savings=True))
    rows = {row.label: row.values for row in report.rows}
    typical = report.scenarios["typical"]
    assert rows["SPRAVATO withMe savings program pays"][1] == -typical.program_pays
    after = typical.out_of_pocket - typical.program_pays
    assert rows["You pay after the program"][1] == after
    notes = " ".join(" ".join(report.notes).split())
    assert "you pay $10.00 per treatment" in notes and "up to $8,000.00 per calendar year" in notes
    assert "the medication, $590.00 of each session's charge" in notes
    assert "the observation visit is yours" in notes
    assert "terms as of 2026-11-30; Janssen, spravatohcp.com" in notes  # the date and source
    assert program["medication"] == "590.00"


def test_new_figures_survive_the_quote_log_round_trip() -> None:
    coverage = build_coverage(deductible=D(1500), coinsurance=D("0.2"))
    report = report_with(
        condition="spravato",
        coverage=coverage,
        ride=D(20),
        paying=Paying(
            savings=True, hsa_rate=D("0.24"), payroll=True, account="hsa-family", agi=D(80000)
        ),
    )
    data = json.loads(json.dumps(to_data(report)))
    again = from_data(data)
    assert to_data(again) == to_data(report)
    assert again.rows == report.rows


def test_a_010_quote_without_the_new_keys_still_loads() -> None:
    data = to_data(report_with(paying=Paying(hsa_rate=D("0.24"))))
    for scenario in data["scenarios"].values():
        for key in ("hsa", "savings_program", "medical_deduction", "financing_left"):
            del scenario[key]
    for key in ("account", "payroll", "agi", "finance_what", "savings"):
        del data["inputs"][key]
    report = from_data(data)
    assert report.scenarios["typical"].hsa is not None
    assert report.scenarios["typical"].deduction is None


@settings(max_examples=200, deadline=None)
@given(
    spending=st.dictionaries(
        st.integers(2024, 2030),
        st.decimals(0, 50000, places=2, allow_nan=False, allow_infinity=False),
        max_size=4,
    ),
    rate=st.decimals(0, 1, places=4),
    agi=st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False),
)
def test_account_and_deduction_properties(
    spending: dict[int, Decimal], rate: Decimal, agi: Decimal
) -> None:
    """Never more from the account than spent or than the limit; the saving is the rate
    on it; the deduction is never negative nor above what the account left."""
    years = account_saving(spending, "hsa-self", rate)
    for y in years:
        assert y.from_account == min(y.spent, y.limit)
        assert y.saving == cents(rate * y.from_account)
    paid = {y.year: y.from_account for y in years}
    deduction = medical_deduction(spending, agi, paid)
    for d in deduction.years:
        assert ZERO <= d.deductible <= d.expenses
        assert d.expenses == spending[d.year] - paid[d.year]


def test_unknown_account_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["estimate", "--hsa-rate", "24", "--account", "ira"])
    assert result.exit_code == 2 and "--account" in result.stderr


def test_account_needs_a_rate_names_the_field() -> None:
    with pytest.raises(EstimateError) as error:
        estimate_with(paying=Paying(account="fsa"))
    assert error.value.field == "account"


def test_from_age_55_an_hsa_takes_the_catch_up_too(runner: CliRunner) -> None:
    """$4,800 spent in 2026 at 24%: self-only caps the account at $4,400 ($1,056.00
    saved); with the catch-up from 55 at $5,400, so all $4,800 counts ($1,152.00)."""
    args = ["--price", "800", "--hsa-rate", "24"]
    plain = estimate_json(runner, *args)
    older = estimate_json(runner, *args, "--account", "hsa-self-55")
    assert plain["scenarios"]["typical"]["hsa_saving"] == "1056.00"
    assert older["scenarios"]["typical"]["hsa_saving"] == "1152.00"


def test_the_program_in_the_month_csv_and_markdown(runner: CliRunner) -> None:
    """--by-month as CSV has what the program pays each month per scenario; as Markdown,
    what it pays and what is left (typical); both add up to the totals."""
    args = ["estimate", "--start", START.isoformat(), "-c", "spravato", "-m", "none"]
    args += ["--deductible", "1500", "--coinsurance", "20", "--savings", "--by-month"]
    rows = list(csv.DictReader(io.StringIO(runner.invoke(cli, [*args, "-f", "csv"]).stdout)))
    paid = sum((D(row["savings_program_pays_typical"]) for row in rows), ZERO)
    assert paid == D("2644.58")  # the hand-worked figure above
    markdown = runner.invoke(cli, [*args, "-f", "markdown"]).stdout
    assert "| Savings program pays (typical) | You pay after the program (typical) |" in markdown
    assert "| **-$2,644.58** | **$2,275.42** |" in markdown
