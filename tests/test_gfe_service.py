"""The primary service a Good Faith Estimate describes, and the titles of estimates and
comparisons, come from the treatment (issue 19): an IV infusion, a Spravato nasal spray
under observation, an IM injection, ketamine-assisted psychotherapy with its therapy
sessions; never "IV" for all."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.sheet.load import BUILTIN_SHEET, load_sheet, parse_sheet
from tests.clinic import clinic_sheet
from tests.sheet_samples import problems

PATIENT = ["--patient", "Ann Lee", "--dob", "1980-04-30", "--dx", "F33.1"]
TODAY = date(2026, 11, 20)
STARTER = Path(BUILTIN_SHEET).with_name("starter.toml")

KAP_CODES = {
    "[treatments.kap]": 'codes = ["J3490"]',
    "[fees.kap-intake]": 'codes = ["90791"]',
    "[fees.kap-medical-evaluation]": 'codes = ["90792"]',
    "[fees.kap-preparation]": 'codes = ["90837"]',
    "[fees.kap-integration]": 'codes = ["90837"]',
}
"""Codes for KAP's lines: the built-in sheet gives none, and a GFE lists no uncoded item."""


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> None:
    from ketacost.cli import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def text_of(page: str) -> str:
    body = re.sub(r"<(style|title)>.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def coded_sheet(folder: Path) -> Path:
    """The built-in sheet with a clinic, and codes on KAP's lines."""
    path = clinic_sheet(folder)
    text = path.read_text(encoding="utf-8")
    for header, codes in KAP_CODES.items():
        text = text.replace(f"{header}\n", f"{header}\n{codes}\n")
    path.write_text(text, encoding="utf-8")
    return path


def primary_service(runner: CliRunner, tmp_path: Path, condition: str) -> str:
    """The text of a GFE's "Primary service" paragraph for one treatment."""
    out = tmp_path / f"{condition}.html"
    run(runner, "gfe", "--db", str(tmp_path / "q.db"), "--sheet", str(coded_sheet(tmp_path)),
        "-c", condition, *PATIENT, "-o", str(out))  # fmt: skip
    text = text_of(out.read_text(encoding="utf-8"))
    found = re.search(r"Primary service (.*?) Scheduled date", text)
    assert found, text
    return found.group(1)


RIDE = "You may not drive until the next day, so you will need a ride home after each session."


@pytest.mark.parametrize(
    ("condition", "says", "never"),
    [
        ("depression", ["Ketamine infusion therapy:", "intravenous (IV) infusions"], []),
        ("pain", ["Ketamine infusion therapy: Chronic pain.", "intravenous (IV)"], []),
        (
            "spravato",
            [
                "Ketamine treatment: Spravato (esketamine nasal spray).",
                "nasal spray",
                "observed at the clinic for at least 2 hours after each session",
            ],
            ["intravenous", "IV", "infusion"],
        ),
        (
            "im",
            ["Ketamine treatment: Intramuscular (IM) ketamine injections.", "into a muscle"],
            ["intravenous", "(IV)", "infusion"],
        ),
        (
            "kap",
            [
                "Ketamine treatment: Ketamine-assisted psychotherapy (KAP).",
                "dosing session",
                "integration",
                "preparation",
            ],
            ["intravenous", "(IV)", "infusion"],
        ),
    ],
)
def test_the_primary_service_is_the_treatments_own(
    runner: CliRunner, tmp_path: Path, condition: str, says: list[str], never: list[str]
) -> None:
    """Each built-in treatment's GFE describes that treatment (its route, observation and
    the ride home), never an IV infusion for Spravato, IM or KAP."""
    text = primary_service(runner, tmp_path, condition)
    for phrase in [*says, RIDE]:
        assert phrase in text, (phrase, text)
    for word in never:
        assert word not in text, (word, text)


def test_a_sheets_own_description_is_printed_escaped(runner: CliRunner, tmp_path: Path) -> None:
    """A sheet treatment's `description` is the service described, HTML-escaped, followed by
    the length of a session (`infusion_minutes`) and the ride home."""
    sheet = tmp_path / "own.toml"
    text = clinic_sheet(tmp_path).read_text(encoding="utf-8")
    text = re.sub(r"(\[treatments\.im\]\n(?:.+\n)*?)description = .*\n", r"\1", text)
    sheet.write_text(
        text.replace(
            "[treatments.im]\n",
            '[treatments.im]\ndescription = "A <b>shot</b> of ketamine in the arm & rest"\n'
            "infusion_minutes = 30\n",
        ),
        encoding="utf-8",
    )
    out = tmp_path / "im.html"
    run(runner, "gfe", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet), "-c", "im",
        *PATIENT, "-o", str(out))  # fmt: skip
    page = out.read_text(encoding="utf-8")
    assert "A &lt;b&gt;shot&lt;/b&gt; of ketamine in the arm &amp; rest." in page
    assert "Each session lasts about 30 minutes." in text_of(page)
    assert RIDE in text_of(page)


