"""``ketacost gfe notice``: the notice of the right to a Good Faith Estimate, filled in
with the clinic's details (docs/gfe.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ketacost.cli.decorators import SHEET
from ketacost.cli.dispatch import output_format, write_page
from ketacost.cli.sheets import clinic_of, resolve_sheet
from ketacost.render.gfe_notice import notice_page
from ketacost.render.safe_text import terminal_text


@click.command()
@SHEET
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The page to write: notice.html (print it, post it, give it) or notice.pdf (with "
    "the extra ketacost[pdf]).",
)
def notice(sheet: str | None, output: Path) -> None:
    """Write the notice of the right to a Good Faith Estimate, to post and give.

    A clinic must post this notice where patients schedule care and on its website, and
    give it to self-pay patients who schedule or ask about prices. It is filled in with
    the name, address and phone of the price sheet's [clinic].

    \b
    Examples:
      ketacost gfe notice --sheet clinic.toml -o notice.html
      ketacost gfe notice --sheet clinic.toml -o notice.pdf
    """
    kind = output_format(None, output, ("html", "pdf"), default="html")
    loaded = resolve_sheet(sheet)
    clinic = clinic_of(loaded)
    write_page(notice_page(clinic), kind, output)
    shown = terminal_text(str(output))  # a name is not ours: its escapes made visible
    click.echo(f"Notice of the right to a Good Faith Estimate written to {shown}.")
