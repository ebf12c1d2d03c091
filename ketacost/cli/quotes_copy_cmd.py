"""``ketacost quotes copy`` (one log's entries into another, or merged after its own) and
``ketacost quotes init`` (make a log ready without saving anything): docs/quote-log.md."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ketacost.cli.log_options import db_option
from ketacost.cli.logbook import open_log
from ketacost.cli.params import LogTargetType
from ketacost.cli.witnesses import witness_options
from ketacost.render.safe_text import terminal_text
from ketacost.store import StoreError
from ketacost.store.audit import Witness
from ketacost.store.transfer import check_source_key, copy_log


@click.command()
@click.option(
    "--from",
    "source",
    type=LogTargetType(),
    metavar="PATH|URL",
    required=True,
    help="The log to copy from (an SQLite file or a PostgreSQL database); never written to.",
)
@click.option(
    "--to",
    "target",
    type=LogTargetType(),
    metavar="PATH|URL",
    required=True,
    help="The log to copy into; made if there is none.",
)
@witness_options("the source")
def copy(
    source: Path | str,
    target: Path | str,
    witnesses: list[Witness],
    checkpoints: list[Witness],
) -> None:
    """Copy the entries of a quote log into another, or merge a second desk's log.

    The source must verify (its chain, and its MACs under this desk's clinic key);
    one that fails is refused, and nothing is written. Into an empty log, or one holding
    an earlier copy of the same log, entries are added exactly as saved (ids, times,
    content, pages, hashes), so copying again adds only those saved since. After the
    target's own entries, a second desk's entries are merged: added in order with their
    ids, times and content, their original hashes kept as each one's origin, chained and
    keyed anew. All entries are added at once, or none.

    \b
    Examples:
      ketacost quotes copy --from quotes.db --to postgresql://owner@db.clinic.lan/ketacost
      ketacost quotes copy --from service=clinic --to archive-2026.db
      ketacost quotes copy --from desk2.db --to service=clinic --checkpoints heads.txt
    """
    if (
        isinstance(source, Path)
        and isinstance(target, Path)
        and source.exists()
        and target.exists()
        and os.path.samefile(source, target)
    ):
        raise click.BadParameter("it is the log given as --from", param_hint="'--to'")
    with open_log(source, write=False) as src:
        try:
            check_source_key(src)  # before a target (or a key) is made
        except StoreError as error:
            raise click.ClickException(str(error)) from None
        with open_log(target) as dst:
            try:
                done = copy_log(src, dst, [*witnesses, *checkpoints])
            except StoreError as error:
                raise click.ClickException(str(error)) from None
            names = terminal_text(f"{src.name} to {dst.name}")  # names are not ours
    head = done.head or "-"
    if done.added:
        before = f" ({done.already} were there already)" if done.already else ""
        click.echo(f"Copied {done.added} entries from {names}{before}; last hash {head}")
    else:
        click.echo(
            f"Nothing to copy from {names}: all {done.already} entries are there; last hash {head}"
        )


@click.command()
@db_option
def init(db: Path | str | None) -> None:
    """Make the quote log, or bring it up to date, without saving anything.

    Saving a quote does this too; for a shared PostgreSQL database, its owner runs
    this once (and again after upgrading ketacost), so the desks' role needs no more
    than INSERT and SELECT. A log not keyed yet is keyed from now on with the clinic's
    key (made, readable by you only, if this desk has none: copy it to every desk).

    \b
    Examples:
      ketacost quotes init --db postgresql://owner@db.clinic.lan/ketacost
    """
    with open_log(db) as log:
        name = log.name
        keying = log.keying
        log.check_saving()  # a desk without the log's key is told, not told "ready"
    keyed = "" if keying is None else f"; keyed with the clinic key {keying.key_id}"
    click.echo(f"The quote log {terminal_text(name)} is ready{keyed}.")
