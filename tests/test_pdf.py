"""Outputs are what their suffix says: ``-o FILE.pdf`` is a PDF (WeasyPrint, the extra
``ketacost[pdf]``), ``quote -o FILE.html`` a quote page, any other suffix is refused."""

from __future__ import annotations

import html
import shutil
import sqlite3
import subprocess
import sys
from importlib.abc import MetaPathFinder
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.cli.dispatch import output_format
from tests.clinic import CLINIC, clinic_sheet
from tests.printing import need_pdf

START = ["--start", "2026-11-23"]
PATIENT = ["--patient", "Ann Lee", "--dob", "1980-04-30"]
INSTALL = "pip install 'ketacost[pdf]'"


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def saved(db: Path) -> int:
    """How many entries the quote log holds (0 when there is no log)."""
    if not db.exists():
        return 0
    with sqlite3.connect(db) as connection:
        count: int = connection.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
    return count


def is_pdf(path: Path) -> bool:
    data = path.read_bytes()
    return data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")


def page_size(path: Path) -> str:
    """``612 x 792 pts (letter)``, as poppler's pdfinfo reads it (skips without it)."""
    tool = shutil.which("pdfinfo")
    if tool is None:
        pytest.skip("no pdfinfo installed (.ci/run installs Debian's poppler-utils)")
    info = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True)
    return next(line for line in info.stdout.splitlines() if line.startswith("Page size:"))


@pytest.fixture
def pdf() -> None:
    need_pdf()


