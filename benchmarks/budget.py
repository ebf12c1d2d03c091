"""ketacost's performance budget: run it, read the ratios.

    python benchmarks/budget.py            # the full budget (100,000-row batch)
    python benchmarks/budget.py --quick    # fewer runs and rows, for a smoke test

Every figure is the median of several runs of a fresh child process, measured in one
run on one machine against a reference that does the least the same job could do:

1. ``ketacost --help`` against a bare click group's ``--help``             (at most 1.2x)
2. ``ketacost estimate`` (a table) against a script that does the same job plainly
   (below)                                                                  (at most 1.3x)
   and, without a target, against importing click and rich's table alone (the old
   reference, which did not do the job)
3. ``ketacost batch`` of 100,000 varied requests against a hand-written loop that does
   the same job for them (below)                                            (at most 2x)
4. peak memory (the child's ru_maxrss) of the 100,000-row batch against the
   10,000-row batch                                                          (at most 1.2x)

The batch input is generated with a fixed seed (the 10,000-row file is the first rows
of the 100,000-row one). Each row is a request a front desk might send: any condition
or alias the built-in sheet knows (some in capitals, some blank: the default); a price
from the sheet (blank), an exact price or a low-high range, in steps of 25 cents (so
some midpoints and shares round half a cent up); 1 to 12 sessions over 1 to 4 weeks
(so some visit dates hold two sessions); maintenance none, 4w, 6w, monthly or every 2
weeks, for 1 to 12 months; a start on a weekday of 2026 or 2027 (so many schedules
cross a January 1). About 15% of the rows are self-pay, 65% in network and 20% out of
network. The plans vary the deductible (0 to $10,000; none, part or all of it met),
copay (none to $50), coinsurance (0 to 50%), out-of-pocket maximum (none, or a few
hundred to ten thousand dollars above the deductible, so that many long or costly rows
reach it; sometimes part of it met) and the allowed amount (most out-of-network rows,
below the clinic's price, so the patient is balance-billed). Some cells are blank, for
ketacost's defaults, but never a plan's deductible or coinsurance: ketacost requires both
with any insurance. Plan years start on January 1.

The estimate's reference (ESTIMATE_REFERENCE) imports click and Rich, reads the built-in
sheet's file and hashes it (tomllib, hashlib), lays out the default treatment's
induction on open days, works out the low, typical and high scenarios in Decimal (one
line per session, self-pay) and prints a Rich table of the same shape with the same
notes. It uses nothing of ketacost's. Before timing, its output and ``ketacost
estimate``'s are compared byte for byte; if they differ, the benchmark stops and
reports no ratio.

The reference loop reads the same CSV and the built-in sheet's file (with tomllib), and
for each row and each of the low, typical and high prices builds the schedule (SPEC
4.1: session k of n over w weeks on day floor(k * 7w / n); boosters from one interval
after the last induction session up to the same day-of-month M months later; each
session on a weekday that is not a US federal holiday, from the ``holidays`` library,
which ketacost's tests check its own holiday rules against) and runs
the coverage steps (SPEC 4.3: deductible, one copay per visit date, coinsurance rounded
to cents half up, the out-of-pocket maximum, accumulators reset on January 1, out of
network the share plus the balance bill), then writes the same columns. It does no
more than these rows need: no checks of the cells, only the five maintenance forms
above, no fees, discounts or named plans (it stops if the sheet has any). Before
timing, and again after, batch's output and the reference's are compared on every row
and column; if they differ, the benchmark stops and reports no ratio.

Children run with a fresh temporary HOME and XDG folders and without KETACOST_SHEET
or KETACOST_DB, so they never read the user's own price sheet, settings or quote log.
Only the standard library, the Python that has ketacost installed (with its
dependencies) and the ``holidays`` library (in ketacost's test extra) are used; the
input files are generated here; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import NamedTuple

BARE_CLICK = '''
import click

@click.group()
def cli():
    """A bare click group: the floor for any click command line."""

@cli.command()
def hello():
    """Say hello."""

cli()
'''

IMPORTS_ONLY = "import click, rich.console, rich.table"

# `ketacost estimate`'s job done plainly, for the built-in sheet's default treatment:
# click reads the command line; the sheet is read and hashed (tomllib, hashlib); the
# induction is laid out on open days (docs/schedule.md); three scenarios are worked out in
# Decimal; Rich prints a table of the same shape with the same notes. Nothing of ketacost.
ESTIMATE_REFERENCE = '''

import hashlib
import tomllib
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import click
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

CENTS = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(amount):
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def dollars(amount):
    return f"${amount:,.2f}"


def plural(count, noun):
    return f"{count} {noun}{'' if count == 1 else 's'}"


def nth(year, month, weekday, n):
    """The n-th weekday (Monday 0) of a month; n = -1, the last."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def federal_holidays(year):
    """5 U.S.C. 6103, as observed: a Saturday's on the Friday before, a Sunday's on the
    Monday after (so next year's New Year's Day may fall in this one)."""
    days = set()
    for y in (year, year + 1):
        for day in (
            date(y, 1, 1), nth(y, 1, 0, 3), nth(y, 2, 0, 3), nth(y, 5, 0, -1), date(y, 6, 19),
            date(y, 7, 4), nth(y, 9, 0, 1), nth(y, 10, 0, 2), date(y, 11, 11),
            nth(y, 11, 3, 4), date(y, 12, 25),
        ):
            days.add(day - timedelta(days=1) if day.weekday() == 5 else
                     day + timedelta(days=1) if day.weekday() == 6 else day)
    return days


