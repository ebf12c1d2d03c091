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
