"""Printable pages: the estimate (or a comparison) as one self-contained HTML file.

No script, no external fonts, styles or images: the chart is inline SVG. Every text that
could come from a user or a price sheet goes through
:func:`~ketacost.render.safe_text.page_text` (HTML-escaped, controls made visible). The layout is
``templates/page.html`` and its print styles (US Letter) ``templates/page.css``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ketacost.comparison import Compared, Comparison
from ketacost.money import format_money
from ketacost.months import Month
from ketacost.render.compare_text import difference_text
from ketacost.render.layout import fill, template_text
from ketacost.render.refund_months import HEADERS as REFUND_HEADERS
from ketacost.render.refund_months import NOTE as REFUND_NOTE
from ketacost.render.refund_months import refund_rows, refund_title, refund_total
from ketacost.render.safe_text import page_text as escape  # controls made visible too
from ketacost.render.svg import PAD, Series, bar_chart
from ketacost.report.model import Report
from ketacost.sheet.service import options_title


def page(
    title: str,
    body: Sequence[str],
    version: str,
    disclaimer: str,
    today: date | None = None,
    *,
    letterhead: str = "",
    meta: str | None = None,
) -> str:
    """A complete HTML document around ``body`` (already escaped HTML fragments), under
    an optional ``letterhead`` (escaped HTML) and a line saying when and by what it was
    prepared (``meta``, plain text, replaces it)."""
    when = (today or date.today()).isoformat()
    return fill(
        "page.html",
        title=escape(title),
        css=template_text("page.css"),
        letterhead=letterhead,
        meta=escape(meta or f"Prepared {when} with ketacost {version}"),
        body="\n".join(body),
        disclaimer=escape(disclaimer),
    )


def keep(*fragments: str) -> str:
    """Fragments printed together on one page (a heading and a short section)."""
    return '<section class="keep">\n' + "\n".join(fragments) + "\n</section>"


def table(head: Sequence[str], body: Sequence[tuple[Sequence[str], str]], css: str = "") -> str:
    """A table from escaped cells; each body row carries a class ('' for none). Column
    titles are column headers and each row's first cell its row header, so a screen
    reader reads a figure with its row and column (an empty corner is a plain cell)."""
    cells = "".join(f'<th scope="col">{h}</th>' if h else "<td></td>" for h in head)
    lines = [
        f'<table class="{css}">' if css else "<table>",
        f"<thead><tr>{cells}</tr></thead>",
        "<tbody>",
    ]
    for row, row_css in body:
        attr = f' class="{row_css}"' if row_css else ""
        label, *figures = row
        lines.append(
            f'<tr{attr}><th scope="row">{label}</th>'
            + "".join(f"<td>{c}</td>" for c in figures)
            + "</tr>"
        )
    lines.append("</tbody></table>")
    return "\n".join(lines)


def notes(lines: Sequence[str]) -> str:
    return (
        '<section class="notes">\n'
        + "\n".join(f"<p>{escape(line)}</p>" for line in lines)
        + "\n</section>"
    )


def month_label(month: Month) -> str:
    return f"{month.start:%b %Y}"


def estimate_chart(report: Report, pad: int = PAD) -> str:
    """The typical monthly out of pocket as SVG, with the low-high range as whiskers."""
    months = report.months
    scenarios = report.scenarios
    typical = scenarios["typical"].out_of_pocket
    ranged = not report.exact
    subtitle = f"{'Typical price: ' if ranged else 'In all: '}{format_money(typical)}"
    if ranged:
        subtitle += (
            f" in all (from {format_money(scenarios['low'].out_of_pocket)} to "
            f"{format_money(scenarios['high'].out_of_pocket)}; whiskers span "
            "each month's figures at the low and high prices)"
        )
    other = scenarios["typical"].other_costs
    if other:
        subtitle += f"; other costs ({format_money(other)}) not included"
    series = Series(
        "Typical",
        [m.out_of_pocket["typical"] for m in months],
        [m.out_of_pocket["low"] for m in months] if ranged else None,
        [m.out_of_pocket["high"] for m in months] if ranged else None,
    )
    return bar_chart(
        "What you pay each month", [month_label(m) for m in months], [series], subtitle, pad
    )


def months_table(report: Report) -> str:
    names = report.columns
    typical = " (typical)" if len(names) > 1 else ""
    head = [
        "Month",
        "Sessions",
        f"Charges{typical}",
        *(f"Out of pocket ({n})" if len(names) > 1 else "Out of pocket" for n in names),
        f"Running total{typical}",
    ]
    body = [
        (
            [
                escape(month_label(m)),
                str(m.sessions or ""),
                format_money(m.charges["typical"]),
                *(format_money(m.out_of_pocket[n]) for n in names),
                format_money(m.running["typical"]),
            ],
            "",
        )
        for m in report.months
    ]
    body.append(
        (
            [
                "Total",
                str(report.scenarios["typical"].sessions),
                format_money(report.scenarios["typical"].charges),
                *(format_money(report.scenarios[n].out_of_pocket) for n in names),
                "",
            ],
            "total",
        )
    )
    return table([escape(h) for h in head], body, "months")


def refund_months_section(report: Report) -> list[str]:
    """Out of network, the cash paid at the visits, the refunds landing and what the
    patient carries, month by month (the terminal's table); nothing otherwise."""
    if not report.refund_months:
        return []
    body = [([escape(cell) for cell in row], "") for row in refund_rows(report)]
    body.append(([escape(cell) for cell in refund_total(report)], "total"))
    return [
        f"<h2>{escape(refund_title(report))}</h2>",
        table([escape(h) for h in REFUND_HEADERS], body, "months refunds"),
        notes([REFUND_NOTE]),
    ]


def estimate_page(report: Report, today: date | None = None) -> str:
    """The estimate's table, monthly chart, month-by-month table and assumptions."""
    return page(
        report.title,
        [
            summary_table(report),
            f'<figure class="chart">{estimate_chart(report, pad=0)}</figure>',
            "<h2>Month by month</h2>",
            months_table(report),
            *refund_months_section(report),
            keep("<h2>What this assumes</h2>", notes(report.notes[:-1])),
        ],
        report.version,
        report.disclaimer,
        today,
    )


def summary_table(report: Report) -> str:
    """The estimate's rows: charges, insurance, out of pocket, a column per price."""
    body = [
        (
            [escape(r.label), *(format_money(v) for v in r.values)],
            "total" if r.total else "section" if r.section else "",
        )
        for r in report.rows
    ]
    return table(["", *(escape(t) for t in report.column_titles)], body)


def compare_chart(comparison: Comparison, pad: int = PAD) -> str:
    """Each option's typical monthly out of pocket, grouped by month, as SVG."""
    series = [
        Series(
            c.label,
            comparison.typical_by_month(c),
            total=c.report.scenarios["typical"].out_of_pocket,
        )
        for c in comparison.options
    ]
    return bar_chart(
        "What you pay each month, option by option",
        [f"{start:%b %Y}" for start in comparison.axis],
        series,
        "At the typical price; the legend gives each option's total.",
        pad,
    )


def compare_months_table(comparison: Comparison) -> str:
    """The chart's figures as text: each month's typical out of pocket, option by option."""
    options = comparison.options
    by_month = [comparison.typical_by_month(c) for c in options]
    body = [
        ([f"{start:%b %Y}", *(format_money(amounts[i]) for amounts in by_month)], "")
        for i, start in enumerate(comparison.axis)
    ]
    head = ["Month", *(escape(c.label) for c in options)]
    return "<h2>Each month, option by option</h2>\n" + table(head, body, "months compare")


def compare_table(comparison: Comparison) -> str:
    """The options side by side: sessions, induction, boosters, charges, out of pocket,
    the first month and the difference from the first option."""
    compared = comparison.options
    head = ["", *(escape(c.label) for c in compared)]

    def oop(c: Compared) -> str:
        typical = c.report.scenarios["typical"].out_of_pocket
        shown = f"<strong>{format_money(typical)}</strong>"
        return shown + (f'<span class="range">{c.range_text}</span>' if c.range_text else "")

    body = [
        (["Sessions", *(str(c.sessions) for c in compared)], ""),
        (["Induction", *(escape(c.induction) for c in compared)], ""),
        (["Boosters", *(escape(c.boosters) for c in compared)], ""),
        (
            [
                "Clinic charges",
                *(format_money(c.report.scenarios["typical"].charges) for c in compared),
            ],
            "",
        ),
        (["Out of pocket", *(oop(c) for c in compared)], "section"),
        (["First month", *(format_money(c.first_month) for c in compared)], "section"),
        (["Difference", *(difference_text(c, i == 0) for i, c in enumerate(compared))], ""),
    ]
    return table(head, body, "compare")


def compare_page(comparison: Comparison, today: date | None = None) -> str:
    """The options side by side, the grouped monthly chart and what each assumes."""
    compared = comparison.options
    first = compared[0].report
    return page(
        options_title(c.report.therapy for c in compared),
        [
            compare_table(comparison),
            f'<figure class="compare">{compare_chart(comparison, pad=0)}</figure>',
            compare_months_table(comparison),
            keep("<h2>What each option assumes</h2>", notes(comparison.notes[:-1])),
        ],
        first.version,
        first.disclaimer,
        today,
    )
