"""Price sheets: what a clinic charges (docs/charges.md). Plain immutable data, no I/O.

Reading a sheet from TOML lives in :mod:`ketacost.sheet.load`.

The records are frozen dataclasses, read by field name (docs/index.md, "Records").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal

from ketacost.money import Money, cents, format_money, format_percent
from ketacost.schedule.phases import InductionPhase
from ketacost.schedule.sessions import NO_MAINTENANCE, WEEKDAYS, ClinicDays, Holidays, Maintenance

Scenario = Literal["low", "typical", "high"]
SCENARIOS: tuple[Scenario, ...] = ("low", "typical", "high")


class PriceRangeError(ValueError):
    """Prices out of order; ``field`` names the one at fault (``low`` or ``typical``).
    Each reader of a price says where (a sheet's line, a request's field)."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceRange:
    """A per-session price: low, typical and high (all equal for an exact price), in
    that order: ``low <= typical <= high``, or :class:`PriceRangeError`."""

    low: Money
    typical: Money
    high: Money

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise PriceRangeError(f"low {self.low} is above high {self.high}", "low")
        if not self.low <= self.typical <= self.high:
            raise PriceRangeError(
                f"typical {self.typical} is not between low {self.low} and high {self.high}",
                "typical",
            )

    @classmethod
    def exact(cls, price: Money) -> PriceRange:
        return cls(low=price, typical=price, high=price)

    @classmethod
    def between(cls, low: Money, high: Money, typical: Money | None = None) -> PriceRange:
        """A range whose typical price is the midpoint unless given."""
        middle = cents((low + high) / 2) if typical is None else typical
        return cls(low=low, typical=middle, high=high)

    @property
    def is_exact(self) -> bool:
        return self.low == self.high

    def at(self, scenario: Scenario) -> Money:
        if scenario == "typical":
            return self.typical
        if scenario == "low":
            return self.low
        if scenario == "high":
            return self.high
        raise KeyError(scenario)


@dataclass(frozen=True, slots=True, kw_only=True)
class Code:
    """A service code (CPT or HCPCS) and how many units of it one item bills: a 4-hour
    infusion is 96365 once and 96366 three times."""

    code: str
    units: int = 1
    modifiers: tuple[str, ...] = ()
    """CPT/HCPCS modifiers (two letters or digits each, at most four) a claim line for
    this code carries, as the sheet gives them (docs/superbill.md)."""

    def __str__(self) -> str:
        """``96365``, ``96366 x3``."""
        return self.code if self.units == 1 else f"{self.code} x{self.units}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Treatment:
    """A priced protocol (``depression``, ``pain``) with its aliases and defaults."""

    key: str
    label: str
    price: PriceRange
    aliases: tuple[str, ...] = ()
    induction_sessions: int = 6
    induction_weeks: int = 2
    booster_price: PriceRange | None = None
    codes: tuple[str, ...] = ()
    """The service codes, each once (what an estimate's lines show)."""
    billing: tuple[Code, ...] = ()
    """The service codes with their units (what a Good Faith Estimate lists)."""
    infusion_minutes: int | None = None
    """How long one infusion lasts, when the sheet says."""
    provider: str | None = None
    """The key of the ``[providers.KEY]`` that bills it; None: the clinic."""
    source: str = ""
    """Who published the prices, and when."""
    phases: tuple[InductionPhase, ...] = ()
    """An induction given in phases (Spravato's label); empty: the even series."""
    maintenance: Maintenance = NO_MAINTENANCE
    """The maintenance plan when none is asked for."""
    insurance: Insurance = "off-label"
    """``off-label``: insurance rarely covers it; ``usually-covered``: an approved use."""
    prior_authorization: str = ""
    """What the insurer usually asks before it covers the treatment."""
    observation_minutes: int | None = None
    """How long the patient is watched after each session, when a rule says so."""
    billing_note: str = ""
    """How payers bill it, when the codes differ by payer."""
    description: str = ""
    """What a session is, in plain words for patients (its route and what happens): the
    primary service of a Good Faith Estimate (:mod:`ketacost.sheet.service`)."""

    @property
    def usually_covered(self) -> bool:
        return self.insurance == "usually-covered"


Insurance = Literal["off-label", "usually-covered"]
INSURANCE: tuple[Insurance, ...] = ("off-label", "usually-covered")

