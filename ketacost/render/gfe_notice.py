"""The notice of the right to a Good Faith Estimate that a clinic must post and give to
self-pay patients (docs/gfe.md), filled in with the clinic's name, address and phone.

A page from ``templates/gfe_notice.html`` with the Good Faith Estimate's style sheet;
every text from the price sheet is HTML-escaped.
"""

from __future__ import annotations

from ketacost import __version__
from ketacost.gfe.document import CMS_PHONE, CMS_SITE, DISPUTE_THRESHOLD
from ketacost.render import layout
from ketacost.render.gfe import Html, escaped
from ketacost.sheet.model import Provider


def notice_page(clinic: Provider) -> str:
    """The whole notice, for one clinic."""
    page = escaped(
        css=Html(layout.template_text("gfe.css").strip("\n")),
        clinic_name=clinic.name,
        address=clinic.address,
        phone=f", phone {clinic.phone}" if clinic.phone else "",
        dispute_threshold=DISPUTE_THRESHOLD,
        cms_site=CMS_SITE,
        cms_phone=CMS_PHONE,
        version=__version__,
    )
    return layout.fill("gfe_notice.html", **page)
