"""A Good Faith Estimate as a printable HTML page (docs/gfe.md; 45 CFR 149.610).

Drawn from a :class:`~ketacost.gfe.document.GoodFaithEstimate`, which holds every figure: this
module only formats. The layout is the template ``templates/gfe.html`` and its style
sheet ``templates/gfe.css`` (plain on screen, US Letter on paper). Every piece of text is
HTML-escaped when it fills a placeholder; only fragments built here go in as they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from string import Template

from ketacost.gfe.document import (
    CMS_PHONE,
    CMS_SITE,
    DISPUTE_DAYS,
    DISPUTE_FEE,
    DISPUTE_THRESHOLD,
    MAX_MONTHS,
    GfeItem,
    GoodFaithEstimate,
    Subtotal,
)
from ketacost.money import format_money
from ketacost.render import layout
from ketacost.render.safe_text import page_text
from ketacost.report.model import Report
from ketacost.schedule.sessions import INDUCTION, MAINTENANCE
from ketacost.sheet.model import Provider

FIELD = Template("<tr><th scope=row>$label</th><td>$value</td></tr>")
PROVIDER = Template(
    "<div><h2>$title</h2><table class=kv>"
    "<tr><th scope=row>Name</th><td>$name</td></tr><tr><th scope=row>NPI</th><td>$npi</td></tr>"
    "<tr><th scope=row>TIN</th><td>$tin</td></tr>"
    "<tr><th scope=row>Location of service</th><td>$address</td></tr>"
    "<tr><th scope=row>State</th><td>$state</td></tr>$phone</table></div>"
)
GROUP = Template(
    "<tbody><tr class=group><th colspan=6 scope=rowgroup>$name <span class=note>NPI $npi</span>"
    "</th></tr>$rows<tr class=subtotal><th colspan=5 scope=row>Subtotal, $name</th>"
    "<td class=num>$amount</td></tr></tbody>"
)
ITEM = Template(
    "<tr><th scope=row>$label$note</th><td data-label='Service codes'>$codes</td>"
    "<td data-label='Diagnosis codes'>$diagnoses</td>"
    "<td class=num data-label=Quantity>$quantity</td>"
    "<td class=num data-label='Price each'>$unit</td>"
    "<td class=num data-label='Expected charge'>$amount</td></tr>"
)
LIST_PRICE = Template('<div class="note">$text</div>')
PARAGRAPH = Template("<p class=$kind>$text</p>")
LIST_ITEM = Template("<li>$text</li>")
MOVED_ITEM = Template("<li>$text <span class=note>(moved from $planned)</span></li>")
MOVED = (
    "A session planned for a day the clinic is closed moves to its next open day; "
    "the list says from which day."
)
NO_SEPARATE_ITEMS = "None expected at this time."
SEPARATELY = (
    "The items below are expected as part of your care but are not in this estimate, "
    "because they will be scheduled separately. You will get a separate Good Faith Estimate "
    "for each, from the provider or facility that gives it, when you schedule it or whenever "
    "you ask for one. Its codes and charges will be on that estimate."
)
NBSP = "\u00a0"
"""Between a code and its units (``96366 x3``), so they never part at a line end."""


class Html(str):
    """Markup built here from escaped text: it fills a placeholder as it is."""


def e(value: object) -> str:
    """Escape any text for HTML (content and attributes), its control characters and
    bidi overrides made visible (:func:`~ketacost.render.safe_text.page_text`). An
    estimate issued before keeps the page it was issued with."""
    return page_text(str(value))


def escaped(**values: object) -> dict[str, str]:
    """Every value escaped for HTML, except :class:`Html` fragments."""
    return {k: v if isinstance(v, Html) else e(v) for k, v in values.items()}


def fill(template: Template, **values: object) -> Html:
    """A fragment of the page: ``template`` with its values escaped (see :func:`escaped`)."""
    return Html(template.substitute(escaped(**values)))


def joined(fragments: Iterable[Html]) -> Html:
    return Html("".join(fragments))


def css_string(text: str) -> str:
    """A CSS string literal holding ``text``: anything but letters, digits and a little
    punctuation is a hex escape, so no text can end the string or the style element."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-:")
    return '"' + "".join(c if c in safe else f"\\{ord(c):x} " for c in text) + '"'


