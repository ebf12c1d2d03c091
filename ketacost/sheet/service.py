"""What a treatment is, in plain words for patients: the route it is given by, the name of
the therapy a page is titled with, and the description of the primary service a Good
Faith Estimate gives (45 CFR 149.610(c)(2); docs/gfe.md).

A sheet's treatment may describe itself (``description``); otherwise its service codes
say how it is given: 96365/96366 bill an intravenous infusion, G2082/G2083 and J0013
(S0013 before 2026) esketamine nasal spray, 96372 an injection into a muscle. A treatment
whose codes say neither is described as a ketamine session, never as an infusion.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from ketacost.sheet.model import Treatment

Route = Literal["iv", "nasal-spray", "im"]
ROUTE_CODES: dict[Route, frozenset[str]] = {
    "iv": frozenset({"96365", "96366"}),
    "nasal-spray": frozenset({"G2082", "G2083", "J0013", "S0013"}),
    "im": frozenset({"96372"}),
}
"""The service codes that tell how a treatment is given (the first route matching wins)."""

INFUSION_THERAPY = "ketamine infusion therapy"
ROUTE_TEXT: dict[Route | None, str] = {
    "iv": "A series of intravenous (IV) infusions of ketamine.",
    "nasal-spray": (
        "Sessions of esketamine nasal spray, which you take yourself at the clinic under the "
        "supervision of a health care provider."
    ),
    "im": "A series of injections of ketamine into a muscle (intramuscular, IM) at the clinic.",
    None: "A series of ketamine treatment sessions at the clinic.",
}
RIDE_HOME = "You may not drive until the next day, so you will need a ride home after each session."


def route_of(codes: Iterable[str]) -> Route | None:
    """How a treatment billed with ``codes`` is given, or None when they do not say."""
    given = {code.upper() for code in codes}
    return next((route for route, known in ROUTE_CODES.items() if given & known), None)


def therapy_name(label: str, codes: Iterable[str]) -> str:
    """What a page is titled with: ``ketamine infusion therapy`` for an IV treatment,
    else ``ketamine treatment: LABEL`` (Spravato, IM injections, KAP)."""
    if route_of(codes) == "iv":
        return INFUSION_THERAPY
    return f"ketamine treatment: {label}"


def options_title(names: Iterable[str]) -> str:
    """The title of options side by side, from each option's :func:`therapy_name`."""
    if all(name == INFUSION_THERAPY for name in names):
        return "Ketamine infusion therapy: options side by side"
    return "Ketamine treatments: options side by side"


def service_title(treatment: Treatment) -> str:
    """The primary service's name on a Good Faith Estimate: ``Ketamine infusion therapy:
    Chronic pain``, ``Ketamine treatment: Spravato (esketamine nasal spray)``."""
    kind = (
        "Ketamine infusion therapy" if route_of(treatment.codes) == "iv" else "Ketamine treatment"
    )
    return f"{kind}: {treatment.label}"


def _duration(minutes: int) -> str:
    """``45 minutes``, ``4 hours``, ``1 hour and 30 minutes``."""
    hours, rest = divmod(minutes, 60)
    parts = [f"{hours} hour{'s' if hours != 1 else ''}"] if hours else []
    parts += [f"{rest} minute{'s' if rest != 1 else ''}"] if rest else []
    return " and ".join(parts)


def service_description(treatment: Treatment) -> str:
    """The primary service in plain language: what a session is (the sheet's
    ``description``, else from the route), how long it lasts (``infusion_minutes``), the
    observation after it (``observation_minutes``) and the ride home."""
    own = " ".join(treatment.description.split())
    if own and own[-1] not in ".!?":
        own += "."
    text = [own or ROUTE_TEXT[route_of(treatment.codes)]]
    if treatment.infusion_minutes:
        text.append(f"Each session lasts about {_duration(treatment.infusion_minutes)}.")
    if treatment.observation_minutes:
        text.append(
            "You are observed at the clinic for at least "
            f"{_duration(treatment.observation_minutes)} after each session."
        )
    else:
        text.append("Each session is followed by a period of observation at the clinic.")
    text.append(RIDE_HOME)
    return " ".join(text)
