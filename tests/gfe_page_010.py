# fmt: off
"""The Good Faith Estimate page as ketacost 0.1.0 drew it: a frozen reference that the
page drawn from a typed GoodFaithEstimate must match byte for byte (test_gfe_core.py).

A verbatim copy of that version's ``ketacost/render/gfe.py``, with two changes only: its
style sheet (``gfe_style.CSS``) is inlined, and what it imported from modules since
replaced is defined here (``Data``, ``is_exact``, the saved ``Entry``). Do not edit or
reformat it. Below the page, the same version's rules from ``ketacost gfe``: the
provider block and the cut to 12 months.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from html import escape
from typing import Any

from ketacost import DISCLAIMER
from ketacost.estimate import Estimate, estimate
from ketacost.money import D, Money, format_money, total
from ketacost.schedule import add_months

Data = dict[str, Any]


def is_exact(data: Data) -> bool:
    """True when every scenario has the same figures (an exact price, no range)."""
    return bool(data["scenarios"]["low"]["lines"] == data["scenarios"]["high"]["lines"])


@dataclass(frozen=True)
class Entry:
    """What the page read of a saved entry (``created`` is UTC ISO 8601)."""

    id: str
    created: str
    patient: str | None
    dob: str | None
    prepared_by: str | None
    replaces: str | None
    version: str
    result: dict[str, Any]


CSS = """
@page { size: Letter; margin: 0.5in 0.55in; }
* { box-sizing: border-box; }
html { font: 10pt/1.4 "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #111; }
body { margin: 0; background: #e8e8e8; }
.page { background: #fff; max-width: 8.5in; margin: 0.3in auto; padding: 0.5in 0.55in;
        box-shadow: 0 1px 6px rgba(0, 0, 0, 0.25); }
h1 { font-size: 20pt; margin: 0; letter-spacing: 0.01em; }
h2 { font-size: 11.5pt; margin: 14pt 0 5pt; padding-bottom: 2pt; border-bottom: 1.5pt solid #111; }
h3 { font-size: 10pt; margin: 9pt 0 3pt; }
p { margin: 4pt 0; }
.sub { margin: 2pt 0 0; color: #444; }
header { display: flex; justify-content: space-between; align-items: flex-start; gap: 16pt;
         border-bottom: 3pt solid #111; padding-bottom: 8pt; }
table { border-collapse: collapse; }
table.meta th, table.kv th { text-align: left; font-weight: normal; color: #444;
                             padding: 1pt 10pt 1pt 0; vertical-align: top; white-space: nowrap; }
table.meta td, table.kv td { padding: 1pt 0; font-weight: bold; vertical-align: top; }
table.meta td { white-space: nowrap; }
.parties { display: grid; grid-template-columns: 1fr 1.35fr; gap: 22pt; }
table.items { width: 100%; margin-top: 4pt; }
table.items th, table.items td { border-bottom: 0.75pt solid #999; padding: 4pt 5pt;
                                 text-align: left; vertical-align: top; }
table.items thead th { border-bottom: 1.5pt solid #111; font-size: 8.5pt; }
table.items tfoot td { border-top: 1.5pt solid #111; border-bottom: none; font-weight: bold;
                       font-size: 11pt; }
.num { text-align: right !important; white-space: nowrap; font-variant-numeric: tabular-nums; }
.note { color: #333; font-size: 8.5pt; }
p.warn { border-left: 3pt solid #111; padding: 3pt 8pt; background: #f2f2f2; }
ol.dates { columns: 4; column-gap: 14pt; margin: 2pt 0; padding-left: 22pt; font-size: 8.5pt; }
ul { margin: 3pt 0; padding-left: 16pt; }
li { margin: 2pt 0; }
.notice { border: 1.5pt solid #111; padding: 2pt 10pt 6pt; margin-top: 14pt; }
.notice h2 { border-bottom: none; }
footer { margin-top: 12pt; padding-top: 5pt; border-top: 0.75pt solid #999; font-size: 8pt;
         color: #333; }
code { font-size: 7.5pt; word-break: break-all; }
thead { display: table-header-group; }
tr, li, .notice, header, .parties { break-inside: avoid; }
h2, h3 { break-after: avoid; }
@media print {
  body { background: none; }
  .page { margin: 0; padding: 0; max-width: none; box-shadow: none; }
  p.warn { background: none; }
}
"""

DISPUTE_THRESHOLD = 400
DISPUTE_DAYS = 120


@dataclass(frozen=True)
class Item:
    """One expected item or service, at its cash price after self-pay discounts."""

    label: str
    codes: tuple[str, ...]
    quantity: int
    unit: Money | None
    amount: Money
    list_unit: Money | None = None
    """The price before a self-pay discount, when one applies."""


def e(value: object) -> str:
    """Escape any text for HTML (content and attributes)."""
    return escape(str(value), quote=True)


def css_string(text: str) -> str:
    """A CSS string literal holding ``text``: anything but letters, digits and a little
    punctuation is a hex escape, so no text can end the string or the style element."""
    safe = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-:")
    return '"' + "".join(c if c in safe else f"\\{ord(c):x} " for c in text) + '"'


def running_footer(entry: Entry) -> str:
    """Each printed page names the estimate and the patient, and counts the pages."""
    who = f"Good Faith Estimate {entry.id}, patient {entry.patient or ''}"
    return ("@page { @bottom-left { content: " + css_string(who) + "; font: 7.5pt sans-serif; "
            "color: #444; } @bottom-right { content: \"Page \" counter(page) \" of \" "
            "counter(pages); font: 7.5pt sans-serif; color: #444; } }")


def long_date(day: date | str) -> str:
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return f"{day:%B} {day.day}, {day.year}"


def short_date(text: str) -> str:
    day = date.fromisoformat(text)
    return f"{day:%a %b} {day.day}, {day.year}"


def items(data: Data) -> list[Item]:
    """The typical scenario's items; discounts are folded into the sessions they lower."""
    scenario = data["scenarios"]["typical"]
    result = []
    for line in scenario["lines"]:
        if line["kind"] == "treatment":
            phase = "induction" if line["key"] == "induction" else "maintenance"
            charges = [D(c["charge"]) for c in scenario["claims"]
                       if c["session"] is not None and c["phase"] == phase]
            same = len(set(charges)) == 1
            unit = charges[0] if same else None
            listed = D(line["unit"])
            result.append(Item(line["label"], tuple(line["codes"]), len(charges), unit,
                               total(charges), listed if unit != listed else None))
        elif line["kind"] == "fee":
            result.append(Item(line["label"], tuple(line["codes"]), line["quantity"],
                               D(line["unit"]), D(line["amount"])))
    return result


def _items_table(data: Data, diagnoses: list[str]) -> str:
    rows = []
    for item in items(data):
        note = (f'<div class="note">list price {e(format_money(item.list_unit))} each, less '
                f"the self-pay discount</div>" if item.list_unit is not None else "")
        rows.append(
            f"<tr><td>{e(item.label)}{note}</td><td>{e(', '.join(item.codes) or 'none')}</td>"
            f"<td>{e(', '.join(diagnoses))}</td><td class=num>{e(item.quantity)}</td>"
            f"<td class=num>{e(format_money(item.unit)) if item.unit is not None else ''}</td>"
            f"<td class=num>{e(format_money(item.amount))}</td></tr>")
    expected = total(i.amount for i in items(data))
    return (
        "<table class=items><thead><tr><th>Item or service</th><th>Service code "
        "(CPT/HCPCS)</th><th>Diagnosis code (ICD-10)</th><th class=num>Quantity</th>"
        "<th class=num>Price each</th><th class=num>Expected charge</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody><tfoot><tr><td colspan=5>Total expected charges"
        f"</td><td class=num>{e(format_money(expected))}</td></tr></tfoot></table>")


def _price_notes(data: Data) -> str:
    scenarios = data["scenarios"]
    notes = []
    discounts = [line for line in scenarios["typical"]["lines"] if line["kind"] == "discount"]
    if discounts:
        named = "; ".join(f"{line['label']} ({format_money(-D(line['unit']))} off each of "
                          f"{line['quantity']} sessions)" for line in discounts)
        notes.append(f"Self-pay discounts included above: {named}.")
    if not is_exact(data):
        low, high = scenarios["low"], scenarios["high"]
        notes.append(
            f"The clinic's price per session ranges from {format_money(D(low['per_session']))}"
            f" to {format_money(D(high['per_session']))}; the expected charges above use its "
            f"usual price of {format_money(D(scenarios['typical']['per_session']))}. Across "
            f"that range the total would be from {format_money(D(low['out_of_pocket']))} to "
            f"{format_money(D(high['out_of_pocket']))}.")
    return "".join(f"<p class=note>{e(note)}</p>" for note in notes)


def _sessions(data: Data, gfe: dict[str, Any]) -> str:
    schedule = data["schedule"]
    induction = [s for s in schedule if s["phase"] == "induction"]
    boosters = [s for s in schedule if s["phase"] == "maintenance"]
    weeks = data["inputs"]["weeks"]
    rate = len(induction) / weeks
    pace = f"{rate:.0f}" if rate == int(rate) else f"about {rate:.1f}"
    text = [f"{len(schedule)} sessions in all. An induction series of {len(induction)} "
            f"session{'s' if len(induction) != 1 else ''}"
            + (f" over {weeks} week{'s' if weeks != 1 else ''} ({pace} a week), "
               f"{long_date(induction[0]['date'])} to {long_date(induction[-1]['date'])}"
               if len(induction) > 1 else f" on {long_date(induction[0]['date'])}")]
    if boosters:
        names = data["labels"]
        plan = (f" (plan {names['maintenance']})" if names["maintenance"] != names["interval"]
                else "")
        text.append(f"then {len(boosters)} maintenance (booster) session"
                    f"{'s' if len(boosters) != 1 else ''}, {names['interval']}{plan}, "
                    f"{long_date(boosters[0]['date'])} to {long_date(boosters[-1]['date'])}")
    out = f"<p>{e(', '.join(text))}.</p>"
    planned = gfe.get("planned")
    if planned:
        out += (f"<p class=warn>The plan asked for runs to {e(long_date(planned['last']))} "
                f"({e(planned['sessions'])} sessions). A Good Faith Estimate covers at most 12 "
                f"months, so this one covers only the sessions from "
                f"{e(long_date(gfe['covers']['from']))} to {e(long_date(gfe['covers']['to']))}"
                ". You will get a new Good Faith Estimate for the sessions after that.</p>")
    dates = "".join(f"<li>{e(short_date(s['date']))}</li>" for s in schedule)
    when = ("Planned session dates" if gfe.get("scheduled") else
            "Planned session dates (the series is not scheduled yet; dates may change)")
    return out + f"<h3>{e(when)}</h3><ol class=dates>{dates}</ol>"


def _field(label: str, value: str) -> str:
    return f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>"


def gfe_page(entry: Entry) -> str:
    """The whole page for a saved Good Faith Estimate entry."""
    data = entry.result
    gfe = data["gfe"]
    provider = gfe["provider"]
    issued = datetime.fromisoformat(entry.created).astimezone().date()
    diagnoses = gfe["diagnoses"]
    sheet = data["sheet"]
    scheduled = (long_date(gfe["scheduled"]) if gfe.get("scheduled")
                 else "Not scheduled yet")
    separately = gfe.get("separately") or []
    separate = ("".join(f"<li>{e(s)}</li>" for s in separately) if separately else
                "<li>None expected at this time.</li>")
    replaces = _field("Replaces", entry.replaces) if entry.replaces else ""
    phone = _field("Phone", provider["phone"]) if provider.get("phone") else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Good Faith Estimate {e(entry.id)}</title><style>{CSS}{running_footer(entry)}</style>
</head>
<body><main class=page>
<header><div><h1>Good Faith Estimate</h1>
<p class=sub>of expected charges for patients who are uninsured or not using insurance</p>
</div><table class=meta>{_field("Estimate ID", entry.id)}{_field("Date issued",
        long_date(issued))}{replaces}</table></header>
<section class=parties><div><h2>Patient</h2><table class=kv>
{_field("Name", entry.patient or "")}{_field("Date of birth", long_date(entry.dob or ""))}
</table></div><div><h2>Provider</h2><table class=kv>
{_field("Name", provider["name"])}{_field("NPI", provider["npi"])}
{_field("TIN", provider["tin"])}{_field("Location of service", provider["address"])}
{_field("State", provider["state"])}{phone}</table></div></section>
<section><h2>Primary service</h2>
<p><strong>Ketamine infusion therapy: {e(data["labels"]["treatment"])}.</strong> A series of
intravenous (IV) infusions of ketamine, each lasting about 40 to 60 minutes, followed by a
period of observation at the clinic. You may not drive until the next day, so you will need
a ride home after each session.</p>
<table class=kv>{_field("Scheduled date", scheduled)}{_field("Diagnosis codes (ICD-10)",
        ", ".join(diagnoses))}</table>
<h3>Expected number and frequency of sessions</h3>{_sessions(data, gfe)}</section>
<section><h2>Expected items and services</h2>{_items_table(data, diagnoses)}
{_price_notes(data)}</section>
<section><h2>Items or services to be scheduled separately</h2><ul>{separate}</ul></section>
<section class=notice><h2>Disclaimers and your rights</h2><ul>
<li><strong>This is only an estimate.</strong> It lists the items and services reasonably
expected for your care, based on what was known when it was made. The actual items,
services or charges may differ.</li>
<li>Other items or services may be recommended as part of your care. They would be scheduled
and estimated separately and are not included here.</li>
<li><strong>If you are billed ${DISPUTE_THRESHOLD} or more above this Good Faith Estimate,
you have the right to dispute the bill.</strong> You may contact the provider to ask them to
update the bill, or start the patient-provider dispute resolution process with the U.S.
Department of Health and Human Services. You must start that process within {DISPUTE_DAYS}
calendar days (about 4 months) of the date on the original bill. <strong>Save a copy or
picture of this Good Faith Estimate</strong> and of the bill. For more information, visit
www.cms.gov/nosurprises.</li>
<li>Starting a dispute will not affect the quality of the care you receive.</li>
<li>This Good Faith Estimate is not a contract. It does not oblige you to receive the items or
services listed.</li></ul></section>
<footer><p>Good Faith Estimate {e(entry.id)}, issued {e(long_date(issued))}{
        e(f", prepared by {entry.prepared_by}") if entry.prepared_by else ""}. Computed by
ketacost {e(entry.version)} from the price sheet &ldquo;{e(sheet["name"])}&rdquo;, sha256
<code>{e(sheet["sha256"])}</code>. {e(DISCLAIMER)}</p></footer>
</main></body></html>
"""


# -- the rules of ``ketacost gfe`` (ketacost/cli/gfe_cmd.py), without the command line --

PROVIDER_FIELDS = ("name", "npi", "tin", "address", "state")
MAX_MONTHS = 12


def provider(est: Estimate) -> dict[str, str]:
    clinic = est.sheet.clinic
    assert not [f for f in PROVIDER_FIELDS if not getattr(clinic, f).strip()]
    return {f: getattr(clinic, f) for f in (*PROVIDER_FIELDS, "phone")}


def within_a_year(est: Estimate) -> tuple[Estimate, dict[str, Any]]:
    """The estimate cut to 12 months of sessions, and what the GFE says about the cut."""
    start = est.request.start
    end = add_months(start, MAX_MONTHS) - timedelta(days=1)
    covers = {"from": start.isoformat(), "to": end.isoformat()}
    if est.schedule[-1].date <= end:
        return est, {"covers": covers, "planned": None}
    planned = {"sessions": len(est.schedule), "last": est.schedule[-1].date.isoformat()}
    cut = estimate(replace(est.request, until=end), est.sheet)
    return cut, {"covers": covers, "planned": planned}


def gfe_block(full: Estimate, diagnoses: list[str], scheduled: date | None,
              separately: list[str]) -> tuple[Estimate, dict[str, Any]]:
    """The estimate to save and its ``gfe`` block, as the command built them."""
    est, period = within_a_year(full)
    return est, {"provider": provider(full), "diagnoses": list(diagnoses),
                 "scheduled": None if scheduled is None else scheduled.isoformat(),
                 "separately": [" ".join(s.split()) for s in separately if s.strip()],
                 **period}
