"""How shared options are declared: a group of click options whose values reach the
command as one typed value (a record of :mod:`ketacost.cli.groups`)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import click
from click.core import ParameterSource

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]
"""What click's option decorators are: a command function in, the same function out."""


def apply(options: Sequence[Decorator], function: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(options):
        function = option(function)
    return function


def given(name: str) -> bool:
    """Whether the option ``name`` was given (on the command line or from its environment
    variable), not left at its default."""
    source = click.get_current_context().get_parameter_source(name)
    return source in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT)


def grouped(
    cls: Callable[..., Any],
    name: str,
    options: Sequence[Decorator],
    check: Callable[[Any], None] | None = None,
    fields: Sequence[str] | None = None,
) -> Decorator:
    """Add ``options`` to a command; its callback receives their values as one ``cls``
    instance in the parameter ``name``. ``check`` refuses an option given where it would
    change nothing (a usage error naming it). ``cls`` may be a function that builds the
    concept's record from the options named ``fields``."""
    names = list(fields if fields is not None else cls._fields)  # type: ignore[attr-defined]

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            values = {key: kwargs.pop(key) for key in names if key in kwargs}
            kwargs[name] = cls(**values)
            if check is not None:
                check(kwargs[name])
            return function(*args, **kwargs)

        return apply(options, wrapper)

    return decorate
