"""What the quote-log commands (quote, quotes, gfe) share: opening the log with one-line
errors and notes, saving an entry under a new id, warning about an entry that fails the
log's checks, writing a long output piece by piece, and a command class that never repeats
a patient's name in an error.

Patient names and dates of birth are never part of an error message.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from datetime import datetime
from pathlib import Path

import click

from ketacost.cli.files import ending_cleanly
from ketacost.entries import DamagedEntry, Entry, Kind, Unreadable, damaged_line
from ketacost.render.safe_text import terminal_text
from ketacost.store import NoLog, QuoteLog, StoreError, default_path
from ketacost.store.opening import open_quote_log

ID_ATTEMPTS = 20


class PrivateCommand(click.Command):
    """A command whose arguments may hold a patient's name: a stray word (an unquoted
    name) is reported without repeating it."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as error:
            if "unexpected extra argument" in error.message:
                raise click.UsageError(
                    "unexpected extra words on the command line (quote a name with spaces: "
                    '--patient "Ann Lee")',
                    ctx,
                ) from None
            raise


@contextmanager
def open_log(db: Path | str | QuoteLog | None, *, write: bool = True) -> Iterator[QuoteLog]:
    """The quote log, open (for reading only unless ``write``; or ``db`` itself, opened
    already); its notes go to standard error, its errors become one-line failures
    (status 1)."""
    try:
        # a log made (in a temporary file), migrated or saved to: a signal that ends the
        # program rolls it back and removes the temporary file, as an error would
        with ending_cleanly() if write else nullcontext():
            opened = (
                db
                if isinstance(db, QuoteLog)
                else open_quote_log(db or default_path(), write=write)
            )
            with opened as log:
                for note in log.notes:
                    click.echo(f"Note: {terminal_text(note)}", err=True)
                yield log
    except (StoreError, DamagedEntry) as error:
        raise click.ClickException(str(error)) from None


@contextmanager
def log_if_any(db: Path | str | None) -> Iterator[QuoteLog | None]:
    """The quote log open for reading, or None when nothing has been saved yet (no
    SQLite file, or a PostgreSQL database whose log was never made): a list of nothing
    is empty, not an error."""
    target = db or default_path()
    if not isinstance(target, str) and not os.path.lexists(target):
        yield None
        return
    try:
        log = open_quote_log(target, write=False)
    except NoLog:
        yield None
        return
    except StoreError as error:
        raise click.ClickException(str(error)) from None
    with open_log(log, write=False) as opened:
        yield opened


def warn(entry: Entry | Unreadable) -> None:
    """Say on standard error, in one line, what is wrong with an entry read from the log
    (one that cannot be read, or one that fails the hash chain)."""
    if isinstance(entry, Unreadable):
        click.echo(f"Warning: {terminal_text(damaged_line(entry.id, entry.reason))}", err=True)
    elif entry.flaw:
        line = f"entry {entry.id} fails the log's check: {entry.flaw} (ketacost quotes verify)"
        click.echo(f"Warning: {terminal_text(line)}", err=True)


def check_replaces(log: QuoteLog, replaces: str | None) -> None:
    """--replaces must name an entry already in the log."""
    if replaces is not None and log.get(replaces) is None:
        raise click.BadParameter(
            f"there is no entry {replaces.strip()!r} in the quote log", param_hint="'--replaces'"
        )


def save(log: QuoteLog, make: Callable[[str, datetime], Entry], kind: Kind) -> Entry:
    """Save the entry ``make(id, created)`` builds under a new id (:meth:`QuoteLog.add_new`);
    a log that refuses it is one line."""
    try:
        return log.add_new(make, kind)
    except StoreError as error:
        raise click.ClickException(str(error)) from None
