"""``ketacost gfe``: a Good Faith Estimate with every element docs/gfe.md lists, escaped,
kept in the quote log, and printable on US Letter."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.store.opening import open_quote_log
from tests.clinic import CLINIC, CO_PROVIDER, clinic_sheet

PATIENT = ["--patient", "Ann Lee", "--dob", "1980-04-30"]
TODAY = date(2026, 11, 20)
"""The day the tests issue their estimates on (a Friday)."""


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Pin the day duties are counted from, so the dates the tests give stay ahead."""
    from ketacost.cli import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return TODAY


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def make_gfe(runner: CliRunner, tmp_path: Path, *args: str, sheet: Path | None = None) -> str:
    out = tmp_path / "gfe.html"
    sheet = sheet or clinic_sheet(tmp_path)
    run(runner, "gfe", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), "-o", str(out), *args)
    return out.read_text(encoding="utf-8")


def text_of(page: str) -> str:
    """The page's visible text, one space between words."""
    body = re.sub(r"<style>.*?</style>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def item_rows(page: str) -> list[list[str]]:
    """The item rows of every provider's group, in order (not their headings or subtotals)."""
    body = "".join(re.findall(r"<tbody>(.*?)</tbody>", page, flags=re.S))
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    ]


def test_gfe_lists_every_required_element(runner: CliRunner, tmp_path: Path) -> None:
    """Patient, service, items with codes, provider, sessions, separate items, disclaimers,
    id, date and sheet: all on the page, for the built-in sheet plus a test clinic."""
    sheet = clinic_sheet(tmp_path)
    page = make_gfe(
        runner,
        tmp_path,
        *PATIENT,
        "--dx",
        "F33.1",
        "--dx",
        "g8929",
        "--scheduled",
        "2026-11-23",
        "--maintenance",
        "every 6 weeks",
        "--separately",
        "Psychiatric evaluation",
        "--prepared-by",
        "Sam",
        sheet=sheet,
    )
    text = text_of(page)
    with open_quote_log(tmp_path / "q.db", write=False) as log:
        [entry] = log.entries()
    assert entry.kind == "gfe"
    assert entry.id.startswith("G-")
    assert entry.html == page
    # the patient
    assert "Name Ann Lee" in text
    assert "Date of birth April 30, 1980" in text
    # the primary service, in plain language, and its scheduled date
    assert "Ketamine infusion therapy: Depression and other mood conditions." in text
    assert "intravenous (IV) infusions" in text
    assert "Scheduled date November 23, 2026" in text
    # itemized: service codes, diagnosis codes, quantity, cash price, total
    assert item_rows(page) == [
        ["Induction sessions", "96365, J3490", "F33.1, G89.29", "6", "$600.00", "$3,600.00"],
        ["Maintenance sessions", "96365, J3490", "F33.1, G89.29", "8", "$600.00", "$4,800.00"],
    ]
    assert "Total expected charges $8,400.00" in text
    assert "Diagnosis codes (ICD-10) F33.1, G89.29" in text
    assert (
        "ranges from $400.00 to $800.00; the expected charges above use its usual price "
        "of $600.00. Across that range the total would be from $5,600.00 to $11,200.00."
    ) in text
    # the provider
    for label, field in (
        ("Name", "name"),
        ("NPI", "npi"),
        ("TIN", "tin"),
        ("Location of service", "address"),
        ("State", "state"),
    ):
        assert f"{label} {CLINIC[field]}" in text
    # the expected number and frequency of sessions
    assert (
        "14 sessions in all. An induction series of 6 sessions over 2 weeks (3 a week), "
        "November 23, 2026 to December 4, 2026, then 8 maintenance (booster) sessions, "
        "every 6 weeks, January 15, 2027 to November 5, 2027."
    ) in text
    assert "covers at most 12 months" not in text  # this plan fits in a year
    # items scheduled separately
    assert "Items or services to be scheduled separately" in text
    assert (
        "You will get a separate Good Faith Estimate for each, from the provider or facility "
        "that gives it, when you schedule it or whenever you ask for one."
    ) in text
    assert "on that estimate. Psychiatric evaluation" in text
    # the subtotal of the one provider
    assert f"Subtotal, {CLINIC['name']} $8,400.00" in text
    # the disclaimers: every element of the federal model form, in our words
    for phrase in (
        "This is only an estimate.",
        "actual items, services or charges may differ",
        "Your providers may recommend other items or services",
        "scheduled or asked for separately",
        "bills you $400 or more above its total on this Good Faith Estimate",
        "counted for each provider on its own",
        "right to dispute the bill",
        "ask them to change the bill to match this estimate",
        "ask to negotiate the bill",
        "ask whether financial help is available",
        "patient-provider dispute resolution process",
        "within 120 calendar days (about 4 months) of the date on the original bill",
        "It costs $25.",
        "While your dispute is pending, the provider may not send the bill to collections",
        "must hold any late fees",
        "If the agency that reviews your dispute agrees with you, you pay the price on this "
        "Good Faith Estimate; if it agrees with the provider, you pay the higher amount billed.",
        "www.cms.gov/nosurprises",
        "1-800-985-3059",
        "Keep a copy of this Good Faith Estimate in a safe place",
        "will not affect the quality of the care",
        "is not a contract",
        "does not oblige you to receive",
    ):
        assert phrase in text, phrase
    # the id, the date issued, and the price sheet with its hash
    assert f"Estimate ID {entry.id}" in text
    assert "Date issued" in text
    assert f"Good Faith Estimate {entry.id}, issued" in text
    assert "National averages (US, self-pay)" in text
    assert entry.sheet_sha256 in text
    assert "prepared by Sam" in text


