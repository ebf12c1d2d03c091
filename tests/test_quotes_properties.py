"""Any command line given to `ketacost quotes ...` ends with status 0, 1 or 2, never a
traceback, with one line on standard error when it fails (docs/quote-log.md), whatever
the log it points at: a good one, another program's file, none, a device, a folder."""

from __future__ import annotations

import shutil
from contextlib import chdir
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacost.cli import cli
from ketacost.report.to_data import to_data
from ketacost.store.opening import open_quote_log
from tests.helpers import add_entry, report_with

WORDS = [
    "--patient",
    "--since",
    "--limit",
    "-n",
    "--format",
    "-f",
    "-o",
    "--output",
    "--force",
    "--db",
    "json",
    "csv",
    "html",
    "markdown",
    "2026-11-01",
    "0001-01-01",
    "9999-12-31",
    "99999999999999999999",
    "0",
    "-1",
    "lee",
    "%",
    "\x1b[2J",
    "",
    "-",
    "Q-20261130-6DCMQ0",
    "q-1",
]


@pytest.fixture(scope="module")
def place(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("logs")
    with open_quote_log(folder / "good.db") as log:
        first = add_entry(log, "quote", to_data(report_with()), patient="Ann Lee")
        add_entry(log, "quote", to_data(report_with()), replaces=first.id)
    shutil.copyfile(Path(__file__).parent / "fixtures" / "quotes-0.1.0.db", folder / "old.db")
    (folder / "old.db").chmod(0o600)
    (folder / "notes.db").write_text("not a log\n")
    (folder / "folder").mkdir()
    return folder


def dbs(place: Path) -> list[str]:
    names = ("good.db", "old.db", "notes.db", "missing.db", "folder")
    return [str(place / name) for name in names] + ["/dev/null"]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_quotes_command_line_ends_cleanly(place: Path, data: st.DataObject) -> None:
    command = data.draw(st.sampled_from(["list", "show", "export", "verify", "backup"]))
    outputs = [str(place / "out" / "x.json"), str(place / "x.csv"), str(place / "b.db")]
    words = st.sampled_from([*WORDS, *outputs, *dbs(place)])
    args = data.draw(st.lists(words, max_size=6))
    db = data.draw(st.sampled_from(dbs(place)))
    runner = CliRunner()
    (place / "cwd").mkdir(exist_ok=True)
    with chdir(place / "cwd"):  # a relative -o lands in the temporary folder
        result = runner.invoke(
            cli, ["quotes", command, *args, "--db", db], env={"HOME": str(place / "home")}
        )
    assert result.exit_code in (0, 1, 2), (args, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        args,
        result.exception,
    )
    assert "Traceback" not in result.stderr
    if result.exit_code:
        assert len(result.stderr.splitlines()) == 1, (args, result.stderr)
    for name in ("b.db", "x.csv"):
        (place / name).unlink(missing_ok=True)
    assert (place / "notes.db").read_text() == "not a log\n"
