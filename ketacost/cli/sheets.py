"""Which price sheet a command uses: ``--sheet`` (or ``KETACOST_SHEET``), else the sheet
in the config directory, else the built-in national averages."""

from __future__ import annotations

import os

import click

from ketacost.sheet import PriceSheet


def config_sheet() -> str:
    """Where a clinic keeps its default sheet: ``<config dir>/ketacost/sheet.toml``."""
    return os.path.join(click.get_app_dir("ketacost"), "sheet.toml")


def sheet_path(path: str | os.PathLike[str] | None) -> str | None:
    """The sheet file in use: ``path`` (from --sheet, or KETACOST_SHEET through click),
    else the config directory's sheet if there is one, else None (the built-in sheet)."""
    if path is not None:
        return os.fspath(path)
    return config_sheet() if os.path.isfile(config_sheet()) else None


def resolve_sheet(path: str | os.PathLike[str] | None) -> PriceSheet:
    """The price sheet to use. A sheet with problems is a usage error (status 2) naming
    the file and line."""
    from ketacost.sheet_load import SheetError, load_sheet

    path = sheet_path(path)
    try:
        return load_sheet(path)
    except SheetError as error:
        lines = error.lines()
        more = (
            f" (and {len(lines) - 1} more: run 'ketacost sheet check {error.path}')"
            if len(lines) > 1
            else ""
        )
        raise click.UsageError(f"bad price sheet: {lines[0]}{more}") from None
