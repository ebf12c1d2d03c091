"""Pages printed by WeasyPrint (the extra ``ketacost[pdf]``): laid out, page by page.

Tests that print skip, with one line saying why, where WeasyPrint cannot load (it needs
the system's Pango); where the suite must print (``KETACOST_TEST_PDF=1``, as CI sets) they
fail instead."""

from __future__ import annotations

import os
from typing import Any

import pytest


def need_pdf() -> None:
    """Skip (or, under KETACOST_TEST_PDF=1, fail) unless WeasyPrint can print here."""
    from ketacost.render.pdf import PdfUnavailable, check

    try:
        check()
    except PdfUnavailable as error:
        if os.environ.get("KETACOST_TEST_PDF") == "1":
            pytest.fail(f"KETACOST_TEST_PDF=1 but WeasyPrint cannot print: {error}")
        pytest.skip(f"WeasyPrint cannot print here: {error}")


def printed(page: str) -> list[Any]:
    """The pages of an HTML page as WeasyPrint lays them out for print."""
    need_pdf()
    from ketacost.render.pdf import document

    return list(document(page).pages)


def page_text(page: Any) -> str:
    """The text laid out on one printed page, its words separated by single spaces."""
    from weasyprint.formatting_structure import boxes

    words = [box.text for box in page._page_box.descendants() if isinstance(box, boxes.TextBox)]
    return " ".join(" ".join(words).split())


def charts_on(page: Any) -> int:
    """How many inline SVG images (our charts) one printed page holds."""
    from weasyprint.formatting_structure import boxes

    return sum(isinstance(box, boxes.ReplacedBox) for box in page._page_box.descendants())


def overflow(page: Any, margin: float = 0.6 * 96) -> float:
    """How far (CSS px) the rightmost text of a printed page runs past its right margin
    (0 or less: nothing is cut off). ``margin``: the page's, 0.6in in page.css."""
    from weasyprint.formatting_structure import boxes

    right = max(
        box.position_x + box.width
        for box in page._page_box.descendants()
        if isinstance(box, boxes.TextBox)
    )
    return float(right - (page.width - margin))