@pytest.fixture
def no_weasyprint(monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint not installed: importing it fails as a missing module does."""
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "weasyprint", None)


class NoPango(MetaPathFinder):
    """WeasyPrint installed without the system's Pango: its import prints a banner on
    standard output, then fails with OSError (as WeasyPrint does)."""

    def find_spec(self, name: str, *args: Any) -> None:
        if name == "weasyprint":
            print("-----\nWeasyPrint could not import some external libraries.\n-----")
            raise OSError("cannot load library 'libpango-1.0-0'")


@pytest.fixture
def no_pango(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [NoPango(), *sys.meta_path])


@pytest.mark.usefixtures("pdf")
@pytest.mark.parametrize(
    "args",
    [
        ["estimate", *START, "-m", "4w"],
        ["estimate", *START, "--by-month"],
        ["compare", *START, "a", "b: -m 4w", "c: -c pain"],
    ],
    ids=["estimate", "by-month", "compare"],
)
def test_pdf_file(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    """-o FILE.pdf writes a PDF on US Letter, and nothing else on the screen (WeasyPrint's
    warnings about screen-only CSS stay quiet)."""
    out = tmp_path / "out.pdf"
    result = run(runner, *args, "-o", str(out))
    assert result.stdout == "" and result.stderr == ""
    assert is_pdf(out)
    assert page_size(out).endswith("612 x 792 pts (letter)")


@pytest.mark.usefixtures("pdf")
@pytest.mark.usefixtures("pdf")
def test_the_notice_as_a_pdf(runner: CliRunner, tmp_path: Path) -> None:
    """`gfe notice -o notice.pdf` prints the posted notice to a PDF on US Letter."""
    from tests.clinic import clinic_sheet

    out = tmp_path / "notice.pdf"
    result = run(runner, "gfe", "notice", "--sheet", str(clinic_sheet(tmp_path)), "-o", str(out))
    assert "written to" in result.stdout
    assert is_pdf(out)
    assert page_size(out).endswith("612 x 792 pts (letter)")


def test_format_pdf_to_standard_output(runner: CliRunner) -> None:
    """--format pdf writes the PDF's bytes to standard output (a pipe, a file)."""
    result = run(runner, "estimate", *START, "--format", "pdf")
    assert result.stdout_bytes.startswith(b"%PDF-")


def test_pdf_is_not_written_to_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """A PDF on a terminal would be noise: status 2, naming --output."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    with pytest.raises(click.BadParameter, match="not shown on a terminal"):
        output_format("pdf", None)


@pytest.mark.usefixtures("pdf")
def test_quote_pdf_names_the_clinic_and_shows_the_id(runner: CliRunner, tmp_path: Path) -> None:
    """quote -o FILE.pdf: saved, written, and its id said on standard error."""
    out, db = tmp_path / "q.pdf", tmp_path / "q.db"
    sheet = clinic_sheet(tmp_path)
    result = run(runner, "quote", "--db", str(db), "--sheet", str(sheet), *PATIENT, "-o", str(out))
    assert is_pdf(out)
    assert result.stdout == ""
    assert result.stderr.startswith("Saved as quote Q-") and str(out) in result.stderr
    assert saved(db) == 1


@pytest.mark.usefixtures("pdf")
def test_gfe_pdf_and_its_reprint(runner: CliRunner, tmp_path: Path) -> None:
    """gfe -o FILE.pdf prints the page as issued; quotes show ID -o FILE.pdf again."""
    out, db = tmp_path / "g.pdf", tmp_path / "q.db"
    sheet = clinic_sheet(tmp_path)
    args = ["gfe", "--db", str(db), "--sheet", str(sheet), *PATIENT, "--dx", "F33.1"]
    result = run(runner, *args, "-o", str(out))
    assert is_pdf(out)
    entry_id = result.stdout.split()[3]
    assert entry_id.startswith("G-")
    again = tmp_path / "again.pdf"
    run(runner, "quotes", "show", entry_id, "--db", str(db), "-o", str(again))
    assert is_pdf(again)


@pytest.mark.usefixtures("no_weasyprint")
@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "-o", "x.pdf"],
        ["estimate", "--format", "pdf"],
        ["compare", "a", "b: -m 4w", "-o", "x.pdf"],
        ["quote", "-o", "x.pdf"],
        ["gfe", *PATIENT, "--dx", "F33.1", "-o", "x.pdf"],
    ],
    ids=["estimate", "format", "compare", "quote", "gfe"],
)
def test_without_the_extra(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    """No WeasyPrint: status 2, one line naming the install command; nothing saved or
    written."""
    db = tmp_path / "q.db"
    monkeypatch.chdir(tmp_path)
    extra = ["--db", str(db)] if args[0] in ("quote", "gfe") else []
    if args[0] == "gfe":
        extra += ["--sheet", str(clinic_sheet(tmp_path))]
    result = run(runner, *args, *extra, code=2)
    assert not (tmp_path / "x.pdf").exists()
    assert result.stderr.count("\n") == 1
    assert INSTALL in result.stderr
    assert "Traceback" not in result.stderr
    assert saved(db) == 0


@pytest.mark.usefixtures("no_pango")
def test_without_pango(runner: CliRunner, tmp_path: Path) -> None:
    """WeasyPrint that cannot load its libraries: status 1, one line naming them; its
    banner never reaches standard output."""
    result = run(runner, "estimate", "--format", "pdf", code=1)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "Pango" in result.stderr and "libpango" in result.stderr


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["estimate"], "x.xlsx"),
        (["estimate"], "x.docx"),
        (["compare", "a", "b: -m 4w"], "x.xlsx"),
        (["quote"], "x.xlsx"),
        (["quote"], "x.svg"),
        (["gfe", *PATIENT, "--dx", "F33.1"], "x.txt"),
        (["gfe", *PATIENT, "--dx", "F33.1"], "x.csv"),
    ],
)
def test_unknown_suffix_is_refused(
    runner: CliRunner, tmp_path: Path, command: list[str], name: str
) -> None:
    """A suffix a command does not write: status 2 naming --output and what it writes;
    nothing saved, nothing written."""
    db, out = tmp_path / "q.db", tmp_path / name
    extra = ["--db", str(db)] if command[0] in ("quote", "gfe") else []
    if command[0] == "gfe":
        extra += ["--sheet", str(clinic_sheet(tmp_path))]
    result = run(runner, *command, *extra, "-o", str(out), code=2)
    assert "'--output'" in result.stderr and f"cannot write a {out.suffix} file" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists()
    assert saved(db) == 0


def test_format_and_suffix_must_agree(runner: CliRunner, tmp_path: Path) -> None:
    """--format svg -o FILE.pdf is refused; a .txt file takes any text format."""
    result = run(runner, "estimate", "-f", "svg", "-o", str(tmp_path / "x.pdf"), code=2)
    assert "--format svg does not write a .pdf file" in result.stderr
    run(runner, "estimate", "-f", "csv", "-o", str(tmp_path / "x.txt"))
    assert (tmp_path / "x.txt").read_text().startswith("item,low,typical,high")


def test_txt_stays_a_table(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "x.txt"
    run(runner, "estimate", "-o", str(out))
    assert out.read_text().startswith("Estimated cost of ketamine infusion therapy\n┏")


def test_quote_page(runner: CliRunner, tmp_path: Path) -> None:
    """quote -o FILE.html: clinic, quote id and date, patient, figures, notes, disclaimer,
    printable on US Letter; the id is said on standard error."""
    out, db = tmp_path / "q.html", tmp_path / "q.db"
    sheet = clinic_sheet(tmp_path)
    args = ["quote", "--db", str(db), "--sheet", str(sheet), *START, *PATIENT]
    result = run(runner, *args, "--prepared-by", "Sam", "-m", "monthly", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    entry_id = result.stderr.split()[3]
    assert entry_id.startswith("Q-")
    assert f'<tr><th scope="row">Quote</th><td>{entry_id}</td></tr>' in page
    assert f"<strong>{CLINIC['name']}</strong>" in page and CLINIC["phone"] in page
    assert '<tr><th scope="row">Patient</th><td>Ann Lee</td></tr>' in page
    assert '<tr><th scope="row">Date of birth</th><td>April 30, 1980</td></tr>' in page
    assert '<tr><th scope="row">Prepared by</th><td>Sam</td></tr>' in page
    assert "Out of pocket" in page and "$3,600.00" in page  # the induction, typical
    assert "Month by month" in page and "What this assumes" in page
    assert "This is an estimate, not medical or financial advice." in page
    assert "@page { size: letter;" in page
    assert "<script" not in page


def test_quote_page_without_a_clinic_and_from_the_log(runner: CliRunner, tmp_path: Path) -> None:
    """On the built-in sheet there is no clinic to name; quotes show ID -o FILE.html
    prints the page again from the log, with no clinic either."""
    out, db = tmp_path / "q.html", tmp_path / "q.db"
    result = run(runner, "quote", "--db", str(db), *START, "--patient", "Bo", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert 'class="clinic"' not in page
    entry_id = result.stderr.split()[3]
    again = tmp_path / "again.html"
    run(runner, "quotes", "show", entry_id, "--db", str(db), "-o", str(again))
    reprint = again.read_text(encoding="utf-8")
    assert f"<td>{entry_id}</td>" in reprint and "<td>Bo</td>" in reprint
    assert reprint.split("<main>")[1] == page.split("<main>")[1]


def test_a_quote_reprints_with_its_clinic_letterhead(runner: CliRunner, tmp_path: Path) -> None:
    """quotes show ID -o FILE.html prints the page as it was given: the clinic's name,
    address and phone kept with the quote (not read from a sheet that may have changed)."""
    out, db = tmp_path / "q.html", tmp_path / "q.db"
    sheet = clinic_sheet(tmp_path)
    result = run(runner, "quote", "--db", str(db), "--sheet", str(sheet), *START, *PATIENT,
                 "-o", str(out))  # fmt: skip
    entry_id = result.stderr.split()[3]
    sheet.unlink()  # the sheet is gone; the quote still names its clinic
    again = tmp_path / "again.html"
    run(runner, "quotes", "show", entry_id, "--db", str(db), "-o", str(again))
    page, reprint = out.read_text(encoding="utf-8"), again.read_text(encoding="utf-8")
    assert f"<strong>{CLINIC['name']}</strong>" in reprint
    assert CLINIC["address"] in reprint and CLINIC["phone"] in reprint
    assert reprint.split("<main>")[1] == page.split("<main>")[1]


def test_quote_page_escapes_every_text(runner: CliRunner, tmp_path: Path) -> None:
    """A patient's name or a clinic's text is shown as written, never as markup."""
    hostile = '<img src=x onerror="alert(1)">&'
    sheet = clinic_sheet(tmp_path, name=hostile, address="<b>Main</b> & 1st")
    out = tmp_path / "q.html"
    args = ["quote", "--db", str(tmp_path / "q.db"), "--sheet", str(sheet)]
    run(runner, *args, "--patient", "Ann <i>Lee</i>", "-o", str(out))
    page = out.read_text(encoding="utf-8")
    assert "<img" not in page and "<i>" not in page and "<b>Main" not in page
    assert html.escape(hostile) in page
    assert "&lt;b&gt;Main&lt;/b&gt; &amp; 1st" in page


@pytest.mark.parametrize("kind", ["html", "csv", "markdown", "json"])
def test_quote_id_is_always_on_screen(runner: CliRunner, tmp_path: Path, kind: str) -> None:
    """When standard output carries the quote, its id is said on standard error; the table
    shows it in its heading."""
    db = tmp_path / "q.db"
    result = run(runner, "quote", "--db", str(db), "--format", kind)
    assert result.stderr.startswith("Saved as quote Q-")
    table = run(runner, "quote", "--db", str(db))
    assert table.stdout.startswith("Quote Q-") and table.stderr == ""


@pytest.mark.usefixtures("no_weasyprint")
def test_print_tests_skip_with_a_reason_or_fail_where_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without WeasyPrint a print test skips, saying why; under KETACOST_TEST_PDF=1 (CI)
    it fails instead, so CI never passes without printing."""
    monkeypatch.delenv("KETACOST_TEST_PDF", raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"WeasyPrint cannot print here: .*pip"):
        need_pdf()
    monkeypatch.setenv("KETACOST_TEST_PDF", "1")
    with pytest.raises(pytest.fail.Exception, match="KETACOST_TEST_PDF=1"):
        need_pdf()


def pdf_info(path: Path) -> dict[str, str]:
    """poppler's pdfinfo fields (skips without it)."""
    tool = shutil.which("pdfinfo")
    if tool is None:
        pytest.skip("no pdfinfo installed (.ci/run installs Debian's poppler-utils)")
    info = subprocess.run([tool, str(path)], capture_output=True, text=True, check=True)
    pairs = (line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    return {key.strip(): value.strip() for key, value in pairs}


@pytest.mark.usefixtures("pdf")
def test_every_pdf_is_tagged(runner: CliRunner, tmp_path: Path) -> None:
    """A GFE, a quote, an estimate, a comparison and the posted notice print as tagged PDFs
    (PDF/UA-1): a screen reader finds their headings, lists and table headers."""
    sheet = str(clinic_sheet(tmp_path))
    db = ["--db", str(tmp_path / "q.db")]
    commands = {
        "gfe": ["gfe", *db, "--sheet", sheet, *PATIENT, "--dx", "F33.1"],
        "quote": ["quote", *db, "--sheet", sheet, *START],
        "estimate": ["estimate", *START],
        "compare": ["compare", *START, "-c", "depression", "-c", "pain"],
        "notice": ["gfe", "notice", "--sheet", sheet],
    }
    for name, args in commands.items():
        out = tmp_path / f"{name}.pdf"
        run(runner, *args, "-o", str(out))
        assert pdf_info(out)["Tagged"] == "yes", name
