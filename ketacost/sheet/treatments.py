"""The parts of a price sheet that tell treatments apart (docs/charges.md): where the
prices come from, an induction in phases, the default maintenance plan, whether
insurance usually covers it, the observation time, fees that belong to one treatment,
and a manufacturer's savings program (``[savings.KEY]``).

Each reader notes its problems on the :class:`~ketacost.toml.source.TomlSource` the sheet
is read from, at their lines, like the rest of :mod:`ketacost.sheet.load`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from ketacost.money import format_money
from ketacost.schedule.phases import MAX_PER_WEEK, MAX_PHASES, InductionPhase
from ketacost.schedule.sessions import NO_MAINTENANCE, Maintenance, ScheduleError, parse_maintenance
from ketacost.sheet.check import KEYS
from ketacost.sheet.model import INSURANCE, Insurance, Plan, SavingsProgram, Treatment
from ketacost.toml.source import TomlSource, did_you_mean

MAX_OBSERVATION_MINUTES = 24 * 60
MAX_DESCRIPTION = 1000
"""Longest ``description``, in characters: a few sentences about a session (the built-in
ones are under 300), not pages of a legal document."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TreatmentExtras:
    """What a ``[treatments.NAME]`` table may say besides its prices and codes: each
    field is the :class:`~ketacost.sheet.model.Treatment` field of the same name (a test checks
    it)."""

    source: str = ""
    phases: tuple[InductionPhase, ...] = ()
    maintenance: Maintenance = NO_MAINTENANCE
    insurance: Insurance = "off-label"
    prior_authorization: str = ""
    observation_minutes: int | None = None
    billing_note: str = ""
    description: str = ""


def read_phases(src: TomlSource, body: dict[str, Any], table: str) -> tuple[InductionPhase, ...]:
    """``phases = [{ weeks = 4, per_week = 2 }, { weeks = 4, per_week = 1 }]``."""
    value = src.get(body, table, "phases", list, [])
    if not value:
        return ()
    shape = f"each of 'phases' in [{table}] must look like {{ weeks = 4, per_week = 2 }}"
    if len(value) > MAX_PHASES:
        src.fail(table, "phases", f"'phases' in [{table}] has at most {MAX_PHASES} phases")
        return ()
    phases: list[InductionPhase] = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"weeks", "per_week"}:
            src.fail(table, "phases", shape)
            return ()
        weeks, per_week = item["weeks"], item["per_week"]
        if type(weeks) is not int or not 1 <= weeks <= 52:
            src.fail(table, "phases", f"weeks of a phase in [{table}] must be from 1 to 52")
            return ()
        if type(per_week) is not int or not 1 <= per_week <= MAX_PER_WEEK:
            src.fail(
                table,
                "phases",
                f"per_week of a phase in [{table}] must be from 1 to {MAX_PER_WEEK}",
            )
            return ()
        phases.append(InductionPhase(weeks=weeks, per_week=per_week))
    if set(body) & {"induction_sessions", "induction_weeks"}:
        src.fail(
            table,
            "phases",
            f"[{table}] gives 'phases' and induction_sessions/induction_weeks: give one",
        )
    return tuple(phases)


def read_maintenance(src: TomlSource, body: dict[str, Any], table: str) -> Maintenance:
    """``maintenance = "every 2 weeks"`` (or a tapering plan): the treatment's default."""
    text = src.get(body, table, "maintenance", str, None)
    if text is None:
        return NO_MAINTENANCE
    try:
        return parse_maintenance(text)
    except ScheduleError as error:
        src.fail(table, "maintenance", f"'maintenance' in [{table}]: {error}")
        return NO_MAINTENANCE


def read_extras(src: TomlSource, body: dict[str, Any], table: str) -> TreatmentExtras:
    minutes = src.optional_count(body, table, "observation_minutes", MAX_OBSERVATION_MINUTES)
    return TreatmentExtras(
        source=src.text(body, table, "source"),
        phases=read_phases(src, body, table),
        maintenance=read_maintenance(src, body, table),
        insurance=cast(Insurance, src.choice(body, table, "insurance", INSURANCE)),
        prior_authorization=src.text(body, table, "prior_authorization"),
        observation_minutes=minutes,
        billing_note=src.text(body, table, "billing_note"),
        description=read_description(src, body, table),
    )


