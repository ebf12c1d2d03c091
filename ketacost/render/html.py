"""Printable pages: the estimate (or a comparison) as one self-contained HTML file.

No script, no external fonts, styles or images: the chart is inline SVG. Every text that
could come from a user or a price sheet goes through :func:`html.escape`. The print
styles lay the page out on US Letter."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from ketacost import DISCLAIMER, __version__
from ketacost.comparison import Compared, month_axis, typical_by_month
from ketacost.estimate import Estimate
from ketacost.money import format_money
from ketacost.months import Month, by_month
from ketacost.render.compare_text import compare_notes, difference_text, range_text
from ketacost.render.data import estimate_data
from ketacost.render.summary import assumptions, column_titles, columns, rows
from ketacost.render.svg import PAD, Series, bar_chart

TITLE = "Estimated cost of ketamine infusion therapy"

CSS = """
body { font: 15px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial,
  sans-serif; color: #1a1a1a; background: #fff; margin: 0; }
main { max-width: 760px; margin: 0 auto; padding: 28px 24px 40px; }
h1 { font-size: 24px; margin: 0 0 2px; }
h2 { font-size: 17px; margin: 26px 0 6px; }
.meta { color: #555; font-size: 13px; margin: 0 0 18px; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 8px; text-align: right; border-bottom: 1px solid #e2e2e2;
  vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
td { white-space: nowrap; }
td:first-child { white-space: normal; }
table.months td:first-child { white-space: nowrap; }
thead th { border-bottom: 2px solid #333; font-weight: 600; }
tr.section td { border-top: 1px solid #999; }
tr.total td { font-weight: 700; border-top: 1.5px solid #333; }
.range { display: block; color: #555; font-size: 12px; font-weight: normal; }
figure { margin: 22px 0 0; }
figure svg { width: 100%; height: auto; }
.notes p { margin: 4px 0; font-size: 13px; color: #333; }
.disclaimer { margin: 18px 0 0; padding: 8px 12px; border-left: 4px solid #0072B2;
  background: #f2f6fa; font-style: italic; }
@page { size: letter; margin: 0.6in; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  figure, .notes, .disclaimer, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def page(title: str, body: Sequence[str], today: date | None = None) -> str:
    """A complete HTML document around ``body`` (already escaped HTML fragments)."""
    when = (today or date.today()).isoformat()
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body>",
        "<main>", f"<h1>{escape(title)}</h1>",
        f'<p class="meta">Prepared {when} with ketacost {escape(__version__)}</p>',
        *body, f'<p class="disclaimer">{escape(DISCLAIMER)}</p>', "</main>", "</body>",
        "</html>", ""])


def table(head: Sequence[str], body: Sequence[tuple[Sequence[str], str]],
          css: str = "") -> str:
    """A table from escaped cells; each body row carries a class ('' for none)."""
    cells = "".join(f"<th>{h}</th>" for h in head)
    lines = [f'<table class="{css}">' if css else "<table>",
             f"<thead><tr>{cells}</tr></thead>", "<tbody>"]
    for row, row_css in body:
        attr = f' class="{row_css}"' if row_css else ""
        lines.append(f"<tr{attr}>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def notes(lines: Sequence[str]) -> str:
    return '<section class="notes">\n' + "\n".join(
        f"<p>{escape(line)}</p>" for line in lines) + "\n</section>"


def month_label(month: Month) -> str:
    return f"{month.start:%b %Y}"


def estimate_chart(est: Estimate, months: Sequence[Month] | None = None,
                   pad: int = PAD) -> str:
    """The typical monthly out of pocket as SVG, with the low-high range as whiskers."""
    months = by_month(est) if months is None else months
    typical = est.scenarios["typical"].out_of_pocket
    ranged = not est.exact_price
    subtitle = f"{'Typical price: ' if ranged else 'In all: '}{format_money(typical)}"
    if ranged:
        subtitle += (f" in all (from {format_money(est.scenarios['low'].out_of_pocket)} to "
                     f"{format_money(est.scenarios['high'].out_of_pocket)}; whiskers span "
                     "each month's figures at the low and high prices)")
    other = est.scenarios["typical"].other_costs
    if other:
        subtitle += f"; other costs ({format_money(other)}) not included"
    series = Series("Typical", [m.out_of_pocket["typical"] for m in months],
                    [m.out_of_pocket["low"] for m in months] if ranged else None,
                    [m.out_of_pocket["high"] for m in months] if ranged else None)
    return bar_chart("What you pay each month", [month_label(m) for m in months],
                     [series], subtitle, pad)


def months_table(est: Estimate, months: Sequence[Month]) -> str:
    names = columns(est.exact_price)
    typical = " (typical)" if len(names) > 1 else ""
    head = ["Month", "Sessions", f"Charges{typical}",
            *(f"Out of pocket ({n})" if len(names) > 1 else "Out of pocket" for n in names),
            f"Running total{typical}"]
    body = [([escape(month_label(m)), str(m.sessions or ""),
              format_money(m.charges["typical"]),
              *(format_money(m.out_of_pocket[n]) for n in names),
              format_money(m.running["typical"])], "") for m in months]
    body.append((["Total", str(sum(m.sessions for m in months)),
                  format_money(est.scenarios["typical"].charges),
                  *(format_money(est.scenarios[n].out_of_pocket) for n in names), ""],
                 "total"))
    return table([escape(h) for h in head], body, "months")


def estimate_page(est: Estimate, today: date | None = None) -> str:
    """The estimate's table, monthly chart, month-by-month table and assumptions."""
    months = by_month(est)
    data = estimate_data(est)
    body = [([escape(r.label), *(format_money(v) for v in r.values)],
             "total" if r.total else "section" if r.section else "") for r in rows(data)]
    return page(TITLE, [
        table(["", *(escape(t) for t in column_titles(data))], body),
        f"<figure>{estimate_chart(est, months, pad=0)}</figure>",
        "<h2>Month by month</h2>", months_table(est, months),
        "<h2>What this assumes</h2>", notes(assumptions(est)[:-1]),
    ], today)


def compare_chart(compared: Sequence[Compared], pad: int = PAD) -> str:
    """Each option's typical monthly out of pocket, grouped by month, as SVG."""
    axis = month_axis(compared)
    series = [Series(c.label, typical_by_month(c, axis)) for c in compared]
    return bar_chart("What you pay each month, option by option",
                     [f"{start:%b %Y}" for start in axis], series,
                     "At the typical price; the legend gives each option's total.", pad)


def compare_page(compared: Sequence[Compared], today: date | None = None) -> str:
    """The options side by side, the grouped monthly chart and what each assumes."""
    head = ["", *(escape(c.label) for c in compared)]

    def oop(c: Compared) -> str:
        spread = range_text(c)
        shown = f"<strong>{format_money(c.out_of_pocket['typical'])}</strong>"
        return shown + (f'<span class="range">{spread}</span>' if spread else "")

    body = [
        (["Sessions", *(str(c.sessions) for c in compared)], ""),
        (["Clinic charges", *(format_money(c.charges["typical"]) for c in compared)], ""),
        (["Out of pocket", *(oop(c) for c in compared)], "section"),
        (["First month", *(format_money(c.first_month) for c in compared)], "section"),
        (["Difference", *(difference_text(c, i == 0) for i, c in enumerate(compared))], ""),
    ]
    return page("Ketamine infusion therapy: options side by side", [
        table(head, body, "compare"), f"<figure>{compare_chart(compared, pad=0)}</figure>",
        "<h2>What each option assumes</h2>", notes(compare_notes(compared)[:-1]),
    ], today)