def test_a_treatment_without_a_description_is_described_by_its_codes() -> None:
    """No `description`: IV codes (96365) give an IV infusion, Spravato's codes a nasal
    spray, 96372 an injection into a muscle, other codes a plain ketamine session."""
    from ketacost.sheet.service import service_description

    sheet = parse_sheet(
        "[sheet]\nname = 'x'\n"
        "[treatments.a]\nprice = 1\ncodes = ['96365']\n"
        "[treatments.b]\nprice = 1\ncodes = ['G2082']\nobservation_minutes = 120\n"
        "[treatments.c]\nprice = 1\ncodes = ['96372', 'J3490']\n"
        "[treatments.d]\nprice = 1\ncodes = ['J3490']\n",
        "clinic.toml",
    )
    a, b, c, d = (service_description(t) for t in sheet.treatments)
    assert a.startswith("A series of intravenous (IV) infusions of ketamine.")
    assert "nasal spray" in b and "at least 2 hours" in b and "intravenous" not in b
    assert "into a muscle" in c and "intravenous" not in c
    assert "intravenous" not in d and "nasal" not in d and "muscle" not in d
    assert all(text.endswith(RIDE) for text in (a, b, c, d))


def test_every_built_in_treatment_has_a_description() -> None:
    """The built-in and starter sheets give each treatment its own description."""
    for path in (BUILTIN_SHEET, STARTER):
        for treatment in load_sheet(path).treatments:
            assert len(treatment.description) > 40, (path, treatment.key)


@pytest.mark.parametrize("condition", ["spravato", "kap", "im"])
def test_an_estimate_of_spravato_kap_or_im_is_not_infusion_therapy(
    runner: CliRunner, tmp_path: Path, condition: str
) -> None:
    """The terminal table and the page are titled with the treatment, not "infusion
    therapy"; an IV estimate keeps its title."""
    table = run(runner, "estimate", "-c", condition).stdout
    assert "infusion therapy" not in table
    assert "Estimated cost of ketamine treatment:" in table
    page = run(runner, "estimate", "-c", condition, "--format", "html").stdout
    assert "infusion therapy" not in page
    iv = run(runner, "estimate", "-c", "depression").stdout
    assert "Estimated cost of ketamine infusion therapy" in iv


def test_a_comparison_with_spravato_is_not_infusion_therapy(runner: CliRunner) -> None:
    """A compare page of IV options is "Ketamine infusion therapy"; with Spravato or KAP
    among them, "Ketamine treatments"."""
    mixed = run(runner, "compare", "-c", "depression", "-c", "spravato", "-c", "kap",
                "--format", "html").stdout  # fmt: skip
    assert "infusion therapy" not in mixed
    assert "Ketamine treatments: options side by side" in mixed
    iv = run(runner, "compare", "-c", "depression", "-c", "pain", "--format", "html").stdout
    assert "Ketamine infusion therapy: options side by side" in iv


@pytest.mark.parametrize(
    "value",
    [
        r'"Given \u001B[31mby vein\u001B[0m"',  # an escape sequence
        r'"A link \u001B]8;;https://x.example\u0007here\u001B]8;;\u0007"',  # OSC 8
        r'"Given \u202Enrev yb\u202C"',  # a bidi override, which reorders what is read
        r'"Given \u0000 by vein"',  # NUL
        '"' + "word " * 400 + '"',  # 2,000 characters: a GFE of many pages
    ],
)
def test_a_description_that_is_not_plain_short_text_is_refused(value: str) -> None:
    """`description` is printed on a legal page as the clinic wrote it: a control
    character, a bidi override or a text of more than 1,000 characters is refused at its
    line, not carried into every GFE (a 200 KB description made a 44-page PDF)."""
    sheet = f"[treatments.a]\nprice = 1\ndescription = {value}\n"
    lines = problems(sheet)
    assert len(lines) == 1 and lines[0].startswith("clinic.toml:3: "), lines
    assert "description" in lines[0] and "\x1b" not in lines[0] and "\u202e" not in lines[0]
    assert len(lines[0]) < 300


def test_a_description_of_1000_characters_is_accepted() -> None:
    text = "A" * 999 + "."
    sheet = parse_sheet(f'[treatments.a]\nprice = 1\ndescription = "{text}"\n', "clinic.toml")
    assert sheet.treatments[0].description == text
