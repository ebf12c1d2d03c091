"""The ``ketacost`` command group: one-line errors, exit codes, lazily loaded commands."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from typing import Any

import click

from ketacost import __version__

# name -> (module, attribute, one-line summary). Commands load only when run, so
# `ketacost --help` stays as fast as click itself.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "batch": (
        "ketacost.cli.batch_cmd",
        "batch",
        "Quote many requests at once: one CSV row in, one row of figures out.",
    ),
    "estimate": (
        "ketacost.cli.estimate_cmd",
        "estimate",
        "Estimate the cost of a course of ketamine infusions.",
    ),
    "sheet": ("ketacost.cli.sheet_cmd", "sheet", "Write, check and show a clinic's price sheet."),
    "compare": ("ketacost.cli.compare_cmd", "compare", "Compare two to six options side by side."),
    "wizard": (
        "ketacost.cli.wizard_cmd",
        "wizard",
        "Answer a few questions and get an estimate, step by step.",
    ),
    "quote": (
        "ketacost.cli.quote_cmd",
        "quote",
        "Estimate, save it in the quote log, and print it with its id.",
    ),
    "quotes": (
        "ketacost.cli.quotes_cmd",
        "quotes",
        "List, show, export, verify and back up the quotes and Good Faith Estimates given.",
    ),
    "gfe": (
        "ketacost.cli.gfe_cmd",
        "gfe",
        "Write a Good Faith Estimate for a self-pay patient, and keep it in the quote log.",
    ),
}


def one_line(message: str) -> str:
    return "; ".join(part.strip() for part in message.splitlines() if part.strip())


class KetacostGroup(click.Group):
    """A group whose errors are one line on standard error: status 2 for bad input,
    status 1 for a failure while running; never a traceback for a user's mistake."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        if cmd_name not in COMMANDS:
            return None
        module, attribute, _ = COMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [
            (
                name,
                COMMANDS[name][2]
                if name in COMMANDS
                else self.commands[name].get_short_help_str(60),
            )
            for name in self.list_commands(ctx)
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        try:
            result = super().main(
                args, prog_name or "ketacost", complete_var, standalone_mode=False, **extra
            )
        except click.UsageError as error:
            _fail(f"Error: {one_line(error.format_message())}", 2)
        except click.ClickException as error:
            _fail(f"Error: {one_line(error.format_message())}", error.exit_code)
        except click.Abort:
            _fail("Aborted.", 1)
        except BrokenPipeError:
            sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
            sys.exit(1)
        code = result if isinstance(result, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)


def _fail(message: str, code: int) -> None:
    click.echo(message, err=True)
    sys.exit(code)


@click.group(cls=KetacostGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="ketacost")
def cli() -> None:
    """Estimate what ketamine infusion therapy will cost: sessions, boosters,
    insurance, HSA and financing, from a clinic's price sheet or national averages.

    An estimate, not medical or financial advice.

    \b
    Examples:
      ketacost estimate
      ketacost estimate --condition pain --maintenance "every 4 weeks"
      ketacost estimate --deductible 1500 --coinsurance 20 --format json
    """


def main() -> None:
    """Console-script entry point."""
    cli.main()
