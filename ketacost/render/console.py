"""The one place that builds Rich consoles, one for standard output and one for standard
error, each made once, on first use."""

from __future__ import annotations

from functools import cache

from rich.console import Console


@cache
def console() -> Console:
    """Standard output. Rich honours NO_COLOR and plain output when not a terminal."""
    return Console(highlight=False, emoji=False)


@cache
def error_console() -> Console:
    return Console(stderr=True, highlight=False, emoji=False)
