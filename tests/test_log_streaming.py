"""Commands that read the whole log hold one entry at a time: `gfe due` and `quotes
export` of a log of 150 Good Faith Estimates with 300 kB pages (45 MB) stay far below the
log's size (benchmarks/log_memory.py measures 300 to 30,000 entries)."""

from __future__ import annotations

import sqlite3
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.report_json import to_data
from ketacost.store import QuoteLog
from ketacost.store.chain import HASHED_COLUMNS, entry_sha256
from tests.helpers import add_entry, report_with

ENTRIES = 150
PAGE = 300_000


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("big") / "quotes.db"
    with QuoteLog.open(db) as log:
        add_entry(log, "gfe", to_data(report_with()), patient="Ann Lee", dob="1980-04-30")
    conn = sqlite3.connect(db, isolation_level=None)
    columns = ", ".join(HASHED_COLUMNS)
    model = dict(zip(HASHED_COLUMNS, conn.execute(f"SELECT {columns} FROM entries").fetchone(),
                     strict=True))  # fmt: skip
    prev = conn.execute("SELECT sha256 FROM entries").fetchone()[0]
    conn.execute("BEGIN")
    for number in range(ENTRIES):
        row = {**model, "id": f"G-20261123-{number:06d}", "html": f"<p>{number}</p>" * (PAGE // 12)}
        sha256 = entry_sha256(row, prev)
        conn.execute(
            f"INSERT INTO entries ({columns}, prev_sha256, sha256) "
            f"VALUES ({', '.join('?' for _ in HASHED_COLUMNS)}, ?, ?)",
            [*(row[c] for c in HASHED_COLUMNS), prev, sha256],
        )
        prev = sha256
    conn.execute("COMMIT")
    conn.close()
    return db


@pytest.mark.parametrize(
    "command",
    [["gfe", "due"], ["quotes", "export", "-f", "csv"], ["quotes", "export", "-f", "json"]],
    ids=" ".join,
)
def test_memory_stays_flat(big_log: Path, tmp_path: Path, command: list[str]) -> None:
    """Peak Python memory under a tenth of the log's pages."""
    out = ["-o", str(tmp_path / "out")] if command[0] == "quotes" else []
    tracemalloc.start()
    try:
        result = CliRunner().invoke(cli, [*command, *out, "--db", str(big_log)])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.exit_code == 0, result.output
    assert peak < ENTRIES * PAGE / 10, f"{peak / 2**20:.1f} MB"
