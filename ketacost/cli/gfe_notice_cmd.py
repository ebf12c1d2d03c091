"""``ketacost gfe notice``: the notice of the right to a Good Faith Estimate, filled in
with the clinic's details (docs/gfe.md)."""

from __future__ import annotations

from pathlib import Path

import click

from ketacost.cli.decorators import SHEET
from ketacost.cli.files import write_output
from ketacost.cli.run import domain_errors
from ketacost.cli.sheets import resolve_sheet

NO_PDF = "PDF output is not available in this version: write .html and print it to PDF"


@click.command()
@SHEET
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The page to write, e.g. notice.html (print it, post it, give it).",
)
def notice(sheet: str | None, output: Path) -> None:
    """Write the notice of the right to a Good Faith Estimate, to post and give.

    A clinic must post this notice where patients schedule care and on its website, and
    give it to self-pay patients who schedule or ask about prices. It is filled in with
    the name, address and phone of the price sheet's [clinic].

    \b
    Examples:
      ketacost gfe notice --sheet clinic.toml -o notice.html
    """
    from ketacost.gfe import provider_of
    from ketacost.render.gfe_notice import notice_page

    if output.suffix.lower() == ".pdf":
        raise click.BadParameter(NO_PDF, param_hint="'--output'")
    loaded = resolve_sheet(sheet)
    with domain_errors():
        clinic = provider_of(loaded)
    write_output(notice_page(clinic), output)
    click.echo(f"Notice of the right to a Good Faith Estimate written to {output}.")
