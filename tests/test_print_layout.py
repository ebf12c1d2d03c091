"""Printed pages (US Letter): where they break, what repeats, how many there are.

Each page is printed twice: by WeasyPrint (``-o FILE.pdf``) and by headless Chromium (a
browser's Print). The cases are the ones that printed badly: a Good Faith Estimate whose
total repeated at the foot of page 1, a comparison whose notes heading was stranded at a
page foot, a clinic-sheet estimate on three pages with page 1 half empty."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.render.layout import template_text
from tests.browser import pdf_page_texts, pdf_pages, render
from tests.clinic import CO_PROVIDER, clinic_sheet
from tests.printing import charts_on, overflow, page_text, printed

CLINIC = Path(__file__).parent / "fixtures" / "clinic-0.1.0.toml"
"""Two treatments, a consultation fee, two discounts, maintenance plans, a clinic."""
START = ["--start", "2026-11-23"]
CLINIC_ESTIMATES = {
    "18 monthly boosters": ["--maintenance", "monthly", "--months", "18"],
    "membership, HSA, financing, rides": [
        "--maintenance",
        "membership",
        "--ride",
        "25",
        "--hsa-rate",
        "24",
        "--finance",
        "12@17.99",
    ],
    "insurance": ["--maintenance", "six-weekly", "--deductible", "1500", "--coinsurance", "20"],
}
COMPARE = ["compare", *START, "induction only", "every 4 weeks: -m 4w", "pain: -c pain"]
TOTAL = "Total expected charges"


def write(runner: CliRunner, tmp_path: Path, name: str, *args: str) -> Path:
    out = tmp_path / name
    result = runner.invoke(cli, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def gfe_page(runner: CliRunner, tmp_path: Path) -> Path:
    """A Good Faith Estimate with 12 months of monthly boosters (five item rows)."""
    return write(
        runner,
        tmp_path,
        "gfe.html",
        "gfe",
        "--sheet",
        str(clinic_sheet(tmp_path, extra=FEES)),
        "--db",
        str(tmp_path / "q.db"),
        "--patient",
        "Ann Lee",
        "--dob",
        "1980-04-30",
        "--dx",
        "F33.1",
        "--start",
        "2026-11-23",
        "--maintenance",
        "monthly",
    )


FEES = """
[fees.consultation]
label = "Psychiatric evaluation"
amount = 250
per = "once"
codes = ["90792"]

