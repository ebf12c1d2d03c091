"""``ketacost compare``: options side by side, their parsing, errors and formats."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.comparison import ComparisonError, compare
from ketacost.render.compare_view import compare_view
from ketacost.render.table import render_text
from tests.helpers import estimate_with
from tests.sheet_samples import FIGURE, write

START = ["--start", "2026-11-23"]
THREE = ["induction only", "every 4 weeks: --maintenance 4w", "pain: --condition pain"]


def as_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    result = runner.invoke(cli, ["compare", *START, *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def test_three_options_side_by_side(runner: CliRunner) -> None:
    """The issue's example: sessions, charges, out of pocket, first month, difference (set
    only against an option over the same period: boosters for a year are not)."""
    options = as_json(runner, *THREE)["options"]
    assert [o["label"] for o in options] == ["induction only", "every 4 weeks", "pain"]
    assert [o["sessions"] for o in options] == [6, 19, 6]
    assert [o["charges"]["typical"] for o in options] == ["3600.00", "11400.00", "8100.00"]
    assert options[1]["out_of_pocket"] == {
        "low": "7600.00",
        "typical": "11400.00",
        "high": "15200.00",
    }
    assert [o["first_month"] for o in options] == ["2400.00", "2400.00", "5400.00"]
    assert [o["difference"] for o in options] == ["0.00", None, "4500.00"]
    assert [o["boosters"] for o in options] == ["none", "13, every 4 weeks for 12 months", "none"]
    assert [o["booster_months"] for o in options] == [0, 12, 0]
    assert options[2]["inputs"]["treatment"] == "pain"
    assert options[1]["months"][0]["month"] == "2026-11"


def test_common_options_apply_to_all_and_an_option_wins(runner: CliRunner, tmp_path: Path) -> None:
    """Options given to compare apply to every option; an option's own value wins."""
    sheet = str(write(tmp_path, FIGURE))
    options = as_json(
        runner,
        "--sheet",
        sheet,
        "--price",
        "500",
        "five hundred",
        "four hundred: --price 400",
        "--weeks",
        "3",
        "--without",
        "prepaid",
    )["options"]
    assert options[0]["out_of_pocket"]["typical"] == "3250.00"  # 250 + 6 x 500, no discount
    assert options[1]["out_of_pocket"]["typical"] == "2650.00"
    assert options[1]["difference"] == "-600.00"
    assert all(o["inputs"]["weeks"] == 3 for o in options)
    assert all(o["inputs"]["without"] == ["prepaid"] for o in options)


def test_an_options_plan_year_replaces_the_common_one(runner: CliRunner) -> None:
    """A one-value option (e.g. --plan-year-start MM-DD) given in an option replaces it."""
    options = as_json(
        runner,
        "--deductible",
        "1000",
        "--coinsurance",
        "20",
        "--plan-year-start",
        "04-01",
        "april",
        "july: --plan-year-start 07-01",
    )["options"]
    assert options[0]["inputs"]["coverage"]["plan_year_start"] == "04-01"
    assert options[1]["inputs"]["coverage"]["plan_year_start"] == "07-01"


def test_repeated_maintenance_is_a_shortcut(runner: CliRunner) -> None:
    """-m none -m 6w -m 4w makes three options labelled by their plans."""
    options = as_json(
        runner, "-m", "none", "-m", "6w", "-m", "4w", "--deductible", "1500", "--coinsurance", "20"
    )["options"]
    assert [o["label"] for o in options] == [
        "no boosters",
        "boosters every 6 weeks",
        "boosters every 4 weeks",
    ]
    assert [o["sessions"] for o in options] == [6, 14, 19]
    assert all(o["inputs"]["coverage"]["deductible"] == "1500.00" for o in options)


