"""``ketacost quotes``: list, show, export, verify and back up the quote log (none of
these ever writes to it); copy one log into another, and make a log ready (init)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import click

from ketacost.cli.complete import entry_ids
from ketacost.cli.decorators import FORMATS, output_options
from ketacost.cli.dispatch import emit_report, output_format, write_page
from ketacost.cli.file_options import format_option, output_option
from ketacost.cli.files import ending_cleanly, write_output, write_pieces
from ketacost.cli.groups import Output
from ketacost.cli.lazy import Lazy, LazyGroup
from ketacost.cli.log_options import db_option
from ketacost.cli.logbook import log_if_any, open_log, warn
from ketacost.cli.params import DATE, Count, OutputFile
from ketacost.cli.witnesses import append_line, witness_options
from ketacost.entries import ESTIMATES, DamagedEntry, Entry, Unreadable, entry_data, heading
from ketacost.render.console import console
from ketacost.render.log import Listed, entries_view, export_csv, export_json
from ketacost.render.quote_page import details_of
from ketacost.render.safe_text import terminal_text
from ketacost.report.model import Report
from ketacost.report.to_data import dumps
from ketacost.store import StoreError, default_path
from ketacost.store.audit import Witness, witness_text
from ketacost.store.backup import backup_log, restore_sqlite

LATER: dict[str, Lazy] = {
    "copy": Lazy(module="ketacost.cli.quotes_copy_cmd", attribute="copy"),
    "init": Lazy(module="ketacost.cli.quotes_copy_cmd", attribute="init"),
}
"""Subcommands kept in their own module."""


@click.group(cls=LazyGroup, table=LATER, context_settings={"help_option_names": ["-h", "--help"]})
def quotes() -> None:
    """List, show, export, verify, checkpoint, back up and copy the quotes and GFEs given.

    \b
    Examples:
      ketacost quotes list --since 2026-11-01
      ketacost quotes show Q-20261123-7K3M9P
      ketacost quotes export --format csv -o quotes.csv
      ketacost quotes verify --checkpoints /mnt/usb/ketacost-heads.txt
      ketacost quotes checkpoint /mnt/usb/ketacost-heads.txt
      ketacost quotes backup quotes-2026-11-30.db
      ketacost quotes restore quotes-2026-11-30.db
      ketacost quotes copy --from quotes.db --to postgresql://desk@db.clinic.lan/ketacost
    """


def _warned(entries: Iterable[Entry]) -> Iterator[Entry]:
    """The entries, with a line on standard error for each that fails the log's check;
    an entry whose saved result is damaged is left out, with one line saying so."""
    for entry, _ in _with_reports(entries):
        yield entry


def _with_reports(entries: Iterable[Entry]) -> Iterator[tuple[Entry, Report]]:
    """Each entry with its estimate, and one line on standard error for an entry that
    fails the log's check; an entry whose saved result is damaged is left out, with one
    line saying so."""
    for entry in entries:
        if entry.kind not in ESTIMATES:  # superbills and claims: 'ketacost claims'
            continue
        try:
            report = entry.report()
        except DamagedEntry as error:
            warn(Unreadable(id=entry.id, reason=error.reason))
            continue
        warn(entry)
        yield entry, report


def _filters(function: click.decorators.FC) -> click.decorators.FC:
    function = click.option("--since", type=DATE, help="Only entries saved on or after this day.")(
        function
    )
    return click.option(
        "--patient",
        metavar="TEXT",
        help="Only entries whose patient name contains TEXT (any case).",
    )(function)


@quotes.command("list")
@_filters
@click.option(
    "--limit",
    "-n",
    type=Count(min=1),
    default=50,
    show_default=True,
    help="Show at most this many, newest first.",
)
@db_option
def list_(patient: str | None, since: date | None, limit: int, db: Path | str | None) -> None:
    """List saved quotes and Good Faith Estimates, newest first: when each was saved,
    for whom, by whom, and the typical total. A replaced entry is marked *.

    \b
    Examples:
      ketacost quotes list
      ketacost quotes list --patient lee --since 2026-11-01 --limit 10
    """
    with log_if_any(db) as log:
        if log is None:
            click.echo("The quote log is empty (nothing has been saved yet).")
            return
        found = log.entries(patient=patient, since=since, limit=limit, damaged=warn)
        rows = [
            Listed(entry, report, bool(log.replaced_by(entry.id)))
            for entry, report in _with_reports(found)
        ]
    if not rows:
        click.echo("No entries match." if patient or since else "The quote log is empty.")
        return
    console().print(entries_view(rows, console().width))


@quotes.command()
@click.argument("entry_id", metavar="ID", shell_complete=entry_ids)
@output_options(
    formats=(*FORMATS[:4], "html", "pdf"),
    what="Write to this file instead of the screen (.html: a Good Faith Estimate's page "
    "as issued, or a quote's page; .pdf: the same page as a PDF).",
)
@db_option
def show(entry_id: str, out: Output, db: Path | str | None) -> None:
    """Reprint a saved quote or Good Faith Estimate exactly as it was given.

    The figures come from the log, not from the price sheet, so they are what was
    quoted even if the sheet has changed since. html, pdf: a Good Faith Estimate's page
    as issued, or a quote's page (under the clinic's letterhead it was given with).

    \b
    Examples:
      ketacost quotes show Q-20261123-7K3M9P
      ketacost quotes show Q-20261123-7K3M9P --format json
      ketacost quotes show G-20261123-4VX2QD -o copy.html
      ketacost quotes show G-20261123-4VX2QD -o copy.pdf
    """
    kind = output_format(out.fmt, out.path)
    with open_log(db, write=False) as log:
        entry = log.get(entry_id)
        if entry is None:
            raise click.BadParameter(
                f"there is no entry {entry_id.strip()!r} in the quote log", param_hint="'ID'"
            )
        replaced_by = tuple(log.replaced_by(entry.id))
        if entry.kind not in ESTIMATES:
            _show_record(entry, kind, out)
            return
        report = entry.report()  # a damaged one: one line naming it (open_log), nothing written
    warn(entry)
    if kind in ("html", "pdf") and entry.flaw:
        raise click.ClickException(
            f"entry {entry.id} fails the log's check ({entry.flaw}); no page was written, "
            "since it would not be the page as issued (ketacost quotes verify)"
        )
    if kind in ("html", "pdf") and entry.html is not None:
        write_page(entry.html, kind, out.path, private=True)
    elif kind in ("html", "pdf"):
        quote = details_of(entry, entry.clinic, replaced_by)
        emit_report(report, kind, out.path, quote=quote, private=True)
    elif kind == "json":
        write_output(dumps(entry_data(entry)), out.path, private=True)
    else:
        emit_report(report, kind, out.path, heading=heading(entry, replaced_by), private=True)


def _show_record(entry: Entry, kind: str, out: Output) -> None:
    """A superbill or a claim payment: its page as issued (html, pdf), its saved entry
    (json), else its heading (its statement: 'ketacost superbill show')."""
    warn(entry)
    if kind in ("html", "pdf") and (entry.html is None or entry.flaw):
        raise click.ClickException(
            f"entry {entry.id} has no page as issued that passes the log's check "
            "(ketacost quotes verify)"
        )
    if kind in ("html", "pdf"):
        assert entry.html is not None
        write_page(entry.html, kind, out.path, private=True)
    elif kind == "json":
        write_output(dumps(entry_data(entry)), out.path, private=True)
    else:
        write_output(heading(entry) + "\n", out.path, private=True)


@quotes.command()
@format_option(
    ["csv", "json"],
    "csv: one row per entry with its totals; json: every entry in full.",
    required=True,
)
@output_option()
@_filters
@db_option
def export(
    fmt: str, output: Path | None, patient: str | None, since: date | None, db: Path | str | None
) -> None:
    """Export the quote log, oldest first, as CSV or JSON.

    \b
    Examples:
      ketacost quotes export --format csv -o quotes.csv
      ketacost quotes export --format json --since 2026-01-01 -o quotes.json
    """
    with open_log(db, write=False) as log:
        entries = log.entries(patient=patient, since=since, newest_first=False, damaged=warn)
        if fmt == "csv":
            pieces = export_csv(_with_reports(entries))
        else:
            pieces = export_json(_warned(entries))
        write_pieces(pieces, output, private=True)


@quotes.command()
@witness_options("the log")
@db_option
def verify(witnesses: list[Witness], checkpoints: list[Witness], db: Path | str | None) -> None:
    """Check that no entry was changed, removed, reordered or slipped in since it was
    saved.

    Every entry's hash is checked against its content and the one before it, and its
    MAC against the clinic key (from where the log was keyed); times must never go
    back; the log's history, triggers and rules must be exactly its own, and SQLite
    checks the file (an SQLite log). With --witness or --checkpoints, the log must still
    hold every head witnessed outside it: a log cut short or replaced by an older copy
    fails. Status 0 when all is intact; status 1 naming each problem.

    \b
    Examples:
      ketacost quotes verify
      ketacost quotes verify --witness 12:0123456789abcdef
      ketacost quotes verify --checkpoints /mnt/usb/ketacost-heads.txt
    """
    with open_log(db, write=False) as log:
        result = log.verify([*witnesses, *checkpoints])
        name = log.name
    for problem in result.problems:
        click.echo(terminal_text(problem))
    if not result.intact:
        raise click.ClickException(
            f"{name} fails verification: {len(result.problems)} problem(s), listed above"
        )
    held = len(witnesses) + len(checkpoints)
    extends = f"; it extends all {held} witnessed heads" if held else ""
    last = result.head or "-"
    click.echo(
        terminal_text(f"{name}: intact, {result.entries} entries; last hash {last}{extends}")
    )


@quotes.command()
@click.argument("file", metavar="FILE", type=OutputFile(dir_okay=False, path_type=Path))
@db_option
def checkpoint(file: Path, db: Path | str | None) -> None:
    """Append the log's head (N:HASH) to FILE, once the log verifies.

    Keep FILE away from the log (another disk, a printout, an email to yourself): 'quotes
    verify --checkpoints FILE' then proves the log still extends every head in it, so
    entries removed from the end, or the log replaced by an older copy, show.

    \b
    Examples:
      ketacost quotes checkpoint /mnt/usb/ketacost-heads.txt
    """
    if file.exists() and not file.is_file():
        raise click.BadParameter("it is not a regular file", param_hint="'FILE'")

    with open_log(db, write=False) as log:
        result = log.verify()
        name = log.name
    for problem in result.problems:
        click.echo(terminal_text(problem))
    if not result.intact or result.head is None:
        raise click.ClickException(
            f"{name} fails verification; no checkpoint was written"
            if not result.intact
            else f"{name} holds no entries yet; there is no head to keep"
        )
    head = witness_text(result.entries, result.head)
    when = datetime.now(UTC).replace(microsecond=0).isoformat()
    line = f"{result.entries}:{result.head}  {when}\n"
    try:
        append_line(file, line)
    except OSError as error:
        raise click.FileError(str(file), error.strerror) from None
    except ValueError as error:
        raise click.BadParameter(
            f"it is not a checkpoint file ({error}); nothing was appended", param_hint="'FILE'"
        ) from None
    click.echo(terminal_text(f"Checkpoint {head} of {name} appended to {file}."))


@quotes.command()
@click.argument("file", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace FILE if it exists.")
@db_option
def backup(file: Path, force: bool, db: Path | str | None) -> None:
    """Copy the quote log to FILE, consistently, while desks keep saving.

    The copy is one SQLite file readable by you only, made through SQLite's backup
    API (of a PostgreSQL log: a copy of one consistent snapshot, as 'quotes copy'
    makes it), then checked (SQLite's quick check and the hash chain) before it is
    put in place. An existing FILE is never replaced unless --force is given. Restore
    it with 'ketacost quotes restore FILE' (never by copying it over the log).

    \b
    Examples:
      ketacost quotes backup quotes-2026-11-30.db
      ketacost quotes backup /mnt/backup/quotes.db --force
    """
    if not force and (file.exists() or file.is_symlink()):
        raise click.BadParameter(
            "it exists already; give --force to replace it", param_hint="'FILE'"
        )
    if not file.absolute().parent.is_dir():
        raise click.BadParameter("its folder does not exist", param_hint="'FILE'")

    with open_log(db, write=False) as log, ending_cleanly():  # no half-made copy is left
        try:
            result = backup_log(log, file, force=force)
        except StoreError as error:
            raise click.ClickException(str(error)) from None

    for problem in result.problems:
        click.echo(terminal_text(problem))
    if not result.intact:
        raise click.ClickException(
            f"backed up to {file}, but the copy fails verification: "
            f"{len(result.problems)} problem(s), listed above"
        )
    click.echo(
        terminal_text(
            f"Backed up {result.entries} entries to {file}; verified, last hash "
            f"{result.head or '-'}"
        )
    )


@quotes.command()
@click.argument(
    "backup_file",
    metavar="BACKUP",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@db_option
def restore(backup_file: Path, db: Path | str | None) -> None:
    """Put a backup in place as the quote log, run while no desk is saving.

    BACKUP (a file 'quotes backup' made) is checked first: a ketacost log, SQLite's
    integrity check and the hash chain; one that fails is refused and nothing changes.
    The log it replaces is never deleted: it is renamed to LOG.replaced-TIME together
    with its -wal and -shm, so a crashed desk's write-ahead log is never replayed onto
    the backup (copying a backup over the log would do that, and corrupt it). Prints the
    number of entries and the last hash. An SQLite log only: a PostgreSQL log is
    restored with 'quotes copy --from BACKUP --to' an empty database.

    \b
    Examples:
      ketacost quotes restore quotes-2026-11-30.db
      ketacost quotes restore /mnt/backup/quotes.db --db /srv/desk/quotes.db
    """
    target = db or default_path()
    if isinstance(target, str):
        raise click.BadParameter(
            "a PostgreSQL log is restored with 'ketacost quotes copy --from BACKUP --to' an "
            "empty database",
            param_hint="'--db'",
        )
    try:
        with ending_cleanly():
            restored = restore_sqlite(backup_file, target)
    except StoreError as error:
        raise click.ClickException(str(error)) from None
    except OSError as error:
        raise click.ClickException(
            f"cannot restore {target}: {error.strerror or error}; nothing was restored"
        ) from None
    result = restored.verification
    click.echo(
        terminal_text(
            f"Restored {result.entries} entries from {backup_file} to {target}; verified, "
            f"last hash {result.head or '-'}"
        )
    )
    if restored.kept is not None:
        click.echo(terminal_text(f"The log it replaced is kept as {restored.kept}"))
    if restored.older:
        click.echo(
            "It was made by an older ketacost and is not keyed yet: the next save brings it "
            "up to date and keys it."
        )
