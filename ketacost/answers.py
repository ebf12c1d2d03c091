"""Answers typed to the wizard, read the way a person writes them: ``six``, ``once a
month``, ``every four weeks``, ``yes``, ``out of network``, ``tomorrow``. An answer that
cannot be read raises :class:`AnswerError` with a sentence for a person (never a type
name or a range in programmer's notation). Pure: no click, no terminal."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal, TypeVar

from ketacost.money import MoneyError, parse_money, parse_percent
from ketacost.parse import ParseError, parse_date, parse_finance, parse_person
from ketacost.paying.financing import MAX_MONTHS, FinanceTerms
from ketacost.schedule.sessions import Maintenance, ScheduleError, parse_maintenance

T = TypeVar("T")


class AnswerError(ValueError):
    """An answer that cannot be read; its message says, in plain words, what to type."""


_ONE_TO_TWENTY = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = {word: number for number, word in enumerate(_ONE_TO_TWENTY.split(" "))}
NUMBER_WORDS |= {"once": 1, "thirty": 30, "forty": 40, "fifty": 50}


def _words(text: str) -> str:
    """Lower case, single spaces, hyphens as spaces, number words as digits."""
    words = text.strip().lower().replace("-", " ").split()
    return " ".join(str(NUMBER_WORDS.get(w, w)) for w in words)


def parse_number(text: str, low: int, high: int, what: str, example: int) -> int:
    """A whole number from ``low`` to ``high``, in digits or words (``6``, ``six``,
    ``6 sessions``)."""
    match = re.fullmatch(r"(\d{1,6})(?: [a-z ]+)?", _words(text))
    if match is None or not low <= int(match.group(1)) <= high:
        raise AnswerError(
            f"Please answer with a number of {what} from {low} to {high}, like {example}."
        )
    return int(match.group(1))


YES = {"y", "yes", "yeah", "yep", "sure", "ok", "okay", "true", "1"}
NO = {"n", "no", "nope", "not", "none", "false", "0"}


def parse_yes_no(text: str) -> bool:
    cleaned = text.strip().lower().rstrip(".!")
    if cleaned in YES:
        return True
    if cleaned in NO:
        return False
    raise AnswerError("Please answer yes or no (y or n).")


def parse_start(text: str, today: date) -> date:
    """The first session's date: ``today``, ``tomorrow`` or ``2027-01-04``."""
    cleaned = text.strip().lower()
    if cleaned in ("today", "now"):
        return today
    if cleaned == "tomorrow":
        return today + timedelta(days=1)
    try:
        return parse_date(cleaned)
    except ParseError:
        raise AnswerError(
            "Please give the date as year-month-day, like 2027-01-04, or say today."
        ) from None


# Ways of saying a booster plan, to the forms parse_maintenance reads.
_PHRASES: tuple[tuple[str, str], ...] = (
    (r"^(no|none|no boosters?|nothing|never|not now|no thanks?)$", "none"),
    (r"^(a|per|each|every) month$|^monthly$", "monthly"),
    (r"^(a|per|each|every) week$|^weekly$", "weekly"),
    (r"^every other week$|^fortnightly$|^2 (a|per) month$|^twice (a|per) month$", "2w"),
    (r"^every other month$|^bimonthly$", "2m"),
    (r"^quarterly$|^(a|per|each|every) quarter$", "3m"),
)


def plan_text(text: str) -> str:
    """``once a month`` -> ``monthly``; ``once every four weeks`` -> ``every 4 weeks``."""
    cleaned = re.sub(r"^boosters? ", "", _words(text).strip(" ."))
    cleaned = re.sub(r"^1 (?=(a|every|per|each) )", "", cleaned)  # "once a month"
    for pattern, plan in _PHRASES:
        if re.search(pattern, cleaned):
            return plan
    return cleaned


def parse_plan(text: str, plans: Mapping[str, Maintenance]) -> Maintenance:
    """A booster plan as a person says it, or a plan of the price sheet by its name."""
    key = " ".join(text.strip().lower().split())
    if key in plans:
        return plans[key]
    try:
        return parse_maintenance(plan_text(text), plans)
    except ScheduleError:
        own = f", or one of this clinic's plans: {', '.join(plans)}" if plans else ""
        raise AnswerError(
            f'Please answer none, monthly or "every 4 weeks" (any number of weeks or months){own}.'
        ) from None


def parse_network(text: str) -> Literal["in", "out"]:
    cleaned = _words(text).replace(" of ", " ").replace("network", "").strip()
    if cleaned in ("in", "inn", "i"):
        return "in"
    if cleaned in ("out", "oon", "o"):
        return "out"
    raise AnswerError("Please answer in (in network) or out (out of network).")


def parse_amount(text: str) -> Decimal:
    try:
        return parse_money(text)
    except MoneyError:
        raise AnswerError(
            "Please give an amount in dollars, like 1500 or $1,500.00 (0 if none)."
        ) from None


def parse_percent_answer(text: str, what: str) -> Decimal:
    try:
        return parse_percent(text)
    except MoneyError as error:
        raise AnswerError(f"Please give {what} as a percent, like 20 or 20% ({error}).") from None


def optional(parse: Callable[[str], T]) -> Callable[[str], T | None]:
    """``none``, ``no`` or nothing for none; else ``parse``."""

    def read(text: str) -> T | None:
        if text.strip().lower() in ("", "none", "no", "n", "nothing", "0 months"):
            return None
        return parse(text)

    return read


def parse_payment_plan(text: str) -> FinanceTerms:
    try:
        return parse_finance(_words(text).replace(" months", "").replace(" at ", "@"))
    except ParseError:
        raise AnswerError(
            "Please give the number of months, like 12, or months@APR, like 24@17.99 "
            f"(1 to {MAX_MONTHS} months), or none."
        ) from None


def parse_name(text: str) -> str | None:
    """A name, or nothing (Enter) to leave it out. Never repeats what was typed."""
    if not text.strip():
        return None
    try:
        return parse_person(text)
    except ParseError as error:
        raise AnswerError(
            f"That name {error}; type it again, or press Enter to leave it out."
        ) from None