def test_months_given_to_compare_last_the_boosters_of_the_options_that_have_them(
    runner: CliRunner,
) -> None:
    """-m none -m 4w --months 6: the boosters every 4 weeks last 6 months and the option
    with no boosters is its induction alone; an option that asks for months itself with no
    boosters is refused, as estimate refuses it."""
    options = as_json(runner, "-m", "none", "-m", "4w", "--months", "6")["options"]
    assert [o["sessions"] for o in options] == [6, 12]
    assert [o["booster_months"] for o in options] == [0, 6]
    result = runner.invoke(cli, ["compare", *START, "a: -m none --months 6", "b: -m 4w"])
    assert result.exit_code == 2
    assert "'--months'" in result.output and "--maintenance" in result.output


@pytest.mark.parametrize("shared", ["6", "7"])
def test_an_option_s_own_months_with_no_boosters_are_refused_whatever_compare_s_are(
    runner: CliRunner, shared: str
) -> None:
    """An option that asks months itself with no boosters is refused even when compare's
    own --months are the same number (they were taken for compare's and dropped)."""
    args = ["a: -m none --months 6", "b: -m 4w", "--months", shared]
    result = runner.invoke(cli, ["compare", *START, *args])
    assert result.exit_code == 2, result.output
    [line] = result.output.splitlines()
    assert line.startswith("Error: option 'a': Invalid value for '--months'")


def test_repeated_sessions(runner: CliRunner) -> None:
    """-n 1 -n 6 compares a single session with a series."""
    options = as_json(runner, "-n", "1", "-n", "6")["options"]
    assert [o["label"] for o in options] == ["1 session", "6 sessions"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["only one"], "compare 2 to 6 options, not 1"),
        ([], "compare 2 to 6 options, not 0"),
        ([f"option {n}" for n in range(7)], "compare 2 to 6 options, not 7"),
        (["a", "pain: --condition pian"], "option 'pain': Invalid value for '--condition'"),
        (["a", "b: --sessions zero"], "option 'b': Invalid value for '--sessions'"),
        (["a", "b: --no-such-thing"], "option 'b': No such option"),
        (["a", "b: --maintenance 'every 4"], "option 'b': No closing quotation"),
        (["a", "b: --maintenance fortnightly"], "option 'b': Invalid value for '--maintenance'"),
        (["a", "b: --format json"], "option 'b': give output options to compare itself"),
        (["same", "Same: -m 4w"], "two options are labelled 'Same'"),
        (["a", ": -m 4w"], "give it a label"),
        (["-m", "4w", "-m", "6w", "a"], "give OPTIONs or repeat --maintenance, not both"),
        (["-m", "4w", "-m", "6w", "-n", "1", "-n", "2"], "repeat only one of"),
    ],
)
def test_bad_options_are_one_line_status_2(
    runner: CliRunner, args: list[str], message: str
) -> None:
    """Too few, too many, or a bad option inside one: one line naming it, status 2."""
    result = runner.invoke(cli, ["compare", *START, *args])
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.output


def test_csv_and_markdown(runner: CliRunner) -> None:
    """CSV: one row per option with money as 1234.50 and safe labels; Markdown: a table."""
    out = runner.invoke(cli, ["compare", *START, "=cmd()", "b: -m 4w", "-f", "csv"]).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["option"] == "'=cmd()"
    assert rows[1]["out_of_pocket_typical"] == "11400.00"
    assert rows[1]["difference"] == ""  # boosters for a year against none: not comparable
    assert rows[1]["boosters"] == "13, every 4 weeks for 12 months"
    assert rows[1]["induction"] == "6 over 2 weeks"
    md = runner.invoke(cli, ["compare", *START, *THREE, "-f", "markdown"]).stdout
    assert (
        "| every 4 weeks | 19 | 6 over 2 weeks | 13, every 4 weeks for 12 months | $11,400.00 | "
        "**$11,400.00** | $7,600.00 to $15,200.00 | $2,400.00 | not comparable |"
    ) in md
    assert "| pain | 6 | 6 over 2 weeks | none | $8,100.00 |" in md and "| +$4,500.00 |" in md
    assert md.rstrip().endswith("This is an estimate, not medical or financial advice.")


