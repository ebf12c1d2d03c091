"""The lowest versions pyproject.toml allows for some dependencies, as pins.

    python3 .ci/lowest.py click rich            # prints: click==8.2.1 rich==13.0.0
    python3 .ci/lowest.py --check click rich    # exits 1 unless exactly those are installed

Each named dependency must be declared with a lower bound (``NAME>=X``): an unbounded
dependency has no lowest version to test.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def lowest(names: list[str]) -> dict[str, str]:
    declared = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    pins = {}
    for name in names:
        found = [
            match.group(1)
            for spec in declared
            if (match := re.fullmatch(rf"{re.escape(name)}\s*>=\s*([\w.]+)(?:\s*,.*)?", spec))
        ]
        if len(found) != 1:
            sys.exit(f"pyproject.toml declares no lower bound for {name!r}: {declared}")
        pins[name] = found[0]
    return pins


def main(argv: list[str]) -> int:
    check = argv[:1] == ["--check"]
    pins = lowest(argv[1:] if check else argv)
    if not check:
        print(" ".join(f"{name}=={version}" for name, version in pins.items()))
        return 0
    from importlib.metadata import version

    wrong = {name: version(name) for name in pins if version(name) != pins[name]}
    for name, found in wrong.items():
        print(f"{name} {found} is installed, not the lowest declared {pins[name]}", file=sys.stderr)
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
