"""``ketacost wizard``: a guided estimate. It asks only what a patient or a front desk
can answer, each question with its default, in plain words (``six``, ``once a month``
and ``tomorrow`` are answers too, ketacost/answers.py). It prints the estimate and the
one-line ``ketacost estimate`` command that gives it again, then offers the month view
and to save the quote in the quote log."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import click

from ketacost.answers import (
    AnswerError,
    optional,
    parse_amount,
    parse_name,
    parse_network,
    parse_number,
    parse_payment_plan,
    parse_percent_answer,
    parse_plan,
    parse_start,
    parse_yes_no,
)
from ketacost.cli import clock
from ketacost.cli.decorators import SHEET
from ketacost.cli.groups import CoverageOptions, EstimateOptions
from ketacost.cli.log_options import db_option
from ketacost.cli.logbook import open_log, save
from ketacost.cli.run import coverage_of, estimate_of
from ketacost.cli.sheets import resolve_sheet
from ketacost.entries import quote_maker
from ketacost.gfe.timing import quote_duty
from ketacost.money import format_percent, money_str
from ketacost.paying.how_paid import Paying
from ketacost.render.console import console
from ketacost.render.months_view import months_view
from ketacost.render.safe_text import terminal_text
from ketacost.render.table import estimate_view
from ketacost.report.build import build_report
from ketacost.report.model import Report
from ketacost.request import DEFAULT_MONTHS, MAX_MONTHS, MAX_SESSIONS
from ketacost.schedule.sessions import Maintenance
from ketacost.sheet.model import Clinic, PriceSheet

T = TypeVar("T")


def ask(question: str, default: str, parse: Callable[[str], T]) -> T:
    """Ask until the answer reads; a bad answer is explained in plain words and the
    question asked again. Enter keeps the default shown in brackets."""
    while True:
        text: str = click.prompt(question, default=default, show_default=bool(default))
        try:
            return parse(text)
        except AnswerError as error:
            click.echo(f"  {terminal_text(str(error))}")  # it may quote the answer


def offer(question: str) -> bool:
    """A closing yes/no offer; no answer (end of input, Ctrl-C) is no."""
    try:
        return ask(f"{question} (y/n)", "n", parse_yes_no)
    except click.Abort:
        click.echo()
        return False


def plans_for(sheet: PriceSheet, condition: str) -> dict[str, Maintenance]:
    """The sheet's own booster plans that fit the condition."""
    key = sheet.treatment(condition).key
    return {p.key: p.maintenance for p in sheet.plans if p.treatment in (None, key)}


def ask_treatment(sheet: PriceSheet, today: date) -> dict[str, Any]:
    """Condition, induction sessions, first date, boosters and how long they last."""
    names = ", ".join(t.key for t in sheet.treatments)

    def condition_of(text: str) -> str:
        try:
            sheet.treatment(text)
        except LookupError:
            raise AnswerError(f"Please choose one of: {names}.") from None
        return text.strip().lower()

    condition = ask(f"What is being treated ({names})", sheet.default_condition, condition_of)
    treatment = sheet.treatment(condition)
    sessions = ask(
        "How many sessions in the first series",
        str(treatment.induction_sessions),
        lambda text: parse_number(text, 1, MAX_SESSIONS, "sessions", 6),
    )
    start = ask(
        "Date of the first session (YYYY-MM-DD, or today)",
        "today",
        lambda text: parse_start(text, today),
    )
    plans = plans_for(sheet, condition)
    own = "".join(f", {p.key} ({p.label})" for p in sheet.plans if p.key in plans)
    plan = ask(
        f'Boosters after that (none, monthly, "every 4 weeks"{own})',
        treatment.maintenance.label,  # the treatment's own plan, as estimate has it
        lambda text: parse_plan(text, plans),
    )
    months = DEFAULT_MONTHS
    if plan.unit != "none":
        months = ask(
            "For how many months",
            str(DEFAULT_MONTHS),
            lambda text: parse_number(text, 1, MAX_MONTHS, "months", DEFAULT_MONTHS),
        )
    return {
        "condition": condition,
        "sessions": sessions,
        "start": start,
        "maintenance": plan,
        "months": months,
    }


