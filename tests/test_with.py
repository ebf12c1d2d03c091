"""A conditional discount applies only when asked for (--with KEY; a `with` batch column),
and names its condition wherever it is applied (docs/charges.md)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from ketacost.cli import cli
from tests.conftest import START
from tests.helpers import estimate_json, estimate_with
from tests.sheet_samples import FIGURE, write

VETERAN = """
[discounts.veteran]
label = "Veterans' discount"
amount = 50
applies_to = "all"
when = "the patient is a veteran"

[discounts.cash]
label = "Cash price"
amount = 10
applies_to = "all"
"""


def sheet(tmp_path: Path) -> str:
    return str(write(tmp_path, FIGURE + VETERAN))


def typical(data: dict[str, object]) -> str:
    scenarios = data["scenarios"]
    assert isinstance(scenarios, dict)
    return str(scenarios["typical"]["out_of_pocket"])


def test_a_conditional_discount_is_not_assumed(runner: CliRunner, tmp_path: Path) -> None:
    """Issue 13: a non-veteran's estimate came out low. Without --with only the
    unconditional discount applies: 250 + 6 x (450 - 10)."""
    data = estimate_json(runner, "--sheet", sheet(tmp_path))
    assert typical(data) == "2890.00"
    assert {line["key"] for line in data["scenarios"]["typical"]["lines"]} == {
        "induction", "cash", "consultation",
    }  # fmt: skip
    assert data["inputs"]["with"] == []
    assert data["inputs"]["assumes"] == []
    notes = " ".join(data["notes"])
    assert "Not included: Prepaid series, 10% off induction sessions, only when prepaid" in notes
    assert "Veterans' discount, $50.00 off each session, only when the patient is a veteran" in (
        notes
    )


def test_with_applies_it_and_names_its_condition(runner: CliRunner, tmp_path: Path) -> None:
    """--with veteran: $50 off each session, and the note says why."""
    data = estimate_json(runner, "--sheet", sheet(tmp_path), "--with", "Veteran")
    assert typical(data) == "2590.00"  # 250 + 6 x (450 - 50 - 10)
    assert data["inputs"]["with"] == ["veteran"]
    assert data["inputs"]["assumes"] == ["veteran"]
    notes = " ".join(data["notes"])
    assert (
        "Assumes: Veterans' discount, $50.00 off each session, because the patient is a "
        "veteran (with veteran)."
    ) in notes
    both = estimate_json(runner, "--sheet", sheet(tmp_path), "--with", "veteran", "--with",
                         "prepaid")  # fmt: skip
    assert typical(both) == "2320.00"  # 250 + 6 x (450 - 45 - 50 - 10)


def test_with_refuses_what_is_not_a_conditional_discount(runner: CliRunner, tmp_path: Path) -> None:
    """An unknown key, an unconditional discount, or a key also left out: status 2, one
    line naming --with."""
    for args, message in (
        (["--with", "student"], "'student' is not a conditional discount of price sheet"),
        (["--with", "cash"], "'cash' has no condition (it always applies)"),
        (["--with", "prepaid", "--without", "prepaid"], "both asked for and left out"),
    ):
        result = runner.invoke(
            cli, ["estimate", "--sheet", sheet(tmp_path), "--start", START.isoformat(), *args]
        )
        assert result.exit_code == 2, result.output
        assert "'--with'" in result.stderr
        assert message in result.stderr
        assert len(result.stderr.splitlines()) == 1


def test_the_core_applies_only_what_is_asked(tmp_path: Path) -> None:
    """The request field with_ is what the estimate reads."""
    from ketacost.sheet.load import load_sheet

    loaded = load_sheet(write(tmp_path, FIGURE + VETERAN))
    plain = estimate_with(loaded)
    asked = estimate_with(loaded, with_=("prepaid",))
    assert [d.key for d in plain.not_applied] == ["prepaid", "veteran"]
    assert [d.key for d in asked.not_applied] == ["veteran"]
    assert [item.key for item in asked.assumed] == ["prepaid"]
    difference = plain.scenarios["typical"].charges - asked.scenarios["typical"].charges
    assert str(difference) == "270.00"


def test_quote_keeps_with_and_compare_adds_it_up(runner: CliRunner, tmp_path: Path) -> None:
    """quote saves the keys asked for; compare takes --with for every option and an
    option's own --with adds to it."""
    path = sheet(tmp_path)
    result = runner.invoke(
        cli,
        ["quote", "--db", str(tmp_path / "q.db"), "--sheet", path, "--start", START.isoformat(),
         "--with", "prepaid", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["inputs"]["with"] == ["prepaid"]
    result = runner.invoke(
        cli,
        ["compare", "--sheet", path, "--start", START.isoformat(), "--with", "prepaid",
         "prepaid", "veteran too: --with veteran", "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    options = json.loads(result.stdout)["options"]
    assert [o["inputs"]["with"] for o in options] == [["prepaid"], ["prepaid", "veteran"]]
    assert [o["out_of_pocket"]["typical"] for o in options] == ["2620.00", "2320.00"]


def test_a_batch_row_names_its_discounts_in_a_with_column(
    runner: CliRunner, tmp_path: Path
) -> None:
    """`with` holds the keys, separated by spaces, commas or semicolons; a bad key is that
    row's error, naming the column."""
    calls = tmp_path / "calls.csv"
    calls.write_text(
        "id,start,with\n"
        f"none,{START.isoformat()},\n"
        f"vet,{START.isoformat()},veteran\n"
        f'both,{START.isoformat()},"prepaid; veteran"\n'
        f"bad,{START.isoformat()},student\n"
    )
    result = runner.invoke(cli, ["batch", str(calls), "--sheet", sheet(tmp_path)])
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["none"]["typical_out_of_pocket"] == "2890.00"
    assert rows["vet"]["typical_out_of_pocket"] == "2590.00"
    assert rows["both"]["typical_out_of_pocket"] == "2320.00"
    assert "with: 'student' is not a conditional discount" in rows["bad"]["error"]


def test_the_sheet_lists_its_conditional_discounts(tmp_path: Path) -> None:
    """What a wizard asks about: each discount with a condition, in sheet order."""
    from ketacost.sheet.load import load_sheet

    loaded = load_sheet(write(tmp_path, FIGURE + VETERAN))
    assert [(d.key, d.when) for d in loaded.conditional_discounts()] == [
        ("prepaid", "prepaid"),
        ("veteran", "the patient is a veteran"),
    ]