FOOTER_NAME = 40
"""Most characters of the patient's name in a page's footer: a printed footer does not
wrap, and a longer name would run off the paper (the page's Patient section has it all)."""


def footer_name(name: str) -> str:
    """The patient's name as a page's footer shows it: cut with an ellipsis past
    :data:`FOOTER_NAME` characters."""
    return name if len(name) <= FOOTER_NAME else name[: FOOTER_NAME - 1].rstrip() + "\u2026"


def long_date(day: date) -> str:
    """``November 23, 2026``."""
    return f"{day:%B} {day.day}, {day.year}"


def short_date(day: date) -> str:
    """``Mon Nov 23, 2026``."""
    return f"{day:%a %b} {day.day}, {day.year}"


def _s(count: int) -> str:
    return "s" if count != 1 else ""


def sessions_text(report: Report) -> str:
    """How many sessions, how often and when: the induction, then any boosters."""
    schedule = report.schedule
    induction = [s for s in schedule if s.phase == INDUCTION]
    boosters = [s for s in schedule if s.phase == MAINTENANCE]
    weeks = report.request.weeks
    rate = len(induction) / weeks  # a pace for people, never money
    pace = f"{rate:.0f}" if rate == int(rate) else f"about {rate:.1f}"
    first, last = induction[0].date, induction[-1].date
    when = (
        f" over {weeks} week{_s(weeks)} ({pace} a week), {long_date(first)} to {long_date(last)}"
        if len(induction) > 1
        else f" on {long_date(first)}"
    )
    text = [
        f"{len(schedule)} sessions in all. An induction series of {len(induction)} "
        f"session{_s(len(induction))}{when}"
    ]
    if boosters:
        names = report.labels
        plan = f" (plan {names.maintenance})" if names.maintenance != names.interval else ""
        text.append(
            f"then {len(boosters)} maintenance (booster) session{_s(len(boosters))}, "
            f"{names.interval}{plan}, {long_date(boosters[0].date)} to "
            f"{long_date(boosters[-1].date)}"
        )
    return ", ".join(text)


def dates_list(report: Report) -> Html:
    """Every session's date, in order; a moved one says the day it was planned for (all
    of them: a Good Faith Estimate leaves none out)."""
    return joined(
        fill(LIST_ITEM, text=short_date(s.date))
        if s.moved_from is None
        else fill(MOVED_ITEM, text=short_date(s.date), planned=short_date(s.moved_from))
        for s in report.schedule
    )


def cut_text(gfe: GoodFaithEstimate) -> str | None:
    """What the page says when the plan ran past 12 months and was cut, or None."""
    period = gfe.period
    if period.planned_sessions is None or period.planned_last is None:
        return None
    return (
        f"The plan as asked runs to {long_date(period.planned_last)} "
        f"({period.planned_sessions} sessions). A Good Faith Estimate covers at most "
        f"{MAX_MONTHS} months, so this one covers only the sessions from "
        f"{long_date(period.start)} to {long_date(period.end)}. You will get a new Good "
        "Faith Estimate for the sessions after that."
    )


def price_notes(report: Report) -> list[str]:
    """The clinic's price range, when its price is not exact."""
    scenarios = report.scenarios
    typical = scenarios["typical"]
    if report.exact:
        return []
    low, high = scenarios["low"], scenarios["high"]
    return [
        f"The clinic's price per session ranges from {format_money(low.per_session)} to "
        f"{format_money(high.per_session)}; the expected charges above use its usual "
        f"price of {format_money(typical.per_session)}. Across that range the total "
        f"would be from {format_money(low.out_of_pocket)} to "
        f"{format_money(high.out_of_pocket)}."
    ]


def discount_note(item: GfeItem) -> str | None:
    """What a line's discounts take off, each with its condition: ``list price $450.00
    each, less Prepaid induction series ($45.00 off each, because the series is paid in
    advance)``."""
    if item.list_unit is None:
        return None
    less = "; ".join(
        f"{d.label} ({format_money(d.off)} off each"
        + (f", because {d.when})" if d.when else ", a self-pay discount)")
        for d in item.discounts
    )
    return f"list price {format_money(item.list_unit)} each, less {less}"


