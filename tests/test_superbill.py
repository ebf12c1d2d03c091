"""ketacost superbill: the statement for an out-of-network claim (docs/superbill.md),
item by item against the CMS-1500 claim form, kept in the quote log, reprinted byte for
byte, never issued twice for a session; and every hostile input refused in one line,
status 2, with nothing saved."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketacost.cli.app import cli
from ketacost.store.opening import open_quote_log
from tests.clinic import clinic_sheet

ISSUED = date(2026, 11, 20)
"""The day the GFE is issued on (its sessions are to come)."""
LATER = date(2026, 12, 12)
"""The day the superbills are written (the first induction sessions were given)."""
SESSIONS = ["2026-12-07", "2026-12-09", "2026-12-11", "2026-12-14", "2026-12-16", "2026-12-18"]
"""The GFE's six induction sessions (Monday, Wednesday, Friday from Dec 7)."""
TAXONOMY = '\ntaxonomy = "2084P0800X"\n'


def set_today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    from ketacost.cli import clock

    monkeypatch.setattr(clock, "today", lambda: day)


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return clinic_sheet(tmp_path, extra="")


def with_taxonomy(tmp_path: Path, name: str = "clinic.toml", codes: str = "") -> Path:
    """The test clinic with its taxonomy (and ``codes`` for the IV treatment, if given)."""
    path = clinic_sheet(tmp_path, name)
    text = path.read_text(encoding="utf-8").replace("[clinic]\n", "[clinic]" + TAXONOMY, 1)
    if codes:
        head, tail = text.split("[treatments.depression]\n", 1)
        tail = tail.replace('codes = ["96365", "J3490"]', f"codes = {codes}", 1)
        text = f"{head}[treatments.depression]\n{tail}"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def gfe(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A GFE issued on ISSUED for Ann Lee's six sessions from Dec 7; today is then LATER."""
    set_today(monkeypatch, ISSUED)
    sheet = with_taxonomy(tmp_path)
    out = tmp_path / "gfe.json"
    run(runner, "gfe", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), "--patient",
        "Ann Lee", "--dob", "1980-04-30", "--dx", "F33.1", "--dx", "F41.1", "--start",
        "2026-12-07", "-o", str(out))  # fmt: skip
    set_today(monkeypatch, LATER)
    gfe_id: str = json.loads(out.read_text(encoding="utf-8"))["id"]
    return gfe_id


def superbill(runner: CliRunner, tmp_path: Path, *args: str, code: int = 0) -> Result:
    sheet = tmp_path / "clinic.toml"
    return run(runner, "superbill", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet),
               *args, code=code)  # fmt: skip


def saved(tmp_path: Path) -> list[str]:
    with open_quote_log(tmp_path / "q.db", write=False) as log:
        return [e.id for e in log.entries()]


def text_of(page: str) -> str:
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_page_carries_every_claim_item(runner: CliRunner, tmp_path: Path, gfe: str) -> None:
    out = tmp_path / "sb.html"
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--session", "2026-12-09",
              "--paid", "1200", "--address", "1 Elm St, Springfield, IL 62704",
              "--member-id", "XYZ123456", "-o", str(out))  # fmt: skip
    text = text_of(out.read_text(encoding="utf-8"))
    for item in [
        "Name (item 2) Ann Lee",
        "Date of birth (item 3) 1980-04-30",
        "Address (item 5) 1 Elm St, Springfield, IL 62704",
        "Insured's ID number (item 1a) XYZ123456",
        "A F33.1 B F41.1",  # item 21, with the letters the lines point at
        "2026-12-07 11 office 96365 Induction sessions AB 1 $600.00",  # 24A-24G
        "2026-12-07 11 office J3490 Induction sessions AB 1 $0.00",
        "2026-12-09 11 office 96365 Induction sessions AB 1 $600.00",
        "NPI (item 33a) 1234567893",
        "Taxonomy (item 33b) 2084P0800X",
        "Federal tax ID, EIN (item 25) 12-3456789",
        "Rendering provider NPI (item 24J) 1234567893",
        "Calm Waters Ketamine Clinic 100 Main Street, Suite 2, Springfield, IL 62701",
        "Total charge (item 28) $1,200.00",
        "Amount paid (item 29) $1,200.00",
        "Balance due $0.00",
        "Paid in full.",
        f"Bills {gfe}",
    ]:
        assert item in text, item
    assert "default-src 'none'" in out.read_text(encoding="utf-8")


