"""The quote log's errors: each message is one line for a person, naming the file."""


class StoreError(Exception):
    """The quote log cannot be used or an entry cannot be found; says which and why."""


class NoLog(StoreError):
    """Nothing has been saved yet: there is no log to read."""


class IdTaken(StoreError):
    """The log holds an entry with this id already."""
