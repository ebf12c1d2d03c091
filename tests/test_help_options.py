"""Every option a command's --help lists is one it uses: given, it changes what the
command prints or writes, or the command refuses it (status 2) for a reason it names.
A new option without a case here fails :func:`test_every_listed_option_has_a_case`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from tests.sheet_samples import FIGURE as SHEET

FIGURE = SHEET.replace(
    'tin = "12-3456789"', 'tin = "12-3456789"\naddress = "100 River Road"\nstate = "CA"'
)

S = ("--start", "2026-11-23")
PATIENT = ("--patient", "Ann Lee", "--dob", "1980-04-30")
GFE = ("gfe", "--sheet", "clinic.toml", *PATIENT, "--dx", "F33.1", *S, "-o", "gfe.html")
GFE_JSON = (*GFE[:-1], "gfe.json")
GFE_STDOUT = (*GFE[:-1], "-")
OPTIONAL_FEE = """
[fees.snack]
label = "Snack after the session"
amount = 5
per = "session"
optional = true
codes = ["99070"]
"""
COVERAGE = 'deductible = 1000\ncoinsurance = 20\noop_max = 1500\nnetwork = "in"\n'
CALLS = "id,condition,sessions,price\nA-1,,,\nA-2,pain,4,\nA-3,,x,\n"
ID = re.compile(r"\b[QG]-\d{8}-[0-9A-Z]{6}\b")
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:?\d{2})?")


@dataclass(frozen=True)
class Case:
    """``base`` run alone and with ``extra``: the outcome must differ, or (``refused``)
    the run with ``extra`` must exit 2 with ``refused`` in its one-line error."""

    base: tuple[str, ...]
    extra: tuple[str, ...]
    refused: str | None = None
    base_status: int = 0
    input: str = "\n" * 40


def estimate_cases(command: str) -> dict[str, Case]:
    """The options estimate and quote share (quote also saves, so ids are masked)."""
    e = (command, *S)
    ins = (*e, "--deductible", "500", "--coinsurance", "50")
    oon = (*e, "--network", "out", "--deductible", "0", "--coinsurance", "20")
    return {
        "--condition": Case(e, ("--condition", "pain")),
        "--sessions": Case(e, ("--sessions", "4")),
        "--maintenance": Case(e, ("--maintenance", "4w")),
        "--weeks": Case(e, ("--weeks", "3")),
        "--price": Case(e, ("--price", "450")),
        "--price-range": Case(e, ("--price-range", "400-500")),
        "--months": Case((*e, "-m", "4w"), ("--months", "6")),
        "--start": Case(e, ("--start", "2027-02-01")),
        "--without": Case((*e, "--sheet", "clinic.toml"), ("--without", "snack")),
        "--with": Case((*e, "--sheet", "clinic.toml"), ("--with", "prepaid")),
        "--sheet": Case(e, ("--sheet", "clinic.toml")),
        "--ride": Case(e, ("--ride", "25")),
        "--coverage": Case(e, ("--coverage", "plan.toml")),
        "--network": Case(ins, ("--network", "out")),
        "--deductible": Case((*e, "--coinsurance", "20"), ("--deductible", "500"), base_status=2),
        "--deductible-met": Case(ins, ("--deductible-met", "200")),
        "--copay": Case(ins, ("--copay", "30")),
        "--coinsurance": Case((*e, "--deductible", "500"), ("--coinsurance", "20"), base_status=2),
        "--oop-max": Case(ins, ("--oop-max", "1000")),
        "--oop-met": Case((*ins, "--oop-max", "1500"), ("--oop-met", "1000")),
        "--allowed": Case(ins, ("--allowed", "500")),
        "--plan-year-start": Case(
            (*ins, "-m", "monthly"), ("--plan-year-start", "03-01", "--months", "12")
        ),
        "--medicare-percent": Case(oon, ("--medicare-percent", "150"), "Medicare's fee"),
        "--claim-days": Case(oon, ("--claim-days", "45")),
        "--filing-limit": Case(oon, ("--filing-limit", "180")),
        "--hsa-rate": Case(e, ("--hsa-rate", "24")),
        "--finance": Case(e, ("--finance", "12")),
        "--deferred-interest": Case((*e, "--finance", "12@26.99"), ("--deferred-interest",)),
        "--promo-months": Case((*e, "--finance", "12@17.99"), ("--promo-months", "6")),
        "--account": Case((*e, "--price", "800", "--hsa-rate", "24"), ("--account", "hsa-family")),
        "--payroll": Case((*e, "--hsa-rate", "24"), ("--payroll",)),
        "--agi": Case(e, ("--agi", "50000")),
        "--finance-what": Case(
            (*e, "-m", "4w", "--finance", "12"), ("--finance-what", "induction")
        ),
        "--savings": Case(
            (*e, "-c", "spravato", "--deductible", "1500", "--coinsurance", "20"), ("--savings",)
        ),
        "--format": Case(e, ("--format", "json")),
        "--output": Case(e, ("--output", "out.csv")),
    }


def quote_cases() -> dict[str, Case]:
    q = ("quote", *S)
    return {
        **estimate_cases("quote"),
        "--patient": Case(q, ("--patient", "Ann Lee")),
        "--dob": Case((*q, "--patient", "Ann Lee"), ("--dob", "1980-04-30")),
        "--prepared-by": Case(q, ("--prepared-by", "Sam")),
        "--replaces": Case(q, ("--replaces", "Q-20261123-AAAAAA"), "no entry"),
        "--db": Case(q, ("--db", "new.db")),
        "--desk": Case((*q, "-f", "json"), ("--desk", "Front")),
        "--scheduled": Case(q, ("--scheduled", "2099-01-05")),
        "--requested": Case(q, ("--requested",)),
        "--not-requested": Case((*q, "--patient", "Ann Lee"), ("--not-requested",)),
    }


def compare_cases() -> dict[str, Case]:
    c = ("compare", *S, "one", "two: -n 4")
    cases = {
        name: case
        for name, case in estimate_cases("compare").items()
        if name
        not in ("--sessions", "--condition", "--maintenance", "--ride", "--hsa-rate", "--finance")
        and name not in ("--deferred-interest", "--account", "--payroll", "--agi", "--finance-what")
        and name not in ("--promo-months", "--savings")
    }
    cases = {name: Case(c, case.extra, case.refused) for name, case in cases.items()}
    cases["--months"] = Case((*c, "-m", "4w"), ("--months", "6"))
    cases["--without"] = Case((*c, "--sheet", "clinic.toml"), ("--without", "snack"))
    cases["--with"] = Case((*c, "--sheet", "clinic.toml"), ("--with", "prepaid"))
    plan = (*c, "--deductible", "500", "--coinsurance", "50")
    cases["--network"] = Case(plan, ("--network", "out"))
    cases["--deductible-met"] = Case(plan, ("--deductible-met", "200"))
    cases["--copay"] = Case(plan, ("--copay", "30"))
    cases["--deductible"] = Case(
        (*c, "--coinsurance", "20"), ("--deductible", "500"), base_status=2
    )
    cases["--coinsurance"] = Case(
        (*c, "--deductible", "500"), ("--coinsurance", "20"), base_status=2
    )
    cases["--oop-max"] = Case(
        (*c, "--deductible", "500", "--coinsurance", "50"), ("--oop-max", "900")
    )
    cases["--oop-met"] = Case((*plan, "--oop-max", "1500"), ("--oop-met", "1000"))
    cases["--allowed"] = Case(plan, ("--allowed", "500"))
    cases["--plan-year-start"] = Case((*plan, "-m", "monthly"), ("--plan-year-start", "03-01"))
    # compare's table has no notes: the refund's timing is in its JSON.
    oon = (*c, "--network", "out", "--deductible", "0", "--coinsurance", "20", "-f", "json")
    cases["--claim-days"] = Case(oon, ("--claim-days", "45"))
    cases["--filing-limit"] = Case(oon, ("--filing-limit", "180"))
    cases["--medicare-percent"] = Case(oon, ("--medicare-percent", "150"), "Medicare's fee")
    compared = ("compare", *S)
    cases["--condition"] = Case((*compared, "-c", "depression", "-c", "pain"), ("-c", "ptsd"))
    cases["--sessions"] = Case((*compared, "-n", "4", "-n", "6"), ("-n", "8"))
    cases["--maintenance"] = Case((*compared, "-m", "none", "-m", "4w"), ("-m", "monthly"))
    return cases


def gfe_cases() -> dict[str, Case]:
    return {
        "--condition": Case(GFE, ("--condition", "depression", "--sessions", "4")),
        "--sessions": Case(GFE, ("--sessions", "4")),
        "--maintenance": Case(GFE, ("--maintenance", "monthly")),
        "--weeks": Case(GFE, ("--weeks", "3")),
        "--price": Case(GFE, ("--price", "500")),
        "--price-range": Case(GFE, ("--price-range", "400-500")),
        "--months": Case((*GFE, "-m", "4w"), ("--months", "6")),
        "--start": Case(GFE, ("--start", "2027-02-01")),
        "--without": Case(GFE, ("--without", "snack")),
        "--with": Case(GFE, ("--with", "prepaid")),
        "--desk": Case(GFE_JSON, ("--desk", "Front")),
        "--format": Case(GFE_STDOUT, ("--format", "json")),
        "--quote": Case(
            (*GFE, "--db", "log.db"), ("--quote", "LAST"), "cannot be given with --quote"
        ),
        "--sheet": Case(GFE, ("--sheet", "other.toml")),
        "--patient": Case(GFE, ("--patient", "Bo Chan")),
        "--dob": Case(GFE, ("--dob", "1990-01-01")),
        "--prepared-by": Case(GFE, ("--prepared-by", "Sam")),
        "--replaces": Case(GFE, ("--replaces", "G-20261123-AAAAAA"), "no entry"),
        "--dx": Case(GFE, ("--dx", "F41.1")),
        "--scheduled": Case(GFE, ("--scheduled", "2027-01-04")),
        "--separately": Case(GFE, ("--separately", "Psychiatric evaluation")),
        "--output": Case(GFE, ("--output", "other.html")),
        "--db": Case(GFE, ("--db", "new.db")),
    }


CASES: dict[tuple[str, ...], dict[str, Case]] = {
    ("estimate",): {
        **estimate_cases("estimate"),
        "--by-session": Case(("estimate", *S), ("--by-session",)),
        "--by-month": Case(("estimate", *S), ("--by-month",)),
        "--scenario": Case(("estimate", *S, "--by-session"), ("--scenario", "low")),
    },
    ("quote",): quote_cases(),
    ("compare",): compare_cases(),
    ("gfe",): gfe_cases(),
    ("wizard",): {
        "--sheet": Case(("wizard",), ("--sheet", "clinic.toml")),
        # Saved only when the last offer is taken: then --db says where.
        "--db": Case(("wizard",), ("--db", "new.db"), input="\n" * 7 + "n\ny\n\n\n"),
    },
    ("batch",): {
        "--output": Case(("batch", "calls.csv"), ("--output", "priced.csv")),
        "--sheet": Case(("batch", "calls.csv"), ("--sheet", "clinic.toml")),
        "--strict": Case(("batch", "calls.csv"), ("--strict",), "calls.csv:4: sessions"),
    },
    ("quotes", "list"): {
        "--patient": Case(("quotes", "list", "--db", "log.db"), ("--patient", "ann")),
        "--since": Case(("quotes", "list", "--db", "log.db"), ("--since", "2999-01-01")),
        "--limit": Case(("quotes", "list", "--db", "log.db"), ("--limit", "1")),
        "--db": Case(("quotes", "list", "--db", "log.db"), ("--db", "other.db")),
    },
    ("quotes", "show"): {
        "--format": Case(("quotes", "show", "LAST", "--db", "log.db"), ("--format", "json")),
        "--output": Case(("quotes", "show", "LAST", "--db", "log.db"), ("--output", "q.csv")),
        "--db": Case(("quotes", "show", "LAST", "--db", "log.db"), ("--db", "other.db"), "no"),
    },
    ("quotes", "export"): {
        "--format": Case(("quotes", "export", "-f", "csv", "--db", "log.db"), ("-f", "json")),
        "--output": Case(("quotes", "export", "-f", "csv", "--db", "log.db"), ("-o", "x.csv")),
        "--patient": Case(("quotes", "export", "-f", "csv", "--db", "log.db"), ("--patient", "bo")),
        "--since": Case(
            ("quotes", "export", "-f", "csv", "--db", "log.db"), ("--since", "2999-01-01")
        ),
        "--db": Case(("quotes", "export", "-f", "csv", "--db", "log.db"), ("--db", "other.db")),
    },
    # Without --force an existing sheet is kept (status 1); with it, replaced.
    ("sheet", "init"): {
        "--force": Case(("sheet", "init", "clinic.toml"), ("--force",), base_status=1)
    },
    ("sheet", "check"): {},
    ("sheet", "show"): {},
}


NO_VISIBLE_EFFECT: dict[tuple[tuple[str, ...], str], str] = {
    (("batch",), "--jobs"): "how many processes quote at once: the output is the same, row "
    "for row (tests/test_batch.py runs one, two and three and compares the files)",
}
"""Options whose only effect cannot be seen in what a command prints or writes (speed, for
one), each with the reason; every other listed option needs a case in CASES."""


def listed_options(runner: CliRunner, command: tuple[str, ...]) -> list[str]:
    """The long options --help lists (--help itself left out)."""
    text = runner.invoke(cli, [*command, "--help"], env={"COLUMNS": "200"}).stdout
    options = text.split("Options:", 1)[1]
    found = re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", options, flags=re.MULTILINE)
    return [name for name in found if name != "--help"]


def test_every_listed_option_has_a_case(runner: CliRunner) -> None:
    """Each command's --help lists exactly the options pinned below: a new option needs
    a case saying what it changes."""
    for command, cases in CASES.items():
        exempt = {option for (name, option) in NO_VISIBLE_EFFECT if name == command}
        assert sorted(listed_options(runner, command)) == sorted({*cases, *exempt}), command


def prepare(folder: Path, runner: CliRunner) -> str:
    """The files the cases read; returns the id of the newest entry of log.db."""
    (folder / "clinic.toml").write_text(FIGURE + OPTIONAL_FEE, encoding="utf-8")
    other = FIGURE.replace("price = 450", "price = 500").replace("Riverside", "Hillside")
    (folder / "other.toml").write_text(other, encoding="utf-8")
    (folder / "plan.toml").write_text(COVERAGE, encoding="utf-8")
    (folder / "calls.csv").write_text(CALLS, encoding="utf-8")
    last = ""
    for db, who in (("log.db", "Ann Lee"), ("log.db", "Bo Chan"), ("other.db", "Cy Lee")):
        result = runner.invoke(
            cli, ["quote", *S, "--patient", who, "--db", db, "-f", "json", "-o", "saved.json"]
        )
        assert result.exit_code == 0, result.output
        if db == "log.db":
            last = ID.findall(result.stderr)[0]
    (folder / "saved.json").unlink()
    return last


def mask(text: str) -> str:
    return STAMP.sub("<time>", ID.sub("<id>", text))


def outcome(runner: CliRunner, folder: Path, args: list[str], answers: str) -> tuple[object, ...]:
    """Status, output and every file in the folder (ids and timestamps masked)."""
    before = {p: p.stat().st_mtime_ns for p in folder.iterdir()}
    result = runner.invoke(cli, args, input=answers, env={"COLUMNS": "100"})
    files = tuple(
        sorted(
            (p.name, STAMP.sub("<time>", ID.sub("<id>", p.read_bytes().decode("utf-8", "replace"))))
            for p in folder.iterdir()
            if p.suffix not in (".db", ".db-wal", ".db-shm")
            and before.get(p) != p.stat().st_mtime_ns
        )
    )
    dbs = tuple(sorted(p.name for p in folder.iterdir() if p.suffix == ".db"))
    return result.exit_code, mask(result.stdout), mask(result.stderr), files, dbs


@pytest.mark.parametrize(
    ("command", "option"),
    [(command, option) for command, cases in CASES.items() for option in cases],
    ids=[f"{' '.join(c)} {o}" for c, cases in CASES.items() for o in cases],
)
def test_each_listed_option_changes_something_or_is_refused(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
    option: str,
) -> None:
    case = CASES[command][option]
    results = []
    for extra in ((), case.extra):
        folder = tmp_path / ("with" if extra else "without")
        folder.mkdir()
        monkeypatch.chdir(folder)
        last = prepare(folder, runner)
        args = [last if arg == "LAST" else arg for arg in (*case.base, *extra)]
        results.append(outcome(runner, folder, args, case.input))
    without, with_ = results
    assert without[0] == case.base_status, without
    if case.refused is not None:
        code, _, err = with_[:3]
        assert code == 2, with_
        assert case.refused in str(err) and str(err).count("\n") == 1, err
        return
    assert with_[0] in (0, 2), with_
    assert with_ != without, f"{' '.join(command)} {option} changed nothing"


@pytest.mark.parametrize(
    ("args", "option", "reason"),
    [
        (("estimate", "--months", "6"), "--months", "give --maintenance too"),
        (("quote", "--months", "6"), "--months", "give --maintenance too"),
        (("estimate", "--oop-met", "100"), "--oop-met", "give --oop-max too (e.g. --oop-max 4000)"),
        (("estimate", "--deductible", "9", "--oop-met", "1"), "--oop-met", "out-of-pocket maximum"),
        (("estimate", "--scenario", "low"), "--scenario", "--by-session, --hsa-rate and"),
        (("estimate", "--scenario", "high", "--by-month"), "--scenario", "give one of them"),
    ],
)
def test_options_that_would_change_nothing_are_refused(
    runner: CliRunner, args: tuple[str, ...], option: str, reason: str
) -> None:
    """--months without boosters, --oop-met without a maximum, --scenario without a view
    that shows one scenario: each would be ignored, so each is refused, naming itself."""
    result = runner.invoke(cli, list(args))
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"'{option}'" in result.stderr and reason in result.stderr


def test_an_oop_met_with_a_coverage_file_is_kept(runner: CliRunner, tmp_path: Path) -> None:
    """The coverage file may give the maximum that --oop-met counts toward."""
    plan = tmp_path / "plan.toml"
    plan.write_text("deductible = 500\ncoinsurance = 50\noop_max = 1500\n", encoding="utf-8")
    result = runner.invoke(cli, ["estimate", "--coverage", str(plan), "--oop-met", "1000"])
    assert result.exit_code == 0, result.output
