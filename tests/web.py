"""Helpers for the web desk's tests: a desk app on the built-in sheet (or another), and
what a page says next to a field."""

from __future__ import annotations

import html
import re

from starlette.testclient import TestClient

from ketacost.sheet.load import load_sheet
from ketacost.sheet.model import PriceSheet
from ketacost.web.app import Settings, create_app


def desk(sheet: PriceSheet | None = None) -> TestClient:
    """A client of a desk app serving ``sheet`` (the built-in one by default)."""
    return TestClient(create_app(Settings(sheet=sheet or load_sheet())))


def field_error(page: str, name: str) -> str:
    """The message shown under field ``name`` ('' when none), as text."""
    match = re.search(rf'<span class="error" id="err-{re.escape(name)}"[^>]*>(.*?)</span>', page)
    assert match, f"no message place for {name}"
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip()
