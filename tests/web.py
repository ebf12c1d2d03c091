"""Helpers for the web desk's tests: a desk app on the built-in sheet (or another), and
what a page says next to a field."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from ketacost.sheet.load import load_sheet
from ketacost.sheet.model import PriceSheet
from ketacost.web.app import Settings, create_app
from tests.conftest import TODAY


def desk(
    sheet: PriceSheet | None = None, db: Path | None = None, today: date = TODAY
) -> TestClient:
    """A client of a desk app serving ``sheet`` (the built-in one by default), keeping
    quotes in ``db``, on the tests' TODAY."""
    settings = Settings(sheet=sheet or load_sheet(), db=db, today=lambda: today)
    return TestClient(create_app(settings))


def field_error(page: str, name: str) -> str:
    """The message shown under field ``name`` ('' when none), as text."""
    match = re.search(rf'<span class="error" id="err-{re.escape(name)}"[^>]*>(.*?)</span>', page)
    assert match, f"no message place for {name}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()


def token(page: str) -> str:
    """The form token a page carries (what its POST must send back)."""
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert match, "the page has no form token"
    return match.group(1)


def post_form(client: TestClient, path: str, data: dict[str, str], page: str = "/quote") -> Any:
    """POST ``data`` to ``path`` with the token the form's ``page`` gives."""
    form = client.get(page)
    return client.post(path, data={"csrf": token(form.text), **data}, follow_redirects=False)
