"""The ``gfe`` command group: it issues a Good Faith Estimate when given no subcommand,
and loads its subcommands (``due``, ``notice``, ``check-bill``) only when run."""

from __future__ import annotations

import importlib

import click

SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "check-bill": ("ketacost.cli.gfe_bill_cmd", "check_bill"),
    "due": ("ketacost.cli.gfe_due_cmd", "due"),
    "notice": ("ketacost.cli.gfe_notice_cmd", "notice"),
}


class GfeGroup(click.Group):
    """``gfe`` issues an estimate when given no subcommand; its subcommands load when run.
    A stray word (an unquoted name) is reported without repeating it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in SUBCOMMANDS:
            return None
        module, attribute = SUBCOMMANDS[cmd_name]
        command: click.Command = getattr(importlib.import_module(module), attribute)
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in SUBCOMMANDS:
            raise click.UsageError(
                "unexpected extra words on the command line (quote a name with spaces: "
                f'--patient "Ann Lee"; the subcommands are {", ".join(sorted(SUBCOMMANDS))})',
                ctx,
            )
        return super().resolve_command(ctx, args)
