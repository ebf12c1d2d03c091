"""The options of the commands that keep entries in the quote log: who the entry is for
(``--patient``, ``--dob``, read from standard input with ``-``), who gives it, and where
the log is (``--db``)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from ketacost.cli.grouping import Decorator, grouped
from ketacost.cli.groups import PatientOptions
from ketacost.cli.params import PATIENT_DOB, PATIENT_NAME, PERSON, LogTargetType
from ketacost.cli.patient import read_patient

DESK = click.option(
    "--desk",
    type=PERSON,
    metavar="NAME",
    envvar="KETACOST_DESK",
    show_envvar=True,
    help="The location or front desk that gives it, kept with the entry and shown by "
    "'quotes list' (optional).",
)


def patient_options(*, required: bool, unless: str | None = None) -> Decorator:
    """--patient, --dob, --prepared-by, --replaces and --desk, as ``who: PatientOptions``.

    ``--patient -`` reads the name from the first line of standard input and ``--dob -``
    the next line (so neither is in the process list). With ``required``, a value left out
    is asked for when standard input is a terminal, and is a usage error otherwise.
    ``unless`` says when a name and date of birth the command needs may be left out (the
    help then marks them required, unless that)."""
    extra = "" if required or unless else " (optional)"
    needed = "  [required]" if required else f"  [required unless {unless}]" if unless else ""
    options = grouped(
        PatientOptions,
        "who",
        [
            click.option(
                "--patient",
                type=PATIENT_NAME,
                metavar="NAME",
                help=f"The patient's name{extra}; - reads it from the first line of standard "
                f"input.{needed}",
            ),
            click.option(
                "--dob",
                type=PATIENT_DOB,
                metavar="DATE",
                help=f"The patient's date of birth, YYYY-MM-DD{extra}; - reads it from "
                f"standard input (after the name, if that is read too).{needed}",
            ),
            click.option(
                "--prepared-by", type=PERSON, metavar="NAME", help="Who prepared it (optional)."
            ),
            click.option(
                "--replaces",
                metavar="ID",
                help="The id of an earlier entry this one revises (it stays as it was).",
            ),
            DESK,
        ],
    )

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            kwargs["who"] = read_patient(kwargs["who"], required=required)
            return function(*args, **kwargs)

        return options(wrapper)

    return decorate


db_option: Decorator = click.option(
    "--db",
    type=LogTargetType(),
    metavar="PATH|URL",
    envvar="KETACOST_DB",
    show_envvar=True,
    help="The quote log: an SQLite file, or a PostgreSQL database shared by several desks "
    "(postgresql://USER@HOST/DATABASE, or a libpq connection string such as "
    "'service=clinic'). [default: quotes.db in your data directory]",
)
"""``--db PATH|URL`` (or ``KETACOST_DB``): which quote log to use."""