def next_open(day, closed):
    while day.weekday() > 4 or day in closed:
        day += timedelta(days=1)
    return day


def on_open_days(start, offsets):
    """Monday to Friday but federal holidays: a start on a closed day moves, and the
    series counts from there; a session on a closed day moves to the next open day, and
    one whose day the session before took, to the open day after. The days, and each
    move as (planned, moved to, why)."""
    closed = federal_holidays(start.year)
    first = next_open(start, closed)
    days, moved, after = [], [], None
    for offset in offsets:
        planned = first + timedelta(days=offset)
        when, why = next_open(planned, closed), "closed"
        if after is not None and when <= after:
            when, why = next_open(after + timedelta(days=1), closed), "taken"
        if when != planned:
            moved.append((planned, when, why))
        days.append(when)
        after = when
    if first != start:
        moved.insert(0, (start, first, "closed"))
    return days, moved


def moves_text(moved):
    shown = "; ".join(f"{a:%a %Y-%m-%d} to {b:%a %Y-%m-%d}" for a, b, _ in moved[:3])
    more = f"; and {len(moved) - 3} more" if len(moved) > 3 else ""
    count = "1 session" if len(moved) == 1 else f"{len(moved)} sessions"
    return count, shown + more


def schedule_note(label, days, weeks, moved):
    text = f"Condition: {label}. {plural(len(days), 'induction session')}"
    if len(days) == 1:
        text += f" on {days[0]:%a %Y-%m-%d}"
    else:
        text += f" over {plural(weeks, 'week')} ({days[0]:%a %Y-%m-%d} to {days[-1]:%a %Y-%m-%d})"
    text += "; no maintenance sessions"
    closed = [m for m in moved if m[2] == "closed"]
    taken = [m for m in moved if m[2] == "taken"]
    parts = []
    if closed:
        count, shown = moves_text(closed)
        verb = "moves" if len(closed) == 1 else "move"
        parts.append(
            f"{count} planned for a day the clinic is closed {verb} to its next open day ({shown})"
        )
    if taken:
        count, shown = moves_text(taken)
        parts.append(f"{count} moved because the day was taken by the session before ({shown})")
    if parts:
        text += ". " + "; ".join(parts)
    return text + "."


