"""Words the notes (an estimate's, its paying sentences, a comparison's) share: a count
with its noun."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 month``, ``12 months``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
