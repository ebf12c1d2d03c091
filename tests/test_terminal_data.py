"""JSON and CSV printed on a terminal escape control characters and bidi overrides (a raw
carriage return rewrites the line a desk reads, an override reorders it); written to a
file or a pipe, the data is kept exactly."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

import pytest

from ketacost.report.to_data import to_data
from ketacost.store.opening import open_quote_log
from tests.helpers import add_entry, report_with

NAME = "Ann\u202eeeL\r\x85\x1b[2JBo\u2066x"
"""A patient name with a right-to-left override, a carriage return, a C1 control, an
erase-screen sequence and an isolate."""
RAW = ("\u202e", "\r", "\x85", "\x1b", "\u2066")


def _log(folder: Path) -> Path:
    db = folder / "q.db"
    with open_quote_log(db) as log:
        add_entry(log, "quote", to_data(report_with()), patient=NAME)
    return db


def _on_terminal(args: list[str], folder: Path) -> str:
    """What the command prints when its standard output is a terminal."""
    leader, follower = pty.openpty()
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "data")}
    process = subprocess.Popen(
        [sys.executable, "-m", "ketacost", *args],
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=30) == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")  # the pty's own CRLF


COMMANDS = {
    "export json": ["quotes", "export", "-f", "json"],
    "export csv": ["quotes", "export", "-f", "csv"],
    "show json": ["quotes", "show", "ID", "-f", "json"],
    "batch": ["batch", "BATCH"],
}


@pytest.mark.parametrize("args", list(COMMANDS.values()), ids=list(COMMANDS))
def test_data_on_a_terminal_has_no_raw_controls(tmp_path: Path, args: list[str]) -> None:
    """On a terminal: no raw control or override; the JSON still parses to the name."""
    db = _log(tmp_path)
    with open_quote_log(db, write=False) as log:
        [entry] = log.entries()
    batch = tmp_path / "calls.csv"
    batch.write_text(f'id,sessions\n"{NAME}",6\n', encoding="utf-8", newline="")
    args = [{"ID": entry.id, "BATCH": str(batch)}.get(a, a) for a in args]
    shown = _on_terminal([*args, *(["--db", str(db)] if args[0] == "quotes" else [])], tmp_path)
    assert "Ann" in shown
    for char in RAW:
        assert char not in shown, repr(char)
    if "json" in args:
        data = json.loads(shown)
        assert (data[0] if isinstance(data, list) else data)["patient"] == NAME


def test_a_file_or_a_pipe_keeps_the_data(tmp_path: Path) -> None:
    """Not a terminal: the export holds the name exactly as saved."""
    db = _log(tmp_path)
    piped = subprocess.run(
        [sys.executable, "-m", "ketacost", "quotes", "export", "-f", "json", "--db", str(db)],
        capture_output=True,
        check=True,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert json.loads(piped.stdout)[0]["patient"] == NAME
    assert "\u202e".encode() in piped.stdout
