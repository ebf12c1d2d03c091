"""What the quote-log commands (quote, quotes, gfe) share: the --db option, opening the
log with one-line errors, the patient options, and how an entry is headed and written.

Patient names and dates of birth are never part of an error message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from ketacost.cli.options import OutputPath, write_output
from ketacost.cli.params import DATE_OF_BIRTH, PERSON

if TYPE_CHECKING:
    from ketacost.store import Entry, QuoteLog

F = TypeVar("F", bound=Callable[..., Any])
KIND_NAMES = {"quote": "Quote", "gfe": "Good Faith Estimate"}


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
                    "--patient \"Ann Lee\")", ctx) from None
            raise


def db_option(function: F) -> F:
    """``--db PATH`` (or ``KETACOST_DB``): which quote log to use."""
    return click.option(
        "--db", type=click.Path(path_type=Path), envvar="KETACOST_DB", show_envvar=True,
        help="The quote log (an SQLite file). [default: quotes.db in your data directory]",
    )(function)


def patient_options(*, required: bool) -> Callable[[F], F]:
    """--patient, --dob, --prepared-by and --replaces."""
    extra = "" if required else " (optional)"
    options = [
        click.option("--patient", type=PERSON, required=required, metavar="NAME",
                     help=f"The patient's name{extra}."),
        click.option("--dob", type=DATE_OF_BIRTH, required=required,
                     help=f"The patient's date of birth, YYYY-MM-DD{extra}."),
        click.option("--prepared-by", type=PERSON, metavar="NAME",
                     help="Who prepared it (optional)."),
        click.option("--replaces", metavar="ID",
                     help="The id of an earlier entry this one revises (it stays as it was)."),
    ]

    def decorate(function: F) -> F:
        for option in reversed(options):
            function = option(function)
        return function
    return decorate


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
        raise click.BadParameter(f"there is no entry {replaces.strip()!r} in the quote log",
                                 param_hint="'--replaces'")


def heading(entry: Entry, replaced_by: Sequence[str] = ()) -> str:
    """``Quote Q-20261123-7K3M9P, saved 2026-11-23 10:15; patient ...``: one line."""
    from ketacost.render.log import local_time

    parts = [f"{KIND_NAMES[entry.kind]} {entry.id}, saved {local_time(entry.created)}"]
    if entry.patient:
        parts.append(f"patient {entry.patient}")
    if entry.dob:
        parts.append(f"born {entry.dob}")
    if entry.prepared_by:
        parts.append(f"prepared by {entry.prepared_by}")
    if entry.replaces:
        parts.append(f"replaces {entry.replaces}")
    if replaced_by:
        parts.append(f"REPLACED BY {', '.join(replaced_by)}")
    return "; ".join(parts)


def write_private(text: str, output: OutputPath) -> None:
    """Like ``write_output``, but a file is created readable by its owner only: what is
    written holds patient information."""
    write_output(text, output, private=True)


def show_entry(entry: Entry, kind: str, output: Path | None,
               replaced_by: Sequence[str] = ()) -> None:
    """Print a saved entry as table, JSON, CSV or Markdown: its heading, then the estimate
    exactly as it was quoted (drawn from the saved data, never recomputed)."""
    from ketacost.cli.estimate_cmd import print_estimate

    if kind == "json":
        from ketacost.render.data import to_json
        from ketacost.render.log import entry_data

        write_private(to_json(entry_data(entry)), output)
    else:
        print_estimate(entry.result, kind, output, heading=heading(entry, replaced_by),
                       write=write_private)
