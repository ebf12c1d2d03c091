"""Each concept in one module: every sentence about paying in report/paying_notes.py, the
deduction's floor written once (from paying.tax's constant), the clinic's days in
sheet/days.py."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import ketacost.paying.financing
import ketacost.report.notes
import ketacost.report.refund_notes
import ketacost.report.treatment_notes
import ketacost.sheet.billing
from ketacost.money import format_percent
from ketacost.paying.tax import DEDUCTION_FLOOR
from ketacost.report import paying_notes
from ketacost.sheet import days

PACKAGE = Path(__file__).resolve().parent.parent / "ketacost"
PAYING_SENTENCES = (
    "paying_lines",
    "savings_text",
    "hsa_text",
    "hsa_up_front_text",
    "loan_text",
    "later_text",
    "deduction_text",
)
PAYING_NOTES = ("HSA_NOTE", "HDHP_NOTE", "ITEMIZE_NOTE", "TAX_DEDUCTION_NOTE")
ELSEWHERE = (
    ketacost.paying.financing,
    ketacost.report.notes,
    ketacost.report.refund_notes,
    ketacost.report.treatment_notes,
)


@pytest.mark.parametrize("name", PAYING_SENTENCES)
def test_every_paying_sentence_is_written_in_paying_notes(name: str) -> None:
    assert inspect.getmodule(getattr(paying_notes, name)) is paying_notes
    for module in ELSEWHERE:
        found = getattr(module, name, None)
        assert found is None or inspect.getmodule(found) is paying_notes


@pytest.mark.parametrize("name", PAYING_NOTES)
def test_the_paying_notes_are_not_kept_elsewhere(name: str) -> None:
    assert isinstance(getattr(paying_notes, name), str)
    assert not [m.__name__ for m in ELSEWHERE if hasattr(m, name)]


def test_the_deduction_floor_is_written_once() -> None:
    """Both deduction sentences say the floor of paying.tax, and no note module spells it."""
    floor = format_percent(DEDUCTION_FLOOR)
    assert floor == "7.5%"
    assert f"above {floor} of adjusted gross income" in paying_notes.ITEMIZE_NOTE
    assert f"above {floor} of adjusted gross income" in paying_notes.TAX_DEDUCTION_NOTE
    spelled = [
        p.name
        for p in sorted((PACKAGE / "report").glob("*.py"))
        if "7.5" in p.read_text(encoding="utf-8")
    ]
    assert spelled == []


def test_the_clinic_days_are_read_in_sheet_days() -> None:
    for name in ("read_clinic_days", "read_open_days", "read_closed", "read_holidays"):
        assert inspect.getmodule(getattr(days, name)) is days
        assert not hasattr(ketacost.sheet.billing, name)
