"""Every figure ketacost 0.1.0 printed for a matrix of estimates, frozen: a refactor must
print the same ones (docs/charges.md). Only figures are compared, not notes or labels.

The golden file tests/fixtures/figures-0.1.0.json was written by 0.1.0 with

    python -m tests.test_golden_figures --write

Never rewrite it to make a test pass: a changed figure is either a bug or a deliberate
change that is reported as one. Deliberate changes since 0.1.0 (0.2.0): sessions fall only
on the clinic's open days (Monday to Friday by default), so the cases whose sessions fell
on a weekend have new dates (their totals are unchanged); and a conditional discount applies
only when asked for, so the clinic cases that 0.1.0 gave its discounts now ask for them
(``WITH``) and keep their figures. And paying from an HSA/FSA saves tax only on what the
law lets a person put in the account in a calendar year (2026, self-only: $4,400), and rides
count as medical expenses: so "hsa" (high) and "pain-hsa-finance-ride" save less and cost
more after tax. Since issue 19, insurance needs the plan's deductible and coinsurance: a
case that gave neither ("copay-only") is run with the zeros 0.1.0 assumed (``SPELLED_NOW``),
and keeps its figures. If the JSON keys are renamed, adapt ``figures`` below (and
only it) so that it reads the new names into the 0.1.0 shape.

From now on a deliberate change of a figure is recorded in ``CHANGES`` below, not by
rewriting the golden file: the case, where the figure is, what the golden file says, what
ketacost prints now and why. A changed figure that no entry explains fails, and so does an
entry whose old value is not the golden file's (a stale or mistyped record).
"""

from __future__ import annotations

import json
import os
import shlex
import sys
import tempfile
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from click.testing import CliRunner

from ketacost.cli import cli

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "fixtures" / "figures-0.1.0.json"
CLINIC = "tests/fixtures/clinic-0.1.0.toml"  # relative to ROOT, as stored in the golden file
START = "2026-11-23"  # a Monday
WITH = "--with prepaid --with veteran"
"""0.1.0 assumed the clinic's conditional discounts; since 0.2.0 they are asked for."""

# fmt: off
SCENARIO_FIGURES = ("per_session", "booster_price", "sessions", "charges", "insurance_pays",
                    "out_of_pocket", "paid_up_front", "other_costs", "hsa_saving",
                    "after_tax_cost", "financing")
LINE_FIGURES = ("key", "quantity", "unit", "amount")
CLAIM_FIGURES = ("date", "charge", "allowed", "deductible", "copay", "coinsurance",
                 "balance_bill", "patient_pays", "plan_pays", "paid_up_front")
MONTH_FIGURES = ("month", "sessions", "charges", "out_of_pocket")  # 0.2 adds paid_up_front
# fmt: on


def estimate(options: str = "", start: str = START) -> list[str]:
    """``ketacost estimate OPTIONS --start START --format json`` as an argument list."""
    return ["estimate", *shlex.split(options), "--start", start, "--format", "json"]