def test_table_shows_range_under_typical(runner: CliRunner) -> None:
    """The table: one column per option; the range sits under the typical figure."""
    out = runner.invoke(cli, ["compare", *START, *THREE]).stdout
    lines = out.splitlines()
    header = next(line for line in lines if "induction only" in line)
    assert "every 4 weeks" in header
    assert "pain" in header
    row = next(i for i, line in enumerate(lines) if line.startswith("│ Out of pocket"))
    assert "$11,400.00" in lines[row]
    assert "$7,600.00 to" in lines[row + 1] or "$7,600.00 to" in lines[row]
    assert "(base)" in out
    assert "+$4,500.00" in out and "+$7,800.00" not in out


def _compared(count: int) -> Any:
    from datetime import date

    plans = ["6w", "4w", "monthly", "2w", "3w", "none"][:count]
    return compare(
        [
            (p, estimate_with(start=date(2026, 11, 23), maintenance=p, condition="pain"))
            for p in plans
        ]
    )


@pytest.mark.parametrize("count", [2, 3, 6])
@pytest.mark.parametrize("width", [60, 80, 100])
def test_compare_fits_the_width(count: int, width: int) -> None:
    """Two to six options fit 60, 80 and 100 columns, every figure kept whole."""
    text = render_text(compare_view(_compared(count)), width=width)
    assert max(len(line.rstrip()) for line in text.splitlines()) <= width
    assert "$64,000.00" in text or count < 5  # the 2-weekly option's high figure
    assert text.count("+$") == min(count, 5) - 1  # each costs more than every 6 weeks
    assert ("comparable" in text) == (count == 6)  # no boosters: not set against a year


def test_compare_core_limits() -> None:
    """The core refuses fewer than 2 or more than 6 options."""
    est = estimate_with(maintenance="none")
    with pytest.raises(ComparisonError, match="not 1"):
        compare([("a", est)])
    with pytest.raises(ComparisonError, match="not 7"):
        compare([(str(n), est) for n in range(7)])


@pytest.mark.parametrize(
    "args",
    [
        ("--ride", "25"),
        ("--hsa-rate", "24"),
        ("--finance", "12"),
        ("--deferred-interest",),
        ("one: --ride 25",),
        ("one: --finance 12",),
    ],
)
def test_options_a_comparison_does_not_show_are_refused(
    runner: CliRunner, args: tuple[str, ...]
) -> None:
    """Rides, HSA and financing are not part of a comparison's figures: compare refuses them
    (status 2, one line naming the option) rather than ignoring them."""
    result = runner.invoke(cli, ["compare", "a", "b: -n 4", *args])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    name = args[0].split(": ")[-1].split()[0]
    assert "No such option" in result.stderr and name in result.stderr


ISSUE = ["-c", "depression", "-c", "spravato", "-c", "kap"]
PLAN = ["--deductible", "1500", "--coinsurance", "20"]


def test_compare_on_equal_terms(runner: CliRunner) -> None:
    """The issue's compare: Spravato's own year of boosters beside IV and KAP with none.
    Each column says its induction and boosters; no difference is set between a year of
    boosters and an induction alone (no "+$36,300.00"), and the notes say what differs."""
    out = runner.invoke(cli, ["compare", *START, *ISSUE], env={"COLUMNS": "80"}).stdout
    assert "+$36,300.00" not in out
    assert "+$625.00" in out  # KAP against IV: both the induction alone
    assert max(len(line) for line in out.splitlines()) <= 80
    table = out.split("depression: ")[0]
    for cell in ("6 over 2 weeks", "12 over 8 weeks", "6 over 6 weeks", "26, every 2 weeks"):
        assert cell in table
    assert "not comparable" in table
    notes = " ".join(out.split())
    assert (
        "Difference: spravato covers its induction and 12 months of boosters, while "
        "depression (the base) covers its induction alone, so its figures are not set "
        "against the base's." in notes
    )
    data = as_json(runner, *ISSUE)
    assert [o["difference"] for o in data["options"]] == ["0.00", None, "625.00"]
    assert [o["booster_months"] for o in data["options"]] == [0, 12, 0]
    same = as_json(runner, *ISSUE, "-m", "none")["options"]
    assert [o["difference"] for o in same] == ["0.00", "9000.00", "625.00"]
    assert [o["boosters"] for o in same] == ["none", "none", "none"]


