"""A patient's name and date of birth given as ``-`` (read from standard input, so they are
not in the process list) or left out (asked for at a terminal). Used by
:func:`ketacost.cli.decorators.patient_options`."""

from __future__ import annotations

import sys
from typing import Any

import click

from ketacost.cli.groups import PatientOptions
from ketacost.cli.params import DATE_OF_BIRTH, PERSON, FromStdin, Parsed
from ketacost.cli.run import flag_of

MAX_LINE = 1000
"""Longest line read from standard input for a name or a date of birth."""


def stdin_is_terminal() -> bool:
    """Whether a person is typing at standard input (then a missing value is asked for)."""
    return sys.stdin is not None and sys.stdin.isatty()


def read_patient(who: PatientOptions, *, required: bool) -> PatientOptions:
    """``who`` with each ``-`` read from standard input (the name first), and with a
    missing required value asked for at a terminal."""
    found: dict[str, Any] = {}
    for field, kind in (("patient", PERSON), ("dob", DATE_OF_BIRTH)):
        value = getattr(who, field)
        if isinstance(value, FromStdin):
            value = _stdin_line(field, kind)
        elif value is None and required:
            if not stdin_is_terminal():
                raise click.MissingParameter(ctx=click.get_current_context(), param=_param(field))
            label = "Patient's name" if field == "patient" else "Date of birth (YYYY-MM-DD)"
            value = click.prompt(label, type=kind)
        found[field] = value
    return who._replace(**found)


def _param(field: str) -> click.Parameter:
    ctx = click.get_current_context()
    return next(p for p in ctx.command.params if p.name == field)


def _stdin_line(field: str, kind: Parsed) -> Any:
    """The next line of standard input, read as ``kind``; an error names the option, never
    the value."""
    hint = f"'{flag_of(field)}'"
    line = sys.stdin.readline(MAX_LINE + 1)
    if not line.strip():
        raise click.BadParameter("standard input has no line for it", param_hint=hint)
    if len(line) > MAX_LINE:
        raise click.BadParameter(f"its line is longer than {MAX_LINE} characters", param_hint=hint)
    try:
        return kind.convert(line.rstrip("\r\n"), None, None)
    except click.BadParameter as error:
        raise click.BadParameter(error.message, param_hint=hint) from None