def _item_row(item: GfeItem, diagnoses: str) -> Html:
    note = discount_note(item)
    return fill(
        ITEM,
        label=item.label,
        note=Html("") if note is None else fill(LIST_PRICE, text=note),
        codes=", ".join(str(code).replace(" ", NBSP) for code in item.codes),
        diagnoses=diagnoses,
        quantity=item.quantity,
        unit="" if item.unit is None else format_money(item.unit),
        amount=format_money(item.amount),
    )


def _group(gfe: GoodFaithEstimate, subtotal: Subtotal, diagnoses: str) -> Html:
    """One provider's items and their subtotal."""
    provider = subtotal.provider
    rows = joined(_item_row(i, diagnoses) for i in gfe.items if i.provider == provider.key)
    return fill(
        GROUP,
        name=provider.name,
        npi=provider.npi,
        rows=rows,
        amount=format_money(subtotal.amount),
    )


def _provider(provider: Provider, title: str) -> Html:
    return fill(
        PROVIDER,
        title=title,
        name=provider.name,
        npi=provider.npi,
        tin=provider.tin,
        address=provider.address,
        state=provider.state,
        phone=_field("Phone", provider.phone),
    )


def _providers(gfe: GoodFaithEstimate) -> Html:
    """The clinic, then each other provider with items on the estimate."""
    others = [s.provider for s in gfe.subtotals if s.provider.key != gfe.provider.key]
    title = "Provider" if not others else "Provider (the clinic)"
    return joined(
        [_provider(gfe.provider, title), *(_provider(p, "Also providing care") for p in others)]
    )


def _field(label: str, value: str | None) -> Html:
    """A labelled row, or nothing when there is no value."""
    return fill(FIELD, label=label, value=value) if value else Html("")


def gfe_page(gfe: GoodFaithEstimate, witness: str | None = None) -> str:
    """The whole page of a Good Faith Estimate; ``witness``: the quote log's head when it
    was issued (``12:0123456789abcdef``), printed in its footer."""
    report = gfe.report
    diagnoses = ", ".join(gfe.diagnoses)
    cut = cut_text(gfe)
    moved = any(s.moved_from is not None for s in report.schedule)
    separately = gfe.separately or (NO_SEPARATE_ITEMS,)
    who = f"Good Faith Estimate {gfe.id}, patient {footer_name(gfe.patient)}"
    page = escaped(
        css=Html(layout.template_text("gfe.css").strip("\n")),
        footer_text=Html(css_string(who)),  # a CSS string: safe in a style element
        id=gfe.id,
        issued=long_date(gfe.issued),
        replaces=_field("Replaces", gfe.replaces),
        patient=gfe.patient,
        dob=long_date(gfe.dob),
        providers=_providers(gfe),
        service=gfe.service,
        description=gfe.description,
        scheduled="Not scheduled yet" if gfe.scheduled is None else long_date(gfe.scheduled),
        diagnoses=diagnoses,
        sessions=sessions_text(report),
        cut=Html("") if cut is None else fill(PARAGRAPH, kind="warn", text=cut),
        dates_heading="Planned session dates"
        if gfe.scheduled is not None
        else "Planned session dates (the series is not scheduled yet; dates may change)",
        dates=dates_list(report),
        moved=fill(PARAGRAPH, kind="note", text=MOVED) if moved else Html(""),
        items=joined(_group(gfe, s, diagnoses) for s in gfe.subtotals),
        total=format_money(gfe.total),
        price_notes=joined(fill(PARAGRAPH, kind="note", text=n) for n in price_notes(report)),
        separately=joined(fill(LIST_ITEM, text=s) for s in separately),
        separately_intro=fill(PARAGRAPH, kind="intro", text=SEPARATELY)
        if gfe.separately
        else Html(""),
        dispute_threshold=DISPUTE_THRESHOLD,
        dispute_days=DISPUTE_DAYS,
        dispute_fee=DISPUTE_FEE,
        cms_site=CMS_SITE,
        cms_phone=CMS_PHONE,
        prepared_by=f", prepared by {gfe.prepared_by}" if gfe.prepared_by else "",
        witness=f" Quote log witness: {witness}." if witness else "",
        version=report.version,
        sheet_name=report.sheet.name,
        sheet_sha256=report.sheet.sha256,
        disclaimer=report.disclaimer,
    )
    return layout.fill("gfe.html", **page)
