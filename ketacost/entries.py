"""What the quote log holds: entries (a quote or a Good Faith Estimate, exactly as given),
their ids, and how an entry is named for people (docs/quote-log.md).

Pure data: storing entries is :mod:`ketacost.store`'s job.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from ketacost.gfe.timing import Duty, duty_data
from ketacost.report.model import Report
from ketacost.report.to_data import from_data, to_data
from ketacost.sheet.model import Clinic

Kind = Literal["quote", "gfe", "superbill", "claim"]
PREFIXES: dict[Kind, str] = {"quote": "Q", "gfe": "G", "superbill": "S", "claim": "C"}
KIND_NAMES: dict[Kind, str] = {
    "quote": "Quote",
    "gfe": "Good Faith Estimate",
    "superbill": "Superbill",
    "claim": "Claim payment",
}
ESTIMATES: tuple[Kind, ...] = ("quote", "gfe")
"""The kinds whose saved result is an estimate (a report); a superbill and a claim
payment hold their own record (docs/superbill.md)."""
ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base 32: no I, L, O or U


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One saved quote or Good Faith Estimate, exactly as given: ``created`` is UTC ISO
    8601; ``result`` the report's JSON (:mod:`ketacost.report.to_data`), from which it is
    reprinted; ``html`` a Good Faith Estimate's page as issued."""

    id: str
    created: str
    kind: Kind
    prepared_by: str | None
    patient: str | None
    dob: str | None
    replaces: str | None
    inputs: dict[str, Any]
    sheet_name: str
    sheet_sha256: str
    version: str
    result: dict[str, Any]
    html: str | None = None
    sha256: str | None = field(default=None, compare=False, repr=False)
    """The entry's hash in the log's chain (:mod:`ketacost.store.chain`), once stored."""
    prev_sha256: str | None = field(default=None, compare=False, repr=False)
    flaw: str | None = field(default=None, compare=False)
    """Set when read back: why the entry fails the log's hash chain (None: it passes, or
    the log is not chained yet)."""
    number: int | None = field(default=None, compare=False, repr=False)
    """Its place in the log (1 for the first entry), once stored."""

    @property
    def desk(self) -> str | None:
        """The location or front desk that gave it, if recorded: kept in the saved
        ``result`` (so the hash chain covers it and no schema changes), None for entries
        saved without one or before desks existed."""
        desk = self.result.get("desk")
        return desk if isinstance(desk, str) and desk else None

    @property
    def clinic(self) -> Clinic | None:
        """The clinic whose letterhead the quote's page carried (name, address, phone),
        kept in the saved ``result`` as ``clinic`` like the desk; None for entries saved
        on a sheet with no clinic, or before the clinic was kept."""
        kept = self.result.get("clinic")
        if not isinstance(kept, dict) or not isinstance(kept.get("name"), str):
            return None
        name, address, phone = (kept.get(k) for k in CLINIC_FIELDS)
        return Clinic(
            name=str(name),
            address=address if isinstance(address, str) else "",
            phone=phone if isinstance(phone, str) else "",
        )

    def report(self) -> Report:
        """The estimate as it was quoted; :class:`DamagedEntry` when the saved result is
        not a report any more (changed outside ketacost)."""
        try:
            return from_data(self.result)
        except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError) as error:
            raise DamagedEntry(self.id, "its saved result is not a readable estimate") from error


CLINIC_FIELDS = ("name", "address", "phone")
"""What a quote keeps of its clinic: what its page's letterhead shows."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Unreadable:
    """An entry the log holds but cannot give back (its stored text is damaged); every
    other entry is still read."""

    id: str
    reason: str


class DamagedEntry(ValueError):
    """One entry cannot be read; the message names it and why, and says what to do."""

    def __init__(self, entry_id: str, reason: str) -> None:
        super().__init__(damaged_line(entry_id, reason))
        self.id = entry_id
        self.reason = reason


def damaged_line(entry_id: str, reason: str) -> str:
    """One line for a person: which entry, why, and what to do."""
    return f"entry {entry_id} cannot be read ({reason}); a backup of the log holds it as saved"


def new_id(kind: Kind, when: datetime) -> str:
    """``Q-20261123-7K3M9P``: kind, the local date, six random letters and digits."""
    tail = "".join(secrets.choice(ID_ALPHABET) for _ in range(6))
    return f"{PREFIXES[kind]}-{when.astimezone():%Y%m%d}-{tail}"


def normalize_id(text: str) -> str:
    return text.strip().upper()


def local_time(created: str) -> str:
    """A saved UTC time, as the desk's local ``YYYY-MM-DD HH:MM``."""
    return f"{datetime.fromisoformat(created).astimezone():%Y-%m-%d %H:%M}"


