"""ketacost claims: the superbills' claims to follow up, the filing deadline, and what the
insurer paid, appended to the log (docs/superbill.md, "Claims")."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.test_superbill import gfe, run, saved, superbill

__all__ = ["gfe"]  # the fixture, used by name


def claims(runner: CliRunner, tmp_path: Path, *args: str, code: int = 0) -> str:
    result = run(runner, "claims", *args, "--db", str(tmp_path / "q.db"), code=code)
    return result.stdout if code == 0 else result.stderr


def paid(runner: CliRunner, tmp_path: Path, *args: str, code: int = 0) -> str:
    result = run(runner, "claims", "paid", *args, "--db", str(tmp_path / "q.db"), code=code)
    return result.stdout if code == 0 else result.stderr


@pytest.fixture
def bill(runner: CliRunner, tmp_path: Path, gfe: str) -> str:
    """A superbill for Dec 7 and 9, paid in full ($1,200)."""
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--session", "2026-12-09",
              "--paid", "1200")  # fmt: skip
    (found,) = [i for i in saved(tmp_path) if i.startswith("S-")]
    return found


def test_claims_lists_each_superbill_with_its_deadline(
    runner: CliRunner, tmp_path: Path, bill: str
) -> None:
    data = json.loads(claims(runner, tmp_path, "--format", "json"))
    (claim,) = data["claims"]
    assert claim["superbill"] == bill
    assert claim["sessions"] == ["2026-12-07", "2026-12-09"]
    assert claim["paid"] == "1200.00"
    assert claim["filing_deadline"] == "2027-03-07"  # 90 days from Dec 7, the fallback
    assert claim["expected_refund"] is None and claim["expected_on"] is None
    assert "unknown until the coverage" in claim["forecast_basis"]
    longer = json.loads(claims(runner, tmp_path, "--format", "json", "--filing-days", "365"))
    assert longer["claims"][0]["filing_deadline"] == "2027-12-07"
    table = claims(runner, tmp_path)
    assert bill in table and "2027-03-07" in table and "unknown" in table


def test_paid_is_appended_and_never_more_than_was_paid(
    runner: CliRunner, tmp_path: Path, bill: str
) -> None:
    before = saved(tmp_path)
    out = paid(runner, tmp_path, bill, "384.00", "--on", "2026-12-12")
    assert f"the insurer paid 384.00 on 2026-12-12 for {bill}" in out
    assert "forecast unknown" in out
    after = saved(tmp_path)
    assert after[1:] == before and after[0].startswith("C-")  # one entry added, none changed
    (claim,) = json.loads(claims(runner, tmp_path, "--format", "json"))["claims"]
    assert claim["received"] == "384.00"
    assert claim["payments"] == [{"id": after[0], "amount": "384.00", "on": "2026-12-12"}]
    assert claim["difference"] is None  # no forecast to compare with yet
    # together with what was received, a payment above what the patient paid is refused
    error = paid(runner, tmp_path, bill, "816.01", "--on", "2026-12-12", code=2)
    assert "'AMOUNT'" in error and "more than the patient paid" in error
    assert len(error.strip().splitlines()) == 1
    assert saved(tmp_path) == after


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["100", "--on", "2026-12-13"], "is in the future"),
        (["100", "--on", "2026-12-06"], "before the first date of service"),
        (["-5", "--on", "2026-12-12"], "No such option"),
        (["1e3", "--on", "2026-12-12"], "not an amount of money"),
    ],
)
def test_a_bad_payment_is_one_line_and_nothing_saved(
    runner: CliRunner, tmp_path: Path, bill: str, args: list[str], message: str
) -> None:
    before = saved(tmp_path)
    error = paid(runner, tmp_path, bill, *args, code=2)
    assert message in error
    assert saved(tmp_path) == before


def test_an_unknown_superbill_is_refused(runner: CliRunner, tmp_path: Path, bill: str) -> None:
    error = paid(runner, tmp_path, "S-20261212-ZZZZZZ", "10", "--on", "2026-12-12", code=2)
    assert "no standing superbill 'S-20261212-ZZZZZZ'" in error


def test_a_replaced_superbill_is_followed_through_its_correction(
    runner: CliRunner, tmp_path: Path, gfe: str, bill: str
) -> None:
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--session", "2026-12-09",
              "--paid", "1100", "--replaces", bill)  # fmt: skip
    (claim,) = json.loads(claims(runner, tmp_path, "--format", "json"))["claims"]
    assert claim["superbill"] != bill and claim["paid"] == "1100.00"


def test_the_calendar_is_valid_ics_and_names_no_patient(
    runner: CliRunner, tmp_path: Path, bill: str
) -> None:
    out = tmp_path / "claims.ics"
    run(runner, "claims", "--format", "ics", "-o", str(out), "--db", str(tmp_path / "q.db"))
    raw = out.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    text = raw.decode("utf-8").replace("\r\n ", "")  # unfolded
    assert "DTSTART;VALUE=DATE:20270307\r\n" in text
    assert f"UID:{bill}-filing@ketacost" in text
    assert "Ann Lee" not in text
    assert "Dates of service: 2026-12-07\\, 2026-12-09." in text  # commas escaped


def test_no_log_means_nothing_to_follow(runner: CliRunner, tmp_path: Path) -> None:
    assert "No superbills to follow up." in claims(runner, tmp_path)
    assert json.loads(claims(runner, tmp_path, "--format", "json")) == {"claims": []}


def front_desk_commands() -> list[str]:
    """The commands of the front desk guide's "Superbills and claims" section, in order."""
    text = (Path(__file__).parent.parent / "docs" / "front-desk.md").read_text(encoding="utf-8")
    section = text.split("## Superbills and claims", 1)[1].split("\n## ", 1)[0]
    block = section.split("```", 2)[1].replace("\\\n", " ")
    return [
        line.split("#")[0].strip() for line in block.splitlines() if line.startswith("ketacost")
    ]


