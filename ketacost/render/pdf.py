"""A page (HTML from :mod:`ketacost.render.html` or :mod:`ketacost.render.gfe`) printed
to PDF by WeasyPrint, the optional extra ``ketacost[pdf]``.

WeasyPrint lays pages out by the page's own print styles (US Letter, what repeats, where
a page may break), as a browser prints them. It is an optional extra, imported only
when a PDF is asked for, so every other command works without it. It needs the Pango
libraries of the system at run time (Debian: libpango-1.0-0, libpangoft2-1.0-0,
libharfbuzz-subset0).
"""

from __future__ import annotations

import contextlib
import io
import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Sequence

INSTALL = "pip install 'ketacost[pdf]'"
PRINT_RULES = "tfoot { display: table-row-group; }"
"""Print rules for every page printed here, also for pages issued before their own style
sheets had them (a Good Faith Estimate saved by 0.1.0 repeated its total, a table footer,
at the foot of every page its items ran over): a total prints once, after its rows."""


class PdfUnavailable(Exception):
    """WeasyPrint is not installed (``missing``), or cannot load the libraries it needs."""

    def __init__(self, message: str, *, missing: bool) -> None:
        super().__init__(message)
        self.missing = missing


def _weasyprint() -> Any:
    """The weasyprint module, imported quietly: WeasyPrint prints a banner on standard
    output when a system library is missing, and that would corrupt a PDF written there."""
    banner = io.StringIO()
    try:
        with contextlib.redirect_stdout(banner):
            import weasyprint
    except ImportError as error:
        if error.name is not None and error.name.split(".")[0] == "weasyprint":
            raise PdfUnavailable(
                f"writing a PDF needs WeasyPrint: {INSTALL}", missing=True
            ) from None
        raise PdfUnavailable(
            f"WeasyPrint cannot load ({error}); reinstall it with {INSTALL}", missing=False
        ) from None
    except OSError as error:
        raise PdfUnavailable(
            f"WeasyPrint cannot load the Pango libraries it needs ({error}); install them "
            "(Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)",
            missing=False,
        ) from None
    # Its warnings about CSS it does not print (screen-only properties) are not ours.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def check() -> None:
    """Raise :class:`PdfUnavailable` unless a PDF can be written."""
    _weasyprint()


def document(page: str, stylesheets: Sequence[str] = ()) -> Any:
    """The laid-out pages of an HTML page (WeasyPrint's Document: ``.pages``)."""
    weasyprint = _weasyprint()
    # The pages are self-contained: nothing is fetched, whatever a URL in them says.
    fetcher = weasyprint.urls.URLFetcher(allowed_protocols=frozenset())
    sheets = [
        weasyprint.CSS(string=css, url_fetcher=fetcher) for css in (PRINT_RULES, *stylesheets)
    ]
    return weasyprint.HTML(string=page, url_fetcher=fetcher).render(stylesheets=sheets)


PDF_VARIANT = "pdf/ua-1"
"""Tagged PDF (PDF/UA-1): headings, lists, tables and their headers are marked in the
file, so a screen reader reads a figure with its row and column, in reading order."""


def pdf_bytes(page: str, stylesheets: Sequence[str] = ()) -> bytes:
    """``page`` printed to a tagged PDF."""
    data: bytes = document(page, stylesheets).write_pdf(pdf_variant=PDF_VARIANT)
    return data
