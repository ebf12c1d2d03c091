"""Commands that read the whole log hold one entry at a time: `gfe due` and `quotes
export` of a log of 150 Good Faith Estimates with 300 kB pages (45 MB) stay far below the
log's size (benchmarks/log_memory.py measures 300 to 30,000 entries)."""

from __future__ import annotations

import json
import sqlite3
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.report.to_data import to_data
from ketacost.store.chain import HASHED_COLUMNS, entry_sha256
from ketacost.store.key import load_key
from ketacost.store.opening import open_quote_log
from tests.helpers import add_entry, report_with

ENTRIES = 150
PAGE = 300_000


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("big") / "quotes.db"
    with open_quote_log(db) as log:
        add_entry(log, "gfe", to_data(report_with()), patient="Ann Lee", dob="1980-04-30")
    conn = sqlite3.connect(db, isolation_level=None)
    columns = ", ".join(HASHED_COLUMNS)
    model = dict(zip(HASHED_COLUMNS, conn.execute(f"SELECT {columns} FROM entries").fetchone(),
                     strict=True))  # fmt: skip
    prev, key_id = conn.execute("SELECT sha256, key_id FROM entries").fetchone()
    key = load_key()  # the log was keyed when made: its entries carry MACs, as saved ones do
    assert key is not None and key.id == key_id
    conn.execute("BEGIN")
    for number in range(ENTRIES):
        row = {**model, "id": f"G-20261123-{number:06d}", "html": f"<p>{number}</p>" * (PAGE // 12)}
        sha256 = entry_sha256({**row, "key_id": key_id}, prev)
        conn.execute(
            f"INSERT INTO entries ({columns}, key_id, mac, prev_sha256, sha256) "
            f"VALUES ({', '.join('?' for _ in HASHED_COLUMNS)}, ?, ?, ?, ?)",
            [*(row[c] for c in HASHED_COLUMNS), key_id, key.mac(sha256), prev, sha256],
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


def test_reading_a_saved_report_leaves_no_reference_cycle() -> None:
    """Checking a stored report's shape tries a union's options by catching their errors;
    none may leave a reference cycle behind, or an export would hold every entry it read
    until the collector ran (memory growing with the log, as it once did)."""
    import gc

    from ketacost.report.to_data import from_data

    data = json.loads(json.dumps(to_data(report_with())))
    gc.collect()
    gc.disable()
    try:
        for _ in range(20):
            from_data(data)
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_the_memory_benchmarks_log_verifies(tmp_path: Path) -> None:
    """benchmarks/log_memory.py measures a log as a desk keeps it: keyed, every entry
    with its MAC and no time going back ('quotes verify' is one of the commands it runs,
    and stopped it on a log built without them)."""
    import importlib.util

    path = Path(__file__).parent.parent / "benchmarks" / "log_memory.py"
    spec = importlib.util.spec_from_file_location("log_memory", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    db = bench.build(tmp_path, 8)
    peak, _ = bench.measure(tmp_path, db, ["quotes", "verify"])  # exits when verify fails
    assert peak > 0
