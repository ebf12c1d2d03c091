"""The duties around a Good Faith Estimate (docs/gfe.md): quote --scheduled/--requested
records one with its due date; gfe --quote issues it from the quote and closes it; gfe due
lists what is owed and what to renew; gfe check-bill compares a bill; gfe notice writes
the notice to post; a past --scheduled is refused."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.store.opening import open_quote_log
from tests.clinic import CLINIC, CO_PROVIDER, clinic_sheet

FRIDAY = date(2026, 11, 20)
PATIENT = ["--patient", "Ann Lee", "--dob", "1980-04-30"]


class Clock:
    """The day the commands take as today; tests move it."""

    def __init__(self) -> None:
        self.day = FRIDAY

    def __call__(self) -> date:
        return self.day


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    from ketacost.cli import clock as module

    fake = Clock()
    monkeypatch.setattr(module, "today", fake)
    return fake


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def quote(runner: CliRunner, tmp_path: Path, *args: str) -> dict[str, Any]:
    sheet = clinic_sheet(tmp_path)
    result = run(runner, "quote", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet),
                 *args, "--format", "json")  # fmt: skip
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def due_json(runner: CliRunner, tmp_path: Path) -> dict[str, Any]:
    result = run(runner, "gfe", "due", "--db", str(tmp_path / "q.db"), "--format", "json")
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def issue(runner: CliRunner, tmp_path: Path, *args: str, code: int = 0) -> Result:
    sheet = clinic_sheet(tmp_path)
    return run(runner, "gfe", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), *args,
               code=code)  # fmt: skip


def test_quote_scheduled_records_a_duty_with_its_due_date(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """Scheduled on Friday November 20 for Monday December 7 (10 business days, with
    Thanksgiving skipped): due 3 business days later, Wednesday November 25."""
    data = quote(runner, tmp_path, *PATIENT, "--scheduled", "2026-12-07")
    assert data["duty"] == {
        "kind": "scheduled",
        "recorded": "2026-11-20",
        "scheduled": "2026-12-07",
        "due": "2026-11-25",
    }
    assert data["inputs"]["start"] == "2026-12-07"
    assert due_json(runner, tmp_path) == {
        "duties": [{"quote": data["id"], "patient": "Ann Lee", "due": "2026-11-25",
                    "overdue": False}],
        "renewals": [],
    }  # fmt: skip


def test_a_request_is_due_in_three_business_days_and_then_overdue(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """--requested: due Wednesday; on Thursday (Thanksgiving) it is overdue, and the table
    says so."""
    data = quote(runner, tmp_path, "--patient", "Bo Park", "--requested")
    assert data["duty"]["due"] == "2026-11-25"
    clock.day = date(2026, 11, 26)
    [duty] = due_json(runner, tmp_path)["duties"]
    assert duty == {"quote": data["id"], "patient": "Bo Park", "due": "2026-11-25",
                    "overdue": True}  # fmt: skip
    table = run(runner, "gfe", "due", "--db", str(tmp_path / "q.db")).stdout
    assert data["id"] in table
    assert "OVERDUE" in table


def test_a_session_too_soon_owes_nothing(runner: CliRunner, tmp_path: Path, clock: Clock) -> None:
    """Scheduled for Tuesday: fewer than 3 business days ahead, no duty, and it says so."""
    sheet = clinic_sheet(tmp_path)
    result = run(runner, "quote", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet),
                 "--scheduled", "2026-11-24", "--format", "json")  # fmt: skip
    assert "duty" not in json.loads(result.stdout)
    assert "No Good Faith Estimate is owed" in result.stderr
    assert due_json(runner, tmp_path) == {"duties": [], "renewals": []}


@pytest.mark.parametrize("command", ["quote", "gfe"])
def test_a_scheduled_date_in_the_past_is_refused(
    runner: CliRunner, tmp_path: Path, clock: Clock, command: str
) -> None:
    """Status 2, one line naming --scheduled; nothing saved."""
    sheet = clinic_sheet(tmp_path)
    more = ["--dx", "F33.1", "-o", str(tmp_path / "x.html")] if command == "gfe" else []
    result = run(runner, command, "--db", str(tmp_path / "q.db"), "--sheet", str(sheet),
                 *PATIENT, *more, "--scheduled", "2026-11-19", code=2)  # fmt: skip
    assert "'--scheduled'" in result.stderr
    assert "is in the past" in result.stderr  # the date typed is not repeated
    assert len(result.stderr.splitlines()) == 1
    if (tmp_path / "q.db").exists():
        with open_quote_log(tmp_path / "q.db") as log:
            assert list(log.entries()) == []


def test_gfe_from_a_quote_uses_its_inputs_and_closes_the_duty(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """gfe --quote: the quote's patient, schedule and plan; the GFE's record names the
    quote and the due date; the duty is no longer listed."""
    data = quote(runner, tmp_path, *PATIENT, "--scheduled", "2026-12-07", "--maintenance",
                 "6w", "--sessions", "4")  # fmt: skip
    result = issue(runner, tmp_path, "--quote", data["id"].lower(), "--dx", "F33.1",
                   "--format", "json")  # fmt: skip
    entry = json.loads(result.stdout)
    record = entry["gfe"]
    assert entry["patient"] == "Ann Lee"
    assert record["quote"] == data["id"]
    assert record["due"] == "2026-11-25"
    assert record["scheduled"] == "2026-12-07"
    assert entry["inputs"]["sessions"] == 4
    assert entry["inputs"]["maintenance"] == "6w"
    assert record["items"][0]["dates"][0] == "2026-12-07"
    assert due_json(runner, tmp_path)["duties"] == []


def test_gfe_from_a_quote_refuses_new_estimate_options(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """The estimate is the quote's: --sessions with --quote is a usage error; an unknown
    quote names --quote."""
    data = quote(runner, tmp_path, *PATIENT, "--requested")
    result = issue(runner, tmp_path, "--quote", data["id"], "--dx", "F33.1", "--sessions", "3",
                   "-o", str(tmp_path / "g.html"), code=2)  # fmt: skip
    assert "--sessions cannot be given with --quote" in result.stderr
    result = issue(runner, tmp_path, "--quote", "Q-20000101-AAAAAA", "--dx", "F33.1",
                   "-o", str(tmp_path / "g.html"), code=2)  # fmt: skip
    assert "'--quote'" in result.stderr


def test_the_gfe_json_holds_the_record_in_the_issues_shape(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """gfe --format json and quotes show --format json print the same gfe object."""
    entry = json.loads(
        issue(
            runner,
            tmp_path,
            *PATIENT,
            "--dx",
            "F33.1",
            "--scheduled",
            "2026-12-07",
            "--format",
            "json",
        ).stdout
    )
    record = entry["gfe"]
    for key in ("issued", "scheduled", "due", "period", "providers", "items", "diagnoses",
                "total", "replaces"):  # fmt: skip
        assert key in record, key
    assert record["due"] == "2026-11-25"  # scheduled today (Friday the 20th), 10+ days ahead
    assert record["providers"][0]["npi"] == CLINIC["npi"]
    assert record["providers"][0]["subtotal"] == record["total"] == "3600.00"
    assert record["items"][0]["codes"] == [{"code": "96365", "units": 1},
                                           {"code": "J3490", "units": 1}]  # fmt: skip
    shown = json.loads(run(runner, "quotes", "show", entry["id"], "--format", "json", "--db",
                           str(tmp_path / "q.db")).stdout)  # fmt: skip
    assert shown["gfe"] == record


def test_renewals_list_estimates_ending_within_30_days(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """A GFE from December 7, 2026 for a series with boosters that go on past it covers to
    December 6, 2027: listed for renewal from November 6, 2027, and not once a newer GFE
    replaces it."""
    entry = json.loads(issue(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--scheduled",
                             "2026-12-07", "--maintenance", "every 4 weeks",
                             "--format", "json").stdout)  # fmt: skip
    clock.day = date(2027, 11, 5)
    assert due_json(runner, tmp_path)["renewals"] == []
    clock.day = date(2027, 11, 6)
    assert due_json(runner, tmp_path)["renewals"] == [
        {"gfe": entry["id"], "patient": "Ann Lee", "ends": "2027-12-06"}
    ]
    issue(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--scheduled", "2027-12-07",
          "--replaces", entry["id"], "-o", str(tmp_path / "new.html"))  # fmt: skip
    assert due_json(runner, tmp_path)["renewals"] == []


def test_a_series_that_ends_within_its_gfe_is_not_renewed(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """Six sessions and no boosters, or boosters for 6 months: the series is over long
    before its GFE's 12 months end, so no new GFE is owed; a plan cut at 12 months is."""
    issue(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--scheduled", "2026-12-07",
          "-o", str(tmp_path / "six.html"))  # fmt: skip
    issue(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--scheduled", "2026-12-07",
          "--maintenance", "monthly", "--months", "6",
          "-o", str(tmp_path / "half.html"))  # fmt: skip
    cut = json.loads(issue(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--scheduled",
                           "2026-12-07", "--maintenance", "monthly",
                           "--format", "json").stdout)  # fmt: skip
    clock.day = date(2027, 12, 1)
    assert due_json(runner, tmp_path)["renewals"] == [
        {"gfe": cut["id"], "patient": "Ann Lee", "ends": "2027-12-06"}
    ]