def heading(entry: Entry, replaced_by: tuple[str, ...] = ()) -> str:
    """``Quote Q-20261123-7K3M9P, saved 2026-11-23 10:15; patient ...``: one line."""
    parts = [f"{KIND_NAMES[entry.kind]} {entry.id}, saved {local_time(entry.created)}"]
    if entry.patient:
        parts.append(f"patient {entry.patient}")
    if entry.dob:
        parts.append(f"born {entry.dob}")
    if entry.prepared_by:
        parts.append(f"prepared by {entry.prepared_by}")
    if entry.replaces:
        parts.append(f"replaces {entry.replaces}")
    if replaced_by:
        parts.append(f"REPLACED BY {', '.join(replaced_by)}")
    return "; ".join(parts)


def entry_data(entry: Entry, *, with_html: bool = False) -> dict[str, Any]:
    """An entry as JSON-ready data: who and when first, then the estimate as quoted."""
    data = {
        "id": entry.id,
        "kind": entry.kind,
        "created": entry.created,
        "prepared_by": entry.prepared_by,
        **({"desk": entry.desk} if entry.desk else {}),
        "patient": entry.patient,
        "dob": entry.dob,
        "replaces": entry.replaces,
        **entry.result,
    }
    if with_html and entry.html is not None:
        data["html"] = entry.html
    return data


def new_entry(
    kind: Kind,
    result: dict[str, Any],
    *,
    entry_id: str,
    created: datetime,
    patient: str | None = None,
    dob: str | None = None,
    prepared_by: str | None = None,
    replaces: str | None = None,
    html: str | None = None,
    desk: str | None = None,
    clinic: Clinic | None = None,
) -> Entry:
    """A new entry for a report's JSON (``result``), made at ``created`` (UTC); ``desk``
    is kept in the result as ``desk``, and a named ``clinic`` (its letterhead) as
    ``clinic``."""
    sheet = result["sheet"]
    if desk:
        result = {**result, "desk": desk}
    if clinic is not None and clinic.name:
        result = {**result, "clinic": {k: getattr(clinic, k) for k in CLINIC_FIELDS}}
    return Entry(
        id=entry_id,
        created=created.isoformat(),
        kind=kind,
        prepared_by=prepared_by,
        patient=patient,
        dob=dob,
        replaces=None if replaces is None else normalize_id(replaces),
        inputs=result["inputs"],
        sheet_name=sheet["name"],
        sheet_sha256=sheet["sha256"],
        version=result["ketacost"],
        result=result,
        html=html,
    )


def quote_maker(
    report: Report,
    duty: Duty | None,
    clinic: Clinic,
    *,
    patient: str | None = None,
    dob: date | None = None,
    prepared_by: str | None = None,
    replaces: str | None = None,
    desk: str | None = None,
) -> Callable[[str, datetime], Entry]:
    """How a quote's entry is made once the log gives it an id and a time: the report's
    JSON with the Good Faith Estimate duty it creates (``duty``, if any) and the clinic's
    letterhead. Every face that saves a quote (the command, the wizard, the web desk)
    saves it so."""
    result = to_data(report)
    if duty is not None:
        result["duty"] = duty_data(duty)

    def make(entry_id: str, created: datetime) -> Entry:
        return new_entry(
            "quote",
            result,
            entry_id=entry_id,
            created=created,
            patient=patient,
            dob=None if dob is None else dob.isoformat(),
            prepared_by=prepared_by,
            replaces=replaces,
            desk=desk,
            clinic=clinic,
        )

    return make