# fmt: off
CASES: dict[str, list[str]] = {
    # conditions and their aliases (built-in sheet: national averages)
    "depression-default": estimate(),
    "depression-named": estimate("--condition depression"),
    "anxiety": estimate("--condition anxiety"),
    "ptsd": estimate("--condition ptsd"),
    "ocd": estimate("--condition ocd"),
    "mood": estimate("--condition mood"),
    "pain": estimate("--condition pain"),
    "chronic-pain": estimate("--condition chronic-pain"),
    "crps": estimate("--condition crps"),
    "fibromyalgia": estimate("--condition fibromyalgia"),
    # induction sessions and weeks
    **{f"sessions-{n}": estimate(f"--sessions {n}") for n in range(1, 13)},
    "sessions-3-weeks-1": estimate("--sessions 3 --weeks 1"),
    "sessions-6-weeks-3": estimate("--sessions 6 --weeks 3"),
    "pain-sessions-8-weeks-4": estimate("--condition pain --sessions 8 --weeks 4"),
    # prices
    "price-exact": estimate("--price 525"),
    "price-cents-7-sessions": estimate("--price 433.33 --sessions 7"),
    "price-range": estimate("--price-range 450-650"),
    "price-range-half-cent-midpoint": estimate("--price-range 399.99-800.02"),
    # maintenance
    "maintenance-none": estimate("--maintenance none"),
    "maintenance-4w": estimate("--maintenance 4w"),
    "maintenance-every-4-weeks-6-months": estimate("--maintenance 'every 4 weeks' --months 6"),
    "maintenance-6w": estimate("--maintenance 6w"),
    "maintenance-monthly": estimate("--maintenance monthly"),
    "maintenance-monthly-0-months": estimate("--maintenance monthly --months 0"),
    "maintenance-every-2-weeks-3-months": estimate("--maintenance 'every 2 weeks' --months 3"),
    "maintenance-every-2-months-24-months": estimate(
        "--maintenance 'every 2 months' --months 24"),
    "pain-monthly-ride": estimate("--condition pain --maintenance monthly --months 6 --ride 35"),
    "ride": estimate("--ride 25"),
    # coverage
    "deductible-coinsurance": estimate("--price 600 --deductible 1500 --coinsurance 20"),
    "deductible-copay-coinsurance": estimate(
        "--price 400 --deductible 1500 --deductible-met 1200 --copay 25 --coinsurance 20"),
    "oop-max": estimate("--deductible 1000 --coinsurance 30 --oop-max 2000 --oop-met 500"),
    "allowed-in-network": estimate("--allowed 350 --deductible 500 --coinsurance 20%"),
    "copay-only": estimate("--copay 40 --maintenance 6w"),
    "out-of-network": estimate("--network out --deductible 500 --coinsurance 40 --allowed 300"),
    "out-of-network-pain-oop-max": estimate(
        "--condition pain --network out --deductible 1000 --deductible-met 1000"
        " --coinsurance 50 --oop-max 3000 --allowed 500"),
    "plan-year-crossed": estimate(
        "--deductible 1500 --coinsurance 20 --maintenance monthly --months 6",
        start="2026-12-28"),
    "plan-year-crossed-all-met": estimate(
        "--deductible 2000 --deductible-met 2000 --oop-max 4000 --oop-met 3800"
        " --coinsurance 20", start="2026-12-28"),
    "plan-year-starts-july": estimate(
        "--plan-year-start 07-01 --deductible 1000 --coinsurance 25 --maintenance 4w",
        start="2027-06-21"),
    # paying: HSA and payment plans
    "hsa": estimate("--hsa-rate 24"),
    "hsa-with-coverage": estimate(
        "--hsa-rate 32 --deductible 1500 --coinsurance 20 --maintenance 6w"),
    "finance-12": estimate("--finance 12"),
    "finance-24-at-17.99": estimate("--finance 24@17.99"),
    "finance-deferred-interest": estimate("--finance 12@26.99 --deferred-interest"),
    "pain-hsa-finance-ride": estimate(
        "--condition pain --hsa-rate 22 --finance 24@9.5 --ride 30"),
    "out-of-network-hsa-finance": estimate(
        "--network out --deductible 500 --coinsurance 20 --hsa-rate 24 --finance 12@17.99"),
    # a clinic's sheet: fees, discounts, named plans
    "clinic": estimate(f"--sheet {CLINIC} {WITH}"),
    "clinic-without-anti-nausea": estimate(f"--sheet {CLINIC} --without anti-nausea {WITH}"),
    "clinic-without-discounts": estimate(
        f"--sheet {CLINIC} --without prepaid --without veteran"),
    "clinic-membership": estimate(f"--sheet {CLINIC} --maintenance membership {WITH}"),
    "clinic-pain-six-weekly": estimate(
        f"--sheet {CLINIC} --condition crps --maintenance six-weekly --months 6 {WITH}"),
    "clinic-coverage": estimate(
        f"--sheet {CLINIC} --deductible 1000 --coinsurance 20 --copay 30"
        f" --maintenance membership --months 3 {WITH}"),
    "clinic-price-finance": estimate(f"--sheet {CLINIC} --price 500 --finance 12 {WITH}"),
    "clinic-saturday-start": estimate(f"--sheet {CLINIC} {WITH}", start="2026-11-28"),
}
# fmt: on

SPELLED_NOW: dict[str, list[str]] = {"copay-only": ["--deductible", "0", "--coinsurance", "0"]}
"""Options a case now needs to mean what its 0.1.0 command line meant."""


class Change(NamedTuple):
    """A deliberate change of one golden figure: ``where`` is the path of keys and list
    indexes into the case's figures (``("scenarios", "high", "hsa_saving")``)."""

    case: str
    where: tuple[str | int, ...]
    old: Any
    new: Any
    why: str


CHANGES: list[Change] = []
"""Every figure that differs from the golden file on purpose, with its reason."""


def expected_now(name: str, changes: list[Change] | None = None) -> dict[str, Any]:
    """The golden figures of case ``name`` with the recorded changes made; a change whose
    old value is not the golden file's is an error."""
    figures: dict[str, Any] = json.loads(json.dumps(load_golden()[name]["figures"]))  # a copy
    for change in CHANGES if changes is None else changes:
        if change.case != name:
            continue
        *path, last = change.where
        holder: Any = figures
        for key in path:
            holder = holder[key]
        assert holder[last] == change.old, (
            f"{name} {change.where}: the golden file says {holder[last]!r}, not {change.old!r}"
        )
        holder[last] = change.new
    return figures


def unexplained(expected: Any, got: Any, where: tuple[str | int, ...] = ()) -> list[str]:
    """The paths at which ``got`` differs from ``expected``, each with both values."""
    if isinstance(expected, dict) and isinstance(got, dict) and expected.keys() == got.keys():
        return [d for k in expected for d in unexplained(expected[k], got[k], (*where, k))]
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        return [
            d
            for i, (e, g) in enumerate(zip(expected, got, strict=True))
            for d in unexplained(e, g, (*where, i))
        ]
    return [] if expected == got else [f"{where}: golden {expected!r}, now {got!r}"]


