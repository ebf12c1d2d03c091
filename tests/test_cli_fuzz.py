"""Any command line, drawn from ketacost's real commands and options and hostile values,
ends with status 0, 1 or 2, never a traceback, and with exactly one line on standard error
when it fails; a command that takes patient information never repeats the name.

300 command lines per run; KETACOST_FUZZ_EXAMPLES=5000 tries more (about a minute)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ketacost.cli.app import cli
from tests.clinic import clinic_sheet

COMMANDS = [
    ("estimate",),
    ("compare",),
    ("quote",),
    ("gfe",),
    ("batch",),
    ("wizard",),
    ("quotes", "list"),
    ("quotes", "show"),
    ("quotes", "export"),
    ("sheet", "show"),
    ("sheet", "check"),
    ("sheet", "init"),
    ("quotes",),
    ("sheet",),
    (),
]
SECRET = "Zelda Quux"
PRIVATE = {("quote",), ("gfe",), ("quotes", "list"), ("quotes", "export")}
PATIENT_OPTIONS = ("--patient", "--dob")


def shown_as_another_options_value(args: list[str]) -> bool:
    """An error shows the value it is about, unless that value names the patient: the
    made-up name may reach a message only as the value of an option other than --patient
    and --dob (a stray word, or a value typed after a flag, may be part of a name)."""
    places = [i for i, arg in enumerate(args) if "Zelda" in arg or "Quux" in arg]
    return bool(places) and all(
        not args[i].startswith(PATIENT_OPTIONS)
        and (
            (args[i].startswith("--") and "=" in args[i])
            or (i > 0 and args[i - 1].startswith("--") and args[i - 1] not in PATIENT_OPTIONS)
        )
        for i in places
    )


HOSTILE = [
    "",
    " ",
    "-",
    "--",
    "0",
    "0.2",
    "0.2%",
    "-5",
    "1e5",
    "nan",
    "99999999999999999999",
    "9" * 5000,
    "every " + "9" * 5000 + " weeks",
    "every 4 weeks",
    "4w",
    "monthly",
    "\u0663\u0660\u0660",
    "\uff11\uff12\uff13",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "2026-11-23",
    "1980-04-30",
    "07-01",
    "400-800",
    "24@17.99",
    "12@0.5",
    "in",
    "out",
    "csv",
    "json",
    "html",
    "markdown",
    "pain",
    "depression",
    "F33.1",
    "Q-20261123-7K3M9P",
    SECRET,
    "Zelda",
    "\x1b[2J\x1b[HFAKE",
    "abc\u202edef",
    "[link=http://evil.example]x[/link]",
    "![t](http://evil.example/p.png)",
    "=cmd()",
    "a: -n 4",
    "b: -m 4w --price 500",
    "c: --bogus",
    "out.csv",
    "out.html",
    "out.json",
    "out.md",
    "out.txt",
    "out.svg",
    "out.pdf",
    "nosuchdir/out.txt",
    "q.db",
    "sheet.toml",
    "/dev/null",
    "/dev/full",
    "/dev/zero",
    ".",
    "x" * 300,
    "calls.csv",
    "clinic.toml",
]


PLAUSIBLE = {
    "--sessions": ["4", "6"],
    "-n": ["4", "10"],
    "--weeks": ["2", "3"],
    "--months": ["0", "12", "60"],
    "--price": ["450", "$1,200.50"],
    "--price-range": ["400-800"],
    "--maintenance": ["4w", "monthly", "every 6 weeks", "none"],
    "-m": ["4w", "monthly"],
    "--condition": ["pain", "depression"],
    "--start": ["2026-11-23", "2999-12-31"],
    "--deductible": ["1500"],
    "--deductible-met": ["250"],
    "--copay": ["25"],
    "--coinsurance": ["20", "20%", "0.2%"],
    "--oop-max": ["4000"],
    "--allowed": ["400"],
    "--network": ["in", "out"],
    "--plan-year-start": ["07-01"],
    "--hsa-rate": ["24"],
    "--finance": ["12", "24@17.99"],
    "--ride": ["40"],
    "--coverage": ["cov.toml"],
    "--sheet": ["sheet.toml", "clinic.toml"],
    "--patient": [SECRET],
    "--dob": ["1980-04-30", "-"],
    "--dx": ["F33.1"],
    "--db": ["q.db"],
    "-o": ["out.txt", "out.csv", "out.md", "out.json", "out.html", "out.svg", "-"],
    "--output": ["out.csv", "out.html"],
    "-f": ["table", "json", "csv", "markdown", "html", "svg"],
    "--format": ["csv", "json"],
    "--since": ["2026-01-01"],
    "--limit": ["5"],
    "--scenario": ["low", "typical", "high"],
}


def options_of(path: tuple[str, ...]) -> list[str]:
    """The option names of a command (and -h, --help, --bogus)."""
    command: click.Command = cli
    ctx = click.Context(cli)
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(ctx, name)
        assert found is not None
        command = found
    names = [opt for param in command.params for opt in (*param.opts, *param.secondary_opts)]
    names = [name for name in names if name.startswith("-")]
    return [*names, "--bogus", "--patient"]


@st.composite
def command_lines(draw: st.DrawFn) -> tuple[tuple[str, ...], list[str]]:
    path = draw(st.sampled_from(COMMANDS))
    options = options_of(path)

    def value_for(option: str) -> st.SearchStrategy[list[str]]:
        plausible = st.sampled_from(PLAUSIBLE.get(option, HOSTILE))
        return st.one_of(plausible, plausible, st.sampled_from(HOSTILE)).map(
            lambda value: [option, value]
        )

    words = st.one_of(
        st.sampled_from(options).flatmap(value_for),
        st.sampled_from(options).flatmap(value_for),
        st.tuples(st.sampled_from(options)).map(list),
        st.tuples(st.sampled_from(HOSTILE)).map(list),
        st.tuples(st.sampled_from(options), st.text(max_size=12)).map(list),
    )
    parts = draw(st.lists(words, max_size=5))
    args = [word for part in parts for word in part]
    return path, [*path, *args]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    for name in ("KETACOST_SHEET", "KETACOST_DB", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "sheet.toml").write_text("[treatments.a]\nprice = 450\n", encoding="utf-8")
    clinic_sheet(work)
    (work / "cov.toml").write_text("deductible = 1500\ncoinsurance = 20\n", encoding="utf-8")
    (work / "calls.csv").write_text("id,sessions\na,6\n", encoding="utf-8")
    yield work
    os.chdir(tmp_path)


@settings(
    max_examples=int(os.environ.get("KETACOST_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(line=command_lines(), stdin=st.sampled_from(["", "id\na\n", f"{SECRET}\n1980-04-30\n"]))
def test_any_command_line_ends_cleanly(
    home: Path, line: tuple[tuple[str, ...], list[str]], stdin: str
) -> None:
    path, args = line
    result = CliRunner().invoke(cli, args, input=stdin, catch_exceptions=False)
    event(f"status {result.exit_code}")
    assert result.exit_code in (0, 1, 2), (args, result.output)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.stderr.count("\n") == 1, (args, result.stderr)
        assert result.stderr.endswith("\n")
        if path in PRIVATE and not shown_as_another_options_value(args):
            assert "Zelda" not in result.stderr and "Quux" not in result.stderr, (
                args,
                result.stderr,
            )
