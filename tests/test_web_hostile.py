"""Hostile input is normal input: every route of the web desk, driven with generated
values in every field (query strings and posted forms), answers 200, 303 or 4xx, never
500, and never shows a value typed unescaped."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.routing import Route
from starlette.testclient import TestClient

from ketacost.sheet.load import load_sheet
from ketacost.web.app import Settings, create_app
from ketacost.web.desks import add_account, read_accounts
from ketacost.web.form import FLAGS, LISTS, TEXT_FIELDS
from tests.clinic import clinic_sheet
from tests.conftest import TODAY
from tests.web import token

PAYLOAD = "<x-evil onmouseover=alert(1)>\"'&"
"""Put inside generated values: a page that shows it unescaped has a hole."""
ESTIMATE = (*TEXT_FIELDS, *FLAGS, *LISTS)
PATIENT = ("patient", "dob", "prepared_by", "scheduled", "asked")
GFE = ("quote", "dob", "dx", "scheduled", "separately", "prepared_by")
LOGIN = ("name", "password")
ROUTES: dict[tuple[str, str], tuple[str, ...]] = {
    ("GET", "/"): (),
    ("GET", "/estimate"): ESTIMATE,
    ("GET", "/compare"): (
        *ESTIMATE,
        *(
            f"o{n}_{key}"
            for n in (1, 2, 3)
            for key in ("label", "condition", "sessions", "maintenance", "price")
        ),
    ),
    ("GET", "/quote"): ESTIMATE,
    ("POST", "/quote"): (*ESTIMATE, *PATIENT),
    ("GET", "/quotes/{entry_id}"): ("saved",),
    ("GET", "/gfe/new"): ("quote",),
    ("POST", "/gfe/preview"): GFE,
    ("POST", "/gfe"): GFE,
    ("GET", "/gfes/{entry_id}"): ("issued",),
    ("GET", "/gfes/{entry_id}/page"): (),
    ("GET", "/gfes/{entry_id}/pdf"): (),
    ("GET", "/gfes/{entry_id}/bill"): ("npi_1234567893", "bill_date"),
    ("GET", "/due"): (),
    ("GET", "/login"): (),
    ("POST", "/login"): LOGIN,
    ("POST", "/logout"): (),
    ("GET", "/log"): (),
    ("POST", "/log"): ("patient", "id", "since", "desk"),
    ("GET", "/log/verify"): (),
    ("GET", "/log/export.{fmt}"): (),
    ("GET", "/quotes/{entry_id}/page"): (),
    ("GET", "/notice"): (),
    ("GET", "/sheet"): (),
}
"""Every route, with the fields it reads."""
ALLOWED = {200, 303, 307, 400, 401, 403, 404, 405, 413, 414, 429, 503}

text = st.text(
    st.characters(exclude_categories=["Cs"]),  # a browser sends UTF-8: no lone surrogates
    max_size=60,
)
hostile = st.one_of(
    text,
    st.builds(lambda a, b: a + PAYLOAD + b, text, text),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "\x1b[31m",
            "\u202e",
            "=cmd|' /C calc'!A0",
            "9" * 400,
            "-1",
            "1e999",
            "NaN",
            "../../etc/passwd",
            "Q-20261120-AAAAAA",
            "2026-02-30",
            "0000-00-00",
            PAYLOAD,
        ]
    ),
)


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> dict[str, TestClient]:
    """An open desk (no accounts) and one whose desk is logged in, on a clinic's sheet."""
    folder = tmp_path_factory.mktemp("hostile")
    sheet = load_sheet(str(clinic_sheet(folder)))
    open_desk = TestClient(
        create_app(Settings(sheet=sheet, db=folder / "open.db", today=lambda: TODAY))
    )
    add_account(folder / "desks.json", "Front 1", "correct horse battery")
    guarded = TestClient(
        create_app(
            Settings(
                sheet=sheet,
                db=folder / "guarded.db",
                accounts=read_accounts(folder / "desks.json"),
                today=lambda: TODAY,
            )
        )
    )
    page = guarded.get("/login").text
    guarded.post(
        "/login", data={"csrf": token(page), "name": "Front 1", "password": "correct horse battery"}
    )
    return {"open": open_desk, "guarded": guarded}


def test_the_list_covers_every_route(clients: dict[str, TestClient]) -> None:
    """A route added without being listed here fails this test."""
    app: Any = clients["open"].app
    served = {
        (method, route.path)
        for route in app.routes
        if isinstance(route, Route)
        for method in set(route.methods or ()) - {"HEAD"}
    }
    assert served == set(ROUTES)


def _check(response: Any, values: list[str]) -> None:
    assert response.status_code in ALLOWED, (response.status_code, response.text[:500])
    if "html" in response.headers.get("content-type", ""):
        for value in values:
            assert PAYLOAD not in response.text, value
            if re.search(r"<[A-Za-z/!?]", value):  # would open a tag if shown as it is
                assert value not in response.text


@pytest.mark.parametrize("desk", ["open", "guarded"])
@pytest.mark.parametrize(("method", "path"), list(ROUTES), ids=str)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_hostile_values_never_break_a_page(
    clients: dict[str, TestClient], desk: str, method: str, path: str, data: st.DataObject
) -> None:
    client = clients[desk]
    fields = ROUTES[(method, path)]
    chosen = data.draw(st.lists(st.sampled_from(fields), unique=True) if fields else st.just([]))
    values = {name: data.draw(hostile, label=name) for name in chosen}
    entry = data.draw(st.one_of(hostile, st.just("Q-20261120-AAAAAA")), label="entry_id")
    url = path.replace("{entry_id}", quote(entry, safe="") or "x")
    url = url.replace("{fmt}", data.draw(st.sampled_from(["csv", "json", "x", "csv%00"])))
    if method == "GET":
        response = client.get(url, params=values, follow_redirects=False)
    else:
        page = client.get("/login").text
        response = client.post(url, data={"csrf": token(page), **values}, follow_redirects=False)
    _check(response, [*values.values(), entry])
