"""Helpers shared by the tests: run an estimate as JSON, read a figure per scenario, build
an estimate or a report from request values, save an entry in a quote log."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.entries import Entry, Kind, new_entry, new_id
from ketacost.estimate import Estimate, estimate
from ketacost.report.build import build_report
from ketacost.report.model import Report
from ketacost.request import build_request
from ketacost.sheet.load import load_sheet
from ketacost.sheet.model import PriceSheet
from ketacost.store import QuoteLog
from tests.conftest import START


def estimate_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    """Run ``ketacost estimate --start START ARGS --format json``; it must succeed."""
    result = runner.invoke(
        cli, ["estimate", "--start", START.isoformat(), *args, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def figures(data: dict[str, Any], field: str) -> list[Any]:
    """One field of the low, typical and high scenarios, in that order."""
    return [data["scenarios"][name][field] for name in ("low", "typical", "high")]


def estimate_with(sheet: PriceSheet | None = None, **values: Any) -> Estimate:
    """An estimate of the request these values describe (as ``build_request`` takes them),
    starting on START unless given, on the built-in sheet unless another is given."""
    sheet = sheet or load_sheet()
    values.setdefault("start", START)
    return estimate(build_request(sheet, START, **values), sheet)


def report_with(**values: Any) -> Report:
    """The report of :func:`estimate_with`."""
    return build_report(estimate_with(**values))


def add_entry(log: QuoteLog, kind: Kind, result: dict[str, Any], **who: Any) -> Entry:
    """Save a report's JSON in the log as a new entry now (patient, dob, ... in ``who``)."""
    created = datetime.now(UTC).replace(microsecond=0)
    entry = new_entry(kind, result, entry_id=new_id(kind, created), created=created, **who)
    log.add(entry)
    return entry
