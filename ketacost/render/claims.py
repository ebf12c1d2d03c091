"""Claims to follow up, as a table for the terminal and as an iCalendar file
(docs/superbill.md, "Claims"). The figures are the claims' own
(:mod:`ketacost.superbill.claims`): this module only formats them.

The calendar (RFC 5545) holds one all-day event per filing deadline and one per expected
refund once its date is known; text is escaped (backslash, semicolon, comma, line breaks)
and long lines folded. It names no patient: a calendar is often synced to other devices.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from ketacost.money import format_money
from ketacost.render.safe_text import terminal_text

if TYPE_CHECKING:
    from rich.table import Table

    from ketacost.superbill.claims import Claim

UNKNOWN = "unknown"


def claims_table(claims: Sequence[Claim]) -> Table:
    """One row per superbill: its sessions, what was paid, the refund expected and when,
    the filing deadline, and what the insurer paid (with the difference from the
    forecast)."""
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for title in ("Superbill", "Patient", "Sessions", "Paid", "Refund expected", "File by",
                  "Received"):  # fmt: skip
        kept = title in ("Superbill", "File by")  # an id and a date are never cut
        table.add_column(title, justify="right" if title in MONEY_COLUMNS else "left",
                         no_wrap=kept, min_width=17 if title == "Superbill" else None)  # fmt: skip
    for claim in claims:
        bill, forecast = claim.bill, claim.forecast
        days = bill.sessions
        sessions = f"{days[0]} to {days[-1]} ({len(days)})" if len(days) > 1 else f"{days[0]}"
        expected = UNKNOWN if forecast.amount is None else format_money(forecast.amount)
        if forecast.on is not None:
            expected += f" on {forecast.on.isoformat()}"
        received = "" if claim.received is None else format_money(claim.received)
        if claim.difference is not None:
            received += f" ({signed(claim.difference)})"
        table.add_row(
            bill.id,
            terminal_text(bill.patient.name),
            sessions,
            format_money(bill.paid),
            expected,
            claim.deadline.isoformat(),
            received,
        )
    return table


MONEY_COLUMNS = {"Paid", "Received"}


def signed(amount: object) -> str:
    """A difference with its sign: ``+$12.50``, ``-$3.00``."""
    assert isinstance(amount, Decimal)
    return ("-" if amount < 0 else "+") + format_money(abs(amount))


def _escape(text: str) -> str:
    cleaned = terminal_text(text)  # no control character reaches a calendar
    return (
        cleaned.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def _event(uid: str, day: date, stamp: date, summary: str, description: str) -> list[str]:
    return [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{stamp:%Y%m%d}T000000Z",
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}",
        "END:VEVENT",
    ]


def claims_ics(claims: Sequence[Claim]) -> str:
    """The deadlines and expected refunds as an iCalendar file (CRLF line ends)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//ketacost//claims//EN",
             "CALSCALE:GREGORIAN"]  # fmt: skip
    for claim in claims:
        bill = claim.bill
        days = ", ".join(d.isoformat() for d in bill.sessions)
        lines += _event(
            f"{bill.id}-filing@ketacost",
            claim.deadline,
            bill.issued,
            f"File the claim for superbill {bill.id}",
            f"Last day to file (within {claim.filing_days} days of the first date of "
            f"service). Dates of service: {days}. Charged {format_money(bill.charged)}, "
            f"paid {format_money(bill.paid)}.",
        )
        if claim.forecast.on is not None:
            expected = (
                UNKNOWN if claim.forecast.amount is None else format_money(claim.forecast.amount)
            )
            lines += _event(
                f"{bill.id}-refund@ketacost",
                claim.forecast.on,
                bill.issued,
                f"Refund expected for superbill {bill.id}: {expected}",
                claim.forecast.basis,
            )
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