def ask_insurance() -> dict[str, Any]:
    """Insurance yes or no and, if yes, the few figures on a plan's summary."""
    if not ask("Will you use health insurance (y/n)", "n", parse_yes_no):
        return {}
    return {
        "network": ask("Clinic in or out of network (most are out)", "out", parse_network),
        "deductible": ask("Deductible (0 if none)", "", parse_amount),
        "deductible_met": ask("Deductible already met this year", "0", parse_amount),
        "copay": ask("Copay per visit", "0", parse_amount),
        "coinsurance": ask(
            "Coinsurance in percent (0 if none)",
            "",
            lambda t: parse_percent_answer(t, "the coinsurance"),
        ),
        "oop_max": ask(
            "Out-of-pocket maximum (none if you do not know)", "none", optional(parse_amount)
        ),
    }


def ask_paying() -> dict[str, Any]:
    """How the patient pays: from an HSA/FSA (their tax rate), and over how many months."""
    return {
        "hsa_rate": ask(
            "Paying from an HSA or FSA? Your tax rate in percent (none if not)",
            "none",
            optional(lambda t: parse_percent_answer(t, "the tax rate")),
        ),
        "finance": ask(
            "A payment plan? Months, or months@APR like 24@17.99 (none if not)",
            "none",
            optional(parse_payment_plan),
        ),
    }


def plan_word(plan: Maintenance) -> str:
    """The booster plan as a person would type it: ``monthly``, ``4w``, a plan's name."""
    if plan.plan:
        return plan.plan
    if plan.unit == "months":
        return "monthly" if plan.every == 1 else f"every {plan.every} months"
    return plan.normalized


def command_line(answers: dict[str, Any], sheet: PriceSheet, path: str | None, today: date) -> str:
    """The ``ketacost estimate ...`` command giving the same estimate: every answer that
    differs from what estimate does without it (the treatment's own sessions and booster
    plan), and the plan's deductible and coinsurance always."""
    args = ["ketacost", "estimate"]
    treatment = sheet.treatment(answers["condition"])
    if answers["condition"] != sheet.default_condition:
        args += ["--condition", answers["condition"]]
    if answers["sessions"] != treatment.induction_sessions:
        args += ["--sessions", str(answers["sessions"])]
    if answers["start"] != today:
        args += ["--start", answers["start"].isoformat()]
    plan: Maintenance = answers["maintenance"]
    if plan != treatment.maintenance:
        args += ["--maintenance", plan_word(plan)]
    if plan.unit != "none" and answers["months"] != DEFAULT_MONTHS:
        args += ["--months", str(answers["months"])]
    if "network" in answers:
        args += ["--network", answers["network"]]
        for key in ("deductible", "deductible_met", "copay", "oop_max"):
            value: Decimal | None = answers[key]
            if value is not None and (value or key in ("deductible", "oop_max")):
                args += [f"--{key.replace('_', '-')}", money_str(value)]
        args += ["--coinsurance", format_percent(answers["coinsurance"])]
    if answers.get("hsa_rate") is not None:
        args += ["--hsa-rate", format_percent(answers["hsa_rate"])]
    terms = answers.get("finance")
    if terms is not None:
        args += [
            "--finance",
            f"{terms.months}@{format_percent(terms.apr)}" if terms.apr else str(terms.months),
        ]
    if path is not None:
        args += ["--sheet", str(path)]
    return " ".join(_shell_word(arg) for arg in args)


