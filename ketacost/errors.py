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


class NeedsAnother(EstimateError):
    """A value that means something only with another one: ``needs`` names that other
    field, ``example`` a value of it. The message words the field (``a maintenance
    plan``); a face names it its own way with :meth:`naming` (an option, a column)."""

    def __init__(self, reason: str, field: str, *, needs: str, words: str, example: str) -> None:
        super().__init__(f"{reason}; give {words} too (e.g. {example})", field)
        self.reason, self.needs, self.example = reason, needs, example

    def naming(self, name: str) -> str:
        """The message with the other field named ``name``, as a face names it."""
        return f"{self.reason}; give {name} too (e.g. {name} {self.example})"
