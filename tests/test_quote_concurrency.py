"""Several desks saving at once lose nothing (docs/quote-log.md): 8 processes, 50 quotes each."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from ketacost.store.opening import open_quote_log

WORKER = """
import contextlib, io, json, sys, time
from ketacost.cli import cli
db, desk, start_at = sys.argv[1], sys.argv[2], float(sys.argv[3])
while time.time() < start_at:
    time.sleep(0.005)
for n in range(50):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["quote", "--db", db, "--start", "2026-11-23", "--format", "json",
                         "--patient", f"Desk {desk} patient {n}"], standalone_mode=False)
    assert code == 0, code
    print(json.loads(out.getvalue())["id"], flush=True)
"""
DESKS = 8
EACH = 50


def test_eight_desks_saving_fifty_quotes_each_at_once(tmp_path: Path) -> None:
    """400 entries, 400 distinct ids, each desk's ids all in the log, none lost."""
    db = tmp_path / "quotes.db"
    start_at = time.time() + 3
    desks = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(db), str(d), str(start_at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for d in range(DESKS)
    ]
    printed: list[str] = []
    for desk in desks:
        out, err = desk.communicate(timeout=300)
        assert desk.returncode == 0, err
        printed += out.split()
    with open_quote_log(db, write=False) as log:
        entries = list(log.entries(newest_first=False))
    assert len(printed) == len(set(printed)) == DESKS * EACH
    assert len(entries) == DESKS * EACH
    assert {e.id for e in entries} == set(printed)
    assert {e.patient for e in entries} == {
        f"Desk {d} patient {n}" for d in range(DESKS) for n in range(EACH)
    }
