"""The hash chain that makes the quote log tamper-evident (docs/quote-log.md, "Hash chain").

Each entry stores ``sha256``: the SHA-256 of a canonical JSON text of its stored columns
and of ``prev_sha256``, the previous entry's ``sha256`` (:data:`GENESIS` for the first).
Changing, removing or inserting an entry anywhere but at the end breaks the chain. The
definition is the backend's contract: every storage keeps the columns as the same text.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from ketacost.store.errors import StoreError

GENESIS = "0" * 64
"""The ``prev_sha256`` of the first entry."""

HASHED_COLUMNS = (
    "id",
    "created",
    "kind",
    "prepared_by",
    "patient",
    "dob",
    "replaces",
    "inputs",
    "sheet_name",
    "sheet_sha256",
    "version",
    "result",
    "html",
)
"""The stored columns an entry's hash covers, each as stored (``inputs`` and ``result``
are JSON text; a missing value is null)."""

KEYED_COLUMNS = ("key_id", "origin")
"""Columns hashed only when set (so entries saved before them keep their hash): the id
of the clinic key an entry's MAC is under, and, for an entry merged in from another log,
where it came from (its original hashes, as JSON)."""

Stored = str | int | float | bytes | None


def _value(value: Stored) -> str | int | float | dict[str, str] | None:
    if isinstance(value, bytes):  # only a hand-made row holds a blob
        return {"blob": value.hex()}
    return value


def canonical(row: Mapping[str, Stored], prev_sha256: str) -> bytes:
    """The bytes hashed: a JSON object of the hashed columns and ``prev_sha256``, keys
    sorted, no spaces (separators ``,`` and ``:``), text as UTF-8 (not ``\\u`` escapes).
    An entry saved since the log was keyed also has ``key_id``, the id of the clinic key
    its MAC is under (so the chain itself records where keying began); one merged in
    from another log has ``origin``."""
    data = {column: _value(row[column]) for column in HASHED_COLUMNS}
    data["prev_sha256"] = prev_sha256
    for column in KEYED_COLUMNS:
        if row.get(column) is not None:
            data[column] = _value(row[column])
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8", "surrogateescape")  # text that was not UTF-8: its own bytes


def entry_sha256(row: Mapping[str, Stored], prev_sha256: str) -> str:
    """An entry's hash, as lowercase hex."""
    return hashlib.sha256(canonical(row, prev_sha256)).hexdigest()


def flaw(
    row: Mapping[str, Stored], prev_sha256: object, sha256: object, before: object
) -> str | None:
    """What is wrong with one stored entry, or None: its hash must be that of its content,
    and its ``prev_sha256`` the hash of the entry before it (``before``; None for the
    first entry)."""
    if not isinstance(sha256, str) or not isinstance(prev_sha256, str):
        return "it has no hash"
    if entry_sha256(row, prev_sha256) != sha256:
        return "its content does not match its hash (changed after it was saved)"
    if prev_sha256 != (GENESIS if before is None else before):
        return "the chain is broken before it (an entry was removed or changed)"
    return None


HISTORY_COLUMNS = ("version", "applied", "ketacost", "note", "key_id", "keyed_after")
"""The columns of a line of the log's history that its hash covers (schema 3 on)."""


def history_sha256(line: Mapping[str, Stored], prev_sha256: str) -> str:
    """A history line's hash: as an entry's, over :data:`HISTORY_COLUMNS` and
    ``prev_sha256``, so the migrations a log went through cannot be rewritten unseen."""
    data = {column: _value(line.get(column)) for column in HISTORY_COLUMNS}
    data["prev_sha256"] = prev_sha256
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def check_stored(found: Any, count: int, last: tuple[Any, ...] | None) -> None:
    """After a copy's inserts, before they are committed: the target holds as many more
    entries as were sent, the last exactly as sent; else nothing is copied."""
    if last is None:
        return
    if tuple(found) != (count, " ".join(last)):
        raise StoreError(
            "the log refused the copy: the entries are not stored as sent (something in "
            "the database drops or changes them; on PostgreSQL only the log's owner may "
            "copy entries in with their own times); nothing was copied"
        )
