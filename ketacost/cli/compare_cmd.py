"""``ketacost compare``: two to six options side by side.

Each option is ``"LABEL"`` or ``"LABEL: ESTIMATE OPTIONS"``; its options are read with
the same option declarations as ``estimate``, so an option accepts exactly what
``estimate`` does. Estimate options given to ``compare`` itself apply to every option (an
option's own win), and repeating ``--maintenance``, ``--sessions`` or ``--condition``
makes one option per value."""

from __future__ import annotations

import shlex
from dataclasses import fields
from functools import cache
from typing import Any

import click
from click.core import ParameterSource

from ketacost.cli.decorators import (
    CoverageOptions,
    EstimateOptions,
    Output,
    PaymentOptions,
    coverage_options,
    estimate_options,
    output_options,
    payment_options,
)
from ketacost.cli.dispatch import emit_comparison, output_format
from ketacost.cli.run import estimate_of

REPEATABLE = ("maintenance", "sessions", "condition")
"""Options that, repeated, give one option per value."""
Values = dict[str, Any]
"""Option values by name, as click parsed them (turned into typed options at once)."""


@cache
def option_parser() -> click.Command:
    """A command with the options of one estimate, to read an OPTION's own options."""
    def parse(**_: object) -> None:
        """Never run: only its options are used."""

    return click.command("estimate")(
        estimate_options()(coverage_options(payment_options(parse))))


def _shared_params() -> list[click.Parameter]:
    """The estimate options, the repeatable ones taking many values."""
    params: list[click.Parameter] = []
    for param in option_parser().params:
        if isinstance(param, click.Option) and param.name in REPEATABLE:
            params.append(click.Option(
                [*param.opts, *param.secondary_opts], type=param.type, multiple=True,
                metavar=param.metavar, help=f"{param.help} Repeat it to compare its values."))
        else:
            params.append(param)
    return params


def typed(values: Values) -> tuple[EstimateOptions, CoverageOptions, PaymentOptions]:
    """The option values as the typed groups the core path takes."""
    def pick(cls: type[Any]) -> Any:
        return cls(**{f.name: values[f.name] for f in fields(cls) if f.name in values})

    return pick(EstimateOptions), pick(CoverageOptions), pick(PaymentOptions)


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
        raise click.UsageError(f"{name}: give it a label, e.g. \"every 4 weeks: -m 4w\"")
    try:
        return label, shlex.split(rest), name
    except ValueError as error:
        raise click.UsageError(f"{name}: {error}") from None


def option_values(ctx: click.Context, text: str, common: Values) -> tuple[str, Values]:
    """An option's label and its values: the common ones, then its own (the values of a
    many-valued option such as --without add up)."""
    label, args, name = split_option(text)
    if {"-h", "--help"} & set(args):
        raise click.UsageError(f"{name}: see 'ketacost estimate --help' for its options")
    if {"-o", "--output", "-f", "--format"} & {arg.split("=")[0] for arg in args}:
        raise click.UsageError(f"{name}: give output options to compare itself")
    parser = option_parser()
    try:
        sub = parser.make_context("estimate", args, parent=ctx)
    except click.UsageError as error:
        raise click.UsageError(f"{name}: {error.format_message()}") from None
    values = dict(common)
    many = {p.name for p in parser.params if isinstance(p, click.Option) and p.multiple}
    for key, value in sub.params.items():
        if sub.get_parameter_source(key) is ParameterSource.COMMANDLINE:
            values[key] = (*common.get(key, ()), *value) if key in many else value
    return label, values


def shortcut_label(key: str, value: Any) -> str:
    if key == "sessions":
        return f"{value} session{'s' if value != 1 else ''}"
    if key == "maintenance":
        from ketacost.schedule import ScheduleError, parse_maintenance

        try:
            plan = parse_maintenance(str(value))
        except ScheduleError:
            return str(value)
        return "no boosters" if plan.unit == "none" else f"boosters {plan.label}"
    return str(value)


def options_from(ctx: click.Context, texts: tuple[str, ...],
                 params: Values) -> list[tuple[str, Values]]:
    """Every option's label and values, from OPTION texts or a repeated option."""
    repeated = [key for key in REPEATABLE if len(params[key]) > 1]
    common = {key: value for key, value in params.items() if key not in REPEATABLE}
    for key in REPEATABLE:
        common[key] = params[key][0] if len(params[key]) == 1 else None
    common["maintenance"] = common["maintenance"] or "none"
    if len(repeated) > 1:
        raise click.UsageError("repeat only one of --maintenance, --sessions and --condition")
    if repeated and texts:
        raise click.UsageError(f"give OPTIONs or repeat --{repeated[0]}, not both")
    if repeated:
        key = repeated[0]
        return [(shortcut_label(key, value), {**common, key: value}) for value in params[key]]
    return [option_values(ctx, text, common) for text in texts]


def run_option(label: str, values: Values) -> Any:
    try:
        return estimate_of(*typed(values))
    except click.UsageError as error:
        raise click.UsageError(f"option {label!r}: {error.format_message()}") from None


@click.command(params=_shared_params())
@click.argument("options", nargs=-1, metavar="OPTION...")
@output_options(what="Write to this file (.html: a printable page; .svg: the monthly chart).")
def compare(options: tuple[str, ...], out: Output, **params: Any) -> None:
    """Compare two to six options side by side.

    Each OPTION is a label, then optionally a colon and estimate options. Estimate
    options given before them apply to every option.

    \b
    Examples:
      ketacost compare "induction only" "every 4 weeks: -m 4w" "pain: --condition pain"
      ketacost compare -m none -m 6w -m 4w --deductible 1500 --coinsurance 20
      ketacost compare "6 sessions" "8 sessions: -n 8" --format csv
      ketacost compare "no boosters" "monthly: -m monthly" -o compare.html
    """
    from ketacost.comparison import MAX_OPTIONS, MIN_OPTIONS, ComparisonError
    from ketacost.comparison import compare as compare_options

    wanted = options_from(click.get_current_context(), options, params)
    if not MIN_OPTIONS <= len(wanted) <= MAX_OPTIONS:
        raise click.UsageError(f"OPTION: compare {MIN_OPTIONS} to {MAX_OPTIONS} options, "
                               f"not {len(wanted)} (see 'ketacost compare --help')")
    estimates = [(label, run_option(label, values)) for label, values in wanted]
    try:
        comparison = compare_options(estimates)
    except ComparisonError as error:
        raise click.UsageError(f"OPTION: {error}") from None
    emit_comparison(comparison, output_format(out.fmt, out.path), out.path)
