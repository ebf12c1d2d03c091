"""A command group whose commands live in modules of their own, each named in the group's
table and imported when that command is asked for: the one way every group of ``ketacost``
(the top level, ``gfe``, ``quotes``) lists commands it does not import itself.

tests/test_architecture.py reads these tables, so a command named here is seen as the
group's subcommand, never hidden from the check that commands do not import each other.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import click


@dataclass(frozen=True, slots=True, kw_only=True)
class Lazy:
    """Where a command lives: ``getattr(import_module(module), attribute)``."""

    module: str
    attribute: str
    summary: str | None = None
    """Its one-line help, as a group's help lists it (the top-level group's does); None:
    the command's own help gives it."""

    def load(self) -> click.Command:
        command: click.Command = getattr(importlib.import_module(self.module), self.attribute)
        return command


class LazyGroup(click.Group):
    """A group with its own commands (``self.commands``) and those of ``table``, which are
    imported when asked for. Give the table to the decorator:
    ``@click.group(cls=LazyGroup, table={...})``."""

    def __init__(self, *args: Any, table: Mapping[str, Lazy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.table = dict(table)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.table})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands:
            return self.commands[cmd_name]
        lazy = self.table.get(cmd_name)
        return None if lazy is None else lazy.load()
