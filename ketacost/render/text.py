"""The estimate as CSV and as Markdown: the same rows as the table, without Rich."""

from __future__ import annotations

import csv
import io

from ketacost.money import format_money, money_str
from ketacost.render.summary import Data, assumptions, column_titles, rows

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Neutralize a text cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def estimate_csv(data: Data) -> str:
    """One row per figure: ``item,low,typical,high`` with money as ``1234.50``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["item", *(t.lower() for t in column_titles(data))])
    for row in rows(data):
        writer.writerow([safe_cell(row.label), *(money_str(v) for v in row.values)])
    return out.getvalue()


def md_escape(text: str) -> str:
    """Text safe in a Markdown table cell or line: no table breaks, no raw HTML."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\\", "\\\\").replace("|", "\\|")


def estimate_markdown(data: Data) -> str:
    titles = column_titles(data)
    lines = ["| Item | " + " | ".join(titles) + " |",
             "| --- | " + " | ".join("---:" for _ in titles) + " |"]
    for row in rows(data):
        cells = [format_money(v) for v in row.values]
        label = md_escape(row.label)
        if row.total:
            label, cells = f"**{label}**", [f"**{c}**" for c in cells]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(f"{md_escape(note)}  " for note in assumptions(data))
    return "\n".join(lines).rstrip() + "\n"
