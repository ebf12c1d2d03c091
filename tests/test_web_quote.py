"""The web desk's Quote page: saved as ``ketacost quote`` saves, with the same duty; the
patient's name and date of birth never in a URL; no POST without its form's token."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.store.opening import open_quote_log
from tests.conftest import START
from tests.web import desk, field_error, post_form, token

PATIENT = {"patient": "Ann Lee", "dob": "1980-04-30"}
VOLATILE = ("id", "created")


def entries(db: Path) -> list[Any]:
    if not db.exists():
        return []
    with open_quote_log(db, write=False) as log:
        return list(log.entries())


def cli_quote(runner: CliRunner, db: Path, *args: str) -> dict[str, Any]:
    done = runner.invoke(cli, ["quote", "--db", str(db), *args, "--format", "json"])
    assert done.exit_code == 0, done.output
    data: dict[str, Any] = json.loads(done.stdout)
    return data


@pytest.mark.parametrize(
    ("form", "args"),
    [
        ({"start": START.isoformat(), "sessions": "4"}, ["--start", str(START), "-n", "4"]),
        (
            {"scheduled": "2026-12-07", "maintenance": "monthly"},
            ["--scheduled", "2026-12-07", "-m", "monthly"],
        ),
        ({"start": START.isoformat(), "asked": "no"}, ["--start", str(START), "--not-requested"]),
        ({"start": START.isoformat(), "asked": "yes"}, ["--start", str(START), "--requested"]),
    ],
)
def test_a_saved_quote_is_the_clis_quote(
    tmp_path: Path, runner: CliRunner, form: dict[str, str], args: list[str]
) -> None:
    """The entry saved from the page holds what ``ketacost quote`` saves for the same
    values (its id and time aside): the estimate, the patient and the duty."""
    web_db, cli_db = tmp_path / "web.db", tmp_path / "cli.db"
    client = desk(db=web_db)
    response = post_form(client, "/quote", {**PATIENT, **form})
    assert response.status_code == 303
    (saved,) = entries(web_db)
    assert response.headers["location"] == f"/quotes/{saved.id}?saved=1"
    expected = cli_quote(runner, cli_db, "--patient", "Ann Lee", "--dob", "1980-04-30", *args)
    from ketacost.entries import entry_data

    got = entry_data(saved)
    for key in VOLATILE:
        got.pop(key), expected.pop(key)
    assert got == expected


def test_the_saved_quote_page_shows_the_duty_and_the_way_to_the_gfe(tmp_path: Path) -> None:
    client = desk(db=tmp_path / "q.db")
    response = post_form(client, "/quote", {**PATIENT, "start": START.isoformat()})
    page = client.get(response.headers["location"])
    assert page.status_code == 200
    assert "Saved" in page.text and "Ann Lee" in page.text
    assert "Due by <strong>2026-11-25</strong>" in page.text
    (saved,) = entries(tmp_path / "q.db")
    assert f'href="/gfe/new?quote={saved.id}"' in page.text


def test_no_patient_data_in_any_url(tmp_path: Path) -> None:
    """The name and date of birth are posted, and the page they lead to is named by id."""
    client = desk(db=tmp_path / "q.db")
    form = client.get(f"/quote?sessions=4&start={START}").text
    assert 'method="post" action="/quote"' in form
    response = post_form(client, "/quote", {**PATIENT, "start": START.isoformat()})
    location = response.headers["location"]
    assert "Ann" not in location and "Lee" not in location and "1980" not in location


@pytest.mark.parametrize(
    "change",
    [
        {"csrf": ""},
        {"csrf": "0" * 64},
        {"cookie": None},
        {"origin": "https://evil.example"},
    ],
)
def test_a_post_without_its_forms_token_is_refused(tmp_path: Path, change: dict[str, Any]) -> None:
    """403, and nothing saved: no token, a wrong one, no cookie, another site's Origin."""
    client = desk(db=tmp_path / "q.db")
    data = {"csrf": token(client.get("/quote").text), **PATIENT}
    headers = {}
    if "csrf" in change:
        data["csrf"] = change["csrf"]
    if "cookie" in change:
        client.cookies.clear()
    if "origin" in change:
        headers["origin"] = change["origin"]
    response = client.post("/quote", data=data, headers=headers, follow_redirects=False)
    assert response.status_code == 403
    assert entries(tmp_path / "q.db") == []


@pytest.mark.parametrize(
    "name", [b"%FF%FE", b"Ann\xe9Lee", b"Ann%C3"], ids=["quoted", "raw", "cut"]
)
def test_a_form_that_is_not_utf8_saves_nothing(tmp_path: Path, name: bytes) -> None:
    """A browser sends a form as UTF-8: a body whose bytes are not UTF-8 text is refused
    (400) and saves nothing, as --patient refuses bytes that are not UTF-8 (the parser's
    replacement characters were saved as the patient's name)."""
    client = desk(db=tmp_path / "q.db")
    csrf = token(client.get("/quote").text).encode()
    body = b"csrf=" + csrf + b"&patient=" + name + b"&dob=1980-04-30"
    response = client.post(
        "/quote",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.text
    assert entries(tmp_path / "q.db") == []


def test_the_token_cookie_is_httponly_and_strict() -> None:
    cookie = desk().get("/quote").headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"patient": ""}, "patient", "must not be empty"),
        ({"dob": "1980-13-01"}, "dob", "not a date of birth"),
        ({"scheduled": "2026-11-01"}, "scheduled", "past"),
        ({"sessions": "x"}, "sessions", "is not a whole number"),
        ({"asked": "maybe"}, "asked", "must be one of"),
        (
            {"scheduled": "2026-12-07", "deductible": "0", "coinsurance": "20"},
            "scheduled",
            "not using insurance",
        ),
    ],
)
def test_a_bad_value_saves_nothing_and_is_shown_next_to_its_field(
    tmp_path: Path, form: dict[str, str], field: str, words: str
) -> None:
    client = desk(db=tmp_path / "q.db")
    response = post_form(client, "/quote", {**PATIENT, **form})
    assert response.status_code == 400
    assert words in field_error(response.text, field)
    assert entries(tmp_path / "q.db") == []


def test_an_error_never_repeats_the_patients_date_of_birth(tmp_path: Path) -> None:
    """The message under a bad date of birth says what is wrong, not what was typed."""
    client = desk(db=tmp_path / "q.db")
    response = post_form(client, "/quote", {"patient": "Ann Lee", "dob": "1880-01-02"})
    assert "1880" not in field_error(response.text, "dob")


def test_an_unknown_quote_is_not_found(tmp_path: Path) -> None:
    client = desk(db=tmp_path / "q.db")
    assert client.get("/quotes/Q-20261120-AAAAAA").status_code == 404
    assert client.get("/quotes/<script>").status_code == 404


def test_a_name_in_an_address_is_not_taken_up(tmp_path: Path) -> None:
    """The form never fills a patient's name or date of birth from its address."""
    page = desk(db=tmp_path / "q.db").get("/quote?patient=Ann+Lee&dob=1980-04-30&sessions=4")
    assert "Ann Lee" not in page.text and "1980-04-30" not in page.text
    assert 'name="sessions" type="text" value="4"' in page.text
