"""The one output dispatcher: a report (or a comparison) in a view and a format goes to
the renderer that draws it, then to the screen or a file.

Views: ``summary`` (the estimate's table), ``session`` (one row per claim) and ``month``
(one row per calendar month). Formats: table, json, csv, markdown, html, svg.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Literal

from ketacost.cli.files import OutputPath, is_stdout, write_output
from ketacost.sheet import Scenario

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ketacost.comparison import Comparison
    from ketacost.report import Report

View = Literal["summary", "session", "month"]
SUFFIXES = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".svg": "svg",
    ".txt": "table",
}


def output_format(fmt: str | None, output: OutputPath) -> str:
    """The --format given, else one implied by the output file's suffix, else a table."""
    if fmt:
        return fmt
    if output is not None:
        return SUFFIXES.get(os.path.splitext(os.fspath(output))[1].lower(), "table")
    return "table"


def show(view: RenderableType, output: OutputPath, *, private: bool = False) -> None:
    """A Rich view on the terminal (fit to its width; plain when piped or NO_COLOR), or
    as plain text in a file."""
    if is_stdout(output):
        from ketacost.render.console import console

        console().print(view)
    else:
        from ketacost.render.table import render_text

        write_output(render_text(view), output, private=private)


def emit_report(
    report: Report,
    kind: str,
    output: OutputPath,
    *,
    view: View = "summary",
    scenario: Scenario = "typical",
    heading: str | None = None,
    private: bool = False,
) -> None:
    """Draw one report in a view and format, then show or write it. ``heading`` (a saved
    quote's id and date) goes above a table or Markdown; ``private`` files are their
    owner's only (they hold patient information)."""
    if kind == "json":
        from ketacost.report_json import dumps, to_data

        write_output(dumps(to_data(report)), output, private=private)
    elif kind in ("html", "svg"):
        from ketacost.render.html import estimate_chart, estimate_page

        page = estimate_page(report) if kind == "html" else estimate_chart(report)
        write_output(page, output, private=private)
    elif kind == "table":
        show(_table_view(report, view, scenario, heading), output, private=private)
    else:
        write_output(_text_view(report, kind, view, scenario, heading), output, private=private)


def _table_view(
    report: Report, view: View, scenario: Scenario, heading: str | None
) -> RenderableType:
    if view == "session":
        from ketacost.render.sessions import sessions_view

        return sessions_view(report, scenario)
    if view == "month":
        from ketacost.render.months_view import months_view

        return months_view(report)
    from ketacost.render.table import estimate_view

    return estimate_view(report, heading)


def _text_view(
    report: Report, kind: str, view: View, scenario: Scenario, heading: str | None
) -> str:
    markdown = kind == "markdown"
    if view == "session":
        from ketacost.render.sessions import sessions_csv, sessions_markdown

        return (sessions_markdown if markdown else sessions_csv)(report, scenario)
    if view == "month":
        from ketacost.render.months_text import months_csv, months_markdown

        return (months_markdown if markdown else months_csv)(report)
    from ketacost.render.text import estimate_csv, estimate_markdown

    return estimate_markdown(report, heading) if markdown else estimate_csv(report)


def emit_comparison(comparison: Comparison, kind: str, output: OutputPath) -> None:
    """Draw a comparison in a format, then show or write it."""
    if kind == "json":
        from ketacost.comparison import comparison_data
        from ketacost.report_json import dumps

        write_output(dumps(comparison_data(comparison)), output)
    elif kind in ("csv", "markdown"):
        from ketacost.render.compare_text import compare_csv, compare_markdown

        render = compare_csv if kind == "csv" else compare_markdown
        write_output(render(comparison), output)
    elif kind in ("html", "svg"):
        from ketacost.render.html import compare_chart, compare_page

        render_page = compare_page if kind == "html" else compare_chart
        write_output(render_page(comparison), output)
    else:
        from ketacost.render.compare_view import compare_view

        show(compare_view(comparison), output)