def test_gfe_is_printed_again_from_the_log(runner: CliRunner, tmp_path: Path) -> None:
    """`quotes show G-... -o copy.html` writes the page exactly as issued."""
    page = make_gfe(runner, tmp_path, *PATIENT, "--dx", "F33.1")
    gfe_id = re.search(r"G-\d{8}-[0-9A-Z]{6}", page)
    assert gfe_id is not None
    copy = tmp_path / "copy.html"
    run(runner, "quotes", "show", gfe_id.group(), "--db", str(tmp_path / "q.db"), "-o", str(copy))
    assert copy.read_text(encoding="utf-8") == page
    assert gfe_id.group() in run(runner, "quotes", "list", "--db", str(tmp_path / "q.db")).stdout


def test_a_plan_longer_than_a_year_is_cut_at_twelve_months(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Monthly boosters for 12 months after induction run past a year from the first
    session: the GFE covers the year and says so."""
    page = make_gfe(
        runner,
        tmp_path,
        *PATIENT,
        "--dx",
        "F33.1",
        "--start",
        "2026-11-23",
        "--maintenance",
        "monthly",
    )
    text = text_of(page)
    assert (
        "The plan as asked runs to December 6, 2027 (18 sessions). A Good Faith Estimate "
        "covers at most 12 months, so this one covers only the sessions from November 23, "
        "2026 to November 22, 2027."
    ) in text
    assert item_rows(page)[1][3] == "11"
    assert "17 sessions in all" in text


def test_self_pay_discounts_are_in_the_expected_charge(runner: CliRunner, tmp_path: Path) -> None:
    """The expected charge is the cash price after the self-pay discount."""
    sheet = clinic_sheet(
        tmp_path, extra='[discounts.prepaid]\nlabel = "Prepaid series"\npercent = 10\n'
    )
    page = make_gfe(runner, tmp_path, *PATIENT, "--dx", "F33.1", sheet=sheet)
    assert item_rows(page)[0][3:] == ["6", "$540.00", "$3,240.00"]
    text = text_of(page)
    assert (
        "list price $600.00 each, less Prepaid series ($60.00 off each, a self-pay discount)"
    ) in text
    assert "Total expected charges $3,240.00" in text


VETERAN = (
    '[discounts.veteran]\nlabel = "Veterans\' discount"\namount = 50\napplies_to = "all"\n'
    'when = "the patient is a veteran"\n'
)


def test_a_conditional_discount_applies_only_when_asked_and_names_its_condition(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Issue 13: a non-veteran's estimate came out low. Without --with the discount is
    not on the page; with it, the line it lowers names the condition."""
    sheet = clinic_sheet(tmp_path, extra=VETERAN)
    plain = make_gfe(runner, tmp_path, *PATIENT, "--dx", "F33.1", sheet=sheet)
    assert item_rows(plain)[0][3:] == ["6", "$600.00", "$3,600.00"]
    assert "veteran" not in text_of(plain)
    page = make_gfe(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--with", "veteran", sheet=sheet)
    assert item_rows(page)[0][3:] == ["6", "$550.00", "$3,300.00"]
    assert (
        "Induction sessions list price $600.00 each, less Veterans' discount ($50.00 off "
        "each, because the patient is a veteran)"
    ) in text_of(page)


def test_every_user_text_is_escaped(runner: CliRunner, tmp_path: Path) -> None:
    """<script> in a name, a sheet or a note shows as text; nothing runs."""
    sheet = clinic_sheet(tmp_path, name='Calm & "Waters" <b>Clinic</b>')
    page = make_gfe(
        runner,
        tmp_path,
        "--patient",
        "<script>alert(1)</script>",
        "--dob",
        "1980-04-30",
        "--dx",
        "F33.1",
        "--prepared-by",
        "</style><script>alert(2)</script>",
        "--separately",
        "<img src=x onerror=alert(3)>",
        sheet=sheet,
    )
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>" not in page
    assert page.count("</style>") == 1
    text = text_of(page)
    assert "Name <script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(3)>" in text
    assert 'Calm & "Waters" <b>Clinic</b>' in text


SECRET_NAME, SECRET_DOB = "Zelda Quixote", "1971-06-05"


@pytest.mark.parametrize(
    ("args", "hint"),
    [
        (["--dob", "1971-06-32"], "'--dob'"),
        (["--dob", "2999-01-01"], "'--dob'"),
        (["--dx", "F3"], "'--dx'"),
        (["--dx", "F33.1", "--sheet", "BUILTIN"], "'--sheet'"),
        (["--dx", "F33.1", "--deductible", "500"], "--deductible"),
        (["--dx", "F33.1", "--ride", "20"], "--ride"),  # click 8.2 does not quote it
        (["--dx", "F33.1", "--scheduled", "2026-11-23", "--start", "2026-11-30"], "--scheduled"),
        (["--dx", "F33.1", "--replaces", "G-20000101-AAAAAA"], "'--replaces'"),
        (["--dx", "F33.1", "Quixote"], "quote a name"),
        (["--dx", "F33.1", "--patient", "   "], "'--patient'"),
    ],
)
def test_bad_input_is_status_2_and_never_echoes_the_patient(
    runner: CliRunner, tmp_path: Path, args: list[str], hint: str
) -> None:
    """Each mistake names its option; the patient's name and birth date never appear, and
    nothing is saved."""
    sheet = [] if "BUILTIN" in args else ["--sheet", str(clinic_sheet(tmp_path))]
    args = [a for a in args if a not in ("--sheet", "BUILTIN")]
    db = tmp_path / "q.db"
    result = run(
        runner,
        "gfe",
        "--db",
        str(db),
        "--patient",
        SECRET_NAME,
        "--dob",
        SECRET_DOB,
        *sheet,
        *args,
        "-o",
        str(tmp_path / "g.html"),
        code=2,
    )
    assert hint in result.stderr
    # The dates as typed, not bare digits: a temporary folder's name may hold "32".
    for secret in (SECRET_NAME, *SECRET_NAME.split(), SECRET_DOB, "1971-06", "06-32"):
        assert secret not in result.stdout + result.stderr, secret
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "g.html").exists()
    if db.exists():
        with open_quote_log(db) as log:
            assert list(log.entries()) == []


@pytest.mark.parametrize("missing", ["npi", "tin", "address", "name", "state"])
def test_missing_clinic_identity_is_an_error(
    runner: CliRunner, tmp_path: Path, missing: str
) -> None:
    """No blank fields: a sheet without the provider's NPI, TIN, address... is refused."""
    sheet = clinic_sheet(tmp_path, **{missing: ""})
    result = run(
        runner,
        "gfe",
        *PATIENT,
        "--dx",
        "F33.1",
        "--sheet",
        str(sheet),
        "--db",
        str(tmp_path / "q.db"),
        "-o",
        str(tmp_path / "g.html"),
        code=2,
    )
    assert f"lacks {missing}" in result.stderr


@pytest.mark.parametrize("missing", ["--patient", "--dob", "--dx", "-o"])
def test_patient_name_birth_date_and_diagnosis_are_required(
    runner: CliRunner, tmp_path: Path, missing: str
) -> None:
    """A GFE without the patient's name or date of birth (or a diagnosis) is not made."""
    args = {
        "--patient": "Ann Lee",
        "--dob": "1980-04-30",
        "--dx": "F33.1",
        "-o": str(tmp_path / "g.html"),
    }
    del args[missing]
    flat = [part for pair in args.items() for part in pair]
    result = run(
        runner,
        "gfe",
        "--sheet",
        str(clinic_sheet(tmp_path)),
        *flat,
        "--db",
        str(tmp_path / "q.db"),
        code=2,
    )
    assert missing.lstrip("-") in result.stderr


def test_quote_errors_never_echo_the_patient(runner: CliRunner, tmp_path: Path) -> None:
    """The same rule holds for `ketacost quote`."""
    for args in (["--dob", "06/05/1971"], ["--replaces", "Q-1"], ["Quixote"]):
        result = run(
            runner, "quote", "--db", str(tmp_path / "q.db"), "--patient", SECRET_NAME, *args, code=2
        )
        assert "Quixote" not in result.stderr
        assert "1971" not in result.stderr


@pytest.mark.browser
def test_gfe_renders_on_us_letter_in_a_browser(runner: CliRunner, tmp_path: Path) -> None:
    """Headless Chromium prints the page to Letter-size PDF pages and screenshots it."""
    from tests.browser import render

    page = make_gfe(
        runner,
        tmp_path,
        *PATIENT,
        "--dx",
        "F33.1",
        "--maintenance",
        "4w",
        "--scheduled",
        "2026-11-23",
    )
    assert "size: Letter" in page
    source = tmp_path / "gfe.html"
    pdf = render(source, tmp_path / "gfe.pdf", pdf=True).read_bytes()
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*\]", pdf))
    assert sizes == {(b"612", b"792")}
    assert 1 <= len(re.findall(rb"/Type\s*/Page\b", pdf)) <= 3
    png = render(source, tmp_path / "gfe.png").read_bytes()
    assert png.startswith(b"\x89PNG")


