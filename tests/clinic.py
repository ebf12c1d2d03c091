"""A test clinic: the built-in sheet's prices with a [clinic] block (for GFE tests)."""

from __future__ import annotations

import json
from pathlib import Path

from ketacost.sheet.load import BUILTIN_SHEET

CLINIC = {
    "name": "Calm Waters Ketamine Clinic",
    "npi": "1234567893",
    "tin": "12-3456789",
    "address": "100 Main Street, Suite 2, Springfield, IL 62701",
    "state": "IL",
    "phone": "(217) 555-0100",
}


def clinic_sheet(
    folder: Path, filename: str = "clinic.toml", extra: str = "", **fields: str
) -> Path:
    """Write the built-in sheet plus a [clinic] block (``fields`` override or, when empty,
    leave out a field) and any ``extra`` TOML, and return its path."""
    clinic = {**CLINIC, **fields}
    block = "".join(f"{key} = {json.dumps(value)}\n" for key, value in clinic.items() if value)
    path = folder / filename
    builtin = Path(BUILTIN_SHEET).read_text(encoding="utf-8")
    path.write_text(builtin + "\n[clinic]\n" + block + extra, encoding="utf-8")
    return path


CO_PROVIDER = """
[providers.psychiatry]
name = "Oak Psychiatry Group"
npi = "1679576722"
tin = "98-7654321"
address = "200 Oak Avenue, Springfield, IL 62701"
state = "IL"

[fees.evaluation]
label = "Psychiatric evaluation"
amount = 300
per = "once"
codes = ["90792"]
provider = "psychiatry"
"""
"""A second provider (a psychiatry practice) and the evaluation it bills."""
