"""Price sheets shared by the sheet tests, a helper to write one to a file, and one to
list the problems a sheet's text gives."""

from __future__ import annotations

import textwrap
from pathlib import Path

from ketacost.sheet.load import SheetError, parse_sheet

# The figure of issue 4: a $250 consultation once (90792), infusions at exactly $450
# (96365, J3490), 10% off the 6-session induction series when prepaid.
FIGURE = """\
[sheet]
name = "Riverside Ketamine Clinic"

[clinic]
name = "Riverside Ketamine Clinic"
npi = "1234567893"
tin = "12-3456789"

[treatments.depression]
label = "Depression"
price = 450
induction_sessions = 6
codes = ["96365", "J3490"]

[fees.consultation]
label = "Consultation"
amount = 250
per = "once"
codes = ["90792"]

[discounts.prepaid]
label = "Prepaid series"
percent = 10
applies_to = "induction"
when = "prepaid"
"""


def write(directory: Path, text: str, name: str = "clinic.toml") -> Path:
    """Write a sheet (dedented) into ``directory`` and return its path."""
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems(text: str) -> list[str]:
    """The problem lines a sheet's text gives (empty when it is valid)."""
    try:
        parse_sheet(text, "clinic.toml")
    except SheetError as error:
        return error.lines()
    return []
