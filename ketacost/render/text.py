"""The estimate as CSV and as Markdown: the same rows as the table, without Rich."""

from __future__ import annotations

import csv
import io

from ketacost.estimate import Estimate
from ketacost.money import format_money, money_str
from ketacost.render.summary import assumptions, column_titles, rows
from ketacost.sheet import Scenario

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Neutralize a text cell a spreadsheet would run as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def estimate_csv(est: Estimate) -> str:
    """One row per figure: ``item,low,typical,high`` with money as ``1234.50``; then,
    after an empty row, the assumption lines (price sheet and its hash, disclaimer), one
    cell each."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["item", *(t.lower() for t in column_titles(est))])
    for row in rows(est):
        writer.writerow([safe_cell(row.label), *(money_str(v) for v in row.values)])
    writer.writerow([])
    writer.writerows([safe_cell(note)] for note in assumptions(est))
    return out.getvalue()


def _md_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def estimate_markdown(est: Estimate, scenario: Scenario = "typical") -> str:
    titles = column_titles(est)
    lines = ["| Item | " + " | ".join(titles) + " |",
             "| --- | " + " | ".join("---:" for _ in titles) + " |"]
    for row in rows(est):
        cells = [format_money(v) for v in row.values]
        label = _md_escape(row.label)
        if row.total:
            label, cells = f"**{label}**", [f"**{c}**" for c in cells]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.extend(f"{_md_escape(note)}  " for note in assumptions(est, scenario))
    return "\n".join(lines).rstrip() + "\n"