def test_a_page_that_cannot_be_written_is_still_in_the_log(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The GFE is saved first; if its file cannot be written, the error says how to
    print it again (status 1)."""
    import click

    from ketacost.cli import gfe_cmd

    def fail(page: str, kind: str, output: Path | None, *, private: bool = False) -> None:
        raise click.FileError(str(output), "disk full")

    monkeypatch.setattr(gfe_cmd, "write_page", fail)
    result = run(
        runner,
        "gfe",
        *PATIENT,
        "--dx",
        "F33.1",
        "--sheet",
        str(clinic_sheet(tmp_path)),
        "--db",
        str(tmp_path / "q.db"),
        "-o",
        str(tmp_path / "g.html"),
        code=1,
    )
    with open_quote_log(tmp_path / "q.db", write=False) as log:
        [entry] = log.entries()
    assert f"saved as {entry.id}" in result.stderr
    assert f"ketacost quotes show {entry.id} -o FILE.html" in result.stderr


@pytest.mark.browser
def test_gfe_does_not_scroll_sideways_at_320_px(runner: CliRunner, tmp_path: Path) -> None:
    """A phone held upright (320 CSS px, WCAG's reflow width): the whole page, two
    providers' items and a year of dates included, is no wider than the screen."""
    from tests.browser import widths_at

    make_gfe(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--maintenance", "every 2 weeks",
             "--separately", "Psychotherapy sessions with a licensed therapist",
             sheet=clinic_sheet(tmp_path, extra=CO_PROVIDER))  # fmt: skip
    laid_out, window = widths_at(tmp_path / "gfe.html", 320)
    assert window <= 320
    assert laid_out <= window


@pytest.mark.browser
def test_gfe_long_unbroken_words_do_not_scroll_sideways_at_320_px(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A clinic's e-mail address in its name or address, a long treatment label, a long
    name: words wider than a phone's screen wrap there rather than widen the page (they
    made it 820 px wide at 320)."""
    from tests.browser import widths_at

    word = "info@calm-waters-ketamine-and-wellness.example"
    sheet = clinic_sheet(tmp_path, name=f"Calm Waters {word}", address=f"100 Main St {word}")
    text = sheet.read_text(encoding="utf-8")
    sheet.write_text(text.replace('label = "Depression', f'label = "{word}Depression', 1))
    make_gfe(runner, tmp_path, "--patient", "Wolfeschlegelsteinhausenbergerdorff-Nguyen",
             "--dob", "1980-04-30", "--dx", "F33.1", sheet=sheet)  # fmt: skip
    laid_out, window = widths_at(tmp_path / "gfe.html", 320)
    assert window <= 320
    assert laid_out <= window


def test_gfe_tables_say_what_each_header_heads(runner: CliRunner, tmp_path: Path) -> None:
    """Every header cell has a scope: column titles scope="col"; each item's name, each
    subtotal and the total, and each label of the patient, provider and service tables
    scope="row", so a screen reader reads a figure with its row's name."""
    page = make_gfe(runner, tmp_path, *PATIENT, "--dx", "F33.1",
                    sheet=clinic_sheet(tmp_path, extra=CO_PROVIDER))  # fmt: skip
    body = page[page.index("<body>") :]
    headers = re.findall(r"<th\b[^>]*>", body)
    assert headers and all("scope=" in th for th in headers), headers
    assert body.count("<th scope=col") == 6
    for label in ("Induction sessions", "Psychiatric evaluation", "Subtotal, Oak Psychiatry",
                  "Total expected charges", "Date of birth", "NPI", "Scheduled date"):  # fmt: skip
        assert re.search(rf"<th[^>]*scope=row[^>]*>{re.escape(label)}", body), label


def test_a_diagnosis_given_twice_is_listed_once(runner: CliRunner, tmp_path: Path) -> None:
    """``--dx F33.1 --dx f33.1 --dx F41.1 --dx F33.1``: each code once, in the order
    first given (every item row repeated "F33.1, F33.1, ..." as often as it was typed)."""
    args = ["--dx", "F33.1", "--dx", "f33.1", "--dx", "F41.1", "--dx", "F33.1"]
    page = make_gfe(runner, tmp_path, *PATIENT, *args)
    assert "F33.1, F41.1" in page
    assert "F33.1, F33.1" not in page and "F41.1, F33.1" not in page


@pytest.mark.parametrize(
    ("item", "says"),
    [
        ("x" * 100_000, "longer than 200 characters"),
        ("Lab " + "x" * 197, "longer than 200 characters"),
        ("Lab\x1b[2Jwork", "control characters"),
        ("Lab\u202ework", "control characters"),
    ],
    ids=["100 KB", "201 characters", "escape", "bidi override"],
)
def test_separately_is_bounded_and_plain(
    runner: CliRunner, tmp_path: Path, item: str, says: str
) -> None:
    """An item scheduled separately is a short label on a legal page: one too long or
    holding a control character is refused, status 2, on one line naming --separately;
    nothing is saved."""
    db, out = tmp_path / "q.db", tmp_path / "gfe.html"
    sheet = clinic_sheet(tmp_path)
    result = run(
        runner, "gfe", "--db", str(db), "--sheet", str(sheet), "-o", str(out), *PATIENT,
        "--dx", "F33.1", "--separately", item, code=2,
    )  # fmt: skip
    [line] = result.stderr.splitlines()
    assert "'--separately'" in line and says in line, line
    assert item not in line
    assert not out.exists() and not db.exists()


def test_separately_of_200_characters_is_kept(runner: CliRunner, tmp_path: Path) -> None:
    """The longest item allowed is on the page whole, its spaces tidied."""
    item = "Lab  " + "x" * 195
    page = make_gfe(runner, tmp_path, *PATIENT, "--dx", "F33.1", "--separately", item)
    assert "Lab " + "x" * 195 in text_of(page)
