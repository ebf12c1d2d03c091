"""A signal that ends the process while `quotes export -o` writes its file of patient
records, or while a log is made or backed up, leaves no temporary file behind (and the
old file as it was); SIGINT too (docs/quote-log.md, "Privacy")."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ketacost.cli.files import ENDING_SIGNALS
from ketacost.report.to_data import to_data
from ketacost.store.opening import open_quote_log
from tests.helpers import add_entry, report_with

SIGNALS = [signal.SIGINT] + [getattr(signal, n) for n in ENDING_SIGNALS if hasattr(signal, n)]
OLD = b"yesterday's export\n"
EXPORT = [sys.executable, "-m", "ketacost", "quotes", "export", "-f", "json"]


@pytest.fixture(scope="module")
def stalling_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A log whose export writes more warnings than a pipe holds: with its standard error
    unread, `quotes export -o` stops half-way, its temporary file made."""
    db = tmp_path_factory.mktemp("log") / "q.db"
    with open_quote_log(db) as log:
        add_entry(log, "quote", to_data(report_with()), patient="Ann Lee")
    conn = sqlite3.connect(db, isolation_level=None)
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.executemany(
        "INSERT INTO entries (id, created, kind, patient, inputs, sheet_name, sheet_sha256, "
        "version, result, prev_sha256, sha256) SELECT ?, created, kind, patient, inputs, "
        "sheet_name, sheet_sha256, version, '{damaged', prev_sha256, ? FROM entries WHERE seq = 1",
        [(f"Q-20261123-{n:06d}", f"{n:064d}") for n in range(2000)],
    )
    conn.close()
    return db


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith((".tmp", ".new")))


@pytest.mark.parametrize("signum", SIGNALS, ids=[signal.Signals(n).name for n in SIGNALS])
def test_a_signal_during_quotes_export_leaves_no_patient_file(
    tmp_path: Path, stalling_log: Path, signum: int
) -> None:
    """Stopped half-way by the signal: status 128 + its number (SIGINT: 1, "Aborted"),
    the old export as it was, and no hidden temporary file of patient records."""
    target = tmp_path / "quotes.json"
    target.write_bytes(OLD)
    process = subprocess.Popen(
        [*EXPORT, "-o", str(target), "--db", str(stalling_log)],
        stderr=subprocess.PIPE,  # left unread: the export stalls once the pipe is full
        env={**os.environ, "HOME": str(tmp_path)},
        preexec_fn=lambda: signal.signal(signum, signal.SIG_DFL),  # noqa: PLW1509
    )
    deadline = time.monotonic() + 30
    while not _leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _leftovers(tmp_path), "the export never started writing"
    time.sleep(0.3)  # well into the entries: blocked on its full standard error
    assert process.poll() is None, "the export finished before it could be stopped"
    process.send_signal(signum)
    assert process.stderr is not None
    process.stderr.read()
    process.wait(timeout=30)
    assert process.returncode == (1 if signum == signal.SIGINT else 128 + signum)
    assert _leftovers(tmp_path) == []
    assert target.read_bytes() == OLD
