"""The one place that builds Rich consoles. Importing this module does not import Rich;
the consoles are made on first use, so commands that draw nothing stay fast."""

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