[fees.anti-nausea]
label = "Anti-nausea medication"
amount = 25
per = "session"
codes = ["J2405"]
"""


def _print_rules(css: str) -> str:
    return css[css.index("@media print") :]


def test_print_styles_keep_headings_with_what_follows() -> None:
    """The print rules: headings never end a page, short sections print whole, column
    titles repeat and a total (a table footer) prints once."""
    rules = _print_rules(template_text("page.css"))
    assert re.search(r"h1, h2 \{ break-after: avoid; \}", rules)
    assert re.search(r"\.keep[^{]*\{ break-inside: avoid; \}", rules)
    assert "thead { display: table-header-group; }" in rules
    assert "tfoot { display: table-row-group; }" in rules
    gfe = template_text("gfe.css")
    assert "h2, h3 { break-after: avoid; }" in gfe
    assert "tfoot { display: table-row-group; }" in gfe
    assert "tfoot { display: table-footer-group" not in gfe


def test_notes_headings_are_kept_with_their_notes(runner: CliRunner, tmp_path: Path) -> None:
    """On the estimate and compare pages, the notes heading and the notes are one block."""
    estimate = write(runner, tmp_path, "e.html", "estimate", *START).read_text()
    assert '<section class="keep">\n<h2>What this assumes</h2>\n<section class="notes">' in (
        estimate
    )
    compare = write(runner, tmp_path, "c.html", *COMPARE).read_text()
    assert (
        '<section class="keep">\n<h2>What each option assumes</h2>\n<section class="notes">'
        in compare
    )


def test_gfe_total_prints_once_after_the_items(runner: CliRunner, tmp_path: Path) -> None:
    """WeasyPrint: the total is on one page only, after the last item."""
    pages = [page_text(page) for page in printed(gfe_page(runner, tmp_path).read_text())]
    assert sum(text.count(TOTAL) for text in pages) == 1
    last = next(text for text in pages if TOTAL in text)
    assert last.index("Anti-nausea medication") < last.index(TOTAL)
    assert len(pages) == 2


def test_compare_notes_heading_is_not_stranded(runner: CliRunner, tmp_path: Path) -> None:
    """WeasyPrint: the heading prints on the page of the notes; the chart shares page 1
    with the table (two pages, not three)."""
    pages = printed(write(runner, tmp_path, "c.html", *COMPARE).read_text())
    texts = [page_text(page) for page in pages]
    with_heading = next(text for text in texts if "What each option assumes" in text)
    assert "induction only: Depression and other mood conditions" in with_heading
    assert charts_on(pages[0]) == 1
    assert len(pages) == 2


@pytest.mark.parametrize("case", CLINIC_ESTIMATES)
def test_clinic_estimate_prints_on_two_full_pages(
    runner: CliRunner, tmp_path: Path, case: str
) -> None:
    """WeasyPrint: page 1 holds the whole summary and the chart; the months and the notes
    follow on page 2."""
    args = ["estimate", "--sheet", str(CLINIC), *START, *CLINIC_ESTIMATES[case]]
    pages = printed(write(runner, tmp_path, "e.html", *args).read_text())
    first = page_text(pages[0])
    assert "Other costs" in first  # the summary's last row
    assert charts_on(pages[0]) == 1
    assert "What this assumes" in page_text(pages[-1])
    assert len(pages) == 2


def test_quote_page_prints_on_two_pages(runner: CliRunner, tmp_path: Path) -> None:
    """WeasyPrint: the quote page names the clinic, the quote and the patient on page 1."""
    args = ["quote", "--sheet", str(CLINIC), "--db", str(tmp_path / "q.db"), *START]
    page = write(runner, tmp_path, "q.html", *args, "--patient", "Ann Lee", "-m", "membership")
    pages = printed(page.read_text())
    first = page_text(pages[0])
    assert "Calm Waters Ketamine Clinic" in first and "Ann Lee" in first
    assert re.search(r"Quote Q-\d{8}-[0-9A-Z]{6}", first)
    assert len(pages) == 2


@pytest.mark.browser
def test_a_browser_prints_them_the_same(runner: CliRunner, tmp_path: Path) -> None:
    """Chromium: two pages each; the GFE's total once, after the items; the compare
    notes heading on the page of its notes."""
    gfe = render(gfe_page(runner, tmp_path), tmp_path / "gfe.pdf", pdf=True)
    texts = pdf_page_texts(gfe)
    assert sum(text.count(TOTAL) for text in texts) == 1
    last = next(text for text in texts if TOTAL in text)
    assert last.index("Anti-nausea medication") < last.index(TOTAL)
    compare = render(write(runner, tmp_path, "c.html", *COMPARE), tmp_path / "c.pdf", pdf=True)
    texts = pdf_page_texts(compare)
    with_heading = next(text for text in texts if "What each option assumes" in text)
    assert "induction only: Depression" in with_heading
    assert pdf_pages(compare) == 2
    for case, extra in CLINIC_ESTIMATES.items():
        page = write(runner, tmp_path, "e.html", "estimate", "--sheet", str(CLINIC), *START, *extra)
        assert pdf_pages(render(page, tmp_path / "e.pdf", pdf=True)) == 2, case


def test_a_gfe_saved_by_010_prints_its_total_once(runner: CliRunner, tmp_path: Path) -> None:
    """A page saved by 0.1.0 (its style sheet repeats the total at each page foot) prints
    to PDF with the total once: the PDF adds today's print rules, the page is unchanged."""
    import shutil
    import sqlite3

    log = tmp_path / "q.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "quotes-0.1.0.db", log)
    with sqlite3.connect(log) as connection:
        (page,) = connection.execute(
            "SELECT html FROM entries WHERE id = 'G-20261130-48ANXN'"
        ).fetchone()
    assert "tfoot { display: table-row-group; }" not in page
    texts = [page_text(p) for p in printed(page)]
    assert sum(text.count(TOTAL) for text in texts) == 1
    out = tmp_path / "copy.pdf"
    result = runner.invoke(
        cli, ["quotes", "show", "G-20261130-48ANXN", "--db", str(log), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-")


def test_six_options_fit_the_page_width(runner: CliRunner, tmp_path: Path) -> None:
    """WeasyPrint: six options side by side stay within the margins (a figure may wrap;
    before, the sixth column ran off the paper)."""
    args = ["compare", *START, "-m", "none", "-m", "4w", "-m", "6w", "-m", "monthly"]
    args += ["-m", "8w", "-m", "3w", "--deductible", "1500", "--coinsurance", "20"]
    pages = printed(write(runner, tmp_path, "c.html", *args).read_text())
    assert all(overflow(page) <= 0.5 for page in pages)
    assert "boosters every 3 weeks" in page_text(pages[0])


CLOSED_FRIDAYS = '\nopen_days = ["mon", "tue", "wed", "thu"]\n'
"""A clinic closed on Fridays: a series every other day moves some sessions."""


def long_gfe(runner: CliRunner, tmp_path: Path) -> Path:
    """A Good Faith Estimate of 31 sessions, 5 of them moved (off Fridays, off a day the
    session before took, off Memorial Day and Labor Day 2027): its session list
    runs from page 1 onto page 2 (a second provider's details fill page 1)."""
    sheet = clinic_sheet(tmp_path, extra=CO_PROVIDER)
    sheet.write_text(
        sheet.read_text().replace("\n[clinic]\n", "\n[clinic]" + CLOSED_FRIDAYS), "utf-8"
    )
    who = ("--patient", "Ann Lee", "--dob", "1980-04-30", "--dx", "F33.1")
    plan = ("--start", "2026-12-14", "--maintenance", "every 2 weeks")
    log = ("--db", str(tmp_path / "q.db"))
    return write(runner, tmp_path, "gfe.html", "gfe", "--sheet", str(sheet), *log, *who, *plan)


def test_gfe_session_dates_read_in_order_across_pages(runner: CliRunner, tmp_path: Path) -> None:
    """WeasyPrint: read page by page, line by line, left to right, the session dates come
    in their order (a list in columns read 1, 4, 7 on a line, and split its columns
    across a page break)."""
    pages = printed(long_gfe(runner, tmp_path).read_text())
    boxes = [(n, box) for n, page in enumerate(pages) for box in page._page_box.descendants()]
    dates = next(
        box.element
        for _, box in boxes
        if getattr(box, "element", None) is not None
        and box.element.tag == "ol"
        and box.element.get("class") == "dates"
    )
    order = {id(item): index for index, item in enumerate(dates)}
    placed: list[tuple[int, float, float, int]] = []
    for number, box in boxes:
        element = getattr(box, "element", None)
        if element is not None and id(element) in order and box.element_tag == "li":
            placed.append((number, round(box.position_y), box.position_x, order.pop(id(element))))
    assert len(placed) == 31
    assert len({page for page, *_ in placed}) == 2, "the list should run onto page 2"
    assert [index for *_, index in sorted(placed)] == list(range(31))


def test_gfe_lists_every_moved_session_where_it_falls(runner: CliRunner, tmp_path: Path) -> None:
    """Each moved session says the day it was planned for, in the list; no "and N more"
    (an internal shortening of the screen notes) on a legal page."""
    page = long_gfe(runner, tmp_path).read_text()
    dates = page[page.index("<ol class=dates>") : page.index("</ol>")]
    moved = re.findall(r"\(moved from (\w{3} \w{3} \d+, \d{4})\)", dates)
    assert moved[0] == "Fri Dec 18, 2026"
    assert len(moved) == page.count("moved from") == 5
    assert "more)" not in page and "and 1 more" not in page


@pytest.mark.parametrize("patient", ["Ann " + "W" * 90, "Ann Lee-" + "Wolfeschlegelstein" * 3])
def test_a_long_patient_name_leaves_the_provider_on_the_gfe(
    runner: CliRunner, tmp_path: Path, patient: str
) -> None:
    """WeasyPrint: a long word in the patient's name wraps; the provider's column (name,
    NPI, TIN, location) stays on the paper, and the footer cuts the name short. The
    column was pushed past the right edge, and those items of the Good Faith Estimate
    were cut from the PDF; the footer ran off the paper."""
    out = write(runner, tmp_path, "gfe.html", "gfe", "--sheet", str(clinic_sheet(tmp_path)),
                "--db", str(tmp_path / "q.db"), "--patient", patient, "--dob", "1980-04-30",
                "--dx", "F33.1", *START)  # fmt: skip
    pages = printed(out.read_text(encoding="utf-8"))
    assert all(overflow(page, margin=0.55 * 96) <= 0.5 for page in pages)  # gfe.css: 0.55in
    text = page_text(pages[0])
    for item in ("Calm Waters", "1234567893", "12-3456789", "100 Main Street"):
        assert item in text


def test_a_long_patient_name_stays_on_the_quote_page(runner: CliRunner, tmp_path: Path) -> None:
    """WeasyPrint: a quote's patient and preparer with a long word wrap on the paper
    (the name ran off the right edge, its end cut from the PDF)."""
    name, preparer = "Ann " + "W" * 90, "P" * 80
    out = write(runner, tmp_path, "q.html", "quote", "--db", str(tmp_path / "q.db"),
                "--patient", name, "--dob", "1980-04-30", "--prepared-by", preparer,
                *START)  # fmt: skip
    pages = printed(out.read_text(encoding="utf-8"))
    assert all(overflow(page) <= 0.5 for page in pages)
    assert "W" * 90 in page_text(pages[0]).replace(" ", "")
