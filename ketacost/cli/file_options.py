"""``--format/-f`` and ``--output/-o`` of the commands that write a file of their own (a
Good Faith Estimate, a superbill, the claims, an export of the log), declared once."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ketacost.cli.grouping import Decorator
from ketacost.cli.params import OutputFile

YOURS_ONLY = "Write to this file (created readable by you only) instead of the screen."


def format_option(formats: Sequence[str], what: str, **settings: Any) -> Decorator:
    """``--format/-f``, as ``fmt``: one of ``formats``."""
    return click.option(
        "--format", "-f", "fmt", type=click.Choice(list(formats)), help=what, **settings
    )


def output_option(what: str = YOURS_ONLY, **settings: Any) -> Decorator:
    """``--output/-o``, as ``output``: the file to write (a folder is refused), a Path."""
    return click.option(
        "--output", "-o", type=OutputFile(dir_okay=False, path_type=Path), help=what, **settings
    )
