"""The web desk end to end in headless Chromium: the estimate's figures follow a field,
a quote is saved, a Good Faith Estimate issued from it and its PDF downloaded, a desk
logs in and out; and every page passes axe-core with no serious or critical finding."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ketacost.sheet.load import load_sheet
from ketacost.web.app import Settings, create_app
from ketacost.web.desks import add_account, read_accounts
from tests.cdp import Browser
from tests.clinic import clinic_sheet
from tests.conftest import START
from tests.printing import need_pdf
from tests.web import token

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PASSWORD = "correct horse battery"


def serve(settings: Settings) -> Iterator[str]:
    """The app on 127.0.0.1 (a free port) in a thread, for the test's browser."""
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("browser")


@pytest.fixture(scope="module")
def desk(folder: Path) -> Iterator[str]:
    """An open desk (no accounts) on a clinic's sheet."""
    sheet = load_sheet(str(clinic_sheet(folder)))
    yield from serve(Settings(sheet=sheet, db=folder / "quotes.db"))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with Browser() as opened:
        yield opened


def typical_out_of_pocket(browser: Browser) -> str:
    script = """(() => {
      for (const row of document.querySelectorAll('#result table:first-of-type tr')) {
        const head = row.querySelector('th');
        if (head && head.textContent.trim() === 'Out of pocket') {
          return row.querySelectorAll('td')[1].textContent.trim();
        }
      }
      return null;
    })()"""
    value: str = browser.wait(script)
    return value


def test_the_figures_follow_a_field(browser: Browser, desk: str) -> None:
    """Typing a number of sessions redraws the figures (htmx), and the address follows."""
    browser.open(f"{desk}/estimate?start={START}")
    before = typical_out_of_pocket(browser)
    browser.run(
        "(() => { const f = document.getElementById('f-sessions'); f.value = '2';"
        " f.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    browser.wait("!document.body.textContent.includes('Induction sessions (6)')")
    after = typical_out_of_pocket(browser)
    expected = browser.run(
        f"fetch('/estimate?start={START}&sessions=2', {{headers: {{accept: 'application/json'}}}})"
        ".then(r => r.json()).then(d => d.scenarios.typical.out_of_pocket)"
    )
    assert before != after
    assert after == f"${float(expected):,.2f}"
    assert browser.wait("location.search.includes('sessions=2')")


def test_a_bad_value_is_shown_next_to_its_field(browser: Browser, desk: str) -> None:
    browser.open(f"{desk}/estimate")
    browser.run(
        "(() => { const f = document.getElementById('f-sessions'); f.value = 'abc';"
        " f.dispatchEvent(new Event('input', {bubbles: true})); })()"
    )
    message = browser.wait("document.getElementById('err-sessions').textContent")
    assert "is not a whole number" in message


def test_quote_then_issue_a_gfe_then_download_its_pdf(browser: Browser, desk: str) -> None:
    need_pdf()
    browser.open(f"{desk}/quote?start={START}&sessions=4")
    browser.run(
        "(() => { document.getElementById('f-patient').value = 'Ann Lee';"
        " document.getElementById('f-dob').value = '1980-04-30';"
        " document.querySelector('form.quote').requestSubmit(); })()"
    )
    browser.wait("location.pathname.startsWith('/quotes/Q-')")
    assert "Saved" in browser.wait("document.querySelector('.saved') && document.body.innerText")
    browser.run("document.querySelector('a[href^=\"/gfe/new\"]').click()")
    browser.wait("location.pathname === '/gfe/new' && document.readyState === 'complete'")
    browser.run(
        "(() => { document.getElementById('f-dx').value = 'F33.1';"
        " document.querySelector('form.gfe button:not([formaction])').click(); })()"
    )
    browser.wait("location.pathname.startsWith('/gfes/G-')")
    pdf = browser.run(
        "fetch(document.querySelector('a[href$=\"/pdf\"]').href).then(async r => "
        "[r.headers.get('content-type'), new TextDecoder().decode("
        "(await r.arrayBuffer()).slice(0, 5))])"
    )
    assert pdf == ["application/pdf", "%PDF-"]


def test_log_in_and_out(browser: Browser, folder: Path) -> None:
    """With a desk account, the front-desk pages ask for a login, and logging out ends it."""
    add_account(folder / "desks.json", "Front 1", PASSWORD)
    settings = Settings(
        sheet=load_sheet(),
        db=folder / "guarded.db",
        accounts=read_accounts(folder / "desks.json"),
    )
    for base in serve(settings):
        browser.open(f"{base}/due")
        browser.wait("location.pathname === '/login'")
        browser.run(
            "(() => { document.getElementById('f-name').value = 'Front 1';"
            f" document.getElementById('f-password').value = {json.dumps(PASSWORD)};"
            " document.querySelector('form.login').requestSubmit(); })()"
        )
        browser.wait("location.pathname === '/due' && document.readyState === 'complete'")
        assert "Log out Front 1" in browser.run("document.body.innerText")
        browser.run("document.querySelector('form[action=\"/logout\"] button').click()")
        browser.wait("location.pathname === '/estimate' && document.readyState === 'complete'")
        browser.open(f"{base}/due")
        browser.wait("location.pathname === '/login'")


PAGES = [
    "/estimate",
    "/estimate?sessions=x",
    "/compare?o1_label=none&o2_label=monthly&o2_maintenance=monthly",
    "/quote",
    "/due",
    "/log",
    "/sheet",
    "/gfe/new",
    "/log/verify",
]


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_serious(browser: Browser, desk: str, path: str) -> None:
    """axe-core (vendored under tests/vendor) on each page: no serious or critical
    finding (labels, contrast, names, landmarks, ...)."""
    browser.open(f"{desk}{path}")
    browser.run(AXE.read_text(encoding="utf-8") + "\n;true")
    found = browser.run(
        "axe.run(document).then(r => r.violations"
        ".filter(v => v.impact === 'serious' || v.impact === 'critical')"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', ')))"
    )
    assert found == []