FeePer = Literal["once", "series", "session"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Fee:
    """A charge besides the infusion: once per estimate, once per series, or per session."""

    key: str
    label: str
    amount: Money
    per: FeePer = "once"
    codes: tuple[str, ...] = ()
    optional: bool = False
    billing: tuple[Code, ...] = ()
    """The service codes with their units."""
    provider: str | None = None
    """The key of the ``[providers.KEY]`` that bills it; None: the clinic."""
    treatment: str | None = None
    """The treatment whose estimates it belongs to (KAP's therapy sessions); None: all."""

    def describe(self) -> str:
        """``$250.00 once``, ``$100.00 per series``, ``$25.00 per session``."""
        per = "once" if self.per == "once" else f"per {self.per}"
        return f"{format_money(self.amount)} {per}"


DiscountScope = Literal["induction", "maintenance", "all"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Discount:
    """Money off session prices: a rate (a fraction, 0.10 for 10%) or an amount off each
    session."""

    key: str
    label: str
    applies_to: DiscountScope = "induction"
    rate: Decimal | None = None
    amount: Money | None = None
    when: str | None = None

    def off(self, price: Money) -> Money:
        """What this discount takes off one session priced ``price`` (rounded to cents)."""
        if self.rate is not None:
            return cents(price * self.rate)
        return min(self.amount or Money(0), price)

    def applies(self, phase: str) -> bool:
        return self.applies_to in ("all", phase)

    def describe(self) -> str:
        """``10% off induction sessions``, ``$50.00 off each maintenance session``."""
        sessions = {
            "induction": "induction session",
            "maintenance": "maintenance session",
            "all": "session",
        }[self.applies_to]
        if self.rate is not None:
            scope = "every session" if self.applies_to == "all" else f"{sessions}s"
            return f"{format_percent(self.rate)} off {scope}"
        return f"{format_money(self.amount or Money(0))} off each {sessions}"


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """A named maintenance plan, e.g. a monthly membership with its own booster price."""

    key: str
    label: str
    maintenance: Maintenance
    treatment: str | None = None
    booster_price: Money | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Clinic:
    """Who provides the care (for Good Faith Estimates)."""

    name: str = ""
    npi: str = ""
    tin: str = ""
    address: str = ""
    state: str = ""
    phone: str = ""
    pos: str = "11"
    """The place of service code a superbill's lines carry (CMS's code set; 11: office)."""
    taxonomy: str = ""
    """The billing provider's taxonomy code (NUCC), which a superbill carries."""
    open_days: tuple[int, ...] = WEEKDAYS
    """The weekdays (0 = Monday) sessions may fall on."""
    closed: frozenset[date] = frozenset()
    """Dates the clinic is closed besides (``closed = [2026-12-24]``)."""
    holidays: Holidays = "US"
    """``US``: closed on US federal holidays (the default); ``none``: open on them."""

    @property
    def days(self) -> ClinicDays:
        """The days the clinic sees patients."""
        return ClinicDays(weekdays=self.open_days, closed=self.closed, holidays=self.holidays)


CLINIC_KEY = "clinic"
"""The key that names the sheet's own clinic as a provider (``provider = "clinic"``)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Provider:
    """Who provides the care a Good Faith Estimate lists: the sheet's clinic (key
    :data:`CLINIC_KEY`), or another practice of a ``[providers.KEY]`` table, e.g. a
    psychiatrist whose evaluation is billed apart from the clinic's."""

    name: str
    npi: str
    tin: str
    address: str
    state: str
    phone: str = ""
    key: str = CLINIC_KEY


@dataclass(frozen=True, slots=True, kw_only=True)
class SavingsProgram:
    """A manufacturer's savings program for commercially insured patients: the patient
    pays ``patient_pays`` per treatment, the program the rest of the patient's share of
    the session, up to ``yearly_cap`` per calendar year (docs/paying.md)."""

    key: str
    label: str
    treatment: str
    patient_pays: Money
    yearly_cap: Money
    source: str
    as_of: str
    """When the terms were read (YYYY-MM-DD): the manufacturer may change them."""
    note: str = ""
    """What the program leaves out, in the program's own terms (e.g. observation)."""
    medication: Money | None = None
    """The medication's part of one session's charge: the program pays toward the
    patient's share of that part only (its terms), not the observation visit. None: the
    session's whole charge is the medication (a sheet that bills the visit as a fee)."""


def short_hash(sha256: str) -> str:
    """How a sheet's hash is shown to people: its first 12 digits."""
    return sha256[:12]


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceSheet:
    """Everything a clinic charges, plus where it came from (name and content hash)."""

    name: str
    treatments: tuple[Treatment, ...]
    default_condition: str
    source: str = ""
    path: str = "(built-in)"
    sha256: str = ""
    clinic: Clinic = Clinic()
    fees: tuple[Fee, ...] = ()
    discounts: tuple[Discount, ...] = ()
    plans: tuple[Plan, ...] = ()
    providers: tuple[Provider, ...] = ()
    savings: tuple[SavingsProgram, ...] = ()

    @property
    def short_hash(self) -> str:
        return short_hash(self.sha256)

    def conditions(self) -> list[str]:
        """Every name a condition can be given by: keys and aliases."""
        names: list[str] = []
        for treatment in self.treatments:
            names.append(treatment.key)
            names.extend(treatment.aliases)
        return names

    def treatment(self, condition: str) -> Treatment:
        """The treatment a condition name or alias refers to (case-insensitive)."""
        wanted = condition.strip().lower()
        for treatment in self.treatments:
            if wanted == treatment.key or wanted in treatment.aliases:
                return treatment
        known = ", ".join(self.conditions())
        raise LookupError(f"unknown condition {condition!r} (known: {known})")

    def conditional_discounts(self) -> tuple[Discount, ...]:
        """The discounts with a condition (``when``): each applies only when asked for
        (the request's ``with_``), so a wizard or a form asks about each one."""
        return tuple(d for d in self.discounts if d.when)

    def savings_for(self, treatment: str) -> SavingsProgram | None:
        """The savings program for a treatment (by key), if the sheet has one."""
        return next((p for p in self.savings if p.treatment == treatment), None)

    def named_plans(self) -> dict[str, Maintenance]:
        return {plan.key: plan.maintenance for plan in self.plans}

    def plan(self, key: str | None) -> Plan | None:
        return next((p for p in self.plans if p.key == key), None)
