"""A superbill: the itemized statement a patient sends their insurer for an
out-of-network claim (docs/superbill.md).

It lists the sessions actually given, each with the items charged that day, in the form a
claim (CMS-1500) asks for: the patient, up to 12 diagnoses with their pointers, per line
the date and place of service, the CPT/HCPCS code with its modifiers and units, the
diagnosis pointer and the charge; the rendering provider's NPI and the billing provider's
NPI, TIN, address and taxonomy; the totals. :func:`make_superbill` checks what was asked
against the saved estimate it bills (its items and their dates) and builds the
:class:`Superbill`; renderers only format it, and :mod:`ketacost.superbill.record` is what
the quote log keeps.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from ketacost.money import ZERO, cents, format_money, total
from ketacost.schedule.sessions import OPEN_WEEKDAYS, ClinicDays

MAX_DIAGNOSES = 12
"""A claim carries at most 12 diagnosis codes (CMS-1500 item 21, A to L)."""
POINTER_LETTERS = "ABCDEFGHIJKL"
MAX_POINTERS = 4
"""A service line points at up to four of them (CMS-1500 item 24E)."""
MAX_SESSIONS = 100
"""Sessions one statement may list: a series of a year of boosters fits with room."""
MOVE_DAYS = 30
"""A session given on another day than the one scheduled is billed as that session when
the two are at most this many days apart; further apart, it is a session the estimate
does not schedule (a revised GFE lists it)."""


class SuperbillError(ValueError):
    """A superbill that cannot be made. ``field`` names what is at fault (``sessions``,
    ``paid``, ``diagnoses``, ``patient``, ``codes``, ``sheet``, ``source``)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True, kw_only=True)
