"""The one output dispatcher: a report (or a comparison) in a view and a format goes to
the renderer that draws it, then to the screen or a file.

Views: ``summary`` (the estimate's table), ``session`` (one row per claim) and ``month``
(one row per calendar month). Formats: table, json, csv, markdown, html, svg, pdf (the
html page printed by WeasyPrint, the optional extra ``ketacost[pdf]``). This is the one
place a file's suffix becomes a format.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import click

from ketacost.cli.files import OutputPath, is_stdout, write_binary, write_output
from ketacost.sheet.model import Scenario

if TYPE_CHECKING:
    from rich.console import RenderableType

    from ketacost.comparison import Comparison
    from ketacost.render.quote_page import QuoteDetails
    from ketacost.report.model import Report

View = Literal["summary", "session", "month"]
SUFFIXES = {
    ".json": "json",
    ".csv": "csv",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".svg": "svg",
    ".pdf": "pdf",
    ".txt": "table",
}
TEXT = ("table", "csv", "markdown", "json")
"""What a .txt file may hold when --format says so."""
OUTPUT = "'-o' / '--output'"


def _choices() -> Sequence[str] | None:
    """The formats the running command's --format accepts (None: no such option)."""
    ctx = click.get_current_context(silent=True)
    for param in ctx.command.params if ctx else ():
        if param.name == "fmt" and isinstance(param.type, click.Choice):
            return [str(choice) for choice in param.type.choices]
    return None


def _suffixes(formats: Sequence[str]) -> str:
    names = [suffix for suffix, kind in SUFFIXES.items() if kind in formats]
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]


def output_format(
    fmt: str | None,
    output: OutputPath,
    formats: Sequence[str] | None = None,
    *,
    default: str = "table",
) -> str:
    """The --format given, else the one the output file's suffix names, else ``default``
    (a file without a suffix, or the screen). ``formats``: what the command writes (by
    default, the choices of its --format). A suffix ketacost does not write, one the
    command does not, or one that contradicts --format is refused (status 2) before
    anything is computed or saved; so is a PDF when WeasyPrint is missing."""
    allowed = formats if formats is not None else _choices()
    suffix = "" if is_stdout(output) else os.path.splitext(os.fspath(output or ""))[1].lower()
    implied = SUFFIXES.get(suffix)
    if suffix and (implied is None or (allowed and implied not in allowed and not fmt)):
        can = f"; write {_suffixes(allowed)}" if allowed else ""
        raise click.BadParameter(f"cannot write a {suffix} file{can}", param_hint=OUTPUT)
    kind = fmt or implied or default
    if fmt and implied and fmt != implied and not (implied == "table" and fmt in TEXT):
        raise click.BadParameter(
            f"--format {fmt} does not write a {suffix} file", param_hint=OUTPUT
        )
    if kind == "pdf":
        _check_pdf(output)
    return kind


def _check_pdf(output: OutputPath) -> None:
    from ketacost.render.pdf import PdfUnavailable, check

    if is_stdout(output) and sys.stdout.isatty():
        raise click.BadParameter(
            "a PDF is not shown on a terminal: give a file, e.g. -o estimate.pdf",
            param_hint=OUTPUT,
        )
    try:
        check()
    except PdfUnavailable as error:
        if error.missing:
            raise click.UsageError(str(error)) from None
        raise click.ClickException(str(error)) from None


def write_page(page: str, kind: str, output: OutputPath, *, private: bool = False) -> None:
    """An HTML page as it is (``html``), or printed to PDF (``pdf``)."""
    if kind == "pdf":
        from ketacost.render.pdf import pdf_bytes

        write_binary(pdf_bytes(page), output, private=private)
    else:
        write_output(page, output, private=private)


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
    quote: QuoteDetails | None = None,
    private: bool = False,
) -> None:
    """Draw one report in a view and format, then show or write it. ``heading`` (a saved
    quote's id and date) goes above a table or Markdown; a saved ``quote``'s page (html,
    pdf) names its clinic, id and patient; ``private`` files are their owner's only (they
    hold patient information)."""
    if kind == "json":
        from ketacost.report.to_data import dumps, to_data

        write_output(dumps(to_data(report)), output, private=private)
    elif kind in ("html", "pdf") and quote is not None:
        from ketacost.render.quote_page import quote_page

        write_page(quote_page(report, quote), kind, output, private=private)
    elif kind in ("html", "pdf"):
        from ketacost.render.html import estimate_page

        write_page(estimate_page(report), kind, output, private=private)
    elif kind == "svg":
        from ketacost.render.html import estimate_chart

        write_output(estimate_chart(report), output, private=private)
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
        from ketacost.report.to_data import dumps

        write_output(dumps(comparison_data(comparison)), output)
    elif kind in ("csv", "markdown"):
        from ketacost.render.compare_text import compare_csv, compare_markdown

        render = compare_csv if kind == "csv" else compare_markdown
        write_output(render(comparison), output)
    elif kind in ("html", "pdf"):
        from ketacost.render.html import compare_page

        write_page(compare_page(comparison), kind, output)
    elif kind == "svg":
        from ketacost.render.html import compare_chart

        write_output(compare_chart(comparison), output)
    else:
        from ketacost.render.compare_view import compare_view

        show(compare_view(comparison), output)