def _shell_word(arg: str) -> str:
    """``arg`` quoted for a shell; one holding a control character or a bidi override
    in $'...' quoting (bash, zsh, POSIX 2024), its escapes visible (``$'x\\x1b[2Jy'``): the same
    word when run, and nothing a terminal would obey when shown."""
    if terminal_text(arg) == arg:
        return shlex.quote(arg)
    body = terminal_text(arg.replace("\\", "\\\\").replace("'", "\\'"))
    return f"$'{body}'"


def answer_groups(
    answers: dict[str, Any], prices: PriceSheet, sheet: str | None
) -> tuple[EstimateOptions, CoverageOptions, Paying]:
    """The wizard's answers as the options of one estimate. The treatment's own number of
    sessions is its own induction (Spravato's label phases), as estimate has it."""
    coverage = ("network", "deductible", "deductible_met", "copay", "coinsurance", "oop_max")
    own = prices.treatment(answers["condition"]).induction_sessions
    what = EstimateOptions(
        condition=answers["condition"],
        sessions=None if answers["sessions"] == own else answers["sessions"],
        maintenance=answers["maintenance"].normalized,
        months=answers["months"] if answers["maintenance"].unit != "none" else None,
        start=answers["start"],
        sheet=sheet,
    )
    plan = CoverageOptions(**{key: answers[key] for key in coverage if key in answers})
    paying = Paying(hsa_rate=answers["hsa_rate"], finance=answers["finance"])
    return what, plan, paying


def save_quote(report: Report, clinic: Clinic, db: Path | None) -> None:
    """Save the estimate in the quote log, as ``ketacost quote`` does, and say its id. As
    there, a named patient not using insurance has asked for a Good Faith Estimate: the
    request is kept with the quote and its due date said."""
    patient = ask("Patient's name (Enter to leave out)", "", parse_name)
    prepared_by = ask("Prepared by (Enter to leave out)", "", parse_name)
    duty = quote_duty(
        clock.today(), None, patient or None, report.request.coverage, None, clinic.days
    )
    make = quote_maker(
        report, duty, clinic, patient=patient or None, prepared_by=prepared_by or None
    )

    with open_log(db) as log:
        entry = save(log, make, "quote")
    click.echo(f"Saved as quote {entry.id}. Show it again with: ketacost quotes show {entry.id}")
    if duty is not None:
        click.echo(
            f"A self-pay patient asking the price has asked for a Good Faith Estimate: due "
            f"by {duty.due.isoformat()} (3 business days): ketacost gfe --quote {entry.id} "
            "--dx CODE -o FILE.html (if it was not a request, replace the quote with "
            f"'ketacost quote ... --replaces {entry.id} --not-requested')."
        )


@click.command()
@SHEET
@db_option
def wizard(sheet: str | None, db: Path | None) -> None:
    """Answer a few questions and get an estimate, step by step.

    Press Enter to keep the default shown in brackets; answers may be words ("six",
    "once a month", "tomorrow"). At the end it prints the one-line command that gives
    the same estimate next time, and offers the month-by-month view and to save the
    quote in the quote log (as 'ketacost quote' does). Ctrl-C leaves.

    \b
    Examples:
      ketacost wizard
      ketacost wizard --sheet clinic.toml
    """
    prices = resolve_sheet(sheet)
    today = date.today()
    try:
        answers = {**ask_treatment(prices, today), **ask_insurance(), **ask_paying()}
    except click.Abort:
        click.echo()  # end the unanswered question's line before "Aborted."
        raise

    what, plan, paying = answer_groups(answers, prices, sheet)
    report = build_report(estimate_of(what, coverage_of(plan), paying))
    click.echo()
    console().print(estimate_view(report))
    click.echo()
    click.echo("Next time, the same estimate in one line:")
    click.echo(f"  {command_line(answers, prices, sheet, today)}")
    click.echo()
    if offer("Show what you pay month by month"):
        click.echo()
        console().print(months_view(report))
        click.echo()
    if offer("Save this quote in the quote log (for a front desk)"):
        save_quote(report, prices.clinic, db)