def pick(data: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    return {key: data[key] for key in keys}


def figures(data: dict[str, Any]) -> dict[str, Any]:
    """The figures of an estimate's JSON, in 0.1.0's names and shapes: per scenario its
    totals, lines and claims; the schedule; the months."""
    scenarios = {
        name: {
            **pick(result, SCENARIO_FIGURES),
            "lines": [pick(line, LINE_FIGURES) for line in result["lines"]],
            "other_lines": [pick(line, LINE_FIGURES) for line in result["other_lines"]],
            "claims": [pick(claim, CLAIM_FIGURES) for claim in result["claims"]],
        }
        for name, result in data["scenarios"].items()
    }
    return {
        "scenarios": scenarios,
        "schedule": [pick(session, ("date", "phase")) for session in data["schedule"]],
        "months": [pick(month, MONTH_FIGURES) for month in data["months"]],
    }


def run_case(runner: CliRunner, args: list[str]) -> dict[str, Any]:
    """Run one invocation (the clinic sheet found from the repository root) and return the
    figures it prints."""
    argv = [str(ROOT / arg) if arg == CLINIC else arg for arg in args]
    result = runner.invoke(cli, argv)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    data: dict[str, Any] = json.loads(result.stdout)
    return figures(data)


@cache
def load_golden() -> dict[str, Any]:
    golden: dict[str, Any] = json.loads(GOLDEN.read_text(encoding="utf-8"))
    return golden


def test_every_case_has_golden_figures() -> None:
    golden = load_golden()
    assert list(golden) == list(CASES)
    assert {name: golden[name]["args"] for name in golden} == CASES
    assert len(CASES) >= 55


@pytest.mark.parametrize(
    ("args", "name"), [(args, name) for name, args in CASES.items()], ids=list(CASES)
)
def test_figures_unchanged(runner: CliRunner, args: list[str], name: str) -> None:
    expected = expected_now(name)
    assert expected["scenarios"]["typical"]["charges"]  # a real record, not an empty one
    got = run_case(runner, [*args, *SPELLED_NOW.get(name, [])])
    assert unexplained(expected, got) == []
    assert got == expected


def test_every_change_is_of_a_case_with_its_reason() -> None:
    for change in CHANGES:
        assert change.case in CASES and change.why.strip(), change
        assert change.old != change.new, change
        expected_now(change.case)  # its old value is the golden file's


def test_a_changed_figure_fails_unless_a_change_explains_it() -> None:
    """The comparison itself: one figure moved by a cent is reported with its place and
    both values, and the same move recorded as a change (with its reason) is accepted."""
    golden = expected_now("hsa")
    where = ("scenarios", "high", "hsa_saving")
    old = golden["scenarios"]["high"]["hsa_saving"]
    new = str(Decimal(old) - Decimal("0.01"))
    got = json.loads(json.dumps(golden))
    got["scenarios"]["high"]["hsa_saving"] = new
    assert unexplained(golden, got) == [f"{where}: golden {old!r}, now {new!r}"]
    change = Change("hsa", where, old, new, "an example: the annual limit moved")
    assert unexplained(expected_now("hsa", [change]), got) == []
    stale = change._replace(old="1.00")
    with pytest.raises(AssertionError, match="the golden file says"):
        expected_now("hsa", [stale])


def dumps(value: Any, indent: str = "") -> str:
    """JSON with each flat object or list on one line (a claim, a line, a schedule entry), so
    that a changed figure shows as a short diff."""
    inner = indent + " "
    if isinstance(value, dict) and any(isinstance(v, dict | list) for v in value.values()):
        items = [f"{inner}{json.dumps(k)}: {dumps(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(inner + dumps(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value)


def write_golden() -> None:
    """Run every case with the installed ketacost (isolated from the user's own sheet and
    files) and write the golden file. Only 0.1.0 writes the figures of 0.1.0."""
    from ketacost import __version__

    if __version__ != "0.1.0":
        sys.exit(f"{GOLDEN.name} holds what 0.1.0 printed; this is ketacost {__version__}")
    with tempfile.TemporaryDirectory() as home:
        os.environ.update(
            HOME=home, XDG_CONFIG_HOME=f"{home}/.config", XDG_DATA_HOME=f"{home}/.local/share"
        )
        for name in ("KETACOST_SHEET", "KETACOST_DB", "NO_COLOR", "COLUMNS"):
            os.environ.pop(name, None)
        runner = CliRunner()
        golden = {
            name: {"args": args, "figures": run_case(runner, [*args, *SPELLED_NOW.get(name, [])])}
            for name, args in CASES.items()
        }
    GOLDEN.write_text(dumps(golden) + "\n", encoding="utf-8")
    print(f"wrote {len(golden)} cases to {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m tests.test_golden_figures --write")
    write_golden()
