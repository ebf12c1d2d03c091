"""Memory of the commands that read a whole quote log: flat however long the log.

    python benchmarks/log_memory.py            # 300, 3,000 and 30,000 entries
    python benchmarks/log_memory.py --quick    # 300 and 3,000

For each size it builds a log in a temporary folder: half quotes recording a Good Faith
Estimate owed (``quote --scheduled``), half Good Faith Estimates with their page, each
issued from the quote before it (so the duties close, as at a desk: what `gfe due` lists
stays short), copied from two entries ketacost itself saved (new ids, the hash chain
computed and keyed as a save would, inserted through the log's triggers). Then it runs each
command in a fresh child process, output to the null device, and reports the child's
peak memory (``ru_maxrss``) and time: ``gfe due``, ``quotes export`` (CSV and JSON),
``quotes list`` and ``quotes verify``. Streaming means the peak at 30,000 entries is
within 1.2 times the peak at 300 (the script says so, and exits 1 when a command misses
it).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ketacost.sheet.load import BUILTIN_SHEET
from ketacost.store.chain import HASHED_COLUMNS, entry_sha256
from ketacost.store.key import ClinicKey

CLINIC = """
[clinic]
name = "Calm Waters Ketamine Clinic"
npi = "1234567893"
tin = "12-3456789"
address = "100 Main Street, Suite 2, Springfield, IL 62701"
state = "IL"
"""
COMMANDS = {
    "gfe due": ["gfe", "due", "--format", "json"],
    "export csv": ["quotes", "export", "--format", "csv", "-o", os.devnull],
    "export json": ["quotes", "export", "--format", "json", "-o", os.devnull],
    "quotes list": ["quotes", "list"],
    "quotes verify": ["quotes", "verify"],
}
FLAT = 1.2
"""Streaming: the peak at the largest size at most this many times the smallest's."""


def ketacost(folder: Path, *args: str) -> None:
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "data")}
    subprocess.run([sys.executable, "-m", "ketacost", *args], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip


def build(folder: Path, entries: int) -> Path:
    """A log of ``entries`` entries, half quotes with a duty, half GFEs with a page."""
    sheet = folder / "clinic.toml"
    sheet.write_text(Path(BUILTIN_SHEET).read_text(encoding="utf-8") + CLINIC, encoding="utf-8")
    db = folder / "quotes.db"
    ketacost(folder, "quote", "--sheet", str(sheet), "--patient", "Ann Lee", "--dob",
             "1980-04-30", "--scheduled", "2030-01-07", "--db", str(db))  # fmt: skip
    ketacost(folder, "gfe", "--sheet", str(sheet), "--patient", "Bo Diaz", "--dob",
             "1975-02-11", "--dx", "F33.1", "--scheduled", "2030-01-07",
             "-o", str(folder / "gfe.html"), "--db", str(db))  # fmt: skip
    conn = sqlite3.connect(db, isolation_level=None)
    columns = ", ".join(HASHED_COLUMNS)
    models = [
        dict(zip(HASHED_COLUMNS, row, strict=True))
        for row in conn.execute(f"SELECT {columns} FROM entries ORDER BY seq")
    ]
    prev = conn.execute("SELECT sha256 FROM entries ORDER BY seq DESC LIMIT 1").fetchone()[0]
    # the log is keyed: each entry carries the key's id (in its hash) and a MAC, as a save
    key_file = folder / "data" / "ketacost" / "clinic.key"
    key = ClinicKey(bytes.fromhex(key_file.read_text(encoding="ascii").strip()), key_file)
    insert = (
        f"INSERT INTO entries ({columns}, key_id, mac, prev_sha256, sha256) "
        f"VALUES ({', '.join('?' for _ in HASHED_COLUMNS)}, ?, ?, ?, ?)"
    )
    conn.execute("BEGIN IMMEDIATE")
    gfe = json.loads(models[1]["result"])
    latest = max(str(model["created"]) for model in models)
    for number in range(entries - len(models)):
        row = dict(models[number % 2])
        row["id"] = f"{row['id'][:11]}{number:06d}"
        row["patient"] = f"Patient {number}"
        row["created"] = latest  # times never go back in a keyed log
        if number % 2:  # issued from the quote before it, as a desk does: its duty closes
            gfe["gfe"]["quote"] = f"{models[0]['id'][:11]}{number - 1:06d}"
            row["result"] = json.dumps(gfe, ensure_ascii=False)
        sha256 = entry_sha256({**row, "key_id": key.id}, prev)
        values = [*(row[c] for c in HASHED_COLUMNS), key.id, key.mac(sha256), prev, sha256]
        conn.execute(insert, values)
        prev = sha256
    conn.execute("COMMIT")
    conn.close()
    return db


def measure(folder: Path, db: Path, args: list[str]) -> tuple[float, float]:
    """Peak memory (MB) and seconds of one run of the command, in a fresh child."""
    env = {**os.environ, "HOME": str(folder), "XDG_DATA_HOME": str(folder / "data")}
    started = time.perf_counter()
    with open(os.devnull, "wb") as null:
        child = subprocess.Popen([sys.executable, "-m", "ketacost", *args, "--db", str(db)],
                                 stdout=null, stderr=null, env=env)  # fmt: skip
        _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(args)} failed on {db}")
    return usage.ru_maxrss / 1024, elapsed


def main() -> int:
    sizes = [300, 3_000] if "--quick" in sys.argv else [300, 3_000, 30_000]
    peaks: dict[str, list[float]] = {name: [] for name in COMMANDS}
    print(f"{'entries':>8} {'log MB':>7}  " + "  ".join(f"{n:>20}" for n in COMMANDS))
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix="ketacost-bench-") as name:
            folder = Path(name)
            db = build(folder, size)
            cells = []
            for command, args in COMMANDS.items():
                peak, seconds = measure(folder, db, args)
                peaks[command].append(peak)
                cells.append(f"{peak:8.1f} MB {seconds:7.2f} s")
            print(f"{size:>8,} {db.stat().st_size / 2**20:>7.1f}  " + "  ".join(cells))
    worst = {name: values[-1] / values[0] for name, values in peaks.items()}
    print(json.dumps({"peak ratio, largest / smallest": worst}, indent=1))
    missed = [name for name, ratio in worst.items() if ratio > FLAT]
    for name in missed:
        print(f"{name}: memory grows with the log ({worst[name]:.2f}x > {FLAT}x)")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
