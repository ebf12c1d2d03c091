"""Checking a whole log, whatever keeps it (docs/quote-log.md, "What verify checks"): the
plain hash chain, the clinic key's MACs from where the log was keyed, times that never go
back, the hashed history of its migrations, and heads witnessed outside the log (printed
on a patient's page, or kept in a checkpoint file) that the log must still extend.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from ketacost.entries import Unreadable
from ketacost.store.chain import GENESIS, HASHED_COLUMNS, entry_sha256, flaw, history_sha256
from ketacost.store.key import ENV, ClinicKey, key_path
from ketacost.store.rows import read_entry

SHORT = 16
"""Hex digits of a hash printed as a witness: 64 bits, beyond any forger's search."""


class Verification(NamedTuple):
    """What checking a whole log found: how many entries, every problem (one line each,
    naming the entry or the trigger), and the hash of its last entry (the chain's head)."""

    entries: int
    problems: list[str]
    head: str | None

    @property
    def intact(self) -> bool:
        return not self.problems


KEY_HINT = "copy the clinic's key file to {path} (readable by you only) or name it in " + ENV
"""What a desk without the log's key does."""


class Witness(NamedTuple):
    """A head seen outside the log: entry ``number`` had a hash starting ``prefix``."""

    number: int
    prefix: str

    def __str__(self) -> str:
        return f"{self.number}:{self.prefix}"


_WITNESS = re.compile(r"(\d{1,12}):([0-9a-fA-F]{16,64})")


def parse_witness(text: str) -> Witness:
    """``N:HASH`` (HASH: 16 to 64 hex digits of entry N's hash); ValueError otherwise."""
    found = _WITNESS.fullmatch(text.strip().removesuffix("."))  # as a footer prints it
    if not found or int(found[1]) < 1:
        raise ValueError("a witness is N:HASH, an entry number and 16 to 64 hex digits of its hash")
    return Witness(int(found[1]), found[2].lower())


def witness_text(number: int, sha256: str) -> str:
    """How a head is printed: ``12:0123456789abcdef``."""
    return f"{number}:{sha256[:SHORT]}"


class Keying(NamedTuple):
    """Where the log was keyed: entries after the first ``after`` carry a MAC under
    the clinic key ``key_id``."""

    key_id: str
    after: int


def mac_flaw(
    row: Mapping[str, Any], position: int, key: ClinicKey | None, keying: Keying | None
) -> str | None:
    """What is wrong with an entry's MAC, or None (also when it cannot be checked here:
    :class:`Audit` says so once)."""
    key_id = row.get("key_id")
    if keying is None:
        return "it is keyed but the log's history has no keying record" if key_id else None
    if position <= keying.after and key_id is None:
        return None
    if key_id is None:
        return (
            "it carries no MAC though the log is keyed (added or rewritten by someone "
            "without the clinic key)"
        )
    if key_id != keying.key_id:
        return f"its MAC is under another clinic key ({key_id}), not the log's"
    if key is None or key.id != keying.key_id:
        return None
    if not key.checks(str(row.get("sha256")), row.get("mac")):
        return (
            "its MAC does not match (changed, slipped in or reordered by someone without "
            "the clinic key)"
        )
    return None


KEYING_LOST = (
    "the history's keying line (where the log was keyed) was removed: the entries' MACs "
    "cannot be checked and any entry may be forged; restore the log from a backup"
)
"""A keyed log always has its keying line; without it the log would pass for one never
keyed, and a desk would save to it without MACs from then on."""


def history_check(
    lines: Iterable[Mapping[str, Any]], key: ClinicKey | None, *, keyed: bool = False
) -> tuple[list[str], Keying | None]:
    """The problems of a hashed history (schema 3 on), and where it says the log was
    keyed. ``keyed``: the log's schema is one that was keyed, so a keying line must be
    there (:data:`KEYING_LOST` otherwise)."""
    problems: list[str] = []
    keying: Keying | None = None
    prev = GENESIS
    lines = list(lines)  # a few lines: one per migration
    keyed_with = {line.get("key_id") for line in lines} - {None}
    if key is not None and key.id not in keyed_with:
        key = None  # not the log's key (Audit says so once)
    hashed = False
    for line in lines:
        name = f"history line {line.get('version')}"
        sha256 = line.get("sha256")
        expected = history_sha256(line, prev)
        if sha256 is None and not hashed:  # written before the history was hashed
            prev = expected
            continue
        hashed = True
        if line.get("prev_sha256") != prev or expected != sha256:
            problems.append(f"{name}: it does not match its hash (the history was changed)")
        elif key is not None and not key.checks(expected, line.get("mac")):
            problems.append(f"{name}: its MAC does not match (the history was changed)")
        if line.get("key_id") is not None:
            keying = Keying(str(line["key_id"]), int(line.get("keyed_after") or 0))
        prev = expected
    if keyed and keying is None:
        problems.append(KEYING_LOST)
    return problems, keying


