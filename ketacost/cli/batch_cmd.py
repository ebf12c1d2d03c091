"""``ketacost batch``: quote a CSV file of requests, one row at a time."""

from __future__ import annotations

import csv
import io
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import IO

import click

from ketacost.batch import (
    INPUT_COLUMNS,
    OUTPUT_COLUMNS,
    BatchError,
    Request,
    is_blank,
    read_header,
    without_cells,
)
from ketacost.cli.batch_pool import default_jobs, quoted
from ketacost.cli.decorators import SHEET
from ketacost.cli.files import TerminalWriter, atomic_file, on_terminal
from ketacost.cli.params import OutputFile
from ketacost.cli.sheets import resolve_sheet
from ketacost.render.safe_text import csv_cell, terminal_text
from ketacost.sheet.model import PriceSheet

HELP = f"""Quote many requests at once: one CSV row in, one row of figures out.

Columns are named like the estimate options ({", ".join(INPUT_COLUMNS)}); any may be
left out, and a blank cell means the default (start: today). "-" reads standard input
or writes standard output.

\b
Examples:
  ketacost batch calls.csv -o quotes.csv
  ketacost batch calls.csv --sheet clinic.toml --strict
  ketacost batch calls.csv -o quotes.csv --jobs 1
  cat calls.csv | ketacost batch - > quotes.csv
"""

PROGRESS_EVERY = 500
"""Rows between updates of the progress bar (drawing it costs more than a row)."""


@click.command(help=HELP)
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
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1, max=256),
    help="Processes that quote at once (1: this one only). The output is the same, row "
    "for row. [default: one per core]",
)
def batch(
    requests: str, output: Path | None, sheet: Path | None, strict: bool, jobs: int | None
) -> None:
    started = time.perf_counter()
    price_sheet = resolve_sheet(sheet)
    to_stdout = output is None or str(output) == "-"
    show_progress = sys.stderr.isatty() and not (to_stdout and sys.stdout.isatty())
    try:
        with _open_input(requests) as source, _open_output(None if to_stdout else output) as sink:
            size = os.fstat(source.fileno()).st_size if requests != "-" else 0
            bar = _progress(size or None) if show_progress else nullcontext(None)
            with bar as advance:
                rows, errors = _run(
                    requests, source, sink, price_sheet, strict, advance, jobs or default_jobs()
                )
    except BrokenPipeError:
        raise  # the reader went away: the group ends quietly
    except OSError as error:  # a disk that fills up, a file that goes away mid-read
        raise click.ClickException(
            f"could not finish the batch: {error.strerror or error}"
        ) from None
    elapsed = time.perf_counter() - started

    where = "" if to_stdout else f" to {terminal_text(str(output))}"  # a name is not ours
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
    jobs: int,
) -> tuple[int, int]:
    """Read, quote (on up to ``jobs`` processes) and write, in the order read; return
    (rows, rows with errors)."""
    label = "standard input" if name == "-" else click.format_filename(name)
    lines = _Lines(source)
    reader = csv.reader(lines)
    writer = csv.writer(sink, lineterminator="\n")
    try:
        header = next(reader, None)
        columns = read_header(header) if header is not None else ()
    except (BatchError, csv.Error) as error:
        raise click.UsageError(f"{label}:1: {error}") from None
    writer.writerow(OUTPUT_COLUMNS)
    rows = errors = 0
    for result in quoted(_requests(reader, lines), columns, sheet, date.today(), jobs):
        rows += 1
        if result.error is not None:
            if strict:  # a cell's text (a name) is not repeated on screen or in a log
                reason = without_cells(result.error, result.cells)
                raise click.UsageError(f"{label}:{result.line}: {reason}")
            errors += 1
        result.row[0] = csv_cell(terminal_text(result.row[0]))
        writer.writerow(result.row)
        if advance is not None and rows % PROGRESS_EVERY == 0:
            advance(lines.chars, rows)
    if advance is not None:
        advance(lines.chars, rows)
    return rows, errors


def _requests(reader: Iterator[list[str]], lines: _Lines) -> Iterator[Request]:
    """The file's rows after the header, blank ones skipped, each with its line number; a
    row the CSV reader cannot read is kept with the reason (it fails alone)."""
    while True:
        line = lines.number + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # a row the CSV reader cannot read: that row only
            yield Request(line, [], str(error))
            continue
        if not is_blank(cells):
            yield Request(line, cells)


MAX_LINE = 1_000_000
"""Longest line of a batch file read (a row is a few hundred characters); a longer line
fails its row, and only that row."""


class _Lines:
    """The lines of a text stream, for the CSV reader: each at most :data:`MAX_LINE`
    characters and UTF-8 (else that line is a :class:`csv.Error`, and the next line is
    read as usual), counted (:attr:`number`) with the characters read (:attr:`chars`)."""

    def __init__(self, source: IO[str]) -> None:
        self.source = source
        self.number = 0
        self.chars = 0

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        text = self.source.readline(MAX_LINE + 1)
        if not text:
            raise StopIteration
        self.number += 1
        self.chars += len(text)
        if len(text) > MAX_LINE and not text.endswith("\n"):
            while (rest := self.source.readline(MAX_LINE)) and not rest.endswith("\n"):
                self.chars += len(rest)  # the rest of the line is skipped, not kept
            self.chars += len(rest)
            raise csv.Error(f"a line longer than {MAX_LINE:,} characters")
        if not text.isascii():
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:  # bytes that were not UTF-8, kept as surrogates
                raise csv.Error("not UTF-8 text (save it as CSV UTF-8)") from None
        return text


@contextmanager
def _open_input(name: str) -> Iterator[IO[str]]:
    """The requests as text: UTF-8 with or without a byte-order mark, any line ends."""
    if name == "-":
        wrapper = io.TextIOWrapper(
            sys.stdin.buffer, encoding="utf-8-sig", errors="surrogateescape", newline=""
        )
        try:
            yield wrapper
        finally:
            wrapper.detach()
        return
    try:
        handle = open(name, encoding="utf-8-sig", errors="surrogateescape", newline="")  # noqa: SIM115
    except OSError as error:
        raise click.FileError(name, error.strerror or str(error)) from None
    with handle:
        kind = os.fstat(handle.fileno()).st_mode
        if stat.S_ISCHR(kind) or stat.S_ISBLK(kind):
            raise click.BadParameter(
                "is a device, not a file of requests", param_hint="'REQUESTS.csv'"
            )
        yield handle


@contextmanager
def _open_output(output: Path | None) -> Iterator[IO[str]]:
    """Standard output, or a temporary file next to OUT.csv that replaces it only once
    every row is written (an error or an interrupt leaves OUT.csv as it was). The file is
    its owner's only (0600): a call list's ids are often patients' names."""
    if output is None:
        yield TerminalWriter() if on_terminal() else sys.stdout  # type: ignore[misc]  # csv needs write() only
        sys.stdout.flush()
        return
    with atomic_file(output, newline="", private=True) as handle:
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
