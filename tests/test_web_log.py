"""The web desk's log and sheet pages: ``quotes list/show/verify/export``, ``gfe notice``,
``sheet show`` and ``sheet check`` as pages; a search by name is posted, never in a URL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.sheet.load import load_sheet
from tests.clinic import clinic_sheet
from tests.conftest import START
from tests.web import desk, field_error, post_form


def saved(runner: CliRunner, db: Path, sheet: Path, patient: str, *more: str) -> str:
    done = runner.invoke(
        cli,
        [
            *("quote", "--sheet", str(sheet), "--db", str(db), "--patient", patient),
            *("--start", str(START), "--format", "json", *more),
        ],
    )
    assert done.exit_code == 0, done.output
    entry_id: str = json.loads(done.stdout)["id"]
    return entry_id


def test_the_log_lists_and_searches_by_a_posted_name(tmp_path: Path, runner: CliRunner) -> None:
    sheet, db = clinic_sheet(tmp_path), tmp_path / "q.db"
    ann = saved(runner, db, sheet, "Ann Lee", "--desk", "Front 1")
    bob = saved(runner, db, sheet, "Bob Stone")
    client = desk(load_sheet(str(sheet)), db)
    listing = client.get("/log").text
    assert ann in listing and bob in listing and "Front 1" in listing
    found = post_form(client, "/log", {"patient": "lee"}, page="/log")
    assert found.status_code == 200
    assert ann in found.text and bob not in found.text
    by_desk = post_form(client, "/log", {"desk": "front 1"}, page="/log")
    assert ann in by_desk.text and bob not in by_desk.text
    by_id = post_form(client, "/log", {"id": bob.lower()}, page="/log")
    assert by_id.status_code == 303 and by_id.headers["location"] == f"/quotes/{bob}"
    bad = post_form(client, "/log", {"since": "yesterday"}, page="/log")
    assert bad.status_code == 400 and "is not a date" in field_error(bad.text, "since")


def test_the_search_form_is_posted(tmp_path: Path) -> None:
    page = desk(db=tmp_path / "q.db").get("/log").text
    assert '<form class="search" method="post" action="/log"' in page


def test_verify_says_intact_or_names_each_problem(tmp_path: Path, runner: CliRunner) -> None:
    sheet, db = clinic_sheet(tmp_path), tmp_path / "q.db"
    client = desk(load_sheet(str(sheet)), db)
    assert "The quote log is empty" in client.get("/log/verify").text
    saved(runner, db, sheet, "Ann Lee")
    page = client.get("/log/verify").text
    assert "Intact:" in page and "1 entries" in page


def test_the_export_is_quotes_export(tmp_path: Path, runner: CliRunner) -> None:
    sheet, db = clinic_sheet(tmp_path), tmp_path / "q.db"
    saved(runner, db, sheet, "=HYPERLINK(1)")
    client = desk(load_sheet(str(sheet)), db)
    for fmt in ("csv", "json"):
        response = client.get(f"/log/export.{fmt}")
        done = runner.invoke(cli, ["quotes", "export", "--db", str(db), "--format", fmt])
        assert response.status_code == 200
        assert response.text == done.stdout
        assert "attachment" in response.headers["content-disposition"]
    assert "'=HYPERLINK" in client.get("/log/export.csv").text  # a formula is neutralized


def test_a_quotes_printable_page_is_quotes_show(tmp_path: Path, runner: CliRunner) -> None:
    sheet, db = clinic_sheet(tmp_path), tmp_path / "q.db"
    entry = saved(runner, db, sheet, "Ann Lee")
    client = desk(load_sheet(str(sheet)), db)
    page = client.get(f"/quotes/{entry}/page")
    out = tmp_path / "q.html"
    done = runner.invoke(cli, ["quotes", "show", entry, "--db", str(db), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert page.text == out.read_text(encoding="utf-8")
    assert "script" not in page.headers["content-security-policy"]


def test_the_notice_is_gfe_notice(tmp_path: Path, runner: CliRunner) -> None:
    sheet = clinic_sheet(tmp_path)
    page = desk(load_sheet(str(sheet))).get("/notice")
    out = tmp_path / "notice.html"
    done = runner.invoke(cli, ["gfe", "notice", "--sheet", str(sheet), "-o", str(out)])
    assert done.exit_code == 0, done.output
    assert page.text == out.read_text(encoding="utf-8")
    assert desk().get("/notice").status_code == 409  # the built-in sheet names no clinic


def test_the_sheet_page_shows_the_sheet_and_checks_its_file(tmp_path: Path) -> None:
    sheet = clinic_sheet(tmp_path)
    client = desk(load_sheet(str(sheet)))
    page = client.get("/sheet").text
    assert "Calm Waters Ketamine Clinic" in page and "$400.00 / $600.00 / $800.00" in page
    assert "<strong>OK</strong>" in page
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\n[fees.bad]\namount = -5\n", "utf-8")
    broken = client.get("/sheet").text
    lines = re.findall(r"<li><code>([^<]*)</code></li>", broken)
    assert lines and all(re.match(rf"{re.escape(str(sheet))}:\d+: ", line) for line in lines)


def test_the_built_in_sheet_has_nothing_to_check() -> None:
    page = desk().get("/sheet").text
    assert "The built-in national averages" in page


@pytest.mark.parametrize("path", ["/log", "/log/verify", "/log/export.csv"])
def test_a_log_that_cannot_be_read_says_why(tmp_path: Path, path: str) -> None:
    """A --db that is a directory: the page (503) says the quote log cannot be read and
    why, as the duties page does, and the JSON answer is JSON. It said only "Something
    went wrong"."""
    client = desk(db=tmp_path)
    page = client.get(path)
    assert page.status_code == 503
    assert "quote log cannot be read" in page.text and "is a directory" in page.text
    answer = client.get(path, headers={"accept": "application/json"})
    assert answer.status_code == 503
    assert "is a directory" in answer.json()["error"]
