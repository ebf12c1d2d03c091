"""``ketacost batch``: quote a CSV file of requests, one row at a time."""

from __future__ import annotations

import csv
import io
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING

import click

from ketacost.cli.decorators import SHEET
from ketacost.cli.files import atomic_file
from ketacost.cli.params import OutputFile
from ketacost.cli.sheets import resolve_sheet

if TYPE_CHECKING:
    from ketacost.sheet import PriceSheet

PROGRESS_EVERY = 500
"""Rows between updates of the progress bar (drawing it costs more than a row)."""


@click.command()
@click.argument(
    "requests",
    metavar="REQUESTS.csv",
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
)
@click.option(
    "--output",
    "-o",
    metavar="OUT.csv",
    type=OutputFile(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write the quotes to this file (replaced only when all went well) "
    "instead of standard output.",
)
@SHEET
@click.option(
    "--strict",
    is_flag=True,
    help="Stop at the first bad row (status 2) instead of reporting it in the "
    "error column and going on.",
)
def batch(requests: str, output: Path | None, sheet: Path | None, strict: bool) -> None:
    """Quote many requests at once: one CSV row in, one row of figures out.

    Columns are named like the estimate options (id, condition, sessions, weeks,
    maintenance, months, price, price_low, price_high, start, deductible,
    deductible_met, copay, coinsurance, oop_max, oop_met, allowed, network,
    plan_year_start, ride); any may be left out, and a blank cell means the default
    (start: today). "-" reads standard input or writes standard output.

    \b
    Examples:
      ketacost batch calls.csv -o quotes.csv
      ketacost batch calls.csv --sheet clinic.toml --strict
      cat calls.csv | ketacost batch - > quotes.csv
    """
    started = time.perf_counter()
    price_sheet = resolve_sheet(sheet)
    to_stdout = output is None or str(output) == "-"
    show_progress = sys.stderr.isatty() and not (to_stdout and sys.stdout.isatty())
    try:
        with _open_input(requests) as source, _open_output(None if to_stdout else output) as sink:
            size = os.fstat(source.fileno()).st_size if requests != "-" else 0
            bar = _progress(size or None) if show_progress else nullcontext(None)
            with bar as advance:
                rows, errors = _run(requests, source, sink, price_sheet, strict, advance)
    except BrokenPipeError:
        raise  # the reader went away: the group ends quietly
    except OSError as error:  # a disk that fills up, a file that goes away mid-read
        raise click.ClickException(
            f"could not finish the batch: {error.strerror or error}"
        ) from None
    elapsed = time.perf_counter() - started
    where = "" if to_stdout else f" to {output}"
    click.echo(
        f"{rows:,} row{'s' if rows != 1 else ''} quoted{where}, {errors:,} with "
        f"errors, in {elapsed:.2f} s",
        err=True,
    )


def _run(
    name: str,
    source: IO[str],
    sink: IO[str],
    sheet: PriceSheet,
    strict: bool,
    advance: Callable[[int, int], None] | None,
) -> tuple[int, int]:
    """Read, quote and write row by row; return (rows, rows with errors)."""
    from ketacost.batch import (
        OUTPUT_COLUMNS,
        BatchError,
        RowError,
        error_row,
        is_blank,
        quote,
        read_header,
        row_cells,
        row_id,
    )
    from ketacost.render.safe_text import csv_cell

    label = "standard input" if name == "-" else click.format_filename(name)
    today = date.today()
    lines = _Counted(source) if advance is not None else None
    reader = csv.reader(lines if lines is not None else source)
    writer = csv.writer(sink, lineterminator="\n")
    rows = errors = 0
    line = 1
    try:
        header = next(reader, None)
        columns = read_header(header) if header is not None else ()
        writer.writerow(OUTPUT_COLUMNS)
        line = reader.line_num + 1
        for cells in reader:
            if is_blank(cells):
                line = reader.line_num + 1
                continue
            rows += 1
            try:
                quoted = quote(row_cells(columns, cells), sheet, today)
            except RowError as error:
                if strict:
                    raise click.UsageError(f"{label}:{line}: {error}") from None
                errors += 1
                quoted = error_row(row_id(columns, cells), f"line {line}: {error}")
            quoted[0] = csv_cell(quoted[0])
            writer.writerow(quoted)
            line = reader.line_num + 1
            if lines is not None and advance is not None and rows % PROGRESS_EVERY == 0:
                advance(lines.chars, rows)
    except BatchError as error:
        raise click.UsageError(f"{label}:1: {error}") from None
    except UnicodeDecodeError:
        raise click.UsageError(f"{label}: not UTF-8 text (save it as CSV UTF-8)") from None
    except csv.Error as error:
        raise click.UsageError(f"{label}:{line}: {error}") from None
    if lines is not None and advance is not None:
        advance(lines.chars, rows)
    return rows, errors


class _Counted:
    """An iterator over a text stream's lines that counts the characters read."""

    def __init__(self, source: IO[str]) -> None:
        self.source = source
        self.chars = 0

    def __iter__(self) -> Iterator[str]:
        for text in self.source:
            self.chars += len(text)
            yield text


@contextmanager
def _open_input(name: str) -> Iterator[IO[str]]:
    """The requests as text: UTF-8 with or without a byte-order mark, any line ends."""
    if name == "-":
        wrapper = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", newline="")
        try:
            yield wrapper
        finally:
            wrapper.detach()
        return
    try:
        handle = open(name, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as error:
        raise click.FileError(name, error.strerror or str(error)) from None
    with handle:
        yield handle


@contextmanager
def _open_output(output: Path | None) -> Iterator[IO[str]]:
    """Standard output, or a temporary file next to OUT.csv that replaces it only once
    every row is written (an error or an interrupt leaves OUT.csv as it was)."""
    if output is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    with atomic_file(output, newline="") as handle:
        yield handle


def _progress(total: int | None) -> AbstractContextManager[Callable[[int, int], None]]:
    """A Rich progress bar on standard error (only drawn when it is a terminal)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from ketacost.render.console import error_console

    @contextmanager
    def bar() -> Iterator[Callable[[int, int], None]]:
        columns = [
            TextColumn("Quoting"),
            BarColumn(),
            TextColumn("{task.fields[rows]:,} rows"),
            TimeElapsedColumn(),
        ]
        with Progress(*columns, console=error_console(), transient=True) as progress:
            task = progress.add_task("batch", total=total, rows=0)
            yield lambda done, rows: progress.update(task, completed=done, rows=rows)

    return bar()