def test_every_control_is_reachable_by_keyboard(browser: Browser, desk: str) -> None:
    """No field, button or link is taken out of the tab order."""
    browser.open(f"{desk}/estimate")
    left_out = browser.run(
        "[...document.querySelectorAll('a, button, input, select, textarea')]"
        ".filter(e => e.tabIndex < 0 || e.disabled).map(e => e.outerHTML.slice(0, 80))"
    )
    assert left_out == []


PHONE_PAGES = [
    f"/quote?start={START}",
    f"/estimate?start={START}&maintenance=monthly&finance=12",
    "/compare?o1_label=none&o2_label=monthly&o2_maintenance=monthly&o3_label=4w&o3_maintenance=4w",
    "/due",
]


@pytest.fixture
def phone_desk(tmp_path: Path) -> Iterator[str]:
    """An open desk of its own, with a quote owing its Good Faith Estimate (listed on the
    duties page)."""
    import httpx

    sheet = load_sheet(str(clinic_sheet(tmp_path)))
    for url in serve(Settings(sheet=sheet, db=tmp_path / "q.db")):
        with httpx.Client(base_url=url) as client:
            form = client.get("/quote")
            saved = client.post(
                "/quote",
                data={"csrf": token(form.text), "patient": "Ann Lee", "dob": "1980-04-30"},
            )
            assert saved.status_code == 303, saved.text
        yield url


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_no_figure_breaks_across_lines_on_a_phone(
    browser: Browser, phone_desk: str, path: str
) -> None:
    """At 390 pixels wide (a phone at the desk) every amount of money and every date in a
    table stays on one line, and the page is no wider than the screen (a wide table
    scrolls in its own box). They broke inside ('$10,800' over '.00', '2026-1' over
    '2-09')."""
    browser.size(390)
    try:
        browser.open(f"{phone_desk}{path}")
        broken = browser.run(
            """[...document.querySelectorAll('main td, main th')]
              .filter(c => /^(\\$[0-9,]+\\.[0-9]{2}|[0-9]{4}-[0-9]{2}-[0-9]{2})$/
                .test(c.textContent.trim()))
              .filter(c => { const r = document.createRange(); r.selectNodeContents(c);
                             const tops = new Set([...r.getClientRects()]
                               .map(x => Math.round(x.top)));
                             return tops.size > 1; })
              .map(c => c.textContent.trim())"""
        )
        width = browser.run("document.documentElement.scrollWidth")
    finally:
        browser.size(1280)
    assert broken == []
    assert width <= 390