def test_each_option_keeps_its_notes(runner: CliRunner) -> None:
    """With insurance, each option still says what its own estimate says: the off-label
    caveat of IV and KAP, Spravato's prior authorization, the Terms line; in JSON each
    option carries its estimate's notes, and the comparison its table's notes."""
    out = runner.invoke(cli, ["compare", *START, *ISSUE, *PLAN], env={"COLUMNS": "200"}).stdout
    notes = " ".join(out.split())
    assert "Most plans do not cover IV ketamine for depression; check coverage for" in notes
    assert "Most plans do not cover Ketamine-assisted psychotherapy (KAP)" in notes
    assert "usually covered by insurance with prior authorization" in notes
    assert "Terms: deductible, what you pay each plan year before the plan pays;" in notes
    data = as_json(runner, *ISSUE, *PLAN)
    assert data["notes"][-1] == "This is an estimate, not medical or financial advice."
    assert " ".join(" ".join(data["notes"]).split()) in notes
    for option, condition in zip(data["options"], ("depression", "spravato", "kap"), strict=True):
        alone = runner.invoke(
            cli, ["estimate", *START, "-c", condition, *PLAN, "--format", "json"]
        ).stdout
        assert option["notes"] == json.loads(alone)["notes"]


def test_compare_keeps_a_sheets_assumptions(runner: CliRunner, tmp_path: Path) -> None:
    """A sheet's optional fees and conditional discounts are stated in a comparison too,
    once when every option shares them."""
    sheet = str(write(tmp_path, FIGURE))
    data = as_json(runner, "--sheet", sheet, "a", "b: -n 4")
    table_notes = " ".join(data["notes"])
    assert table_notes.count("Not included: Prepaid series, 10% off") == 1


def test_a_0_month_horizon_says_no_boosters_plainly(runner: CliRunner) -> None:
    """Boosters over 0 months are none, said plainly ("none within 0" read as a riddle);
    the estimate's notes say the same words, and a horizon too short for the first
    booster still says none fall within it."""
    options = as_json(runner, "-m", "monthly", "-m", "6w", "--months", "0")["options"]
    assert [o["boosters"] for o in options] == ["none (0 months of boosters)"] * 2
    assert [o["booster_months"] for o in options] == [0, 0]
    short = as_json(runner, "-m", "6w", "-m", "monthly", "--months", "1")["options"]
    assert short[0]["boosters"] == "none within 1 month"
    result = runner.invoke(cli, ["estimate", *START, "-m", "monthly", "--months", "0"])
    assert result.exit_code == 0, result.output
    notes = " ".join(result.stdout.split())
    assert "no boosters (0 months of boosters)" in notes
    assert "within 0" not in notes


def test_a_schedule_every_option_shares_is_said_once(runner: CliRunner) -> None:
    """Options on the same schedule (their dates, a session moved off a closed day) say it
    once in the shared notes rather than not at all, and an option with nothing of its
    own says nothing (no bare "b: " line)."""
    notes = as_json(runner, "a", "b: --deductible 100 --coinsurance 20")["notes"]
    shared = [n for n in notes if n.startswith("Condition:")]
    assert len(shared) == 1
    assert "6 induction sessions over 2 weeks (Mon 2026-11-23 to Fri 2026-12-04)" in shared[0]
    same = as_json(runner, "-m", "monthly", "-m", "4w", "--months", "0")["notes"]
    assert not any(n.endswith(": ") or n.rstrip().endswith(":") for n in same), same
    assert sum("no boosters (0 months of boosters)" in n for n in same) == 1
