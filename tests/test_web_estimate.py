"""The web desk's Estimate page: the same request as ``ketacost estimate``, the same report,
drawn as a page; its JSON is the CLI's ``--format json`` byte for byte; a bad value is a
message next to its field, never a 500."""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from ketacost.cli import cli
from tests.conftest import START
from tests.web import desk, field_error

JSON = {"accept": "application/json"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return desk()


SAME_REQUESTS = [
    ([], []),
    ([("sessions", "4"), ("weeks", "3")], ["--sessions", "4", "--weeks", "3"]),
    (
        [
            ("condition", "spravato"),
            ("maintenance", "every 4 weeks for 3 months, then every 6 weeks"),
        ],
        ["--condition", "spravato", "-m", "every 4 weeks for 3 months, then every 6 weeks"],
    ),
    ([("maintenance", "monthly"), ("months", "6")], ["-m", "monthly", "--months", "6"]),
    (
        [("deductible", "1500"), ("coinsurance", "20"), ("oop_max", "2000"), ("copay", "30")],
        ["--deductible", "1500", "--coinsurance", "20", "--oop-max", "2000", "--copay", "30"],
    ),
    (
        [("network", "out"), ("deductible", "500"), ("coinsurance", "40%"), ("allowed", "300")],
        ["--network", "out", "--deductible", "500", "--coinsurance", "40%", "--allowed", "300"],
    ),
    (
        [("hsa_rate", "24"), ("account", "fsa"), ("finance", "12@17.99"), ("ride", "25")],
        ["--hsa-rate", "24", "--account", "fsa", "--finance", "12@17.99", "--ride", "25"],
    ),
    (
        [("finance", "12@26.99"), ("deferred_interest", "on"), ("finance_what", "induction")],
        ["--finance", "12@26.99", "--deferred-interest", "--finance-what", "induction"],
    ),
    (
        [("price_range", "400-800"), ("agi", "60000")],
        ["--price-range", "400-800", "--agi", "60000"],
    ),
    ([("price", "$450")], ["--price", "$450"]),
]


@pytest.mark.parametrize(("form", "args"), SAME_REQUESTS, ids=range(len(SAME_REQUESTS)))
def test_json_is_the_clis_format_json_byte_for_byte(
    client: TestClient, runner: CliRunner, form: list[tuple[str, str]], args: list[str]
) -> None:
    """The page's URL asked for JSON answers with exactly what the CLI prints."""
    query = urlencode([("start", START.isoformat()), *form])
    response = client.get(f"/estimate?{query}", headers=JSON)
    cli_run = runner.invoke(
        cli, ["estimate", "--start", START.isoformat(), *args, "--format", "json"]
    )
    assert cli_run.exit_code == 0, cli_run.output
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.content == cli_run.stdout_bytes


def test_the_page_shows_the_reports_figures(client: TestClient, runner: CliRunner) -> None:
    """The page draws the same figures as the CLI's JSON: the typical out of pocket."""
    query = urlencode([("start", START.isoformat()), ("sessions", "4")])
    page = client.get(f"/estimate?{query}").text
    data = client.get(f"/estimate?{query}", headers=JSON).json()
    typical = data["scenarios"]["typical"]["out_of_pocket"]
    assert f"${float(typical):,.2f}" in page
    assert "Month by month" in page and "<svg" in page


def test_the_link_reproduces_the_page(client: TestClient) -> None:
    """The page links to its own state, blanks left out, and that link draws the same."""
    query = urlencode([("start", START.isoformat()), ("sessions", "5"), ("ride", ""), ("agi", "")])
    page = client.get(f"/estimate?{query}").text
    link = re.search(r'<a href="(/estimate\?[^"]*)">Link to this estimate', page)
    assert link and link.group(1).replace("&amp;", "&") == f"/estimate?sessions=5&start={START}"
    again = client.get(link.group(1).replace("&amp;", "&")).text
    assert again == page


def test_the_front_door_keeps_the_estimate_it_was_given(client: TestClient) -> None:
    """A link to the desk's address with an estimate's fields opens that estimate."""
    answer = client.get(f"/?sessions=5&start={START}", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/estimate?sessions=5&start={START}"
    assert client.get("/", follow_redirects=False).headers["location"] == "/estimate"


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"sessions": "abc"}, "sessions", "'abc' is not a whole number"),
        ({"sessions": "0"}, "sessions", "must be from 1 to 100"),
        ({"deductible": "x"}, "deductible", "is not an amount of money"),
        ({"start": "2026-02-30"}, "start", "is not a real date"),
        ({"maintenance": "sometimes"}, "maintenance", "sometimes"),
        ({"condition": "flu"}, "condition", "unknown condition 'flu'"),
        ({"coinsurance": "20"}, "deductible", "Insurance needs the plan's deductible"),
        ({"oop_met": "100"}, "oop_met", "out-of-pocket maximum"),
        ({"months": "6", "maintenance": "none"}, "months", "how long boosters last"),
        ({"months": "6"}, "months", "has none by default"),
        ({"finance_what": "induction"}, "finance_what", "needs a payment plan"),
        ({"network": "sideways"}, "network", "must be one of in, out"),
        ({"price": "400", "price_range": "400-800"}, "price", "not both"),
    ],
)
def test_a_bad_value_is_shown_next_to_its_field(
    client: TestClient, form: dict[str, str], field: str, words: str
) -> None:
    """Status 400 and the core's words under the field at fault (JSON: the same words)."""
    response = client.get("/estimate", params=form)
    assert response.status_code == 400
    assert words in field_error(response.text, field)
    assert 'aria-invalid="true"' in response.text or field in ("with", "without")
    answer = client.get("/estimate", params=form, headers=JSON)
    assert answer.status_code == 400
    assert words in answer.json()["errors"][field]