def test_a_part_payment_has_a_balance_and_is_not_paid_in_full(
    runner: CliRunner, tmp_path: Path, gfe: str
) -> None:
    out = tmp_path / "sb.json"
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--paid", "450.50", "-o",
              str(out))  # fmt: skip
    record = json.loads(out.read_text(encoding="utf-8"))["superbill"]
    assert (record["charged"], record["paid"], record["balance"]) == ("600.00", "450.50", "149.50")
    assert record["paid_in_full"] is False
    assert record["diagnoses"] == ["F33.1", "F41.1"]
    assert [(line["code"], line["charge"]) for line in record["lines"]] == [
        ("96365", "600.00"),
        ("J3490", "0.00"),
    ]


def test_csv_has_a_row_per_line_and_the_totals(runner: CliRunner, tmp_path: Path, gfe: str) -> None:
    out = tmp_path / "sb.csv"
    superbill(runner, tmp_path, gfe, "--session", "2026-12-09", "--paid", "600", "-o", str(out))
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0][:7] == ["superbill", "patient", "dob", "member_id", "date_of_service",
                           "place_of_service", "code"]  # fmt: skip
    assert [[*r[4:7], r[11]] for r in rows[1:3]] == [
        ["2026-12-09", "11", "96365", "600.00"],
        ["2026-12-09", "11", "J3490", "0.00"],
    ]
    assert [[*r[1:2], r[11]] for r in rows[3:]] == [
        ["total_charge", "600.00"],
        ["paid", "600.00"],
        ["balance", "0.00"],
    ]


def test_a_month_bills_its_sessions_given_so_far(
    runner: CliRunner, tmp_path: Path, gfe: str
) -> None:
    out = tmp_path / "sb.json"
    superbill(runner, tmp_path, gfe, "--month", "2026-12", "--paid", "1800", "-o", str(out))
    record = json.loads(out.read_text(encoding="utf-8"))["superbill"]
    assert record["sessions"] == SESSIONS[:3]  # Dec 14 on are still to come on Dec 12
    assert record["month"] == "2026-12"
    assert record["charged"] == "1800.00"


def test_it_reprints_byte_for_byte(runner: CliRunner, tmp_path: Path, gfe: str) -> None:
    out = tmp_path / "sb.html"
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--paid", "600", "-o", str(out))
    (bill,) = [i for i in saved(tmp_path) if i.startswith("S-")]
    copy = tmp_path / "copy.html"
    run(runner, "quotes", "show", bill, "--db", str(tmp_path / "q.db"), "-o", str(copy))
    assert copy.read_bytes() == out.read_bytes()


def test_a_session_is_billed_once_unless_replaced(
    runner: CliRunner, tmp_path: Path, gfe: str
) -> None:
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--paid", "600")
    (first,) = [i for i in saved(tmp_path) if i.startswith("S-")]
    again = superbill(runner, tmp_path, gfe, "--session", "2026-12-09", "--session",
                      "2026-12-07", "--paid", "600", code=2)  # fmt: skip
    assert f"2026-12-07 is billed on {first} already" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--paid", "500", "--replaces",
              first)  # fmt: skip
    assert len([i for i in saved(tmp_path) if i.startswith("S-")]) == 2
    # the correction stands for Dec 7 now: neither is billed a third time
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--paid", "600", code=2)


