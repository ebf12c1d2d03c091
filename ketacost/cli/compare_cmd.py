"""``ketacost compare``: two to six options side by side.

Each option is ``"LABEL"`` or ``"LABEL: ESTIMATE OPTIONS"``; its options are read with
the same option declarations as ``estimate``, so an option accepts exactly what
``estimate`` does. Estimate options given to ``compare`` itself apply to every option (an
option's own win), and repeating ``--maintenance``, ``--sessions`` or ``--condition``
makes one option per value."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from functools import cache
from typing import Any

import click
from click.core import ParameterSource

from ketacost.cli.decorators import coverage_option_values, estimate_options, output_options
from ketacost.cli.dispatch import emit_comparison, output_format
from ketacost.cli.groups import CoverageOptions, EstimateOptions, Output, Repeated
from ketacost.cli.run import coverage_of, estimate_of, request_of
from ketacost.cli.sheets import resolve_sheet
from ketacost.comparison import MAX_OPTIONS, MIN_OPTIONS, ComparisonError
from ketacost.comparison import compare as compare_options
from ketacost.estimate import Estimate
from ketacost.paying.how_paid import NO_PAYING, Paying
from ketacost.schedule.sessions import ScheduleError, parse_maintenance

Groups = tuple[EstimateOptions, CoverageOptions, Paying]
"""One option's values, as the typed groups the core path takes."""


@cache
def option_parser() -> click.Command:
    """A command with the options of one estimate, to read an OPTION's own options."""

    def parse(**_: object) -> None:
        """Never run: only its options are used."""

    return click.command("estimate")(estimate_options(ride=False)(coverage_option_values(parse)))


def _override(groups: Groups, given: Mapping[str, object]) -> Groups:
    """The groups with the values given on an OPTION's own command line; the values of a
    many-valued option such as --without or --with add up."""

    def update(group: Any) -> Any:
        names = set(group._fields)
        changes: dict[str, Any] = {key: value for key, value in given.items() if key in names}
        for many in ("without", "with_"):
            if many in changes:
                changes[many] = (*getattr(group, many), *changes[many])
        return group._replace(**changes)

    what, plan, paying = groups
    return update(what), update(plan), paying


def split_option(text: str) -> tuple[str, list[str], str]:
    """``"pain: --condition pain"`` -> (label, arguments, the text for messages)."""
    label, colon, rest = text.partition(":")
    if text.lstrip().startswith("-"):
        label, rest = text, text
    elif not colon or (rest.strip() and not rest.strip().startswith("-")):
        label, rest = text, ""
    label = " ".join(label.split())
    name = f"option {label!r}" if label else f"option {text!r}"
    if not label:
        raise click.UsageError(f'{name}: give it a label, e.g. "every 4 weeks: -m 4w"')
    try:
        return label, shlex.split(rest), name
    except ValueError as error:
        raise click.UsageError(f"{name}: {error}") from None


def option_values(ctx: click.Context, text: str, common: Groups) -> tuple[str, Groups, bool]:
    """An option's label and its values: the common ones, then its own; and whether it
    gave its own --months."""
    label, args, name = split_option(text)
    if {"-h", "--help"} & set(args):
        raise click.UsageError(f"{name}: see 'ketacost estimate --help' for its options")
    if {"-o", "--output", "-f", "--format"} & {arg.split("=")[0] for arg in args}:
        raise click.UsageError(f"{name}: give output options to compare itself")
    try:
        sub = option_parser().make_context("estimate", args, parent=ctx)
    except click.UsageError as error:
        raise click.UsageError(f"{name}: {error.format_message()}") from None
    given = {
        key: value
        for key, value in sub.params.items()
        if sub.get_parameter_source(key) is ParameterSource.COMMANDLINE
    }
    return label, _override(common, given), "months" in given


def shortcut_label(key: str, value: Any) -> str:
    if key == "sessions":
        return f"{value} session{'s' if value != 1 else ''}"
    if key == "maintenance":
        try:
            plan = parse_maintenance(str(value))
        except ScheduleError:
            return str(value)
        return "no boosters" if plan.unit == "none" else f"boosters {plan.label}"
    return str(value)


def options_from(
    ctx: click.Context, texts: tuple[str, ...], repeated: Repeated, common: Groups
) -> list[tuple[str, Groups, bool]]:
    """Every option's label and values, from OPTION texts or a repeated option, and
    whether it gave its own --months."""
    many = repeated._asdict()
    what = common[0]._replace(
        **{key: values[0] for key, values in many.items() if len(values) == 1}
    )
    common = (what, *common[1:])
    repeats = [key for key, values in many.items() if len(values) > 1]
    if len(repeats) > 1:
        raise click.UsageError("repeat only one of --maintenance, --sessions and --condition")
    if repeats and texts:
        raise click.UsageError(f"give OPTIONs or repeat --{repeats[0]}, not both")
    if repeats:
        key = repeats[0]
        return [
            (shortcut_label(key, value), _override(common, {key: value}), False)
            for value in many[key]
        ]
    return [option_values(ctx, text, common) for text in texts]


def boosters_only(groups: Groups, shared_months: int | None) -> Groups:
    """The option's groups, without the months given to compare itself when the option
    has no boosters: those months are how long the other options' boosters last."""
    what, plan, paying = groups
    if shared_months is None:
        return groups
    alone = what._replace(months=None)
    request = request_of(resolve_sheet(alone.sheet), alone)
    return groups if request.maintenance.unit != "none" else (alone, plan, paying)


def run_option(label: str, groups: Groups, shared_months: int | None = None) -> Estimate:
    try:
        what, plan, paying = boosters_only(groups, shared_months)
        return estimate_of(what, coverage_of(plan), paying)
    except click.UsageError as error:
        raise click.UsageError(f"option {label!r}: {error.format_message()}") from None


@click.command()
@estimate_options(repeat=True, ride=False)
@coverage_option_values
@click.argument("options", nargs=-1, metavar="OPTION...")
@output_options(
    what="Write to this file (.html: a printable page; .pdf: the same page as a PDF, with "
    "the extra ketacost[pdf]; .svg: the monthly chart)."
)
def compare(
    options: tuple[str, ...],
    what: EstimateOptions,
    repeated: Repeated,
    plan: CoverageOptions,
    out: Output,
) -> None:
    """Compare two to six options side by side.

    Each OPTION is a label, then optionally a colon and estimate options. Estimate
    options given before them apply to every option (--months: to the options with
    boosters). A comparison shows charges and
    out of pocket: rides, HSA and financing are for 'ketacost estimate'.

    \b
    Examples:
      ketacost compare "induction only" "every 4 weeks: -m 4w" "pain: --condition pain"
      ketacost compare -m none -m 6w -m 4w --deductible 1500 --coinsurance 20
      ketacost compare "6 sessions" "8 sessions: -n 8" --format csv
      ketacost compare "no boosters" "monthly: -m monthly" -o compare.html
    """
    wanted = options_from(click.get_current_context(), options, repeated, (what, plan, NO_PAYING))
    if not MIN_OPTIONS <= len(wanted) <= MAX_OPTIONS:
        raise click.UsageError(
            f"OPTION: compare {MIN_OPTIONS} to {MAX_OPTIONS} options, "
            f"not {len(wanted)} (see 'ketacost compare --help')"
        )
    estimates = [
        (label, run_option(label, groups, None if own_months else what.months))
        for label, groups, own_months in wanted
    ]
    try:
        comparison = compare_options(estimates)
    except ComparisonError as error:
        raise click.UsageError(f"OPTION: {error}") from None
    emit_comparison(comparison, output_format(out.fmt, out.path), out.path)