def test_a_0_1_0_gfe_renews_only_when_its_plan_was_cut() -> None:
    """0.1.0 records kept the plan as asked when cut ("planned"): that one goes on past
    its 12 months; the others end within them."""
    from ketacost.gfe.record import read_gfe

    saved = Path(__file__).parent / "fixtures" / "upgrade-0.1.0"
    goes_on = {
        name: read_gfe(json.loads((saved / f"{name}.json").read_text())).continues
        for name in ("G-20261130-48ANXN", "G-20261130-KDWPKF", "G-20261130-HWB706")
    }
    assert goes_on == {
        "G-20261130-48ANXN": True,
        "G-20261130-KDWPKF": False,
        "G-20261130-HWB706": False,
    }


def test_gfe_due_on_an_empty_log(runner: CliRunner, tmp_path: Path, clock: Clock) -> None:
    """No log yet: nothing owed, and the table says so in words."""
    assert due_json(runner, tmp_path) == {"duties": [], "renewals": []}
    out = run(runner, "gfe", "due", "--db", str(tmp_path / "q.db")).stdout
    assert "No Good Faith Estimate is owed." in out


def two_provider_gfe(runner: CliRunner, tmp_path: Path) -> str:
    sheet = clinic_sheet(tmp_path, extra=CO_PROVIDER)
    result = run(runner, "gfe", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet),
                 *PATIENT, "--dx", "F33.1", "--price", "500", "--format", "json")  # fmt: skip
    entry_id: str = json.loads(result.stdout)["id"]
    return entry_id


