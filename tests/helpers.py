"""Helpers shared by the CLI tests: run an estimate as JSON, read a figure per scenario."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from ketacost.cli import cli
from tests.conftest import START


def estimate_json(runner: CliRunner, *args: str) -> dict[str, Any]:
    """Run ``ketacost estimate --start START ARGS --format json``; it must succeed."""
    result = runner.invoke(cli, ["estimate", "--start", START.isoformat(), *args,
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def figures(data: dict[str, Any], field: str) -> list[Any]:
    """One field of the low, typical and high scenarios, in that order."""
    return [data["scenarios"][name][field] for name in ("low", "typical", "high")]
