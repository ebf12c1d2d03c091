"""Properties of the output dispatcher and the quote page, over many generated inputs."""

from __future__ import annotations

import re
from datetime import date

import click
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ketacost.cli.decorators import FORMATS
from ketacost.cli.dispatch import SUFFIXES, output_format
from ketacost.render.quote_page import QuoteDetails, quote_page
from ketacost.render.safe_text import page_text
from ketacost.sheet.model import Clinic
from tests.helpers import report_with

QUOTE_FORMATS = ("table", "json", "csv", "markdown", "html", "pdf")
suffixes = st.one_of(
    st.sampled_from(sorted(SUFFIXES)),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=6),
).map(lambda text: text if text.startswith(".") or not text else f".{text}")


@settings(max_examples=300)
@given(suffix=suffixes, formats=st.sampled_from([FORMATS, QUOTE_FORMATS, ("html", "pdf")]))
def test_a_suffix_is_its_format_or_refused(suffix: str, formats: tuple[str, ...]) -> None:
    """Every file name gets the format its suffix names (a table without a suffix), and
    only one the command writes; any other is refused as bad input, never guessed."""
    allowed = tuple(kind for kind in formats if kind != "pdf")  # WeasyPrint not needed here
    named = SUFFIXES.get(suffix.lower()) if suffix else allowed[0]
    if named in allowed:
        assert output_format(None, f"out{suffix}", allowed, default=allowed[0]) == named
    else:
        with pytest.raises(click.BadParameter, match="cannot write a") as error:
            output_format(None, f"out{suffix}", allowed, default=allowed[0])
        assert error.value.param_hint == "'-o' / '--output'"


PAGE_TAGS = {
    "main", "header", "div", "strong", "br", "h1", "h2", "p", "section", "table", "thead",
    "tbody", "tr", "th", "td", "html", "body",
}  # fmt: skip
REPORT = report_with(start=date(2026, 11, 23), maintenance="4w")


@settings(max_examples=200, deadline=None)
@given(
    patient=st.text(min_size=1, max_size=40),
    clinic=st.text(min_size=1, max_size=40),
    phone=st.text(max_size=20),
)
@example(patient="<img src=x onerror=alert(1)>", clinic="</table><script>", phone="<b>")
def test_quote_page_shows_any_text_as_written(patient: str, clinic: str, phone: str) -> None:
    """Whatever a patient's name or a clinic's text holds, the page shows it escaped: no
    tag or entity of its own gets through."""
    details = QuoteDetails(
        id="Q-20261123-7K3M9P",
        issued=date(2026, 11, 23),
        patient=patient,
        clinic=Clinic(name=clinic, phone=phone),
    )
    page = quote_page(REPORT, details)
    # escaped, and a control character made visible (page_text)
    assert f'<tr><th scope="row">Patient</th><td>{page_text(patient)}</td></tr>' in page
    assert f"<strong>{page_text(clinic)}</strong>" in page
    tags = set(re.findall(r"</?([a-zA-Z][a-zA-Z0-9]*)", page.split("<main>")[1]))
    assert tags <= PAGE_TAGS


@pytest.mark.parametrize("name", ["-", None])
def test_standard_output_is_a_table_by_default(name: str | None) -> None:
    assert output_format(None, name, FORMATS) == "table"