def check(runner: CliRunner, tmp_path: Path, *args: str, code: int = 0) -> Result:
    return run(runner, "gfe", "check-bill", *args, "--db", str(tmp_path / "q.db"), code=code)


def test_check_bill_compares_each_provider_with_its_subtotal(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """The clinic billed $400 over its $3,000 (eligible); the psychiatrist $399.99 over its
    $300 (not); the last day to start a dispute is 120 days after the bill's date."""
    gfe_id = two_provider_gfe(runner, tmp_path)
    result = check(runner, tmp_path, gfe_id, "--billed", f"{CLINIC['npi']}=3400",
                   "--billed", "1679576722=$699.99", "--bill-date", "2027-01-15",
                   "--format", "json")  # fmt: skip
    assert json.loads(result.stdout) == {
        "providers": [
            {"npi": CLINIC["npi"], "name": CLINIC["name"], "estimated": "3000.00",
             "billed": "3400.00", "over_by": "400.00", "eligible": True},
            {"npi": "1679576722", "name": "Oak Psychiatry Group", "estimated": "300.00",
             "billed": "699.99", "over_by": "399.99", "eligible": False},
        ],
        "deadline": "2027-05-15",
    }  # fmt: skip
    table = " ".join(check(runner, tmp_path, gfe_id, "--billed", f"{CLINIC['npi']}=3400",
                           "--bill-date", "2027-01-15").stdout.split())  # fmt: skip
    assert "eligible" in table
    assert "by May 15, 2027" in table


def test_check_bill_defaults_and_mistakes(runner: CliRunner, tmp_path: Path, clock: Clock) -> None:
    """One provider: a bare amount; the bill date defaults to today. Several providers
    need NPI=AMOUNT; an unknown NPI, a bad amount or an unknown id is status 2."""
    one = json.loads(issue(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--format",
                           "json").stdout)["id"]  # fmt: skip
    data = json.loads(check(runner, tmp_path, one, "--billed", "3700", "-f", "json").stdout)
    assert data["providers"][0]["over_by"] == "100.00"
    assert data["deadline"] == "2027-03-20"  # November 20, 2026 + 120 days
    two = two_provider_gfe(runner, tmp_path)
    for args, message in (
        ([two, "--billed", "3400"], "give each amount as NPI=AMOUNT"),
        ([two, "--billed", "1234567890=5"], "NPI '1234567890' is not on this estimate"),
        ([two, "--billed", "12=5"], "is not an NPI"),
        ([one, "--billed", "-5"], "'--billed'"),
        (["G-20000101-AAAAAA", "--billed", "5"], "no Good Faith Estimate"),
    ):
        result = check(runner, tmp_path, *args, code=2)
        assert message in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1


def test_check_bill_reads_a_gfe_issued_by_0_1_0(runner: CliRunner, tmp_path: Path) -> None:
    """A 0.1.0 GFE: one provider, the clinic, estimated at its page's total."""
    import shutil

    db = tmp_path / "q.db"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "quotes-0.1.0.db", db)
    result = run(runner, "gfe", "check-bill", "G-20261130-KDWPKF", "--billed", "9999",
                 "--bill-date", "2027-02-01", "--format", "json", "--db", str(db))  # fmt: skip
    [provider] = json.loads(result.stdout)["providers"]
    assert provider["npi"] == "1234567893"
    assert provider["eligible"] is (provider["over_by"] >= "400.00")