class BilledCode:
    """One service code of an item: its units and modifiers."""

    code: str
    units: int = 1
    modifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class SourceItem:
    """An item of the saved estimate a superbill bills: what each one is charged, its
    codes, who renders it (NPI) and the dates it falls on."""

    label: str
    codes: tuple[BilledCode, ...]
    charge: Decimal
    npi: str
    dates: tuple[date, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class BillingProvider:
    """Who bills the claim: CMS-1500 items 25 (TIN), 33 (name, address, NPI) and 33b
    (taxonomy)."""

    name: str
    npi: str
    tin: str
    address: str
    taxonomy: str
    phone: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Patient:
    """CMS-1500 items 2 (name), 3 (date of birth), 5 (address) and 1a (member id)."""

    name: str
    dob: date
    address: str = ""
    member_id: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class ServiceLine:
    """One line of item 24: a code on a date, with what it is charged. An item with
    several codes charges its whole price on its first code's line; the others show
    0.00 (included in it)."""

    day: date
    pos: str
    code: str
    modifiers: tuple[str, ...]
    units: int
    pointer: str
    charge: Decimal
    npi: str
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Superbill:
    """Everything a superbill shows, as issued."""

    id: str
    issued: date
    source: str
    """The id of the Good Faith Estimate or quote whose items it bills."""
    patient: Patient
    diagnoses: tuple[str, ...]
    billing: BillingProvider
    rendering_npi: str
    lines: tuple[ServiceLine, ...]
    sessions: tuple[date, ...]
    paid: Decimal
    replaces: str | None = None
    month: str | None = None
    """``YYYY-MM`` for a monthly statement."""
    elsewhere: tuple[str, ...] = ()
    """Items of these sessions another provider bills (their own statement lists them)."""
    moved: tuple[tuple[date, date], ...] = ()
    """Sessions given on another day than scheduled: (date given, date scheduled), by
    date given. The date given is the date of service; the items are the scheduled
    day's."""

    @property
    def scheduled(self) -> tuple[date, ...]:
        """The scheduled sessions this statement bills (a moved one at its scheduled
        date), sorted: what "billed once" counts."""
        moved = dict(self.moved)
        return tuple(sorted(moved.get(day, day) for day in self.sessions))

    @property
    def charged(self) -> Decimal:
        """What its lines charge, in all."""
        return total(line.charge for line in self.lines)

    @property
    def balance(self) -> Decimal:
        """What is charged and not yet paid."""
        return self.charged - self.paid

    @property
    def paid_in_full(self) -> bool:
        return self.balance == ZERO


def check_diagnoses(diagnoses: Sequence[str]) -> tuple[str, ...]:
    """One to 12 ICD-10 codes, each once, in the order given."""
    found = tuple(dict.fromkeys(diagnoses))
    if not found:
        raise SuperbillError(
            "a superbill needs at least one diagnosis code (ICD-10): the insurer pays only "
            "for a diagnosed condition",
            "diagnoses",
        )
    if len(found) > MAX_DIAGNOSES:
        raise SuperbillError(
            f"a claim carries at most {MAX_DIAGNOSES} diagnosis codes, not {len(found)}",
            "diagnoses",
        )
    return found


def pointer_for(diagnoses: Sequence[str]) -> str:
    """Each line points at the first diagnoses (up to four): ``A``, ``AB``, ``ABCD``."""
    return POINTER_LETTERS[: min(len(diagnoses), MAX_POINTERS)]


def check_sessions(
    sessions: Sequence[date],
    items: Sequence[SourceItem],
    source: str,
    today: date,
    moved: Sequence[tuple[date, date]] = (),
    open_days: ClinicDays = OPEN_WEEKDAYS,
) -> tuple[tuple[date, ...], dict[date, date]]:
    """The dates of service, sorted and each once, and the moved sessions among them
    (date given -> date scheduled). A session is given on the date the saved estimate
    schedules it, or ``moved`` to another: a day the clinic is open (``open_days``), at
    most :data:`MOVE_DAYS` from the date scheduled, and not a date of service of another
    session of the statement. No date of service is in the future; each scheduled
    session is billed once."""
    plain = set(sessions) | {given for given, planned in moved if given == planned}
    pairs = [(given, planned) for given, planned in moved if given != planned]
    days = tuple(sorted(plain | {given for given, _ in pairs}))
    if not days:
        raise SuperbillError("a superbill needs at least one date of service", "sessions")
    if len(days) > MAX_SESSIONS:
        raise SuperbillError(
            f"a superbill lists at most {MAX_SESSIONS} sessions, not {len(days)}", "sessions"
        )
    scheduled = {d for item in items for d in item.dates}
    for day in days:
        if day > today:
            raise SuperbillError(
                f"{day.isoformat()} is in the future: a superbill lists sessions given",
                "sessions",
            )
    for day in sorted(plain):
        if day not in scheduled:
            raise SuperbillError(
                f"{day.isoformat()} is not a session of {source} (its schedule lists the "
                "dates of service it may bill)",
                "sessions",
            )
    given_on: dict[date, date] = {}
    billed = set(plain)
    for given, planned in sorted(pairs):
        check_move(given, planned, scheduled, source, open_days)
        if given in plain:
            raise SuperbillError(
                f"{given.isoformat()} is given both as a session and as the day the session "
                f"of {planned.isoformat()} was given: a day of service is billed once",
                "sessions",
            )
        if given in given_on:
            raise SuperbillError(
                f"the sessions of {given_on[given].isoformat()} and {planned.isoformat()} "
                f"are both moved to {given.isoformat()}: each day of service is given once",
                "sessions",
            )
        if planned in billed:
            raise SuperbillError(
                f"the session of {planned.isoformat()} is billed twice in this statement",
                "sessions",
            )
        given_on[given] = planned
        billed.add(planned)
    return days, given_on


def check_move(
    given: date, planned: date, scheduled: set[date], source: str, open_days: ClinicDays
) -> None:
    """A session scheduled on ``planned`` may be billed as given on ``given``."""
    if planned not in scheduled:
        raise SuperbillError(
            f"{planned.isoformat()} is not a session of {source}: a moved session names "
            "the date its schedule lists",
            "sessions",
        )
    if not open_days.is_open(given):
        raise SuperbillError(
            f"{given.isoformat()} is not a day the clinic is open (the price sheet's open "
            "days): a session is given on a day the clinic sees patients",
            "sessions",
        )
    if abs((given - planned).days) > MOVE_DAYS:
        raise SuperbillError(
            f"{given.isoformat()} is more than {MOVE_DAYS} days from {planned.isoformat()}: "
            "a session moved further is not the one scheduled (issue a revised GFE)",
            "sessions",
        )


def month_sessions(items: Sequence[SourceItem], month: str, today: date) -> tuple[date, ...]:
    """The scheduled dates of ``month`` (``YYYY-MM``) up to today."""
    return tuple(
        sorted({d for item in items for d in item.dates if f"{d:%Y-%m}" == month and d <= today})
    )


def service_lines(
    items: Sequence[SourceItem],
    days: Sequence[date],
    pos: str,
    pointer: str,
    moved: Mapping[date, date] | None = None,
) -> tuple[ServiceLine, ...]:
    """Item 24, date by date: each item falling on the date (for a session ``moved``,
    given on the date, those of the date it was scheduled on), code by code."""
    lines: list[ServiceLine] = []
    for day in days:
        planned = (moved or {}).get(day, day)
        for item in items:
            if planned not in item.dates:
                continue
            for index, code in enumerate(item.codes):
                lines.append(
                    ServiceLine(
                        day=day,
                        pos=pos,
                        code=code.code,
                        modifiers=code.modifiers,
                        units=code.units,
                        pointer=pointer,
                        charge=cents(item.charge) if index == 0 else ZERO,
                        npi=item.npi,
                        label=item.label,
                    )
                )
    return tuple(lines)


def check_known_codes(items: Sequence[SourceItem], known: set[str]) -> None:
    """Every code billed is one the price sheet knows (its modifiers come from there)."""
    for item in items:
        for code in item.codes:
            if code.code not in known:
                raise SuperbillError(
                    f"code {code.code} of {item.label!r} is not in the price sheet: a "
                    "superbill bills the sheet's own codes (add it, or use the sheet it was "
                    "estimated on)",
                    "codes",
                )


def make_superbill(
    *,
    id: str,
    issued: date,
    source: str,
    patient: Patient,
    diagnoses: Sequence[str],
    billing: BillingProvider,
    rendering_npi: str,
    items: Sequence[SourceItem],
    sessions: Sequence[date],
    paid: Decimal,
    pos: str,
    known_codes: set[str],
    replaces: str | None = None,
    month: str | None = None,
    moved: Sequence[tuple[date, date]] = (),
    open_days: ClinicDays = OPEN_WEEKDAYS,
) -> Superbill:
    """A superbill for ``sessions`` of the saved estimate ``source`` (its ``items``), as
    of ``issued``: the items the billing provider bills, each rendered by
    ``rendering_npi`` (another provider's items are named in ``elsewhere``, for their own
    statement). A session given on another day than scheduled is in ``moved`` as
    (date given, date scheduled), the clinic open on the date given (``open_days``).
    Raises SuperbillError naming the field at fault."""
    found = check_diagnoses(diagnoses)
    days, given_on = check_sessions(sessions, items, source, issued, moved, open_days)
    planned = {given_on.get(d, d) for d in days}
    given = [i for i in items if any(d in i.dates for d in planned)]
    used = [replace(i, npi=rendering_npi) for i in given if i.npi == billing.npi]
    elsewhere = tuple(f"{i.label} (NPI {i.npi})" for i in given if i.npi != billing.npi)
    check_known_codes(used, known_codes)
    lines = service_lines(used, days, pos, pointer_for(found), given_on)
    charged = total(line.charge for line in lines)
    if paid < 0:
        raise SuperbillError("the amount paid must not be negative", "paid")
    if paid > charged:
        raise SuperbillError(
            f"the amount paid ({format_money(paid)}) is more than the sessions' charges "
            f"({format_money(charged)}): a "
            "superbill shows what was paid for these sessions only",
            "paid",
        )
    return Superbill(
        id=id,
        issued=issued,
        source=source,
        patient=patient,
        diagnoses=found,
        billing=billing,
        rendering_npi=rendering_npi,
        lines=lines,
        sessions=days,
        paid=cents(paid),
        replaces=replaces,
        month=month,
        elsewhere=elsewhere,
        moved=tuple(sorted(given_on.items())),
    )


def missing_for_superbill(billing: BillingProvider) -> list[str]:
    """What a clinic's sheet lacks for a superbill: the billing provider's items left
    blank (its phone is not one)."""
    fields = ("name", "npi", "tin", "address", "taxonomy")
    return [field for field in fields if not getattr(billing, field).strip()]
