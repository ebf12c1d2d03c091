"""The web desk's Compare page: ``ketacost compare`` as a form; its JSON is
``compare --format json`` byte for byte."""

from __future__ import annotations

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


@pytest.mark.parametrize(
    ("form", "args"),
    [
        (
            {"o1_label": "induction only", "o2_label": "monthly", "o2_maintenance": "monthly"},
            ["induction only", "monthly: -m monthly"],
        ),
        (
            {
                "o1_label": "depression",
                "o2_label": "pain",
                "o2_condition": "pain",
                "o3_label": "four",
                "o3_sessions": "4",
                "deductible": "1500",
                "coinsurance": "20",
            },
            [
                *("depression", "pain: --condition pain", "four: -n 4"),
                *("--deductible", "1500", "--coinsurance", "20"),
            ],
        ),
    ],
)
def test_json_is_compares_format_json(
    client: TestClient, runner: CliRunner, form: dict[str, str], args: list[str]
) -> None:
    response = client.get("/compare", params={"start": str(START), **form}, headers=JSON)
    done = runner.invoke(cli, ["compare", "--start", str(START), *args, "--format", "json"])
    assert done.exit_code == 0, done.output
    assert response.status_code == 200
    assert response.content == done.stdout_bytes


def test_the_page_draws_the_options(client: TestClient) -> None:
    page = client.get(
        "/compare", params={"o1_label": "none", "o2_label": "4w", "o2_maintenance": "4w"}
    ).text
    assert '<table class="compare">' in page and "Each month, option by option" in page


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        ({"o1_label": "one"}, "form", "label 2 to 6 options"),
        ({"o1_label": "a", "o2_label": "b", "o2_sessions": "x"}, "o2_sessions", "'x' is not"),
        ({"o1_label": "a", "o2_label": "b", "deductible": "x"}, "deductible", "not an amount"),
        ({"o1_label": "a", "o2_label": "a"}, "form", "a"),
    ],
)
def test_a_bad_option_is_shown_in_words(
    client: TestClient, form: dict[str, str], field: str, words: str
) -> None:
    response = client.get("/compare", params=form)
    assert response.status_code == 400
    if field == "form":
        assert words in response.text
    else:
        assert words in field_error(response.text, field)


def test_an_empty_form_is_the_blank_page(client: TestClient) -> None:
    assert client.get("/compare").status_code == 200


def test_months_apply_to_the_options_with_boosters_as_compare_s_do(
    client: TestClient, runner: CliRunner
) -> None:
    """The page's months, like compare's --months, are how long the boosters of the
    options that have them last: an option with none compares without them."""
    form = {"o1_label": "none", "o1_maintenance": "none", "o2_label": "4w"}
    form |= {"o2_maintenance": "4w", "months": "6"}
    response = client.get("/compare", params={"start": str(START), **form}, headers=JSON)
    args = ["none: -m none", "4w: -m 4w", "--months", "6"]
    done = runner.invoke(cli, ["compare", "--start", str(START), *args, "--format", "json"])
    assert done.exit_code == 0, done.output
    assert response.status_code == 200, response.text
    assert response.content == done.stdout_bytes


@pytest.mark.parametrize(
    ("months", "words"),
    [("x", "is not a whole number"), ("999", "must be from 0 to"), ("-1", "is not a whole number")],
)
@pytest.mark.parametrize("second", ["4w", "none"])
def test_bad_months_are_refused_even_when_an_option_has_no_boosters(
    client: TestClient, months: str, words: str, second: str
) -> None:
    """Months compare's --months would refuse are refused next to the field, whether or
    not any option has boosters."""
    form = {"o1_label": "none", "o1_maintenance": "none", "o2_label": "b"}
    response = client.get("/compare", params={**form, "o2_maintenance": second, "months": months})
    assert response.status_code == 400
    assert words in field_error(response.text, "months")