def test_notice_is_filled_in_with_the_clinic(runner: CliRunner, tmp_path: Path) -> None:
    """The notice names the clinic, its address and phone, the $400 line and where to ask;
    text from the sheet is escaped; PDF is refused for now; the built-in sheet has no
    clinic."""
    sheet = clinic_sheet(tmp_path, name="Calm & <b>Co</b>")
    out = tmp_path / "notice.html"
    run(runner, "gfe", "notice", "--sheet", str(sheet), "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert "Your right to a Good Faith Estimate" in page
    assert "Calm &amp; &lt;b&gt;Co&lt;/b&gt;" in page
    assert "<b>Co" not in page
    assert CLINIC["address"] in page
    assert "(217) 555-0100" in page
    assert "at least $400 more than your Good Faith Estimate" in page
    text = " ".join(page.split())
    # the current model notice's timing, in our words (not the 2021 "1 business day before")
    assert "before your item or service" not in text
    assert (
        "If you schedule an item or service at least 3 business days ahead, you should get "
        "your Good Faith Estimate in writing within 1 business day after scheduling." in text
    )
    assert (
        "If you schedule it at least 10 business days ahead, or ask for an estimate, you "
        "should get it within 3 business days after scheduling or asking." in text
    )
    assert "www.cms.gov/nosurprises" in page and "1-800-985-3059" in page
    result = run(runner, "gfe", "notice", "--sheet", str(sheet), "-o", str(tmp_path / "n.docx"),
                 code=2)  # fmt: skip
    assert "cannot write a .docx file" in result.stderr
    result = run(runner, "gfe", "notice", "-o", str(out), code=2)
    assert "names no clinic" in result.stderr


def test_a_stray_word_is_not_echoed(runner: CliRunner, tmp_path: Path, clock: Clock) -> None:
    """gfe is a group now: an unquoted name is still reported without repeating it."""
    result = issue(runner, tmp_path, "--patient", "Ann", "Quixote", "--dob", "1980-04-30",
                   code=2)  # fmt: skip
    assert "quote a name" in result.stderr
    assert "Quixote" not in result.stderr


def test_replaying_a_quote_refuses_insurance_and_unreadable_inputs(tmp_path: Path) -> None:
    """The core replay: an insured quote or inputs that are not a quote's are refused,
    naming the quote field; a 0.1.0 quote (no "with") asks for no discount."""
    from ketacost.request import EstimateError
    from ketacost.request_data import replay_request
    from ketacost.sheet.load import load_sheet

    sheet = load_sheet(clinic_sheet(tmp_path))
    saved = Path(__file__).parent / "fixtures" / "upgrade-0.1.0"
    insured = json.loads((saved / "Q-20261130-W5V5VV.json").read_text())["inputs"]
    old = json.loads((saved / "Q-20261130-6DCMQ0.json").read_text())["inputs"]
    assert "with" not in old
    assert replay_request(sheet, FRIDAY, old).with_ == ()
    for inputs, message in (
        (insured, "uses insurance"),
        ({"condition": "depression"}, "cannot be read"),
        ({**old, "start": "soon"}, "cannot be read"),
        ({**old, "condition": "migraine"}, "the quote's condition: unknown condition"),
    ):
        with pytest.raises(EstimateError) as error:
            replay_request(sheet, FRIDAY, inputs)
        assert error.value.field == "quote"
        assert message in str(error.value)


def test_insurance_owes_no_gfe(runner: CliRunner, tmp_path: Path, clock: Clock) -> None:
    """A quote with insurance records no duty (status 2, naming --requested); a GFE from
    an insured quote is refused, naming --quote. Both say the one self-pay rule's sentence
    (ketacost.gfe.timing), as the GFE's own check does."""
    from ketacost.gfe.timing import SELF_PAY_ONLY

    sheet = str(clinic_sheet(tmp_path))
    db = str(tmp_path / "q.db")
    result = run(runner, "quote", "--db", db, "--sheet", sheet, *PATIENT, "--deductible",
                 "500", "--coinsurance", "20", "--requested", code=2)  # fmt: skip
    assert f"Invalid value for '--requested': {SELF_PAY_ONLY}: leave out" in result.stderr
    insured = json.loads(run(runner, "quote", "--db", db, "--sheet", sheet, *PATIENT,
                             "--deductible", "500", "--coinsurance", "20", "-f",
                             "json").stdout)["id"]  # fmt: skip
    result = issue(runner, tmp_path, "--quote", insured, "--dx", "F33.1", "-o",
                   str(tmp_path / "g.html"), code=2)  # fmt: skip
    assert f"Invalid value for '--quote': the quote uses insurance: {SELF_PAY_ONLY}" in (
        result.stderr
    )


def test_a_scheduled_quote_with_insurance_names_scheduled(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """Scheduled for a patient using insurance: no GFE is owed, and the error (status 2)
    names --scheduled, the option the self-pay rule refused (found by the CLI's mapper)."""
    from ketacost.gfe.timing import SELF_PAY_ONLY

    sheet = str(clinic_sheet(tmp_path))
    result = run(runner, "quote", "--db", str(tmp_path / "q.db"), "--sheet", sheet, *PATIENT,
                 "--deductible", "500", "--coinsurance", "20", "--scheduled", "2026-12-07",
                 code=2)  # fmt: skip
    assert f"Invalid value for '--scheduled': {SELF_PAY_ONLY}: leave out" in result.stderr
    if (tmp_path / "q.db").exists():
        with open_quote_log(tmp_path / "q.db") as log:
            assert list(log.entries()) == []


WEDNESDAY = date(2026, 12, 2)


def test_a_saturday_booking_counts_to_the_monday_session(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """Issue 19 item 3: booked on Wednesday 12-02 for Saturday 12-05 at a Monday-to-Friday
    clinic: the first session is Monday 12-07, 3 business days away, so a Good Faith
    Estimate is owed within 1 business day (Thursday 12-03); the quote says the date of
    record. (It said none was owed, counting to the Saturday.)"""
    clock.day = WEDNESDAY
    sheet = clinic_sheet(tmp_path)
    result = run(runner, "quote", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet),
                 "--scheduled", "2026-12-05", "--format", "json")  # fmt: skip
    data = json.loads(result.stdout)
    assert data["duty"] == {
        "kind": "scheduled",
        "recorded": "2026-12-02",
        "scheduled": "2026-12-07",
        "due": "2026-12-03",
    }
    assert data["schedule"][0]["date"] == "2026-12-07"
    assert "The clinic is closed on Sat 2026-12-05" in result.stderr
    assert "is Mon 2026-12-07" in result.stderr
    assert "No Good Faith Estimate is owed" not in result.stderr


def test_a_gfe_never_shows_a_scheduled_date_without_a_session(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """gfe --scheduled on a Saturday: the record, the page and the period start on the
    Monday the first session falls on; no Saturday is among the planned dates."""
    clock.day = WEDNESDAY
    out = tmp_path / "gfe.html"
    result = issue(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--scheduled", "2026-12-05",
                   "-o", str(out))  # fmt: skip
    assert "the scheduled date on the estimate, is Mon 2026-12-07" in result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<th scope=row>Scheduled date</th><td>December 7, 2026</td>" in page
    planned = page.split("Planned session dates")[1].split("</ol>")[0]
    dates = re.sub(r"<span class=note>.*?</span>", "", planned)  # "(moved from ...)" notes
    assert "Mon Dec 7, 2026" in dates and "Dec 5" not in dates
    gfe_id = result.stdout.split()[3]  # "Good Faith Estimate G-... written to ..."
    entry = json.loads(run(runner, "quotes", "show", gfe_id, "--format", "json", "--db",
                           str(tmp_path / "q.db")).stdout)  # fmt: skip
    assert entry["gfe"]["scheduled"] == "2026-12-07"
    assert entry["gfe"]["period"] == {"start": "2026-12-07", "end": "2027-12-06"}
    assert entry["gfe"]["due"] == "2026-12-03"


def test_a_clinic_open_on_saturdays_owes_sooner(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """Issue 19 item 4: asked on Friday 11-20, a clinic open Monday to Saturday owes the
    Good Faith Estimate by Tuesday 11-24 (Sat, Mon, Tue), a day before the federal
    reading's Wednesday; gfe due lists that date."""
    sheet = clinic_sheet(tmp_path, extra='open_days = ["mon", "tue", "wed", "thu", "fri", "sat"]\n')
    result = run(runner, "quote", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet),
                 "--requested", "--format", "json")  # fmt: skip
    assert json.loads(result.stdout)["duty"]["due"] == "2026-11-24"
    assert due_json(runner, tmp_path)["duties"][0]["due"] == "2026-11-24"


def quote_run(runner: CliRunner, tmp_path: Path, *args: str, code: int = 0) -> Result:
    sheet = clinic_sheet(tmp_path)
    return run(runner, "quote", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), *args,
               "--format", "json", code=code)  # fmt: skip


def test_a_named_self_pay_quote_is_a_request(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """Issue 19 item 2: a price question from a self-pay patient is a request (45 CFR
    149.610(b)(1)): quote --patient records it without --requested, says the due date (3
    business days: Wednesday 11-25) and how to undo it, and gfe due lists it."""
    result = quote_run(runner, tmp_path, "--patient", "Bo Park")
    data = json.loads(result.stdout)
    assert data["duty"] == {
        "kind": "requested",
        "recorded": "2026-11-20",
        "scheduled": None,
        "due": "2026-11-25",
    }
    assert "A Good Faith Estimate is due by 2026-11-25 (3 business days after asking)" in (
        result.stderr
    )
    assert f"--replaces {data['id']} --not-requested" in result.stderr
    assert "No Good Faith Estimate is owed" not in result.stderr
    assert due_json(runner, tmp_path)["duties"] == [
        {"quote": data["id"], "patient": "Bo Park", "due": "2026-11-25", "overdue": False}
    ]
    # --requested still works, the same, without the note on how to undo it
    again = quote_run(runner, tmp_path, "--patient", "Bo Park", "--requested")
    assert json.loads(again.stdout)["duty"]["due"] == "2026-11-25"
    assert "--not-requested" not in again.stderr


def test_not_requested_and_who_owes_no_request(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """--not-requested records no duty; neither does a quote without a patient nor one
    with insurance; replacing a quote with --not-requested closes its duty; --requested
    with --not-requested is a one-line usage error."""
    insured = ["--patient", "Bo Park", "--deductible", "500", "--coinsurance", "20"]
    for args in (["--patient", "Bo Park", "--not-requested"], [], insured):
        assert "duty" not in json.loads(quote_run(runner, tmp_path, *args).stdout), args
    assert due_json(runner, tmp_path)["duties"] == []
    first = json.loads(quote_run(runner, tmp_path, "--patient", "Ann Lee").stdout)["id"]
    assert len(due_json(runner, tmp_path)["duties"]) == 1
    quote_run(runner, tmp_path, "--patient", "Ann Lee", "--replaces", first, "--not-requested")
    assert due_json(runner, tmp_path)["duties"] == []
    result = quote_run(runner, tmp_path, "--patient", "Bo Park", "--requested",
                       "--not-requested", code=2)  # fmt: skip
    assert "--requested and --not-requested" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_a_named_quote_for_a_session_too_soon_is_still_a_request(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """Scheduled for Tuesday (too soon for the scheduling rule) by a named self-pay
    patient: the price question still owes a GFE within 3 business days."""
    data = json.loads(quote_run(runner, tmp_path, *PATIENT, "--scheduled", "2026-11-24").stdout)
    assert data["duty"] == {
        "kind": "requested",
        "recorded": "2026-11-20",
        "scheduled": "2026-11-24",
        "due": "2026-11-25",
    }


def test_a_request_due_after_the_first_session_says_so(
    runner: CliRunner, tmp_path: Path, clock: Clock
) -> None:
    """Asked on Friday the day after Thanksgiving for Monday 11-30: due Wednesday 12-02,
    after the session, and the quote says to give it before the session if possible."""
    clock.day = date(2026, 11, 27)
    result = quote_run(runner, tmp_path, "--patient", "Ann Lee", "--scheduled", "2026-11-30")
    assert json.loads(result.stdout)["duty"]["due"] == "2026-12-02"
    assert "The first session, Mon 2026-11-30, comes before that" in result.stderr