@pytest.mark.parametrize("form", [{"finance": "12"}, {}], ids=["no APR", "no plan"])
def test_deferred_interest_without_an_apr_is_a_message_not_a_500(
    client: TestClient, form: dict[str, str]
) -> None:
    """No interest if paid in full needs the APR charged back, as --deferred-interest
    does: the box ticked with a plan without one (or with no plan) is shown under the
    box, status 400 (it was a 500, and the box was ignored without a plan)."""
    form = {**form, "deferred_interest": "on"}
    response = client.get("/estimate", params=form)
    assert response.status_code == 400
    assert "needs the APR charged back" in field_error(response.text, "deferred_interest")
    answer = client.get("/estimate", params=form, headers=JSON)
    assert answer.status_code == 400
    assert "needs the APR charged back" in answer.json()["errors"]["deferred_interest"]


def test_a_problem_without_a_field_on_the_page_is_listed_above_the_figures(
    client: TestClient,
) -> None:
    """A discount the sheet does not have (so no box to tick) is named in the list."""
    response = client.get("/estimate", params={"with": "nope"})
    assert response.status_code == 400
    listed = re.search(r'<section class="problems".*?</section>', response.text, re.S)
    assert listed and "with" in listed.group(0) and "nope" in listed.group(0)


def test_htmx_gets_the_figures_and_each_fields_message(client: TestClient) -> None:
    """A request from htmx gets the figures and every field's message out of band (empty
    ones clear a message fixed), and the address bar gets the page's link."""
    good = client.get("/estimate?sessions=4&ride=", headers={"hx-request": "true"})
    assert good.status_code == 200
    assert "<form" not in good.text and "<svg" in good.text
    assert good.headers["hx-push-url"] == "/estimate?sessions=4"
    assert '<span class="error" id="err-sessions" hx-swap-oob="true"></span>' in good.text
    bad = client.get("/estimate?sessions=x", headers={"hx-request": "true"})
    assert bad.status_code == 200  # htmx swaps only a success
    assert "is not a whole number" in field_error(bad.text, "sessions")


def test_values_typed_are_escaped(client: TestClient) -> None:
    """A value typed comes back escaped, in its field and in its message."""
    hostile = '"><script>alert(1)</script>'
    response = client.get("/estimate", params={"maintenance": hostile, "sessions": hostile})
    assert response.status_code == 400
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


def test_every_page_carries_the_csp_and_no_inline_script(client: TestClient) -> None:
    """The CSP allows scripts from the desk itself only, and the page has no inline one."""
    response = client.get("/estimate")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", response.text, re.S)
    assert scripts == [(' src="/static/htmx.min.js" defer', "")]
    assert client.get("/static/htmx.min.js").status_code == 200
    assert client.get("/nowhere").headers["content-security-policy"] == csp


def test_the_page_works_without_javascript(client: TestClient) -> None:
    """The form is a plain GET form to the page itself, with a submit button."""
    page = client.get("/estimate").text
    assert '<form class="estimate" method="get" action="/estimate"' in page
    assert '<button type="submit">' in page


def test_every_field_has_a_label(client: TestClient) -> None:
    """Each input and select is named by a label of its own."""
    page = client.get("/estimate").text
    ids = re.findall(r'<(?:input|select)[^>]* id="([^"]+)"', page)
    assert ids
    for name in ids:
        assert f'<label for="{name}">' in page


def test_a_huge_query_is_refused(client: TestClient) -> None:
    """A query string far longer than any form is refused before it is read."""
    response = client.get("/estimate?ride=" + "9" * 5000)
    assert response.status_code == 414


def test_estimate_imports_no_web_module() -> None:
    """``ketacost estimate`` (and the CLI's start-up) never loads the web desk."""
    code = (
        "import sys\n"
        "from ketacost.cli import cli\n"
        "try:\n"
        "    cli.main(['estimate', '--format', 'json'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "web = [m for m in sys.modules if m.startswith(('ketacost.web', 'starlette', "
        "'jinja2', 'uvicorn'))]\n"
        "print(web, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_a_failure_is_a_plain_500_that_repeats_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A bug answers 500 with a fixed sentence; the log line names the route and the kind
    of error, never its message (which might quote a patient's name)."""
    from starlette.requests import Request
    from starlette.routing import Route

    async def broken(request: Request) -> None:
        raise ValueError("Ann Lee 1980-04-30")

    client = desk()
    client.app.router.routes.append(Route("/broken", broken))  # type: ignore[attr-defined]
    with caplog.at_level("ERROR", logger="ketacost.web"):
        response = client.get("/broken")
    assert response.status_code == 500
    assert "Ann" not in response.text and "Ann" not in caplog.text
    assert "GET /broken failed: ValueError" in caplog.text
    assert response.headers["content-security-policy"]
