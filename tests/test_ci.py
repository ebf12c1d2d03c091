"""CI runs the suite twice: the README's command with the newest dependencies, then the
suite on the lowest click and Rich that pyproject.toml declares (.ci/lowest.py)."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def lowest(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "lowest.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_click_and_rich_have_lower_bounds_and_ci_pins_them() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    bounds: dict[str, str] = {}
    for spec in declared:
        match = re.fullmatch(r"(\w+)>=([\d.]+)", spec)
        assert match is not None, f"{spec!r} has no lower bound"
        bounds[match.group(1)] = match.group(2)
    assert set(bounds) >= {"click", "rich"}
    result = lowest("click", "rich")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [f"click=={bounds['click']}", f"rich=={bounds['rich']}"]


def test_the_check_refuses_other_versions() -> None:
    """--check passes only in the environment that has exactly the lowest versions."""
    from importlib.metadata import version

    result = lowest("--check", "click", "rich")
    pins = dict(pin.split("==") for pin in lowest("click", "rich").stdout.split())
    exact = version("click") == pins["click"] and version("rich") == pins["rich"]
    assert (result.returncode == 0) == exact
    if not exact:
        assert "is installed, not the lowest declared" in result.stderr


def test_ci_runs_the_suite_on_the_lowest_versions_after_the_newest() -> None:
    newest = CI.index("pip install -e '.[test]' && pytest")
    second = CI.index("python3 .ci/lowest.py click rich")
    assert newest < second
    tail = CI[second:]
    assert "python3 -m venv .venv-lowest" in tail
    assert "pip install --quiet -e '.[test]' $lowest" in tail
    assert "python .ci/lowest.py --check click rich" in tail
    last = tail.rstrip().splitlines()[-1]
    assert last.startswith("pytest -p no:cacheprovider")
    # Only the check of the help generated with the newest click is left out there.
    assert last.split()[3:] in (
        [],
        ["--deselect", "tests/test_docs.py::test_cli_reference_matches_the_help"],
    )
    assert "\nset -euo pipefail\n" in CI  # any failing step fails CI
