"""The quote log as the desk's pages use it: opened for each request (SQLite or the
PostgreSQL database several desks share), an entry saved under a new id, as the command
line saves one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from ketacost.entries import Entry, Kind
from ketacost.store import QuoteLog, default_path
from ketacost.store.opening import open_quote_log


@contextmanager
def opened(db: Path | str | None, *, write: bool) -> Iterator[QuoteLog]:
    """The quote log, open for this request (StoreError when it cannot be)."""
    with open_quote_log(db or default_path(), write=write) as log:
        yield log


def save(log: QuoteLog, make: Callable[[str, datetime], Entry], kind: Kind) -> Entry:
    """Save the entry ``make(id, created)`` builds under a new id (:meth:`QuoteLog.add_new`;
    StoreError when the log refuses it)."""
    return log.add_new(make, kind)
