"""Opening a quote log by its target: the one place that knows every storage.

The interface (:class:`~ketacost.store.base.QuoteLog`) knows none of its storages; each
storage builds on it. A target names one storage (:mod:`ketacost.store.target`): an SQLite
file's path, or a PostgreSQL database named as libpq names one.
"""

from __future__ import annotations

from pathlib import Path

from ketacost.store.base import QuoteLog
from ketacost.store.postgres import PostgresLog
from ketacost.store.sqlite import SQLiteLog
from ketacost.store.target import is_postgres


def open_quote_log(target: Path | str, *, write: bool = True) -> QuoteLog:
    """Open the log at ``target``. ``write``: to save entries (a log is created where
    none exists, checked for damage and brought up to date); otherwise nothing is ever
    written and a missing log is :class:`~ketacost.store.errors.NoLog`.

    ``target`` is an SQLite file's path, or a PostgreSQL database named as libpq names one
    (a ``postgresql://`` URL or a connection string such as ``service=clinic``)."""
    if isinstance(target, str) and is_postgres(target):
        return PostgresLog.open_url(target, write=write)
    return SQLiteLog.open_file(Path(target), write=write)
