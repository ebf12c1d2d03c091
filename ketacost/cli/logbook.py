"""What the quote-log commands (quote, quotes, gfe) share: opening the log with one-line
errors, saving an entry under a new id, and a command class that never repeats a patient's
name in an error.

Patient names and dates of birth are never part of an error message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ketacost.entries import Entry
    from ketacost.store import QuoteLog

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
def open_log(db: Path | None, *, create: bool = True) -> Iterator[QuoteLog]:
    """The quote log, open; its errors become one-line failures (status 1)."""
    from ketacost.store import QuoteLog, StoreError, default_path

    try:
        with QuoteLog.open(db or default_path(), create=create) as log:
            yield log
    except StoreError as error:
        raise click.ClickException(str(error)) from None


def check_replaces(log: QuoteLog, replaces: str | None) -> None:
    """--replaces must name an entry already in the log."""
    if replaces is not None and log.get(replaces) is None:
        raise click.BadParameter(
            f"there is no entry {replaces.strip()!r} in the quote log", param_hint="'--replaces'"
        )


def save(log: QuoteLog, make: Callable[[str, datetime], Entry], kind: str) -> Entry:
    """Save the entry ``make(id, created)`` builds, under a new id (drawn again in the
    rare case the log holds it already)."""
    from ketacost.entries import new_id
    from ketacost.store import IdTaken, StoreError

    created = datetime.now(UTC).replace(microsecond=0)
    for _ in range(ID_ATTEMPTS):
        entry = make(new_id("gfe" if kind == "gfe" else "quote", created), created)
        try:
            log.add(entry)
        except IdTaken:
            continue
        except StoreError as error:
            raise click.ClickException(str(error)) from None
        return entry
    raise click.ClickException("could not find an unused id for the entry; try again")
