"""The performance budget's estimate reference does `ketacost estimate`'s job: it prints
the same bytes (benchmarks/budget.py refuses to report a ratio otherwise)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_isolation import budget


@pytest.mark.parametrize("start", ["2026-11-23", "2026-11-28", "2026-12-03"])
def test_the_estimate_reference_prints_what_estimate_prints(tmp_path: Path, start: str) -> None:
    """On a Monday, a Saturday and a Thursday start (none, some and one session moved off
    a closed day), to a pipe: the same table and notes, byte for byte."""
    bench = budget()
    env = {k: v for k, v in bench.child_env(tmp_path).items() if k not in ("COLUMNS", "LINES")}
    script = tmp_path / "estimate_reference.py"
    script.write_text(bench.ESTIMATE_REFERENCE, encoding="utf-8")
    ours, reference = (
        subprocess.run(command, capture_output=True, env=env, check=True).stdout
        for command in (
            [sys.executable, "-m", "ketacost", "estimate", "--start", start],
            [sys.executable, str(script), str(bench.builtin_sheet()), "--start", start],
        )
    )
    assert b"Estimated cost of ketamine infusion therapy" in ours
    assert b"sha256 " in ours and b"This is an estimate" in ours
    assert reference == ours, (ours.decode(), reference.decode())