@click.command()
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False))
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="The first session's date.")
def estimate(sheet, start):
    """An estimate of the sheet's default treatment, self-pay."""
    with open(sheet, "rb") as handle:
        data = handle.read()
    digest = hashlib.sha256(data).hexdigest()
    parsed = tomllib.loads(data.decode("utf-8"), parse_float=Decimal)
    about = parsed["sheet"]
    treatment = parsed["treatments"][about["default_condition"]]
    if "price" in treatment:
        low = typical = high = cents(Decimal(treatment["price"]))
    else:
        low, high = cents(Decimal(treatment["low"])), cents(Decimal(treatment["high"]))
        typical = cents(Decimal(treatment.get("typical", (low + high) / 2)))
    sessions, weeks = treatment["induction_sessions"], treatment["induction_weeks"]
    first = start.date() if start else date.today()
    days, moved = on_open_days(first, [k * 7 * weeks // sessions for k in range(sessions)])
    scenarios = []
    for price in (low, typical, high):
        charges = sum((cents(price) for _ in days), ZERO)  # one line per session
        insurance = ZERO  # self-pay
        scenarios.append((price, charges, charges, insurance, charges - insurance, ZERO))
    labels = [
        ("Price per session", False, False),
        (f"Induction sessions ({len(days)})", False, False),
        ("Clinic charges", True, True),
        ("Insurance pays", False, False),
        ("Out of pocket", True, True),
        ("Other costs", True, False),
    ]
    table = Table()
    table.add_column(Text(""), no_wrap=False)
    for title in ("Low", "Typical", "High"):
        table.add_column(Text(title), justify="right", no_wrap=True)
    for index, (label, section, total) in enumerate(labels):
        if section:
            table.add_section()
        table.add_row(
            Text(label),
            *(Text(dollars(figures[index])) for figures in scenarios),
            style="bold" if total else None,
        )
    caveat = ""
    if treatment.get("insurance") == "off-label":
        caveat = (
            " Self-pay: insurance rarely covers ketamine infusions (off-label); ask your insurer."
        )
    notes = [
        Text(schedule_note(treatment["label"], days, weeks, moved), style="dim"),
        Text(
            f"Prices from price sheet '{about['name']}' ({about['source']}), "
            f"sha256 {digest[:12]}.{caveat}",
            style="dim",
        ),
        Text("This is an estimate, not medical or financial advice.", style="italic"),
    ]
    title = Text("Estimated cost of ketamine infusion therapy", style="table.title")
    Console(highlight=False, emoji=False).print(Group(title, table, *notes))


estimate()
'''

# The least code that produces batch's figures for the generated rows (and only for them:
# the built-in sheet's treatments, no fees, discounts or named plans; plan years start on
# January 1; the five maintenance forms the generator writes). It reads the same sheet
# file as ketacost, and follows docs/schedule.md and docs/coverage.md step by step.
MINIMAL_LOOP = """
import csv, sys, tomllib
import holidays
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENTS, ZERO, HUNDRED = Decimal("0.01"), Decimal("0.00"), Decimal(100)
HEADER = ["id", "sessions"] + [f"{s}_{m}" for s in ("low", "typical", "high")
                               for m in ("charges", "insurance_pays", "out_of_pocket")] + ["error"]
COVERAGE = ("network", "deductible", "deductible_met", "copay", "coinsurance", "oop_max",
            "oop_met", "allowed")
EVERY_WEEKS = {"4w": 4, "6w": 6, "every 2 weeks": 2}


def cents(amount):
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)


def is_iv(body):
    # An IV infusion is billed with 96365 (the first hour of an infusion).
    return any((code if isinstance(code, str) else code["code"]) == "96365"
               for code in body.get("codes", ()))


def money(cell, default=ZERO):
    return cents(Decimal(cell)) if cell else default


def add_months(day, months):
    # The same day-of-month `months` later, or the month's last day if it is shorter.
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


HOLIDAYS = holidays.country_holidays("US")


def open_days(planned, after=None):
    # The clinic is open Monday to Friday but on US federal holidays: a planned day it is
    # closed, or one already taken by the session before, moves to the next open day.
    days = []
    for day in planned:
        day = max(day, after + timedelta(days=1)) if after is not None else day
        while day.weekday() > 4 or day in HOLIDAYS:
            day += timedelta(days=1)
        days.append(day)
        after = day
    return days


def session_days(start, sessions, weeks, maintenance, months):
    # docs/schedule.md: a start on a closed day moves to the next open day; session k of n
    # over w weeks on day floor(k * 7w / n) from it; boosters from one interval after the
    # last induction session up to the same day-of-month `months` later; every session on
    # an open day.
    start = open_days([start])[0]
    days = open_days([start + timedelta(days=k * 7 * weeks // sessions) for k in range(sessions)])
    if maintenance in ("", "none"):
        return days
    last = days[-1]
    end = add_months(last, months)
    weekly = maintenance in EVERY_WEEKS
    if not weekly and maintenance != "monthly":
        sys.exit(f"reference loop: maintenance {maintenance!r} is not one it knows")
    step = timedelta(weeks=EVERY_WEEKS.get(maintenance, 0))
    boosters, k = [], 1
    while True:
        when = last + step * k if weekly else add_months(last, k)
        if when > end:
            return days + open_days(boosters, last)
        boosters.append(when)
        k += 1


def figures(days, price, plan):
    # docs/coverage.md for one scenario: (insurance pays, the patient's net cost).
    if plan is None:
        return ZERO, price * len(days)
    out, deductible, ded_met, copay, rate, oop_max, oop_met, allowed = plan
    allowed = price if allowed is None else min(price, allowed)
    balance = price - allowed if out else ZERO
    year, visit, copay_left = days[0].year, None, copay
    plan_pays = patient = ZERO
    for day in days:
        if day.year != year:  # a plan year starts on January 1
            year, ded_met, oop_met = day.year, ZERO, ZERO
        if day != visit:  # one copay per visit date
            visit, copay_left = day, copay
        to_deductible = min(allowed, deductible - ded_met)
        rest = allowed - to_deductible
        to_copay = min(copay_left, rest)
        to_coinsurance = cents(rate * (rest - to_copay))
        if oop_max is not None:  # capped at what is left of the maximum, in that order
            room = max(oop_max - oop_met, ZERO)
            to_deductible = min(to_deductible, room)
            to_copay = min(to_copay, room - to_deductible)
            to_coinsurance = min(to_coinsurance, room - to_deductible - to_copay)
        share = to_deductible + to_copay + to_coinsurance
        ded_met += to_deductible
        oop_met += share
        copay_left -= to_copay
        plan_pays += allowed - share
        patient += share + balance
    return plan_pays, patient


with open(sys.argv[3], "rb") as handle:
    sheet = tomllib.load(handle, parse_float=Decimal)
IV = {key for key, body in sheet["treatments"].items() if is_iv(body)}
if {"discounts", "plans"} & sheet.keys() or any(
        fee.get("treatment") in (None, *IV) for fee in sheet.get("fees", {}).values()):
    sys.exit("reference loop: the sheet has fees, discounts or plans for IV infusions, which "
             "it does not price")
TREATMENTS = {}
for key, body in sheet["treatments"].items():
    if key not in IV:
        continue  # the requests ask only for IV infusions (their schedule is the plain one)
    if "booster_price" in body or "phases" in body or "maintenance" in body:
        sys.exit("reference loop: the sheet prices boosters apart, which it does not do")
    if "price" in body:
        low = typical = high = money(str(body["price"]))
    else:
        low, high = money(str(body["low"])), money(str(body["high"]))
        typical = money(str(body["typical"])) if "typical" in body else cents((low + high) / 2)
    entry = (low, typical, high, body.get("induction_sessions", 6),
             body.get("induction_weeks", 2))
    for name in (key, *body.get("aliases", ())):
        TREATMENTS[name.lower()] = entry
DEFAULT = sheet["sheet"]["default_condition"].lower()

def main(requests, quotes):
    with open(requests, newline="", encoding="utf-8-sig") as source, \\
            open(quotes, "w", newline="", encoding="utf-8") as sink:
        writer = csv.writer(sink, lineterminator="\\n")
        writer.writerow(HEADER)
        for row in csv.DictReader(source):
            low, typical, high, sessions, weeks = TREATMENTS[row["condition"].lower() or DEFAULT]
            if row["price"]:
                low = typical = high = money(row["price"])
            elif row["price_low"]:
                low, high = money(row["price_low"]), money(row["price_high"])
                typical = cents((low + high) / 2)
            days = session_days(date.fromisoformat(row["start"]), int(row["sessions"] or sessions),
                                int(row["weeks"] or weeks), row["maintenance"],
                                int(row["months"] or 12))
            plan = None  # self-pay unless a coverage cell is filled
            if any(row[column] for column in COVERAGE):
                deductible_met = money(row["deductible_met"])
                plan = (row["network"] == "out", money(row["deductible"]), deductible_met,
                        money(row["copay"]), Decimal(row["coinsurance"] or 0) / HUNDRED,
                        money(row["oop_max"], None), money(row["oop_met"], deductible_met),
                        money(row["allowed"], None))
            out = [row["id"], str(len(days))]
            for price in (low, typical, high):
                plan_pays, patient = figures(days, price, plan)
                out += [str(price * len(days)), str(plan_pays), str(patient)]
            out.append("")
            writer.writerow(out)


main(sys.argv[1], sys.argv[2])
"""

COLUMNS = [
    "id",
    "condition",
    "sessions",
    "weeks",
    "maintenance",
    "months",
    "price",
    "price_low",
    "price_high",
    "start",
    "network",
    "deductible",
    "deductible_met",
    "copay",
    "coinsurance",
    "oop_max",
    "oop_met",
    "allowed",
]
MAINTENANCE = ("none", "4w", "6w", "monthly", "every 2 weeks")
FIRST_START, START_DAYS = date(2026, 1, 5), 730


def builtin_sheet() -> Path:
    """The built-in price sheet's file, found without importing ketacost."""
    spec = importlib.util.find_spec("ketacost")
    if spec is None or spec.origin is None:
        sys.exit("ketacost is not installed for this Python")
    return Path(spec.origin).parent / "data" / "national.toml"


def sheet_conditions(sheet: Path) -> tuple[list[tuple[str, int, int]], tuple[int, int]]:
    """Every name of the sheet's IV infusion treatments (keys and aliases), each with its
    price range in whole dollars; and the default condition's range. (Spravato, IM and
    KAP follow phased schedules and treatment fees that the reference loop does not
    restate.)"""
    with sheet.open("rb") as handle:
        data = tomllib.load(handle, parse_float=Decimal)
    names: list[tuple[str, int, int]] = []
    for key, body in data["treatments"].items():
        codes = [c if isinstance(c, str) else c["code"] for c in body.get("codes", ())]
        if "96365" not in codes:
            continue  # IV infusions only: the reference loop prices their plain schedule
        low, high = (
            int(body.get("low", body.get("price"))),
            int(body.get("high", body.get("price"))),
        )
        names += [(name.lower(), low, high) for name in (key, *body.get("aliases", ()))]
    default = data["sheet"]["default_condition"].lower()
    return names, next((low, high) for name, low, high in names if name == default)


def amount(chance: random.Random, low: int, high: int) -> str:
    """A price from ``low`` to ``high`` dollars, in steps of 25 cents: ``612.75``."""
    quarters = chance.randrange(low * 4, high * 4 + 1)
    return f"{quarters // 4}.{quarters % 4 * 25:02d}"


def request_row(
    chance: random.Random,
    number: int,
    conditions: Sequence[tuple[str, int, int]],
    default_range: tuple[int, int],
    counts: Counter[str],
) -> list[object]:
    """One request as a front desk might send it: any condition the sheet knows, 1 to 12
    sessions over 1 to 4 weeks, boosters or none, self-pay or a plan in or out of network.
    Blank cells take ketacost's defaults."""
    name, low, high = chance.choice(conditions)
    condition: str = name.upper() if chance.random() < 0.1 else name
    if chance.random() < 0.05:
        condition, (low, high) = "", default_range
    price = price_low = price_high = ""
    kind = chance.random()
    if kind < 0.2:
        price = amount(chance, low, high)
    elif kind < 0.6:
        price_low = amount(chance, low, (low + high) // 2)
        price_high = amount(chance, int(Decimal(price_low)) + 1, high)
    sessions = "" if chance.random() < 0.1 else chance.randint(1, 12)
    weeks = "" if chance.random() < 0.1 else chance.randint(1, 4)
    maintenance = "" if chance.random() < 0.2 else chance.choice(MAINTENANCE)
    months: object = ""
    if maintenance not in ("", "none"):
        counts["with boosters"] += 1
        months = "" if chance.random() < 0.15 else chance.randint(1, 12)
    start = FIRST_START + timedelta(days=chance.randrange(START_DAYS))
    if start.weekday() >= 5:  # a Saturday or Sunday: the Monday after
        start += timedelta(days=7 - start.weekday())
    row: list[object] = [
        f"Q{number:06d}",
        condition,
        sessions,
        weeks,
        maintenance,
        months,
        price,
        price_low,
        price_high,
        start.isoformat(),
    ]
    kind = chance.random()
    if kind < 0.15:
        counts["self-pay"] += 1
        return [*row, *[""] * 8]
    out = kind >= 0.8
    counts["out of network" if out else "in network"] += 1
    if out:
        network = "out"
        deductible = chance.choice((1000, 2000, 3000, 5000, 10000))
        copay = chance.choice(("", 0))
        coinsurance: object = chance.choice((30, 40, 50))
        oop_max = deductible + chance.choice((2000, 5000, 10000)) if chance.random() < 0.5 else None
        allowed: object = chance.randrange(200, 900, 10) if chance.random() < 0.9 else ""
    else:
        network = chance.choice(("in", ""))
        deductible = chance.choice((0, 250, 500, 1000, 1500, 2000, 3000, 5000))
        copay = chance.choice(("", 0, 20, 25, 40, 50))
        # A plan with insurance gives both its deductible and its coinsurance (ketacost
        # refuses a plan with either blank), so neither is ever left blank here.
        coinsurance = chance.choice((0, 10, 20, 25, 30, 40))
        oop_max = (
            deductible + chance.choice((500, 1000, 2000, 4000, 6000))
            if chance.random() < 0.75
            else None
        )
        allowed = chance.randrange(300, 1500, 10) if chance.random() < 0.2 else ""
    partly = chance.randrange(50, deductible, 50) if deductible else 0
    met = chance.choice(("", 0, partly, deductible))
    oop_met: object = ""
    if oop_max is not None and chance.random() < 0.3:
        oop_met = chance.randrange(int(met or 0), oop_max + 1, 50)
    return [
        *row,
        network,
        deductible,
        met,
        copay,
        coinsurance,
        "" if oop_max is None else oop_max,
        oop_met,
        allowed,
    ]


def write_requests(path: Path, rows: int, sheet: Path, seed: int = 7) -> Counter[str]:
    """``rows`` requests, the same ones for the same seed (a smaller file is the first
    rows of a larger one); returns how many are of each kind."""
    chance = random.Random(seed)
    conditions, default_range = sheet_conditions(sheet)
    counts: Counter[str] = Counter()
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number in range(rows):
            writer.writerow(request_row(chance, number, conditions, default_range, counts))
    return counts


class Figures(NamedTuple):
    """One command's figures over several runs."""

    median: float
    """Median wall-clock seconds, start to exit: what the budget is judged on."""
    best: float
    """Fastest run: the figure least disturbed by other work on the machine."""
    rss: int
    """Median peak resident memory of the child, KiB (ru_maxrss, from wait4)."""


def child_env(folder: Path) -> dict[str, str]:
    """The environment of every child: this one, but with a fresh home and XDG folders
    under ``folder`` and no KETACOST_* variable, so that no command reads the
    user's own price sheet, configuration or quote log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETACOST_")}
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        place = folder / name.lower()
        place.mkdir()
        env[name] = str(place)
    return env


def run(command: Sequence[str], env: Mapping[str, str]) -> tuple[float, int]:
    """Wall-clock seconds and peak resident memory (KiB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    errors = child.stderr.read().decode() if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{errors}")
    return elapsed, usage.ru_maxrss


def measure(
    commands: Mapping[str, Sequence[str]],
    runs: int,
    env: Mapping[str, str],
    warmed: Callable[[], None] | None = None,
) -> dict[str, Figures]:
    """Each command's figures, runs interleaved so that any drift of the machine affects
    every command alike. ``warmed`` is called once every command has run once."""
    for command in commands.values():
        run(command, env)  # warm the file system cache
    if warmed is not None:
        warmed()
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(run(command, env))
    return {
        name: Figures(
            statistics.median(t for t, _ in values),
            min(t for t, _ in values),
            int(statistics.median(m for _, m in values)),
        )
        for name, values in samples.items()
    }


def compile_packages(names: Sequence[str]) -> None:
    """Byte-compile the packages measured, as ``pip install`` does: an editable install
    (or PYTHONDONTWRITEBYTECODE) would otherwise compile ketacost's modules from source
    on every run while click and rich load theirs from bytecode."""
    for name in names:
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", folder],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )


def ketacost_command() -> list[str]:
    """The installed ``ketacost`` script next to this Python, else ``python -m ketacost``."""
    script = Path(sys.executable).parent / "ketacost"
    if script.exists():
        return [str(script)]
    found = shutil.which("ketacost")
    return [found] if found else [sys.executable, "-m", "ketacost"]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def report(rows: Sequence[Row]) -> bool:
    """Print the checks; True when every median ratio is within its target."""
    print(f"{'check':<38} {'ketacost':>9} {'reference':>9} {'ratio':>6} {'best':>6} {'target':>6}")
    met = True
    for check, ours, theirs, ratio, best, target in rows:
        if target is None:
            print(f"{check:<38} {ours:>9} {theirs:>9} {ratio:>5.2f}x {best:>5.2f}x {'-':>6}")
            continue
        verdict = "ok" if ratio <= target else "OVER"
        met = met and ratio <= target
        print(
            f"{check:<38} {ours:>9} {theirs:>9} {ratio:>5.2f}x {best:>5.2f}x "
            f"{target:>5.1f}x  {verdict}"
        )
    return met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=21, help="runs of each start-up command (default 21)"
    )
    parser.add_argument(
        "--batch-runs", type=int, default=5, help="runs of each batch command (default 5)"
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the big batch")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke test: 5 and 3 runs, 20,000 rows"
    )
    parser.add_argument(
        "--no-batch", action="store_true", help="the start-up checks only (no batch, no memory)"
    )
    args = parser.parse_args(argv)
    runs, batch_runs = (5, 3) if args.quick else (args.runs, args.batch_runs)
    big = 20_000 if args.quick else args.rows
    small = big // 10
    ketacost = ketacost_command()
    python = sys.executable
    sheet = builtin_sheet()
    compile_packages(["ketacost", "click", "rich"])
    shown = " ".join([Path(ketacost[0]).name, *ketacost[1:]])  # no paths of this machine
    print(f"python {sys.version.split()[0]}; ketacost: {shown}")
    batches = "" if args.no_batch else f", {batch_runs} of each batch"
    print(f"ratio: of medians ({runs} runs of each start-up command{batches});")
    print(
        "best: of the fastest runs"
        + ("" if args.no_batch else f"; batch of {big:,} rows, memory against {small:,}")
    )
    with tempfile.TemporaryDirectory(prefix="ketacost-bench-") as folder:
        work = Path(folder)
        env = child_env(work)
        (work / "bare_click.py").write_text(BARE_CLICK)
        (work / "minimal_loop.py").write_text(MINIMAL_LOOP)
        (work / "estimate_reference.py").write_text(ESTIMATE_REFERENCE)
        reference_command = [python, str(work / "estimate_reference.py"), str(sheet)]
        # The reference must print what estimate prints, or the ratio means nothing.
        check_same_estimate([*ketacost, "estimate"], reference_command, env)
        startup = measure(
            {
                "help": [*ketacost, "--help"],
                "bare": [python, str(work / "bare_click.py"), "--help"],
                "estimate": [*ketacost, "estimate"],
                "reference": reference_command,
                "imports": [python, "-c", IMPORTS_ONLY],
            },
            runs,
            env,
        )
        check_same_estimate([*ketacost, "estimate"], reference_command, env)  # still
        if args.no_batch:
            print()
            return finish(report(startup_rows(startup)))
        big_csv, small_csv = work / "big.csv", work / "small.csv"
        counts = write_requests(big_csv, big, sheet)
        write_requests(small_csv, small, sheet)
        print(
            f"input: {counts['self-pay']:,} self-pay, {counts['in network']:,} in network, "
            f"{counts['out of network']:,} out of network; {counts['with boosters']:,} with "
            "boosters\n"
        )
        batch_command = [*ketacost, "batch", str(big_csv), "-o", str(work / "out.csv")]
        loop_command = [
            python,
            str(work / "minimal_loop.py"),
            str(big_csv),
            str(work / "ref.csv"),
            str(sheet),
        ]
        # The reference must compute what batch computes, or the ratio means nothing.
        same = partial(check_same_figures, work / "out.csv", work / "ref.csv", big)
        bulk = measure(
            {
                "batch": batch_command,
                "loop": loop_command,
                "small": [*ketacost, "batch", str(small_csv), "-o", str(work / "small_out.csv")],
            },
            batch_runs,
            env,
            warmed=same,  # before timing
        )
        same()  # and on the last timed run's files
    batch, loop, small_batch = bulk["batch"], bulk["loop"], bulk["small"]
    met = report(
        [
            *startup_rows(startup),
            (
                f"batch {big:,} rows / minimal loop",
                s(batch.median),
                s(loop.median),
                batch.median / loop.median,
                batch.best / loop.best,
                2.0,
            ),
            (
                f"peak memory {big:,} / {small:,} rows",
                mib(batch.rss),
                mib(small_batch.rss),
                batch.rss / small_batch.rss,
                batch.rss / small_batch.rss,
                1.2,
            ),
        ]
    )
    print(
        f"\nbatch: {big / batch.median:,.0f} rows/s; minimal loop: "
        f"{big / loop.median:,.0f} rows/s; peak memory of the minimal loop: {mib(loop.rss)}"
    )
    return finish(met)


Row = tuple[str, str, str, float, float, float | None]
"""A check: its name, ketacost's figure, the reference's, the ratio of the medians, the
ratio of the best runs, and the target (None: shown for comparison, not judged)."""


def startup_rows(startup: Mapping[str, Figures]) -> list[Row]:
    """The start-up checks: --help, and estimate against its reference (and, for
    comparison, against importing click and Rich alone)."""
    help_, bare = startup["help"], startup["bare"]
    est, reference, imports = startup["estimate"], startup["reference"], startup["imports"]
    return [
        (
            "ketacost --help / bare click --help",
            ms(help_.median),
            ms(bare.median),
            help_.median / bare.median,
            help_.best / bare.best,
            1.2,
        ),
        (
            "estimate (table) / reference script",
            ms(est.median),
            ms(reference.median),
            est.median / reference.median,
            est.best / reference.best,
            1.3,
        ),
        (
            "estimate / import click+rich (old)",
            ms(est.median),
            ms(imports.median),
            est.median / imports.median,
            est.best / imports.best,
            None,
        ),
    ]


def finish(met: bool) -> int:
    """Print the verdict; 0 when every target is met."""
    print("all targets met" if met else "some targets NOT met")
    return 0 if met else 1


def check_same_estimate(
    ours: Sequence[str], reference: Sequence[str], env: Mapping[str, str]
) -> None:
    """Exit, reporting no ratio, unless ``ketacost estimate`` and its reference print the
    same bytes (to a pipe, so without colour, at Rich's default width)."""
    outputs = [
        subprocess.run(command, capture_output=True, env=env, check=True).stdout
        for command in (ours, reference)
    ]
    if outputs[0] != outputs[1]:
        sys.exit(
            "estimate and its reference print different things (no ratio is reported):\n"
            f"--- estimate\n{outputs[0].decode()}--- reference\n{outputs[1].decode()}"
        )


def check_same_figures(ours: Path, reference: Path, rows: int) -> None:
    """Exit, reporting no ratio, unless batch's output and the reference's are the same
    on every row and every column (header, id, sessions, the nine figures, error), with
    one row per request."""
    with ours.open(newline="") as a, reference.open(newline="") as b:
        lines = 0
        for lines, (left, right) in enumerate(zip(csv.reader(a), csv.reader(b), strict=True), 1):
            if left != right:
                sys.exit(
                    f"batch and the reference loop differ at output line {lines} (no ratio "
                    f"is reported):\n  batch:     {left}\n  reference: {right}"
                )
    if lines != rows + 1:
        sys.exit(f"batch wrote {lines - 1:,} rows for {rows:,} requests (no ratio is reported)")


if __name__ == "__main__":
    sys.exit(main())
