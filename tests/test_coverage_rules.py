"""A coverage rule is written once, in coverage/, and every face (options, a coverage
file, a batch row, a web form, plain data) meets it in the same words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.batch import RowError, quote
from ketacost.cli import cli
from ketacost.coverage.data import coverage_from_data
from ketacost.coverage.file import CoverageFileError, parse_coverage
from ketacost.coverage.shares import Coverage, CoverageError
from ketacost.plain import PlainError
from ketacost.request_data import request_from_data
from ketacost.sheet.load import load_sheet
from ketacost.web.form import FormError, read_request
from tests.conftest import START

SHEET = load_sheet(None)
TODAY = date(2026, 12, 1)
MET_ONLY = {"deductible": "500", "coinsurance": "20", "oop_met": "300"}
NEEDS = "counts toward an out-of-pocket maximum; give the out-of-pocket maximum too (e.g. 4000)"
NEEDS_OPTION = "counts toward an out-of-pocket maximum; give --oop-max too (e.g. --oop-max 4000)"


class Query(dict[str, str]):
    def getlist(self, key: str) -> list[str]:
        return []


def test_an_amount_met_without_a_maximum_is_refused_on_the_command_line(
    runner: CliRunner,
) -> None:
    result = runner.invoke(
        cli, ["estimate", *(f"--{k.replace('_', '-')}={v}" for k, v in MET_ONLY.items())]
    )
    assert result.exit_code == 2
    assert "'--oop-met'" in result.stderr and NEEDS_OPTION in result.stderr


def test_an_amount_met_without_a_maximum_is_refused_in_a_batch_row() -> None:
    """A batch row took it silently (the figures ignore it without a maximum)."""
    with pytest.raises(RowError) as caught:
        quote({"start": START.isoformat(), **MET_ONLY}, SHEET, TODAY)
    assert str(caught.value) == f"oop_met: {NEEDS}"


def test_an_amount_met_without_a_maximum_is_refused_on_a_web_form() -> None:
    with pytest.raises(FormError) as caught:
        read_request(Query(MET_ONLY), SHEET, TODAY)
    assert caught.value.errors == {"oop_met": NEEDS}


def test_a_typed_plan_of_plain_data_is_held_to_the_rule() -> None:
    with pytest.raises(Exception, match="out-of-pocket maximum") as caught:
        request_from_data(SHEET, TODAY, {"coverage": MET_ONLY}, typed=True)
    assert getattr(caught.value, "field", None) == "oop_met"


def test_a_saved_plan_with_an_amount_met_and_no_maximum_still_reads() -> None:
    """ketacost saves the amount met with every plan (filled in from the deductible met),
    and a row or a form could save one without a maximum: such a quote still reads."""
    saved = {**MET_ONLY, "deductible_met": "100", "oop_max": None}
    coverage = coverage_from_data(saved)
    assert coverage is not None and coverage.oop_met == 300 and coverage.oop_max is None
    assert request_from_data(SHEET, TODAY, {"coverage": saved}).coverage == coverage


def test_a_coverage_file_s_amount_met_needs_its_maximum(runner: CliRunner, tmp_path: Path) -> None:
    """The rule holds for the file's own figure, at its line, and for --oop-met given
    with a file that has no maximum (the command line let both through)."""
    plan = tmp_path / "plan.toml"
    plan.write_text("deductible = 500\ncoinsurance = 20\noop_met = 300\n", encoding="utf-8")
    result = runner.invoke(cli, ["estimate", "--coverage", str(plan)])
    assert result.exit_code == 2, result.output
    assert "plan.toml:3: oop_met counts toward an out-of-pocket maximum; give oop_max too" in (
        result.stderr
    )
    plan.write_text("deductible = 500\ncoinsurance = 20\n", encoding="utf-8")
    result = runner.invoke(cli, ["estimate", "--coverage", str(plan), "--oop-met", "300"])
    assert result.exit_code == 2
    assert "'--oop-met'" in result.stderr and NEEDS_OPTION in result.stderr


COVERAGE = Path(__file__).resolve().parent.parent / "ketacost" / "coverage"


def test_the_coverage_package_has_no_import_circle_and_nothing_hidden() -> None:
    """No module of coverage/ imports one that imports it back, even for a type only
    (allowed.py and shares.py did, behind a TYPE_CHECKING block)."""
    modules = {p.stem: p.read_text(encoding="utf-8") for p in COVERAGE.glob("*.py")}
    assert not [name for name, text in modules.items() if "TYPE_CHECKING" in text]
    imports = {
        name: {other for other in modules if f"ketacost.coverage.{other} import" in text}
        for name, text in modules.items()
    }

    def reaches(start: str, goal: str, seen: frozenset[str] = frozenset()) -> bool:
        return any(
            nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt}))
            for nxt in imports[start]
        )

    assert not [name for name in modules if reaches(name, name)]


def test_every_face_reads_the_plan_s_fields_from_one_table() -> None:
    """The file's keys, the saved plan's keys, the batch's plan columns, the web form's
    plan fields (on both pages), the options and their typed group are the table's."""
    from ketacost.batch import COVERAGE_COLUMNS
    from ketacost.cli.decorators import COVERAGE_OPTIONS
    from ketacost.cli.groups import CoverageOptions
    from ketacost.coverage import fields
    from ketacost.web.form import COVERAGE_FIELDS
    from ketacost.web.routes.compare import COMMON

    assert tuple(f.name for f in fields.FIELDS) == fields.KEYS
    with pytest.raises(CoverageFileError) as empty:
        parse_coverage("# nothing\n", "plan.toml")
    assert f"(keys: {', '.join(fields.KEYS)})" in str(empty.value)
    assert COVERAGE_COLUMNS == COVERAGE_FIELDS == fields.TYPED
    assert set(fields.TYPED) <= set(COMMON)
    assert CoverageOptions._fields == ("coverage_file", *(f.name for f in fields.OPTIONS))
    assert len(COVERAGE_OPTIONS) == 1 + len(fields.OPTIONS)


