"""The quote log as the desk's pages use it: opened for each request (SQLite or the
PostgreSQL database several desks share), an entry saved under a new id, as the command
line saves one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from ketacost.entries import Entry, new_id
from ketacost.store import IdTaken, QuoteLog, StoreError, default_path
from ketacost.store.opening import open_quote_log

ID_ATTEMPTS = 20


@contextmanager
def opened(db: Path | str | None, *, write: bool) -> Iterator[QuoteLog]:
    """The quote log, open for this request (StoreError when it cannot be)."""
    with open_quote_log(db or default_path(), write=write) as log:
        yield log


def save(log: QuoteLog, make: Callable[[str, datetime], Entry], kind: str) -> Entry:
    """Save the entry ``make(id, created)`` builds, under a new id (drawn again in the
    rare case the log holds it already)."""
    created = datetime.now(UTC).replace(microsecond=0)
    for _ in range(ID_ATTEMPTS):
        entry = make(new_id("gfe" if kind == "gfe" else "quote", created), created)
        try:
            return log.add(entry)
        except IdTaken:
            continue
    raise StoreError("could not find an unused id for the entry; try again")
