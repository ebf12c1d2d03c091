"""The error every request-building rule raises: what a patient or the desk asked for
cannot be estimated, naming the request field at fault (``sessions``,
``deductible_met``), never a command-line option; each face maps fields to its own words
(an option, a CSV column, a form's field)."""

from __future__ import annotations


class EstimateError(ValueError):
    """A request that cannot be estimated. ``field`` names the request field at fault
    (``sessions``), or is None when several values contradict each other."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class MissingValue(EstimateError):
    """A value the request needs was not given (``field`` names it)."""
