"""``ketacost compare``: two to six options side by side.

Each option is ``"LABEL"`` or ``"LABEL: ESTIMATE OPTIONS"``; its options are read by the
estimate command's own parser, so an option accepts exactly what ``estimate`` does.
Estimate options given to ``compare`` itself apply to every option (an option's own
win), and repeating ``--maintenance``, ``--sessions`` or ``--condition`` makes one option
per value."""

from __future__ import annotations

import shlex
from typing import Any

import click
from click.core import ParameterSource

from ketacost.cli.estimate_cmd import estimate, output_format
from ketacost.cli.options import run_estimate, write_output

FORMATS = ("table", "json", "csv", "markdown", "html", "svg")
REPEATABLE = ("maintenance", "sessions", "condition")
"""Options that, repeated, give one option per value."""
OWN = ("fmt", "output", "by_month")
"""Options of ``estimate`` that are about output, not about what is estimated."""


def _shared_params() -> list[click.Parameter]:
    """The estimate command's options, the repeatable ones taking many values."""
    params: list[click.Parameter] = []
    for param in estimate.params:
        if param.name in OWN:
            continue
        if isinstance(param, click.Option) and param.name in REPEATABLE:
            params.append(click.Option(
                [*param.opts, *param.secondary_opts], type=param.type, multiple=True,
                metavar=param.metavar, help=f"{param.help} Repeat it to compare its values."))
        else:
            params.append(param)
    return params


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


def option_params(ctx: click.Context, text: str,
                  common: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """An option's label and its estimate parameters: the common ones, then its own (the
    values of a many-valued option such as --without add up)."""
    label, args, name = split_option(text)
    if {"-h", "--help"} & set(args):
        raise click.UsageError(f"{name}: see 'ketacost estimate --help' for its options")
    try:
        sub = estimate.make_context("estimate", args, parent=ctx)
    except click.UsageError as error:
        raise click.UsageError(f"{name}: {error.format_message()}") from None
    params = dict(common)
    many = {p.name for p in estimate.params if isinstance(p, click.Option) and p.multiple}
    for key, value in sub.params.items():
        if sub.get_parameter_source(key) is not ParameterSource.COMMANDLINE:
            continue
        if key in OWN:
            raise click.UsageError(f"{name}: give output options to compare itself")
        params[key] = (*common.get(key, ()), *value) if key in many else value
    return label, params


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
                 params: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Every option's label and parameters, from OPTION texts or a repeated option."""
    repeated = [key for key in REPEATABLE if len(params[key]) > 1]
    common = {key: value for key, value in params.items() if key not in REPEATABLE}
    for key in REPEATABLE:
        if len(params[key]) == 1:
            common[key] = params[key][0]
    if len(repeated) > 1:
        raise click.UsageError("repeat only one of --maintenance, --sessions and --condition")
    if repeated and texts:
        raise click.UsageError(f"give OPTIONs or repeat --{repeated[0]}, not both")
    if repeated:
        key = repeated[0]
        return [(shortcut_label(key, value), {**common, key: value}) for value in params[key]]
    return [option_params(ctx, text, common) for text in texts]


def run_option(label: str, params: dict[str, Any]) -> Any:
    try:
        return run_estimate(params)
    except click.UsageError as error:
        raise click.UsageError(f"option {label!r}: {error.format_message()}") from None


@click.command(params=_shared_params())
@click.argument("options", nargs=-1, metavar="OPTION...")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS),
              help="Output format. [default: table, or from the -o file's suffix]")
@click.option("--output", "-o", type=click.Path(dir_okay=False),
              help="Write to this file (.html: a printable page; .svg: the monthly chart).")
def compare(options: tuple[str, ...], fmt: str | None, output: str | None,
            **params: Any) -> None:
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
    estimates = [(label, run_option(label, p)) for label, p in wanted]
    try:
        compared = compare_options(estimates)
    except ComparisonError as error:
        raise click.UsageError(f"OPTION: {error}") from None
    emit(compared, output_format(fmt, output), output)


def emit(compared: Any, kind: str, output: str | None) -> None:
    if kind == "json":
        from ketacost.render.compare_text import compare_data
        from ketacost.render.data import to_json

        write_output(to_json(compare_data(compared)), output)
    elif kind in ("csv", "markdown"):
        from ketacost.render.compare_text import compare_csv, compare_markdown

        write_output((compare_csv if kind == "csv" else compare_markdown)(compared), output)
    elif kind in ("html", "svg"):
        from ketacost.render.html import compare_chart, compare_page

        write_output((compare_page if kind == "html" else compare_chart)(compared), output)
    else:
        from ketacost.cli.estimate_cmd import show_view
        from ketacost.render.compare_view import compare_view

        show_view(compare_view(compared), output)

