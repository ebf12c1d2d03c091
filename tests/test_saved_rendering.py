"""Views are drawn from an estimate's data, so a saved (JSON) copy prints the same."""

from __future__ import annotations

import json
from decimal import Decimal

import click
import pytest

from ketacost.coverage.shares import Coverage
from ketacost.render.table import estimate_view, render_text
from ketacost.render.text import estimate_csv, estimate_markdown
from ketacost.report.to_data import dumps, from_data, to_data
from tests.helpers import report_with

COVERAGES = [
    None,
    Coverage(
        network="in",
        deductible=Decimal(1500),
        coinsurance=Decimal("0.2"),
        allowed=Decimal(450),
        copay=Decimal(25),
        plan_year_start=(7, 1),
    ),
    Coverage(
        network="out", deductible=Decimal(500), coinsurance=Decimal("0.3"), allowed=Decimal(300)
    ),
]


@pytest.mark.parametrize("coverage", COVERAGES)
def test_a_saved_copy_renders_exactly_like_the_fresh_estimate(coverage: Coverage | None) -> None:
    """Table, CSV, Markdown, rows and notes from JSON text equal those from fresh data."""
    fresh = report_with(coverage=coverage)
    saved = from_data(json.loads(dumps(to_data(fresh))))
    assert saved == fresh
    assert saved.rows == fresh.rows
    assert saved.notes == fresh.notes
    assert render_text(estimate_view(saved)) == render_text(estimate_view(fresh))
    assert estimate_csv(saved) == estimate_csv(fresh)
    assert estimate_markdown(saved) == estimate_markdown(fresh)


def test_coverage_rows_come_from_the_claims() -> None:
    """The in-network write-off and the out-of-network cash up front are rebuilt from data."""
    labels = {
        c.network: [r.label for r in from_data(to_data(report_with(coverage=c))).rows]
        for c in COVERAGES[1:]
        if c is not None
    }
    assert "In-network discount" in labels["in"]
    assert "Paid up front" in labels["out"]
    assert "In-network discount" not in labels["out"]


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("F33.1", "F33.1"),
        ("f331", "F33.1"),
        ("G89.29", "G89.29"),
        ("F32.A", "F32.A"),
        ("F41", "F41"),
    ],
)
def test_icd10_codes_are_normalized(typed: str, code: str) -> None:
    """Codes are upper case with the dot after the category."""
    from ketacost.cli.params import ICD10

    assert ICD10.convert(typed, None, None) == code


@pytest.mark.parametrize("typed", ["F3", "333.1", "F33.12345", "F33-1", ""])
def test_icd10_shapes_that_are_refused(typed: str) -> None:
    """Anything not shaped like an ICD-10 code is refused."""
    from ketacost.cli.params import ICD10

    with pytest.raises(click.BadParameter, match="not an ICD-10 code"):
        ICD10.convert(typed, None, None)
