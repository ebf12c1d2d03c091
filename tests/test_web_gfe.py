"""The web desk's Good Faith Estimate pages and Today's duties: issued from a saved quote
as ``ketacost gfe --quote`` issues it, the page kept and served byte for byte, a PDF, and
the duties ``gfe due`` lists."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.entries import entry_data
from ketacost.sheet.load import load_sheet
from ketacost.store.opening import open_quote_log
from tests.clinic import clinic_sheet
from tests.conftest import START
from tests.printing import need_pdf
from tests.web import desk, field_error, post_form


def entries(db: Path) -> list[Any]:
    with open_quote_log(db, write=False) as log:
        return list(log.entries(newest_first=False))


@pytest.fixture
def clinic(tmp_path: Path, runner: CliRunner) -> tuple[Path, Path, str]:
    """A clinic's sheet and a log holding one self-pay quote for Ann Lee (saved by the
    CLI on the tests' TODAY), and the quote's id."""
    sheet = clinic_sheet(tmp_path)
    db = tmp_path / "quotes.db"
    done = runner.invoke(
        cli,
        [
            *("quote", "--sheet", str(sheet), "--db", str(db), "--patient", "Ann Lee"),
            *("--dob", "1980-04-30", "--start", str(START), "--format", "json"),
        ],
    )
    assert done.exit_code == 0, done.output
    return sheet, db, json.loads(done.stdout)["id"]


def test_a_gfe_issued_on_the_page_is_the_clis(
    clinic: tuple[Path, Path, str], runner: CliRunner, tmp_path: Path
) -> None:
    """The same log and quote, issued from the page and by ``gfe --quote``: the same
    entry and the same page, but for their own ids and times."""
    sheet, db, quote = clinic
    cli_db = tmp_path / "cli.db"
    shutil.copy(db, cli_db)
    client = desk(load_sheet(str(sheet)), db)
    response = post_form(client, "/gfe", {"quote": quote, "dx": "F33.1 f41.1"})
    assert response.status_code == 303, response.text
    done = runner.invoke(
        cli,
        [
            *("gfe", "--sheet", str(sheet), "--db", str(cli_db), "--quote", quote),
            *("--dx", "F33.1", "--dx", "F41.1", "-o", str(tmp_path / "g.html")),
        ],
    )
    assert done.exit_code == 0, done.output
    web, by_cli = entries(db)[-1], entries(cli_db)[-1]
    assert response.headers["location"] == f"/gfes/{web.id}?issued=1"
    assert web.html and by_cli.html
    assert web.html.replace(web.id, "ID") == by_cli.html.replace(by_cli.id, "ID")
    mine, theirs = entry_data(web), entry_data(by_cli)
    for data in (mine, theirs):
        data.pop("id"), data.pop("created")
    assert mine == theirs
    page = client.get(f"/gfes/{web.id}/page")
    assert page.text == web.html
    assert page.headers["content-security-policy"].startswith("default-src 'none'")
    assert "script" not in page.headers["content-security-policy"]


def test_issuing_closes_the_duty_on_todays_duties(clinic: tuple[Path, Path, str]) -> None:
    sheet, db, quote = clinic
    client = desk(load_sheet(str(sheet)), db)
    before = client.get("/due").text
    assert f'href="/gfe/new?quote={quote}"' in before
    post_form(client, "/gfe", {"quote": quote, "dx": "F33.1"})
    assert "No Good Faith Estimate is owed." in client.get("/due").text


def test_the_preview_is_the_page_and_saves_nothing(clinic: tuple[Path, Path, str]) -> None:
    sheet, db, quote = clinic
    client = desk(load_sheet(str(sheet)), db)
    response = post_form(client, "/gfe/preview", {"quote": quote, "dx": "F33.1"})
    assert response.status_code == 200
    assert "PREVIEW (not issued)" in response.text and "Ann Lee" in response.text
    assert len(entries(db)) == 1


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"dx": ""}, "dx", "at least one diagnosis"),
        ({"dx": "XYZ"}, "dx", "is not an ICD-10 code"),
        ({"dx": "F33.1", "quote": "Q-20991231-AAAAAA"}, "quote", "there is no quote"),
        ({"dx": "F33.1", "quote": "nope"}, "quote", "is not a saved quote's id"),
        ({"dx": "F33.1", "scheduled": "2026-11-01"}, "scheduled", "past"),
        ({"dx": "F33.1", "dob": "3000-01-01"}, "dob", "from 1900-01-01 to today"),
    ],
)
def test_a_bad_value_issues_nothing(
    clinic: tuple[Path, Path, str], form: dict[str, str], field: str, words: str
) -> None:
    sheet, db, quote = clinic
    client = desk(load_sheet(str(sheet)), db)
    response = post_form(client, "/gfe", {"quote": quote, **form})
    assert response.status_code == 400
    assert words in field_error(response.text, field)
    assert len(entries(db)) == 1


def test_a_sheet_without_its_clinic_issues_nothing(clinic: tuple[Path, Path, str]) -> None:
    _, db, quote = clinic
    client = desk(load_sheet(), db)
    response = post_form(client, "/gfe", {"quote": quote, "dx": "F33.1"})
    assert response.status_code == 400
    assert "price sheet" in response.text
    assert len(entries(db)) == 1


def test_the_pdf_download_is_a_pdf(clinic: tuple[Path, Path, str]) -> None:
    need_pdf()
    sheet, db, quote = clinic
    client = desk(load_sheet(str(sheet)), db)
    location = post_form(client, "/gfe", {"quote": quote, "dx": "F33.1"}).headers["location"]
    gfe_id = location.split("/")[2].split("?")[0]
    assert f'href="/gfes/{gfe_id}/pdf"' in client.get(location).text
    pdf = client.get(f"/gfes/{gfe_id}/pdf")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"] == f'attachment; filename="{gfe_id}.pdf"'
    assert pdf.content.startswith(b"%PDF-")


def test_todays_duties_are_gfe_dues(clinic: tuple[Path, Path, str], runner: CliRunner) -> None:
    """The JSON is ``gfe due --format json``'s; an overdue duty is red and says so in
    words (colour is never the only signal)."""
    sheet, db, quote = clinic
    from datetime import date

    late = desk(load_sheet(str(sheet)), db, today=date(2026, 12, 1))
    on_time = desk(load_sheet(str(sheet)), db)
    done = runner.invoke(cli, ["gfe", "due", "--db", str(db), "--format", "json"])
    assert on_time.get("/due", headers={"accept": "application/json"}).text == done.stdout
    row = re.search(r'<tr class="overdue">.*?</tr>', late.get("/due").text, re.S)
    assert row and quote in row.group(0) and "OVERDUE" in row.group(0)
    assert '<tr class="overdue">' not in on_time.get("/due").text


def test_no_log_yet_owes_nothing(tmp_path: Path) -> None:
    client = desk(db=tmp_path / "none.db")
    assert "No Good Faith Estimate is owed." in client.get("/due").text
    assert not (tmp_path / "none.db").exists()


def test_a_bill_check_is_gfe_check_bill(clinic: tuple[Path, Path, str], runner: CliRunner) -> None:
    """The page's JSON is ``gfe check-bill --format json``; $400 or more over is eligible
    for a dispute, said in words."""
    sheet, db, quote = clinic
    client = desk(load_sheet(str(sheet)), db)
    location = post_form(client, "/gfe", {"quote": quote, "dx": "F33.1"}).headers["location"]
    gfe_id = location.split("/")[2].split("?")[0]
    params = {"npi_1234567893": "9000", "bill_date": "2027-01-15"}
    answer = client.get(
        f"/gfes/{gfe_id}/bill", params=params, headers={"accept": "application/json"}
    )
    done = runner.invoke(
        cli,
        [
            *("gfe", "check-bill", gfe_id, "--db", str(db), "--billed", "1234567893=9000"),
            *("--bill-date", "2027-01-15", "--format", "json"),
        ],
    )
    assert done.exit_code == 0, done.output
    assert answer.text == done.stdout
    page = client.get(f"/gfes/{gfe_id}/bill", params=params).text
    assert "eligible" in page and "May 15, 2027" in page
    bad = client.get(f"/gfes/{gfe_id}/bill", params={"npi_1234567893": "lots"})
    assert bad.status_code == 400
    assert "not an amount" in field_error(bad.text, "npi_1234567893")