def test_the_front_desk_guides_commands_run(
    runner: CliRunner, tmp_path: Path, gfe: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each command of the guide's section, on a GFE whose sessions were given (its ids
    stand for the ones made here), succeeds and does what the guide says."""
    import shlex

    from tests.test_superbill import set_today, with_taxonomy

    set_today(monkeypatch, date(2027, 1, 31))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("KETACOST_SHEET", str(with_taxonomy(tmp_path)))
    (tmp_path / "plan.toml").write_text(PLAN, encoding="utf-8")  # the patient's plan
    commands = front_desk_commands()
    assert [c.split()[1] for c in commands] == ["superbill", "claims", "claims", "claims"]
    made: list[str] = []
    for command in commands:
        named = command.replace("G-20261123-4VX2QD", gfe)
        if made:
            named = named.replace("S-20261207-8KD2QX", made[0])
        args = shlex.split(named)[1:]
        run(runner, *args, "--db", str(tmp_path / "q.db"))
        made = made or [i for i in saved(tmp_path) if i.startswith("S-")]
    assert (tmp_path / "superbill.html").exists()
    assert (tmp_path / "claims.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")
    (claim,) = json.loads(claims(runner, tmp_path, "--format", "json"))["claims"]
    assert claim["received"] == "384.00"


def test_the_table_filters_by_patient_and_writes_to_a_file(
    runner: CliRunner, tmp_path: Path, bill: str
) -> None:
    out = tmp_path / "claims.txt"
    claims(runner, tmp_path, "--patient", "ann", "-o", str(out))
    assert bill in out.read_text(encoding="utf-8")
    assert "No superbills to follow up." in claims(runner, tmp_path, "--patient", "Bo Park")


PLAN = """network = "out"
deductible = 0
coinsurance = 20
claim_days = 45
filing_limit = 180
"""
"""No deductible, 20% coinsurance, claims paid in 45 days and filed within 180."""


def test_the_coverage_forecasts_each_claim_and_paid_shows_the_difference(
    runner: CliRunner, tmp_path: Path, bill: str
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(PLAN, encoding="utf-8")
    # Dec 7 and 9 at $600 each (96365 + J3490), allowed at the charge: 80% = $480.00 each,
    # $960.00, 45 days after the superbill was issued (2026-12-12); filed within 180 days
    data = json.loads(claims(runner, tmp_path, "--format", "json", "--coverage", str(plan)))
    (claim,) = data["claims"]
    assert claim["expected_refund"] == "960.00"
    assert claim["expected_on"] == "2027-01-26"
    assert claim["filing_deadline"] == "2027-06-05" and claim["filing_days"] == 180
    assert "$0.00 of the $0.00 deductible met before the claim" in claim["forecast_basis"]
    given = claims(runner, tmp_path, "--format", "json", "--coverage", str(plan),
                   "--filing-days", "30")  # fmt: skip
    assert json.loads(given)["claims"][0]["filing_deadline"] == "2027-01-06"
    out = paid(runner, tmp_path, bill, "900", "--on", "2026-12-12", "--coverage", str(plan))
    assert "(forecast 960.00, difference -60.00)" in out
    (after,) = json.loads(claims(runner, tmp_path, "--format", "json", "--coverage", str(plan)))[
        "claims"
    ]
    assert (after["received"], after["difference"]) == ("900.00", "-60.00")
    claims(runner, tmp_path, "--coverage", str(plan), "-o", str(tmp_path / "claims.txt"))
    table = (tmp_path / "claims.txt").read_text(encoding="utf-8")
    assert "$960.00 on 2027-01-26" in table and "$900.00 (-$60.00)" in table


def test_a_bad_coverage_file_is_one_line_naming_the_option(
    runner: CliRunner, tmp_path: Path, bill: str
) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text('network = "sideways"\n', encoding="utf-8")
    before = saved(tmp_path)
    for args in (["--coverage", str(plan)], ["paid", bill, "9", "--on", "2026-12-12",
                                            "--coverage", str(plan)]):  # fmt: skip
        error = claims(runner, tmp_path, *args, code=2)
        assert "--coverage" in error and len(error.strip().splitlines()) == 1, error
    assert saved(tmp_path) == before
