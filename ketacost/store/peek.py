"""The newest entry ids of a SQLite quote log, read without writing anything: what shell
completion offers for an entry id (docs/cli.md), never a patient's name."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from ketacost.store.location import default_path


def newest_ids(chosen: str | None, prefix: str, most: int) -> list[tuple[str, str]]:
    """Up to ``most`` entry ids of the log file ``chosen`` (None: the default one) that
    start with ``prefix`` (any case), newest first, each with the day it was saved; none
    when the log is missing or cannot be read. A missing log stays missing."""
    path = Path(chosen) if chosen else default_path()
    if not path.is_file():
        return []
    try:
        # With no desk writing, the log is read as immutable: sqlite then makes no -wal or
        # -shm file beside it (one made here would not be the owner's-only kind the log
        # keeps). While a desk writes, its -wal and -shm exist and are read as they are.
        live = all(path.with_name(path.name + end).exists() for end in ("-wal", "-shm"))
        uri = f"{path.resolve().as_uri()}?{'mode=ro' if live else 'immutable=1'}"
        with closing(sqlite3.connect(uri, uri=True, timeout=0.5)) as conn:
            rows = conn.execute(
                "SELECT id, substr(created, 1, 10) FROM entries WHERE id LIKE ? ESCAPE '\\' "
                "ORDER BY seq DESC LIMIT ?",
                (_like_prefix(prefix.upper()), most),
            ).fetchall()
    except (sqlite3.Error, OSError, ValueError):
        return []
    return [(str(entry), str(day)) for entry, day in rows]


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "%"
