"""The performance budget's estimate reference does `ketacost estimate`'s job: it prints
the same bytes (benchmarks/budget.py refuses to report a ratio otherwise)."""

from __future__ import annotations

import csv
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


def test_the_generated_batch_rows_are_all_accepted_by_batch(tmp_path: Path) -> None:
    """Every request the benchmark generates is one ketacost prices: no row comes back with
    an error (a plan with insurance gives both its deductible and its coinsurance), so the
    batch check compares figures, not refusals, and cannot silently break again."""
    bench = budget()
    requests, quotes = tmp_path / "requests.csv", tmp_path / "quotes.csv"
    counts = bench.write_requests(requests, 400, bench.builtin_sheet())
    assert counts["in network"] and counts["out of network"] and counts["self-pay"]
    env = bench.child_env(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "ketacost", "batch", str(requests), "-o", str(quotes)],
        capture_output=True,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    with quotes.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 400
    refused = [(row["id"], row["error"]) for row in rows if row["error"]]
    assert refused == []
