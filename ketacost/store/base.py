"""What every quote log offers, whatever keeps it (docs/quote-log.md).

The rest of ketacost talks to a :class:`QuoteLog` only; an SQLite file
(:mod:`ketacost.store.sqlite`) or a PostgreSQL database (:mod:`ketacost.store.postgres`)
keeps it. Another storage implements the same methods with the
same promises: entries only added, the hash chain of :mod:`ketacost.store.chain` (the
same text hashed the same way, so a log can be copied between them) and verification; a
backup of either is :func:`ketacost.store.backup.backup_log`'s.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any, Self

from ketacost.entries import DamagedEntry, Entry, Kind, Unreadable, new_id, normalize_id
from ketacost.store.audit import (
    KEYING_LOST,
    Keying,
    Verification,
    Witness,
    mac_flaw,
    witness_text,
)
from ketacost.store.chain import HASHED_COLUMNS, entry_sha256, flaw
from ketacost.store.errors import IdTaken, StoreError
from ketacost.store.key import ClinicKey, no_key_line
from ketacost.store.rows import read_entry

ID_ATTEMPTS = 20
"""New ids drawn for one entry before saving it is given up (each is six random letters
and digits a day: two the same are rare)."""

REFUSED = (
    "the log refused the save: the entry is not in it after saving (something in the "
    "database drops or changes saves; 'ketacost quotes verify' names it); nothing was saved"
)


def stored_as_sent(row: tuple[Any, ...] | None, sha256: str) -> bool:
    """Whether the row a save reads back (the hashed columns, key_id, origin, both
    hashes) is the entry it sent: there, unchanged, with the hash it was given."""
    if row is None:
        return False
    *values, key_id, origin, prev_sha256, stored_sha256 = row
    data = {**dict(zip(HASHED_COLUMNS, values, strict=True)), "key_id": key_id, "origin": origin}
    return bool(stored_sha256 == sha256 == entry_sha256(data, prev_sha256))


class QuoteLog(AbstractContextManager["QuoteLog"], ABC):
    """An open quote log, opened by its target with
    :func:`~ketacost.store.opening.open_quote_log`, ideally in a ``with`` block."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.notes: list[str] = []
        """One-line notices from opening it (e.g. permissions tightened), for the user."""
        self.key: ClinicKey | None = None
        """This desk's clinic key, if it holds one (:mod:`ketacost.store.key`)."""
        self.keying: Keying | None = None
        """Where the log was keyed, as its history says (None: not keyed)."""
        self.keying_lost = False
        """The log's schema is keyed but its history's keying line is gone: no save."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def add(self, entry: Entry) -> Entry:
        """Save a new entry, chained to the last; returns it as stored (with its hashes).
        :class:`~ketacost.store.errors.IdTaken` when its id is in the log already (draw
        another id and try again)."""

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id (any case), or None; ``flaw`` says if it fails the
        chain. :class:`~ketacost.entries.DamagedEntry` when it cannot be read."""
        row = self._row(normalize_id(entry_id))
        if row is None:
            return None
        entry = self._entry(row)
        if isinstance(entry, Unreadable):
            raise DamagedEntry(entry.id, entry.reason)
        return entry

    @abstractmethod
    def _row(self, entry_id: str) -> tuple[Any, ...] | None:
        """The stored row of the entry with this (normalized) id, or None."""

    @abstractmethod
    def _select(self) -> str:
        """``SELECT seq, <the hashed columns>, key_id, mac, origin, prev_sha256, sha256, <the
        previous entry's sha256> FROM <the entries> e``, for a WHERE, ORDER BY and LIMIT
        to follow."""

    @abstractmethod
    def head(self) -> tuple[int, str] | None:
        """The log's head now: how many entries it holds and the last one's hash (None
        when it is empty), as a page witnesses it."""

    def witness(self) -> str | None:
        """The log's head now as a page prints it (``12:0123456789abcdef``; None: empty)."""
        head = self.head()
        return None if head is None else witness_text(*head)

    def add_new(self, make: Callable[[str, datetime], Entry], kind: Kind) -> Entry:
        """Save the entry ``make(id, created)`` builds, under a new id of its ``kind``
        (drawn again in the rare case the log holds it already); StoreError when no unused
        id is found."""
        created = datetime.now(UTC).replace(microsecond=0)
        for _ in range(ID_ATTEMPTS):
            try:
                return self.add(make(new_id(kind, created), created))
            except IdTaken:
                continue
        raise StoreError("could not find an unused id for the entry; try again")

    def _keyed(self) -> tuple[str | None, ClinicKey | None]:
        """The key a new entry is saved under (its id, the key): none before the log is
        keyed; this desk's key once it is, refused when the desk does not hold it."""
        if self.keying is None and self.keying_lost:
            raise StoreError(f"{KEYING_LOST}; nothing was saved")
        if self.keying is None:
            return None, None
        if self.key is None or self.key.id != self.keying.key_id:
            raise StoreError(no_key_line(self.keying.key_id))
        return self.key.id, self.key

    def check_saving(self) -> None:
        """Refuse, saying what to do, when this desk could not save to the log (it does
        not hold the log's key, or the log's keying line was removed)."""
        self._keyed()

    @abstractmethod
    def _rows(self, sql: str, args: list[object]) -> Iterator[tuple[Any, ...]]:
        """The rows of a query, a few at a time (memory stays flat)."""

    PLACEHOLDER = "?"
    """How the storage's SQL marks a parameter."""
    TABLE = "entries"
    """The table of entries, as the storage's SQL names it."""
    LIKE = "LIKE"
    """Its LIKE that ignores case (SQLite's does, for ASCII letters)."""

    @property
    @abstractmethod
    def keyed_schema(self) -> bool:
        """Whether the log has the clinic key's columns and a hashed history."""

    def _check_saved(self, conn: Any, sha256: str) -> None:
        """Read back the entry just saved, on ``conn`` inside the saving transaction: it
        must be the last, unchanged, with the hash it was given; otherwise (a trigger or
        rule dropped or changed it) :data:`REFUSED`, and the transaction rolls back."""
        keyed = "key_id, origin" if self.keyed_schema else "NULL, NULL"
        found = conn.execute(
            f"SELECT {', '.join(HASHED_COLUMNS)}, {keyed}, prev_sha256, sha256 FROM {self.TABLE} "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if not stored_as_sent(found, sha256):
            raise StoreError(REFUSED)

    @property
    def chained(self) -> bool:
        """Whether the log keeps the hash chain (a 0.1.0 SQLite log does not, yet)."""
        return True

    def _entry(self, row: tuple[Any, ...]) -> Entry | Unreadable:
        """A stored row as an entry, its chain checked, or why it cannot be read."""
        seq, *values, key_id, mac, origin, prev_sha256, sha256, before = row
        stored = dict(zip(HASHED_COLUMNS, values, strict=True))
        name = stored["id"] if isinstance(stored["id"], str) else f"#{seq}"
        problem = None
        if self.chained:
            keyed = {**stored, "key_id": key_id, "mac": mac, "origin": origin, "sha256": sha256}
            problem = flaw(keyed, prev_sha256, sha256, before)
            problem = problem or mac_flaw(keyed, seq, self.key, self.keying)
        entry = read_entry(name, stored, prev_sha256, sha256, problem)
        return replace(entry, number=seq) if isinstance(entry, Entry) else entry

    def entries(
        self,
        *,
        patient: str | None = None,
        since: date | None = None,
        limit: int | None = None,
        newest_first: bool = True,
        replaces: str | None = None,
        damaged: Callable[[Unreadable], None] | None = None,
    ) -> Iterator[Entry]:
        """Entries whose patient name contains ``patient`` (any case), saved on or after
        local midnight of ``since``, revising ``replaces``; the newest (or oldest)
        ``limit`` of them, one at a time (memory stays flat however long the log). An
        entry that cannot be read goes to ``damaged`` and the rest follow; without it,
        :class:`~ketacost.entries.DamagedEntry` is raised."""
        mark = self.PLACEHOLDER
        conditions: list[tuple[str, object]] = []
        if patient:
            escaped = patient.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append((f"e.patient {self.LIKE} {mark} ESCAPE '\\'", f"%{escaped}%"))
        if since is not None:
            midnight = datetime.combine(since, time()).astimezone(UTC)
            conditions.append((f"e.created >= {mark}", midnight.isoformat()))
        if replaces:
            conditions.append((f"e.replaces = {mark}", normalize_id(replaces)))
        sql = self._select()
        if conditions:
            sql += " WHERE " + " AND ".join(clause for clause, _ in conditions)
        sql += f" ORDER BY e.seq {'DESC' if newest_first else 'ASC'}"
        args: list[object] = [arg for _, arg in conditions]
        if limit is not None:
            sql += f" LIMIT {mark}"
            args.append(min(limit, 2**63 - 1))
        for row in self._rows(sql, args):
            entry = self._entry(row)
            if isinstance(entry, Entry):
                yield entry
            elif damaged is None:
                raise DamagedEntry(entry.id, entry.reason)
            else:
                damaged(entry)

    @abstractmethod
    def verify(self, witnesses: Sequence[Witness] = ()) -> Verification:
        """Check every entry against the chain and the clinic key's MACs, the history, the
        triggers, the storage itself, and that the log still extends every witnessed
        head."""

    def replaced_by(self, entry_id: str) -> list[str]:
        """The ids of the entries that revise this one, oldest first."""
        found: list[str] = []
        for entry in self.entries(
            replaces=entry_id, newest_first=False, damaged=lambda bad: found.append(bad.id)
        ):
            found.append(entry.id)
        return found
