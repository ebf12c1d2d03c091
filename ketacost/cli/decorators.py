"""Every option shared by several commands, declared once. A group of options reaches
the command as one typed value (:class:`EstimateOptions`, the request's ``Coverage``,
:class:`Output`), never as a loose dict. How it is paid (the request's ``Paying``) is in
:mod:`ketacost.cli.payment_options`, the quote log's options in
:mod:`ketacost.cli.log_options`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import click

from ketacost.cli import complete
from ketacost.cli.grouping import Decorator, grouped
from ketacost.cli.groups import (
    CoverageOptions,
    EstimateOptions,
    Output,
    Repeated,
)
from ketacost.cli.params import (
    DATE,
    MONEY,
    MONTH_DAY,
    PERCENT,
    PRICE_RANGE,
    Count,
    OutputFile,
    percent_of,
)
from ketacost.cli.run import coverage_of
from ketacost.coverage.fields import OPTIONS, Field
from ketacost.coverage.shares import Coverage
from ketacost.request import DEFAULT_MONTHS, MAX_MONTHS, MAX_SESSIONS, MAX_WEEKS

FORMATS = ("table", "json", "csv", "markdown", "html", "svg", "pdf")


SHEET = click.option(
    "--sheet",
    type=click.Path(dir_okay=False),
    envvar="KETACOST_SHEET",
    show_envvar=True,
    help="A clinic's price sheet (TOML), or 'builtin' for the built-in national averages. "
    "[default: the sheet in the config directory (see 'ketacost sheet init'), else "
    "built-in national averages]",
)

RIDE = click.option(
    "--ride",
    type=MONEY,
    metavar="AMOUNT",
    help="Cost of a ride home per session (no driving until the next day).",
)


TABLE_OR_JSON = click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
"""A listing's ``--format``: a table on the screen, or JSON for another program."""

REPEAT = " Repeat it to compare its values."


def _repeatable(repeat: bool) -> list[Decorator]:
    """--condition, --sessions and --maintenance: once each, or (``repeat``) many times."""
    more = REPEAT if repeat else ""
    options: list[Decorator] = [
        click.option(
            "--condition",
            "-c",
            metavar="NAME",
            multiple=repeat,
            shell_complete=complete.conditions,
            help="What is treated: depression (also anxiety, ptsd, ocd) or pain (IV "
            "infusions), spravato (esketamine), im (injections), kap (ketamine-assisted "
            "psychotherapy), or a treatment from the price sheet. [default: the sheet's "
            "default]" + more,
        ),
        click.option(
            "--sessions",
            "-n",
            type=Count(min=1, max=MAX_SESSIONS),
            multiple=repeat,
            help="Induction sessions. [default: 6]" + more,
        ),
        click.option(
            "--maintenance",
            "-m",
            metavar="PLAN",
            multiple=repeat,
            shell_complete=complete.plans,
            help='Boosters after induction: none, "every 4 weeks" (or 4w), monthly, '
            'a tapering plan ("every 4 weeks for 3 months, then every 6 weeks") or a plan '
            "named in the price sheet. [default: the treatment's own: none for IV, every 2 "
            "weeks for Spravato]" + more,
        ),
    ]
    return options


def _schedule_options() -> list[Decorator]:
    options: list[Decorator] = [
        click.option(
            "--weeks",
            "-w",
            type=Count(min=1, max=MAX_WEEKS),
            help="Weeks the induction series is spread over. [default: 2]",
        ),
        click.option(
            "--price",
            type=MONEY,
            metavar="AMOUNT",
            help="One exact price per session, instead of the sheet's range.",
        ),
        click.option(
            "--price-range",
            type=PRICE_RANGE,
            help="A price range per session, e.g. 400-800 (typical: the midpoint).",
        ),
        click.option(
            "--months",
            type=Count(min=0, max=MAX_MONTHS),
            help=f"How long maintenance lasts after induction. [default: {DEFAULT_MONTHS}]",
        ),
        click.option("--start", type=DATE, help="Date of the first session. [default: today]"),
        click.option(
            "--without",
            multiple=True,
            metavar="KEY",
            shell_complete=complete.leave_out,
            help="Leave out an optional fee of the sheet.",
        ),
        click.option(
            "--with",
            "with_",
            multiple=True,
            metavar="KEY",
            help="Apply a conditional discount of the sheet whose condition the patient "
            'meets (e.g. "paid in advance"); repeat for more.',
        ),
        SHEET,
    ]
    return options