def test_a_moved_session_is_billed_on_the_day_given(
    runner: CliRunner, tmp_path: Path, gfe: str
) -> None:
    """Monday Dec 7's session was given on Tuesday Dec 8: its line is dated Dec 8 (item
    24A) and charged as Dec 7's session."""
    out = tmp_path / "sb.json"
    superbill(runner, tmp_path, gfe, "--session", "2026-12-08=2026-12-07", "--session",
              "2026-12-09", "--paid", "1200", "-o", str(out))  # fmt: skip
    record = json.loads(out.read_text(encoding="utf-8"))["superbill"]
    assert record["sessions"] == ["2026-12-08", "2026-12-09"]
    assert record["moved"] == [{"given": "2026-12-08", "scheduled": "2026-12-07"}]
    assert [(x["date"], x["code"], x["charge"]) for x in record["lines"]] == [
        ("2026-12-08", "96365", "600.00"),
        ("2026-12-08", "J3490", "0.00"),
        ("2026-12-09", "96365", "600.00"),
        ("2026-12-09", "J3490", "0.00"),
    ]
    assert record["charged"] == "1200.00"


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("2026-12-08=2026-12-07", "2026-12-07"),  # moved, then at its scheduled date
        ("2026-12-07", "2026-12-08=2026-12-07"),  # the reverse
        ("2026-12-07", "2026-12-10=2026-12-07"),  # moved to another day still
        ("2026-12-09", "2026-12-09=2026-12-07"),  # Dec 9 is a date of service already
    ],
)
def test_a_moved_session_is_billed_once(
    runner: CliRunner, tmp_path: Path, gfe: str, first: str, then: str
) -> None:
    superbill(runner, tmp_path, gfe, "--session", first, "--paid", "600")
    (bill,) = [i for i in saved(tmp_path) if i.startswith("S-")]
    again = superbill(runner, tmp_path, gfe, "--session", then, "--paid", "600", code=2)
    (line,) = again.stderr.strip().splitlines()
    assert f"is billed on {bill} already" in line and "--session" in line
    assert [i for i in saved(tmp_path) if i.startswith("S-")] == [bill]
    superbill(runner, tmp_path, gfe, "--session", then, "--paid", "600", "--replaces", bill)


def test_a_moved_session_is_given_on_a_day_the_sheet_opens(
    runner: CliRunner, tmp_path: Path, gfe: str
) -> None:
    sheet = tmp_path / "clinic.toml"
    text = sheet.read_text(encoding="utf-8").replace(
        "[clinic]\n", "[clinic]\nclosed = [2026-12-08]\n", 1
    )
    sheet.write_text(text, encoding="utf-8")
    refused = superbill(runner, tmp_path, gfe, "--session", "2026-12-08=2026-12-07", "--paid",
                        "600", code=2)  # fmt: skip
    assert "--session" in refused.stderr and "not a day the clinic is open" in refused.stderr
    assert not [i for i in saved(tmp_path) if i.startswith("S-")]
    superbill(runner, tmp_path, gfe, "--session", "2026-12-10=2026-12-09", "--paid", "600")


def test_the_sheets_modifiers_and_place_of_service_go_on_each_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, ISSUED)
    sheet = with_taxonomy(tmp_path, codes='[{ code = "96365", modifiers = ["XU"] }, "J3490"]')
    sheet.write_text(
        sheet.read_text(encoding="utf-8").replace("[clinic]\n", '[clinic]\npos = "22"\n', 1),
        encoding="utf-8",
    )
    out = tmp_path / "gfe.json"
    run(runner, "gfe", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), "--patient",
        "Ann Lee", "--dob", "1980-04-30", "--dx", "F33.1", "--start", "2026-12-07", "-o",
        str(out))  # fmt: skip
    gfe_id = json.loads(out.read_text(encoding="utf-8"))["id"]
    set_today(monkeypatch, LATER)
    bill = tmp_path / "sb.json"
    superbill(runner, tmp_path, gfe_id, "--session", "2026-12-07", "--paid", "600", "-o",
              str(bill))  # fmt: skip
    lines = json.loads(bill.read_text(encoding="utf-8"))["superbill"]["lines"]
    assert [(x["code"], x["modifiers"], x["pos"]) for x in lines] == [
        ("96365", ["XU"], "22"),
        ("J3490", [], "22"),
    ]


def test_sheet_check_refuses_a_bad_taxonomy_place_or_modifier(
    runner: CliRunner, tmp_path: Path
) -> None:
    sheet = clinic_sheet(tmp_path, extra="")
    text = sheet.read_text(encoding="utf-8")
    bad = text.replace("[clinic]\n", '[clinic]\ntaxonomy = "2084P08"\npos = "office"\n', 1)
    bad = bad.replace(
        'codes = ["96365", "J3490"]', 'codes = [{ code = "96365", modifiers = ["X"] }, "J3490"]', 1
    )
    sheet.write_text(bad, encoding="utf-8")
    result = run(runner, "sheet", "check", str(sheet), code=1)
    assert "taxonomy '2084P08' must be a 10-character code" in result.stdout
    assert "place of service 'office' must be a two-digit code" in result.stdout
    assert "modifiers of '96365'" in result.stdout


