"""The ``gfe`` command group: it issues a Good Faith Estimate when given no subcommand;
its subcommands (``due``, ``notice``, ``check-bill``) live in their own modules."""

from __future__ import annotations

import click

from ketacost.cli.lazy import Lazy, LazyGroup

SUBCOMMANDS: dict[str, Lazy] = {
    "check-bill": Lazy(module="ketacost.cli.gfe_bill_cmd", attribute="check_bill"),
    "due": Lazy(module="ketacost.cli.gfe_due_cmd", attribute="due"),
    "notice": Lazy(module="ketacost.cli.gfe_notice_cmd", attribute="notice"),
}


class GfeGroup(LazyGroup):
    """``gfe`` issues an estimate when given no subcommand. A stray word (an unquoted name)
    is reported without repeating it."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.table:
            raise click.UsageError(
                "unexpected extra words on the command line (quote a name with spaces: "
                f'--patient "Ann Lee"; the subcommands are {", ".join(sorted(self.table))})',
                ctx,
            )
        return super().resolve_command(ctx, args)
