"""Today's date, asked in one place: what a Good Faith Estimate's duties are counted
from. Tests replace :func:`today` to pin a date."""

from __future__ import annotations

from datetime import date


def today() -> date:
    """The local date."""
    return date.today()
