"""Which price sheet a command uses: ``--sheet`` (or ``KETACOST_SHEET``), else the sheet
in the config directory, else the built-in national averages. ``--sheet builtin`` picks
the built-in averages even when the config directory holds a sheet."""

from __future__ import annotations

import os
import sys

import click

from ketacost.cli.params import utf8
from ketacost.sheet.load import SheetError, load_sheet
from ketacost.sheet.model import PriceSheet, Provider

BUILTIN = "builtin"
"""The --sheet value that names the built-in national averages (``./builtin`` is a file)."""


def config_dir() -> str:
    """Where ketacost keeps its configuration: ``$XDG_CONFIG_HOME/ketacost`` (when it is an
    absolute path, as the XDG spec asks: an empty or relative value is ignored), else
    ``~/.config/ketacost`` on Linux and the BSDs; the platform's own place on macOS and
    Windows."""
    if sys.platform.startswith(("win", "cygwin", "darwin")):
        return click.get_app_dir("ketacost")
    base = os.environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".config")
    return os.path.join(base, "ketacost")


def config_sheet() -> str:
    """Where a clinic keeps its default sheet: ``<config dir>/sheet.toml``."""
    return os.path.join(config_dir(), "sheet.toml")


def sheet_path(path: str | os.PathLike[str] | None) -> str | None:
    """The sheet file in use: ``path`` (from --sheet, or KETACOST_SHEET through click),
    else the config directory's sheet if there is one, else None (the built-in sheet, also
    chosen by ``builtin``)."""
    if path is not None:
        chosen = os.fspath(path)
        return None if chosen.strip().lower() == BUILTIN else chosen
    return config_sheet() if os.path.isfile(config_sheet()) else None


def resolve_sheet(path: str | os.PathLike[str] | None) -> PriceSheet:
    """The price sheet to use. A sheet with problems is a usage error (status 2) naming
    the file and line."""
    path = sheet_path(path)
    if path is not None and not utf8(path):  # a quote records it: the log keeps UTF-8 text
        raise click.UsageError(
            f"bad price sheet: {path!r}: its file name holds bytes that are not UTF-8 text "
            "(rename the file)"
        )
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


def clinic_of(sheet: PriceSheet) -> Provider:
    """The clinic a Good Faith Estimate or its notice names. A sheet without the clinic's
    identity is a usage error naming the file to edit: the sheet itself, or for the
    built-in sheet the one 'ketacost sheet init' writes, which every command then uses."""
    from ketacost.gfe.document import GfeError, provider_of

    try:
        return provider_of(sheet)
    except GfeError as error:
        if sheet.path != "(built-in)":
            todo = f"edit [clinic] in {sheet.path}"
        elif os.path.isfile(config_sheet()):
            todo = f"fill in [clinic] in {config_sheet()} (and leave out --sheet builtin)"
        else:
            todo = f"run 'ketacost sheet init', then fill in [clinic] in {config_sheet()}"
        raise click.BadParameter(f"{error}; {todo}", param_hint="'--sheet'") from None


def check_placeholders(sheet: PriceSheet) -> None:
    """A Good Faith Estimate from a sheet still holding the starter's examples is a usage
    error naming each, and the file to edit."""
    from ketacost.gfe.document import GfeError
    from ketacost.gfe.document import check_placeholders as check

    try:
        check(sheet)
    except GfeError as error:
        raise click.BadParameter(
            f"{error}; edit them in {sheet.path}", param_hint="'--sheet'"
        ) from None
