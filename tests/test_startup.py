"""`ketacost --help` loads no command and no Rich: commands are loaded when run (the command
boundary). Start-up time itself is measured in benchmarks/, not pinned here."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from ketacost.sheet.load import BUILTIN_SHEET, sha256_hex

PROBE = """
import sys
from ketacost.cli import cli
try:
    cli.main({args!r}, prog_name="ketacost")
except SystemExit:
    pass
print(",".join(sorted(sys.modules)), file=sys.stderr)
"""


def loaded(*args: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ketacost with ``args``."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(args=list(args))],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stderr.strip().splitlines()[-1].split(","))


def test_help_loads_no_rich_and_no_command() -> None:
    """`ketacost --help` imports neither Rich nor any command module."""
    modules = loaded("--help")
    assert not {m for m in modules if m == "rich" or m.startswith("rich.")}
    assert not {m for m in modules if m.endswith("_cmd")}


def test_sheet_hash_is_sha256() -> None:
    """The sheet's hash is SHA-256 of its exact bytes."""
    with open(BUILTIN_SHEET, "rb") as handle:
        data = handle.read()
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