def test_sheet_check_names_what_a_superbill_lacks(runner: CliRunner, tmp_path: Path) -> None:
    plain = clinic_sheet(tmp_path, "plain.toml", tin="")
    result = run(runner, "sheet", "check", str(plain))
    assert "warning: [clinic] lacks tin, taxonomy: a superbill from this sheet is refused" in (
        result.stderr
    )
    ready = run(runner, "sheet", "check", str(with_taxonomy(tmp_path)))
    assert "superbill" not in ready.stderr


def test_a_sheet_without_taxonomy_is_named(runner: CliRunner, tmp_path: Path, gfe: str) -> None:
    plain = clinic_sheet(tmp_path, "plain.toml")
    result = run(runner, "superbill", "--db", str(tmp_path / "q.db"), "--sheet", str(plain), gfe,
                 "--session", "2026-12-07", "--paid", "600", code=2)  # fmt: skip
    assert "lacks taxonomy" in result.stderr
    assert not [i for i in saved(tmp_path) if i.startswith("S-")]


HOSTILE = {
    "another patient": (["--patient", "Bo Park"], "--patient", "another patient"),
    "another dob": (["--dob", "1990-01-01"], "--dob", "another date of birth"),
    "outside the schedule": (["--session", "2026-12-08"], "--session", "not a session of"),
    "in the future": (["--session", "2026-12-14"], "--session", "is in the future"),
    "paid above the charge": (["--paid", "600.01"], "--paid", "more than the sessions' charges"),
    "not a date": (["--session", "2026-13-01"], "--session", "not a real date"),
    "not an amount": (["--paid", "=1+2"], "--paid", "not an amount of money"),
    "not an ICD-10 code": (["--dx", "<b>"], "--dx", "not an ICD-10 code"),
    "thirteen diagnoses": (
        [x for n in range(13) for x in ("--dx", f"F3{n % 10}.{n}")],
        "--dx",
        "at most 12 diagnosis codes",
    ),
    "a bad month": (["--month", "2026-13"], "--month", "not a month"),
    "moved to a closed day": (
        ["--session", "2026-12-12=2026-12-11"],
        "--session",
        "not a day the clinic is open",
    ),
    "moved from off the schedule": (
        ["--session", "2026-12-08=2026-12-10"],
        "--session",
        "not a session of",
    ),
    "moved too far": (["--session", "2026-11-06=2026-12-07"], "--session", "more than 30 days"),
    "moved to the future": (["--session", "2026-12-14=2026-12-11"], "--session", "in the future"),
    "moved and given plainly": (
        ["--session", "2026-12-09=2026-12-07", "--session", "2026-12-09"],
        "--session",
        "both as a session",
    ),
    "a bad moved date": (["--session", "2026-12-08=12/07"], "--session", "not a date"),
    "two equals signs": (["--session", "2026-12-08=2026-12-07=x"], "--session", "GIVEN=SCHEDULED"),
    "a bad NPI": (["--rendering-npi", "1234567890"], "--rendering-npi", "not a valid NPI"),
}


@pytest.mark.parametrize("case", list(HOSTILE), ids=list(HOSTILE))
def test_hostile_input_is_one_line_status_2_nothing_saved(
    runner: CliRunner, tmp_path: Path, gfe: str, case: str
) -> None:
    extra, option, message = HOSTILE[case]
    args = ["--session", "2026-12-07", "--paid", "600", "--dx", "F33.1"]
    for given in ("--session", "--paid", "--month"):
        if given in extra:
            drop = args.index(given) if given in args else None
            if drop is not None:
                del args[drop : drop + 2]
    if "--month" in extra and "--session" in args:
        del args[args.index("--session") : args.index("--session") + 2]
    if "--dx" in extra:
        del args[args.index("--dx") : args.index("--dx") + 2]
    before = saved(tmp_path)
    result = superbill(runner, tmp_path, gfe, *args, *extra, "-o", str(tmp_path / "s.json"),
                       code=2)  # fmt: skip
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert option in lines[0] and message in lines[0], lines[0]
    assert "Traceback" not in result.output
    assert saved(tmp_path) == before
    assert not (tmp_path / "s.json").exists()