def test_the_options_help_is_the_table_s(runner: CliRunner) -> None:
    from ketacost.coverage.fields import OPTIONS

    shown = " ".join(runner.invoke(cli, ["estimate", "--help"]).stdout.split())
    for field in OPTIONS:
        assert f"--{field.name.replace('_', '-')}" in shown
        assert " ".join(field.help.split()) in shown


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("claim_days = 0", {"claim_days": 0}),
        ("filing_limit = 99999", {"filing_limit": 99999}),
        (
            "oon_allowed = {" + ", ".join(f'"C{n}" = 1' for n in range(201)) + "}",
            {"oon_allowed": tuple((f"C{n}", Decimal(1)) for n in range(201))},
        ),
    ],
)
def test_a_bound_is_one_rule_in_the_same_words_for_a_file_and_a_plan(
    line: str, value: dict[str, object]
) -> None:
    """A plan's bounds (days, codes) are the field table's, said alike by the coverage
    file (at its line) and by the plan's own check (a form's, a saved quote's)."""
    with pytest.raises(CoverageFileError) as in_file:
        parse_coverage(f'network = "out"\n{line}\n', "plan.toml")
    with pytest.raises(CoverageError) as in_plan:
        Coverage(network="out", **value)  # type: ignore[arg-type]
    assert str(in_file.value) == f"plan.toml:2: {in_plan.value}"


def test_the_percent_of_medicare_s_fee_is_bounded_by_the_table() -> None:
    from ketacost.coverage.fields import FIELD

    most = Decimal(FIELD["medicare_percent"].most or 0)
    fees = (("96365", Decimal(70)),)
    Coverage(network="out", medicare_percent=most / 100, medicare_fees=fees)
    with pytest.raises(CoverageError, match="at most 1,000%"):
        Coverage(network="out", medicare_percent=(most + 1) / 100, medicare_fees=fees)
    with pytest.raises(CoverageFileError, match="at most 1,000"):
        parse_coverage(f"medicare_percent = {most + 1}\n", "plan.toml")


def test_a_batch_row_is_the_request_s_plain_data_read_as_typed() -> None:
    """A row's cells become the request's plain data (the plan's columns its coverage,
    price_low and price_high its price range) and the request codec reads them, as it
    reads a web form's fields: one parser per field, one 'not both' and one network."""
    from ketacost.batch import request_of, row_data

    cells = {
        "id": "A-1",
        "condition": " pain ",
        "sessions": "8",
        "price_low": "$450",
        "price_high": "750",
        "start": START.isoformat(),
        "network": "OUT",
        "deductible": "1,000",
        "coinsurance": "30%",
        "with": "",
    }
    data = row_data(cells)
    assert data == {
        "condition": " pain ",
        "sessions": "8",
        "price": "$450-750",
        "start": START.isoformat(),
        "coverage": {"network": "OUT", "deductible": "1,000", "coinsurance": "30%"},
    }
    assert request_of(cells, SHEET, TODAY) == request_from_data(SHEET, TODAY, data, typed=True)
    with pytest.raises(RowError, match=r"coinsurance: '0\.2' is ambiguous"):
        request_of({**cells, "coinsurance": "0.2"}, SHEET, TODAY)


@pytest.mark.parametrize(
    "table",
    [
        {"96365": "1e3"},
        {"96365": "180.005"},
        {"96365": True},
        {"96365": [180]},
        {f"9{n:04d}": "1" for n in range(201)},
    ],
)
def test_amounts_per_code_of_saved_data_are_read_as_every_amount_is(
    table: dict[str, object],
) -> None:
    """A saved plan's allowed amounts per code are money as every amount is (no exponent,
    cents at most, at most MAX_CODES codes), as the coverage file reads them."""
    data = {"network": "out", "deductible": "0", "coinsurance": "20", "oon_allowed": table}
    with pytest.raises(PlainError) as caught:
        coverage_from_data(data)
    assert caught.value.field == "oon_allowed"