def estimate_options(*, ride: bool = True, repeat: bool = False) -> Decorator:
    """What is estimated, as ``what: EstimateOptions``; ``ride`` offers --ride. With
    ``repeat``, --condition, --sessions and --maintenance may be given many times, and
    come as ``repeated: Repeated``."""
    rest: list[Decorator] = [*_schedule_options(), *([RIDE] if ride else [])]
    if not repeat:
        return grouped(EstimateOptions, "what", [*_repeatable(False), *rest])
    many = grouped(Repeated, "repeated", _repeatable(True))
    # The outer wrapper takes the repeated values first, so ``what`` keeps its defaults.
    return lambda function: many(grouped(EstimateOptions, "what", rest)(function))


def _plan_option(field: Field) -> Decorator:
    """The option that gives one field of the plan, read as its kind says, with the field
    table's help."""
    name = f"--{field.name.replace('_', '-')}"
    if field.kind == "choice":
        return click.option(
            name, type=click.Choice([value for value, _ in field.choices]), help=field.help
        )
    if field.kind == "days":
        most = int(field.most or 0)
        return click.option(name, type=Count(min=1, max=most), metavar="DAYS", help=field.help)
    kinds: dict[str, tuple[Any, str | None]] = {
        "money": (MONEY, "AMOUNT"),
        "percent": (PERCENT, None),
        "month_day": (MONTH_DAY, None),
        "percent_of": (percent_of(Decimal(field.most or 0)), None),
    }
    kind, metavar = kinds[field.kind]
    return click.option(name, type=kind, metavar=metavar, help=field.help)


COVERAGE_OPTIONS: list[Decorator] = [
    click.option(
        "--coverage",
        "coverage_file",
        type=click.Path(dir_okay=False),
        metavar="FILE",
        help="Your plan's figures in a TOML file (the options below override it).",
    ),
    *(_plan_option(field) for field in OPTIONS),
]
"""--coverage FILE, and an option for each field of the plan the field table gives as
one (:data:`ketacost.coverage.fields.OPTIONS`)."""


def _coverage(**values: Any) -> Coverage | None:
    """The options as the request's plan (None: self-pay)."""
    return coverage_of(CoverageOptions(**values))


coverage_options: Decorator = grouped(
    _coverage, "coverage", COVERAGE_OPTIONS, fields=CoverageOptions._fields
)
"""The patient's insurance, as the request's own ``coverage: Coverage | None``."""

coverage_option_values: Decorator = grouped(CoverageOptions, "plan", COVERAGE_OPTIONS)
"""The same options as they were given, ``plan: CoverageOptions``: for compare, whose
options change them one by one before the plan is built (:func:`coverage_of`)."""


def output_options(
    *,
    formats: Sequence[str] = FORMATS,
    required: bool = False,
    what: str = "Write to this file instead of the screen.",
) -> Decorator:
    """``--format/-f`` and ``--output/-o``, as ``out: Output``."""
    return grouped(
        Output,
        "out",
        [
            click.option(
                "--format",
                "-f",
                "fmt",
                type=click.Choice(list(formats)),
                help="Output format. [default: table, or from the -o file's suffix]"
                if "table" in formats
                else "Output format.",
            ),
            click.option(
                "--output",
                "-o",
                "path",
                type=OutputFile(dir_okay=False),
                required=required,
                help=what,
            ),
        ],
    )
