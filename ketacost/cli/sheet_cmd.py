"""``ketacost sheet``: write, check and show a clinic's price sheet."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click

from ketacost.cli.files import write_output
from ketacost.cli.sheets import config_sheet, resolve_sheet
from ketacost.render.safe_text import terminal_text
from ketacost.report.words import plural
from ketacost.sheet.billing import uncoded
from ketacost.sheet.load import SheetError, load_sheet
from ketacost.sheet.placeholders import placeholders
from ketacost.superbill.source import billing_provider
from ketacost.superbill.statement import missing_for_superbill

FILE = click.Path(dir_okay=False, path_type=Path)


def starter_text() -> str:
    """The commented starter sheet that ``sheet init`` writes."""
    return resources.files("ketacost").joinpath("data/starter.toml").read_text(encoding="utf-8")


@click.group()
def sheet() -> None:
    """Write, check and show a clinic's price sheet.

    Estimates use the sheet given with --sheet, else the one named by the
    KETACOST_SHEET environment variable, else the sheet in the config directory
    (where 'ketacost sheet init' writes by default), else the built-in national
    averages.

    \b
    Examples:
      ketacost sheet init clinic.toml
      ketacost sheet check clinic.toml
      ketacost sheet show clinic.toml
      ketacost estimate --sheet clinic.toml
    """


@sheet.command()
@click.argument("path", required=False, type=FILE)
@click.option("--force", is_flag=True, help="Replace the file if it already exists.")
def init(path: Path | None, force: bool) -> None:
    """Write a commented starter price sheet to edit.

    PATH defaults to the sheet in the config directory, which every estimate then
    uses unless told otherwise. An existing file is never replaced without --force.

    \b
    Examples:
      ketacost sheet init
      ketacost sheet init clinic.toml
      ketacost sheet init clinic.toml --force
    """
    target = path or Path(config_sheet())
    if target.is_dir():
        raise click.BadParameter(f"{target} is a directory", param_hint="'PATH'")
    if target.exists() and not force:
        raise click.ClickException(f"{target} already exists; use --force to replace it")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise click.FileError(str(target.parent), error.strerror or str(error)) from None
    write_output(starter_text(), target)
    shown = terminal_text(str(target))  # a name is not ours: its escapes made visible
    click.echo(f"Wrote a starter price sheet to {shown}")
    click.echo(f"Edit it, then run: ketacost sheet check {shown}")


@sheet.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(file: Path) -> None:
    """Check a price sheet, listing every problem as FILE:LINE: message.

    Exits with status 0 when the sheet is valid, 1 when it has problems.

    \b
    Examples:
      ketacost sheet check clinic.toml
    """
    try:
        loaded = load_sheet(file)
    except SheetError as error:
        for line in error.lines():
            click.echo(terminal_text(line))
        raise click.ClickException(f"{file}: {plural(len(error.problems), 'problem')}") from None
    counts = ", ".join(
        plural(len(items), noun)
        for items, noun in (
            (loaded.treatments, "treatment"),
            (loaded.fees, "fee"),
            (loaded.discounts, "discount"),
            (loaded.plans, "plan"),
        )
    )
    name = terminal_text(str(file))  # a name is not ours: its escapes made visible
    click.echo(f"OK: {name}: price sheet {loaded.name!r}, sha256 {loaded.short_hash} ({counts})")

    for warning in uncoded(loaded):
        click.echo(terminal_text(f"{file}: warning: {warning}"), err=True)
    clinic = loaded.clinic
    lacks = missing_for_superbill(billing_provider(clinic))
    if lacks and clinic.name:  # a sheet without a clinic is for estimates only
        line = (
            f"{file}: warning: [clinic] lacks {', '.join(lacks)}: a superbill from this sheet "
            "is refused until then"
        )
        click.echo(terminal_text(line), err=True)

    for example in placeholders(loaded):
        verb = (
            "are the starter sheet's examples"
            if example.several
            else ("is the starter sheet's example")
        )
        line = (
            f"{file}: warning: {example.text} {verb}: put in your own (a Good Faith Estimate "
            "from this sheet is refused until then)"
        )
        click.echo(terminal_text(line), err=True)


@sheet.command()
@click.argument("file", required=False, type=FILE, envvar="KETACOST_SHEET")
def show(file: Path | None) -> None:
    """Show a price sheet as tables: treatments, fees, discounts, plans, clinic, providers.

    Each item's service codes are shown with their units, and who bills it when the
    sheet has [providers].

    FILE defaults to the sheet estimates use: KETACOST_SHEET, else the sheet in the
    config directory, else the built-in national averages ('builtin' shows those).

    \b
    Examples:
      ketacost sheet show
      ketacost sheet show clinic.toml
      ketacost sheet show builtin
    """
    from ketacost.render.console import console  # Rich: only show draws tables
    from ketacost.render.sheet_view import sheet_view

    loaded = resolve_sheet(file)
    console().print(sheet_view(loaded))