def read_description(src: TomlSource, body: dict[str, Any], table: str) -> str:
    """``description``: plain text of at most :data:`MAX_DESCRIPTION` characters (line
    breaks and runs of spaces count as one space). A control character or a bidi override
    is refused: a Good Faith Estimate would carry it as written."""
    text = " ".join(src.text(body, table, "description").split())
    if len(text) > MAX_DESCRIPTION:
        src.fail(
            table,
            "description",
            f"'description' in [{table}] is {len(text):,} characters long: at most "
            f"{MAX_DESCRIPTION:,}",
        )
        return ""
    if not text.isprintable():
        src.fail(
            table,
            "description",
            f"'description' in [{table}] holds a control character or a bidi override",
        )
        return ""
    return text


def read_fee_treatment(src: TomlSource, body: dict[str, Any], table: str) -> str | None:
    """A fee's ``treatment``: the one treatment whose estimates it belongs to."""
    return src.text(body, table, "treatment").strip().lower() or None


def check_fee_treatments(src: TomlSource, owner: dict[str, str]) -> None:
    """Every fee's and savings program's ``treatment`` names a treatment of the sheet."""
    for group in ("fees", "savings"):
        tables = src.data.get(group)
        for key, body in (tables if isinstance(tables, dict) else {}).items():
            name = body.get("treatment") if isinstance(body, dict) else None
            if isinstance(name, str) and name.strip().lower() not in owner:
                wanted = name.strip().lower()
                src.fail(
                    f"{group}.{key}",
                    "treatment",
                    f"[{group}.{key}] names unknown treatment {wanted!r}"
                    f"{did_you_mean(wanted, owner)}",
                )


def read_savings(
    src: TomlSource, key: str, table: str, body: dict[str, Any]
) -> SavingsProgram | None:
    """``[savings.KEY]``: a manufacturer's program, its terms with a source and a date."""
    src.known_keys(body, table, KEYS["savings"])
    treatment = src.get(body, table, "treatment", str, required=True)
    pays = src.money(body, table, "patient_pays", required=True)
    cap = src.money(body, table, "yearly_cap", required=True)
    source = src.get(body, table, "source", str, required=True)
    as_of = src.get(body, table, "as_of", str, required=True)
    if as_of is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", as_of):
        src.fail(table, "as_of", f"'as_of' in [{table}] must be a date, YYYY-MM-DD")
        return None
    if treatment is None or pays is None or cap is None or source is None or as_of is None:
        return None
    return SavingsProgram(
        key=key,
        label=src.text(body, table, "label", key) or key,
        treatment=treatment.strip().lower(),
        patient_pays=pays,
        yearly_cap=cap,
        source=str(source),
        as_of=str(as_of),
        note=src.text(body, table, "note"),
        medication=src.money(body, table, "medication"),
    )


def check_medication(
    src: TomlSource,
    treatments: Sequence[Treatment],
    plans: Sequence[Plan],
    savings: Sequence[SavingsProgram],
    owner: dict[str, str],
) -> None:
    """A savings program's ``medication`` is a part of a session's charge: it may not be
    more than the least a session of its treatment is charged (its low price, its booster
    price, a plan's booster price for it), or the program would pay toward the whole visit."""
    for program in savings:
        key = owner.get(program.treatment, program.treatment)
        treatment = next((t for t in treatments if t.key == key), None)
        if program.medication is None or treatment is None:
            continue
        charges = [treatment.price.low]
        charges += [treatment.booster_price.low] if treatment.booster_price is not None else []
        charges += [
            p.booster_price
            for p in plans
            if p.booster_price is not None and owner.get(p.treatment or "") == key
        ]
        least = min(charges)
        if program.medication > least:
            src.fail(
                f"savings.{program.key}",
                "medication",
                f"'medication' in [savings.{program.key}] {format_money(program.medication)} is "
                f"more than treatment '{key}' charges a session ({format_money(least)})",
            )