def original_sha256(stored: Mapping[str, Any], origin: object, before: str | None) -> str | None:
    """The hash a merged entry had in the log it was copied from, when its ``origin``
    gives it, that hash recomputes from the entry's content, and it extends ``before``
    (the original hash of the entry before it; :data:`GENESIS` for the first); else None.

    A log copied whole into a new one (its entries merged: written before keying, say)
    keeps so the chain its pages and checkpoints witnessed: a forger cannot change an
    entry's content without changing every original hash from it on."""
    if before is None or not isinstance(origin, str):
        return None
    try:
        found = json.loads(origin)
    except ValueError:
        return None
    if not isinstance(found, dict) or found.get("prev_sha256") != before:
        return None
    sha256, key_id = found.get("sha256"), found.get("key_id")
    if not isinstance(sha256, str) or not isinstance(key_id, str | None):
        return None
    content = {column: stored[column] for column in HASHED_COLUMNS}
    return sha256 if entry_sha256({**content, "key_id": key_id}, before) == sha256 else None


class Audit:
    """Feed it every entry, oldest first (:meth:`entry`), then :meth:`finish`."""

    def __init__(
        self,
        key: ClinicKey | None,
        keying: Keying | None,
        witnesses: Sequence[Witness] = (),
        problems: Sequence[str] = (),
    ) -> None:
        self.key = key
        self.keying = keying
        self.witnesses: dict[int, list[Witness]] = {}
        for witness in witnesses:
            self.witnesses.setdefault(witness.number, []).append(witness)
        self.problems = list(problems)
        self.count = 0
        self.head: str | None = None
        self.last_time: datetime | None = None
        self.original: str | None = GENESIS
        """The head of the chain the entries so far had in the log they were copied from,
        while each is a merged copy whose original hash checks (None otherwise)."""

    def entry(self, row: Mapping[str, Any]) -> None:
        """One stored row: the hashed columns, ``key_id``, ``mac``, both hashes."""
        self.count += 1
        stored = {column: row[column] for column in HASHED_COLUMNS}
        name = stored["id"] if isinstance(stored["id"], str) else f"#{self.count}"
        keyed = {**stored, "key_id": row.get("key_id"), "origin": row.get("origin")}
        problem = flaw(keyed, row["prev_sha256"], row["sha256"], self.head)
        problem = problem or mac_flaw(row, self.count, self.key, self.keying)
        entry = read_entry(name, stored, row["prev_sha256"], row["sha256"], problem)
        if isinstance(entry, Unreadable):
            self.problems.append(f"{entry.id}: {entry.reason}")
        elif entry.flaw:
            self.problems.append(f"{entry.id}: {entry.flaw}")
        elif row.get("origin") is None and self._keyed(self.count):
            # (a merged entry keeps the time it was saved at; entries saved before the
            # log was keyed were not held to it, so a desk's clock may have lagged)
            when = datetime.fromisoformat(entry.created)
            when = when if when.tzinfo else when.replace(tzinfo=UTC)  # a hand-made row
            if self.last_time is not None and when < self.last_time:
                self.problems.append(
                    f"{entry.id}: its time is earlier than the entry before it (backdated)"
                )
            self.last_time = max(when, self.last_time or when)
        sha256 = row["sha256"] if isinstance(row["sha256"], str) else ""
        self.original = original_sha256(stored, row.get("origin"), self.original)
        for witness in self.witnesses.get(self.count, []):
            if not sha256.startswith(witness.prefix) and not (
                self.original and self.original.startswith(witness.prefix)
            ):
                self.problems.append(
                    f"witness {witness}: entry {self.count} now has the hash "
                    f"{sha256[:SHORT]} (the log was rewritten or replaced since that head "
                    "was witnessed)"
                )
        self.head = row["sha256"]

    def _keyed(self, position: int) -> bool:
        return self.keying is not None and position > self.keying.after

    def finish(self) -> Verification:
        for number, witness in sorted((w.number, w) for ws in self.witnesses.values() for w in ws):
            if number > self.count:
                self.problems.append(
                    f"witness {witness}: the log has only {self.count} entries (entries "
                    "were removed, or this is an older copy)"
                )
        if self.keying is not None and self.key is None:
            self.problems.append(
                f"the log is keyed (clinic key {self.keying.key_id}) but this desk holds no "
                f"clinic key, so its MACs were not checked: {KEY_HINT.format(path=key_path())}"
            )
        elif self.keying is not None and self.key is not None and self.key.id != self.keying.key_id:
            self.problems.append(
                f"the log is keyed with the clinic key {self.keying.key_id}, not this "
                f"desk's ({self.key.id}), so its MACs were not checked: "
                f"{KEY_HINT.format(path=key_path())}"
            )
        elif (
            self.keying is None
            and self.key is not None
            and self.count
            and KEYING_LOST not in self.problems
        ):
            self.problems.append(
                "the log is not keyed: none of its entries is protected by the clinic key "
                "(anyone holding it could have rewritten it); 'ketacost quotes init' keys it "
                "from now on"
            )
        return Verification(self.count, self.problems, self.head)
