"""The estimate as CSV and as Markdown: the same rows as the table, without Rich."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from ketacost.money import format_money, money_str
from ketacost.render.summary import Data, column_titles, notes, rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Neutralize a text cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def estimate_csv(data: Data) -> str:
    """One row per figure: ``item,low,typical,high`` with money as ``1234.50``; then,
    after an empty row, the assumption lines (price sheet and its hash, disclaimer), one
    cell each."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["item", *(t.lower() for t in column_titles(data))])
    for row in rows(data):
        writer.writerow([safe_cell(row.label), *(money_str(v) for v in row.values)])
    writer.writerow([])
    writer.writerows([safe_cell(note)] for note in notes(data))
    return out.getvalue()


def md_escape(text: str) -> str:
    """Text safe in a Markdown table cell or line: no table breaks, no raw HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|")


def estimate_markdown(data: Data, lines: Sequence[str] | None = None) -> str:
    """The table in Markdown, then the assumption lines (``lines`` replaces the saved ones)."""
    titles = column_titles(data)
    out = ["| Item | " + " | ".join(titles) + " |",
           "| --- | " + " | ".join("---:" for _ in titles) + " |"]
    for row in rows(data):
        cells = [format_money(v) for v in row.values]
        label = md_escape(row.label)
        if row.total:
            label, cells = f"**{label}**", [f"**{c}**" for c in cells]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    out.extend(f"{md_escape(note)}  " for note in (notes(data) if lines is None else lines))
    return "\n".join(out).rstrip() + "\n"
