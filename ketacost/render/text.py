"""The estimate as CSV and as Markdown: the same rows as the table, without Rich."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from ketacost.money import format_money, money_str
from ketacost.render.safe_text import csv_cell, md_escape
from ketacost.report.model import Report


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV text, one ``\\n`` per row (cells already made safe)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


def markdown_notes(lines: Sequence[str]) -> list[str]:
    """Notes under a Markdown table: one escaped line each, ending in a hard break."""
    return [f"{md_escape(line)}  " for line in lines]


def markdown_text(lines: Sequence[str]) -> str:
    return "\n".join(lines).rstrip() + "\n"


def estimate_csv(report: Report) -> str:
    """One row per figure: ``item,low,typical,high`` with money as ``1234.50``; then,
    after an empty row, the assumption lines (price sheet and its hash, disclaimer), one
    cell each."""
    return csv_text(
        [
            ["item", *(t.lower() for t in report.column_titles)],
            *([csv_cell(row.label), *(money_str(v) for v in row.values)] for row in report.rows),
            [],
            *([csv_cell(note)] for note in report.notes),
        ]
    )


def estimate_markdown(report: Report, heading: str | None = None) -> str:
    """The table in Markdown, then the assumption lines; ``heading`` (a saved quote's id
    and date) above it."""
    titles = report.column_titles
    out = [f"{md_escape(heading)}", ""] if heading else []
    out += [
        "| Item | " + " | ".join(titles) + " |",
        "| --- | " + " | ".join("---:" for _ in titles) + " |",
    ]
    for row in report.rows:
        cells = [format_money(v) for v in row.values]
        label = md_escape(row.label)
        if row.total:
            label, cells = f"**{label}**", [f"**{c}**" for c in cells]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    out.append("")
    out.extend(markdown_notes(report.notes))
    return markdown_text(out)
