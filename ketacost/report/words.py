"""Words the notes share."""

from __future__ import annotations


def plural(count: int, noun: str) -> str:
    """``1 month``, ``12 months``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"
