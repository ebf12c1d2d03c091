"""Desk accounts and logins: ``serve --add-desk``, another --host only with an account,
every front-desk page behind a login, signed HttpOnly Strict cookies, a rate limit."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from ketacost.cli import cli
from ketacost.sheet.load import load_sheet
from ketacost.store.opening import open_quote_log
from ketacost.web.app import Settings, create_app
from ketacost.web.desks import add_account, read_accounts
from tests.conftest import START, TODAY
from tests.web import token

PASSWORD = "correct horse battery"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def desks_file(home: Path) -> Path:
    return home / ".config" / "ketacost" / "desks.json"


def test_add_desk_keeps_an_argon2_hash_readable_by_its_owner_only(
    runner: CliRunner, isolated_home: Path, served: list[dict[str, Any]]
) -> None:
    done = runner.invoke(cli, ["serve", "--add-desk", "Front 1"], input=f"{PASSWORD}\n" * 2)
    assert done.exit_code == 0, done.output
    path = desks_file(isolated_home)
    kept = json.loads(path.read_text(encoding="utf-8"))
    assert list(kept) == ["Front 1"] and kept["Front 1"].startswith("$argon2id$")
    assert PASSWORD not in path.read_text(encoding="utf-8")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert served == []  # adding a desk does not serve


def test_a_short_password_is_refused(runner: CliRunner, isolated_home: Path) -> None:
    done = runner.invoke(cli, ["serve", "--add-desk", "Front 1"], input="short\nshort\n")
    assert done.exit_code == 2
    assert "'--add-desk'" in done.stderr and "at least 10 characters" in done.stderr
    assert not desks_file(isolated_home).exists()


def test_another_host_is_served_once_a_desk_exists(
    runner: CliRunner, isolated_home: Path, served: list[dict[str, Any]]
) -> None:
    assert runner.invoke(cli, ["serve", "--host", "0.0.0.0"]).exit_code == 2
    add_account(desks_file(isolated_home), "Front 1", PASSWORD)
    done = runner.invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert done.exit_code == 0, done.output
    settings = served[0]["app"].state.settings
    assert list(settings.accounts) == ["Front 1"]
    assert runner.invoke(cli, ["serve"]).exit_code == 0
    assert served[1]["app"].state.settings.secret == settings.secret  # kept: logins survive


@pytest.fixture
def guarded(tmp_path: Path) -> tuple[TestClient, Path]:
    path = tmp_path / "desks.json"
    add_account(path, "Front 1", PASSWORD)
    db = tmp_path / "q.db"
    settings = Settings(
        sheet=load_sheet(), db=db, accounts=read_accounts(path), today=lambda: TODAY
    )
    return TestClient(create_app(settings)), db


def log_in(client: TestClient, name: str = "Front 1", password: str = PASSWORD) -> Any:
    page = client.get("/login").text
    return client.post(
        "/login",
        data={"csrf": token(page), "name": name, "password": password},
        follow_redirects=False,
    )


@pytest.mark.parametrize("path", ["/quote", "/due", "/gfe/new", "/quotes/Q-20261120-AAAAAA"])
def test_front_desk_pages_need_a_login(guarded: tuple[TestClient, Path], path: str) -> None:
    client, _ = guarded
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"


@pytest.mark.parametrize("path", ["/quote", "/gfe", "/gfe/preview"])
def test_a_form_sent_without_a_login_is_refused(
    guarded: tuple[TestClient, Path], path: str
) -> None:
    client, db = guarded
    page = client.get("/login").text
    response = client.post(path, data={"csrf": token(page), "patient": "Ann Lee"})
    assert response.status_code == 403
    assert not db.exists()


def test_the_estimate_stays_open_to_patients(guarded: tuple[TestClient, Path]) -> None:
    client, _ = guarded
    assert client.get("/estimate").status_code == 200


def test_a_wrong_password_or_name_is_refused_alike(guarded: tuple[TestClient, Path]) -> None:
    client, _ = guarded
    wrong_password = log_in(client, password="not the password")
    wrong_name = log_in(client, name="Nobody")
    assert wrong_password.status_code == wrong_name.status_code == 401
    assert "do not match" in wrong_password.text and "do not match" in wrong_name.text
    assert "ketacost_desk" not in wrong_password.headers.get("set-cookie", "")


def test_a_desk_logged_in_quotes_under_its_name(guarded: tuple[TestClient, Path]) -> None:
    client, db = guarded
    response = log_in(client)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "ketacost_desk=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    page = client.get("/quote")
    assert page.status_code == 200 and "Log out Front 1" in page.text
    saved = client.post(
        "/quote",
        data={"csrf": token(page.text), "patient": "Ann Lee", "start": str(START)},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with open_quote_log(db, write=False) as log:
        (entry,) = log.entries()
    assert entry.desk == "Front 1"


def test_logging_out_ends_the_login(guarded: tuple[TestClient, Path]) -> None:
    client, _ = guarded
    log_in(client)
    page = client.get("/due").text
    out = client.post("/logout", data={"csrf": token(page)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/due", follow_redirects=False).status_code == 303


def test_a_forged_or_foreign_login_cookie_is_refused(guarded: tuple[TestClient, Path]) -> None:
    """A cookie not signed with this desk's key (or naming no desk) logs no one in."""
    client, _ = guarded
    client.cookies.set("ketacost_desk", "IkZyb250IDEi.forged.signature")
    assert client.get("/due", follow_redirects=False).status_code == 303
    other = Settings(sheet=load_sheet(), accounts={"Front 1": "x"})
    from itsdangerous import URLSafeTimedSerializer

    foreign = URLSafeTimedSerializer(other.secret, salt="ketacost-desk-session").dumps("Front 1")
    client.cookies.set("ketacost_desk", foreign)
    assert client.get("/due", follow_redirects=False).status_code == 303


def test_logins_are_rate_limited(guarded: tuple[TestClient, Path]) -> None:
    """After 5 failed logins, even the right password waits."""
    client, _ = guarded
    for _ in range(5):
        assert log_in(client, password="wrong password!").status_code == 401
    assert log_in(client).status_code == 429


def test_the_login_cookie_is_secure_behind_tls(tmp_path: Path) -> None:
    path = tmp_path / "desks.json"
    add_account(path, "Front 1", PASSWORD)
    settings = Settings(sheet=load_sheet(), accounts=read_accounts(path))
    client = TestClient(create_app(settings), base_url="https://desk.example")
    assert "secure" in log_in(client).headers["set-cookie"].lower()