def test_a_code_the_sheet_does_not_know_is_refused(
    runner: CliRunner, tmp_path: Path, gfe: str
) -> None:
    other = with_taxonomy(tmp_path, "other.toml")
    text = other.read_text(encoding="utf-8").replace(', "J3490"]', "]")
    other.write_text(text.replace('codes = ["J3490"]', 'codes = ["96372"]'), encoding="utf-8")
    assert "J3490" not in other.read_text(encoding="utf-8").split("[treatments", 1)[1]
    before = saved(tmp_path)
    result = run(runner, "superbill", "--db", str(tmp_path / "q.db"), "--sheet", str(other), gfe,
                 "--session", "2026-12-07", "--paid", "600", code=2)  # fmt: skip
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--sheet" in lines[0]
    assert "code J3490 of 'Induction sessions' is not in the price sheet" in lines[0]
    assert saved(tmp_path) == before


def test_a_quote_is_billed_at_its_charges(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_today(monkeypatch, ISSUED)
    sheet = with_taxonomy(tmp_path)
    run(runner, "quote", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), "--patient",
        "Ann Lee", "--start", "2026-12-07", "--not-requested")  # fmt: skip
    (quote,) = saved(tmp_path)
    set_today(monkeypatch, LATER)
    out = tmp_path / "sb.json"
    superbill(runner, tmp_path, quote, "--dob", "1980-04-30", "--dx", "F33.1", "--session",
              "2026-12-11", "--paid", "600", "-o", str(out))  # fmt: skip
    record = json.loads(out.read_text(encoding="utf-8"))["superbill"]
    assert record["source"] == quote and record["charged"] == "600.00"
    # a quote names no diagnosis: one is needed
    result = superbill(runner, tmp_path, quote, "--dob", "1980-04-30", "--session",
                       "2026-12-09", "--paid", "600", code=2)  # fmt: skip
    assert "at least one diagnosis code" in result.stderr


def test_an_escape_sequence_or_markup_in_a_field_is_shown_harmless(
    runner: CliRunner, tmp_path: Path, gfe: str
) -> None:
    out = tmp_path / "sb.html"
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--paid", "600", "--address",
              "<script>alert(1)</script>", "-o", str(out))  # fmt: skip
    page = out.read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;" in page
    bill = tmp_path / "sb.csv"
    superbill(runner, tmp_path, gfe, "--session", "2026-12-09", "--paid", "600", "--member-id",
              "=HYPERLINK(1)", "-o", str(bill))  # fmt: skip
    (row,) = list(csv.reader(io.StringIO(bill.read_text(encoding="utf-8"))))[1:2]
    assert row[3] == "'=HYPERLINK(1)"


def test_another_providers_items_are_left_to_its_own_statement(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The psychiatry practice's evaluation on the first session is not the clinic's to
    bill: the superbill leaves it out and says so; every line is the rendering NPI's."""
    from tests.clinic import CO_PROVIDER

    set_today(monkeypatch, ISSUED)
    sheet = with_taxonomy(tmp_path)
    sheet.write_text(sheet.read_text(encoding="utf-8") + CO_PROVIDER, encoding="utf-8")
    out = tmp_path / "gfe.json"
    run(runner, "gfe", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), "--patient",
        "Ann Lee", "--dob", "1980-04-30", "--dx", "F33.1", "--start", "2026-12-07", "-o",
        str(out))  # fmt: skip
    gfe_id = json.loads(out.read_text(encoding="utf-8"))["id"]
    set_today(monkeypatch, LATER)
    bill = tmp_path / "sb.json"
    result = superbill(runner, tmp_path, gfe_id, "--session", "2026-12-07", "--paid", "600",
                       "--rendering-npi", "1555555550", "-o", str(bill))  # fmt: skip
    record = json.loads(bill.read_text(encoding="utf-8"))["superbill"]
    assert record["charged"] == "600.00"
    assert {line["npi"] for line in record["lines"]} == {"1555555550"}
    assert record["rendering_npi"] == "1555555550" and record["billing"]["npi"] == "1234567893"
    assert record["elsewhere"] == ["Psychiatric evaluation (NPI 1679576722)"]
    assert "Psychiatric evaluation (NPI 1679576722) is billed by another provider" in result.stderr


def test_the_pdf_prints_every_line_inside_the_margins(
    runner: CliRunner, tmp_path: Path, gfe: str
) -> None:
    """A month of sessions prints on US Letter with nothing cut off at the right edge,
    and the PDF is the page as issued."""
    from tests.printing import need_pdf, overflow, page_text, printed

    need_pdf()
    out = tmp_path / "sb.pdf"
    superbill(runner, tmp_path, gfe, "--month", "2026-12", "--paid", "1800", "-o", str(out))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    (bill,) = [i for i in saved(tmp_path) if i.startswith("S-")]
    with open_quote_log(tmp_path / "q.db", write=False) as log:
        entry = log.get(bill)
    assert entry is not None and entry.html is not None
    pages = printed(entry.html)
    assert len(pages) == 1
    assert overflow(pages[0], margin=0.55 * 96) <= 0.5  # gfe.css: 0.55in at the sides
    text = page_text(pages[0])
    for item in ("2026-12-11", "Total charge (item 28)", "$1,800.00", "Taxonomy (item 33b)"):
        assert item in text


@pytest.mark.parametrize(
    ("patient", "address"),
    [
        ("Maximiliana Wolfeschlegelsteinhausenbergerdorff-Okonkwo", "12 Main St"),
        ("Ann Lee", "Apartment-Building-Wolfeschlegelsteinhausenbergerdorff-12"),
    ],
    ids=["long name", "long address"],
)
def test_a_long_name_leaves_the_billing_provider_on_the_page(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    patient: str,
    address: str,
) -> None:
    """A long word in the patient's column wraps: the billing provider's column (NPI,
    TIN, taxonomy, items 33, 33a, 25) stays on the printed page. It was pushed past the
    right edge, and those items were cut off the PDF."""
    from tests.printing import need_pdf, overflow, page_text, printed

    need_pdf()
    set_today(monkeypatch, ISSUED)
    sheet = with_taxonomy(tmp_path)
    run(runner, "quote", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), "--patient",
        patient, "--start", "2026-12-07", "--not-requested")  # fmt: skip
    (quote,) = saved(tmp_path)
    set_today(monkeypatch, LATER)
    superbill(runner, tmp_path, quote, "--dob", "1980-04-30", "--dx", "F33.1", "--session",
              "2026-12-07", "--paid", "600", "--address", address, "--member-id",
              "XYZ123456789", "-o", str(tmp_path / "sb.html"))  # fmt: skip
    (page,) = printed((tmp_path / "sb.html").read_text(encoding="utf-8"))
    assert overflow(page, margin=0.55 * 96) <= 0.5
    text = page_text(page)
    for item in ("1234567893", "12-3456789", "2084P0800X", "Calm Waters"):
        assert item in text


def test_a_revised_gfe_does_not_bill_a_session_again(
    runner: CliRunner, tmp_path: Path, gfe: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dec 7 billed on the first GFE is not billed again through its revision (the same
    patient's session), while another patient's Dec 7 is theirs to bill."""
    superbill(runner, tmp_path, gfe, "--session", "2026-12-07", "--paid", "600")
    set_today(monkeypatch, ISSUED)
    sheet = tmp_path / "clinic.toml"
    revised, other = tmp_path / "g2.json", tmp_path / "g3.json"
    for out, who in ((revised, ["--replaces", gfe, "--patient", "Ann Lee"]),
                     (other, ["--patient", "Bo Park"])):  # fmt: skip
        run(runner, "gfe", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), *who,
            "--dob", "1980-04-30", "--dx", "F33.1", "--start", "2026-12-07",
            "-o", str(out))  # fmt: skip
    set_today(monkeypatch, LATER)
    again = superbill(runner, tmp_path, json.loads(revised.read_text())["id"], "--session",
                      "2026-12-07", "--paid", "600", code=2)  # fmt: skip
    assert "2026-12-07 is billed on S-" in again.stderr
    superbill(runner, tmp_path, json.loads(other.read_text())["id"], "--session", "2026-12-07",
              "--paid", "600")  # fmt: skip


@pytest.mark.browser
def test_on_a_phone_the_page_reflows_without_scrolling_sideways(
    runner: CliRunner, tmp_path: Path, gfe: str
) -> None:
    """At 320 px the page fits its window: the parties stack, each line's figures stack
    under their names."""
    from tests.browser import widths_at

    out = tmp_path / "sb.html"
    superbill(runner, tmp_path, gfe, "--month", "2026-12", "--paid", "1800", "-o", str(out))
    laid_out, window = widths_at(out, 320)
    assert laid_out <= window
