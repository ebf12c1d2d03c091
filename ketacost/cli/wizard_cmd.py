"""``ketacost wizard``: a guided estimate. It asks only what a patient or a front desk
can answer, each question with its default, then prints the estimate and the one-line
``ketacost estimate`` command that gives it again."""

from __future__ import annotations

import shlex
from decimal import Decimal
from typing import Any

import click

from ketacost.cli.groups import CoverageOptions, EstimateOptions, PaymentOptions
from ketacost.cli.params import (
    FINANCE,
    MONEY,
    OPTIONAL_MONEY,
    PERCENT,
    MaintenanceType,
    OptionalType,
)
from ketacost.cli.run import estimate_of
from ketacost.cli.sheets import resolve_sheet
from ketacost.money import format_percent, money_str
from ketacost.request import DEFAULT_MONTHS, MAX_MONTHS, MAX_SESSIONS
from ketacost.sheet import PriceSheet


def ask_treatment(sheet: PriceSheet) -> dict[str, Any]:
    """Condition, induction sessions, boosters and how long they last."""
    names = sheet.conditions()
    keys = ", ".join(t.key for t in sheet.treatments)
    condition = click.prompt(
        f"What is being treated ({keys}, ...)",
        default=sheet.default_condition,
        type=click.Choice(names, case_sensitive=False),
        show_choices=False,
    )
    treatment = sheet.treatment(condition)
    sessions = click.prompt(
        "How many sessions in the first series",
        default=treatment.induction_sessions,
        type=click.IntRange(1, MAX_SESSIONS),
    )
    plan = click.prompt(
        'Boosters after that (none, "every 4 weeks", 6w, monthly)',
        default="none",
        type=MaintenanceType(sheet.named_plans()),
    )
    months = DEFAULT_MONTHS
    if plan.unit != "none":
        months = click.prompt(
            "For how many months", default=DEFAULT_MONTHS, type=click.IntRange(1, MAX_MONTHS)
        )
    return {
        "condition": condition.lower(),
        "sessions": sessions,
        "maintenance": plan.normalized,
        "months": months,
    }


def ask_insurance() -> dict[str, Any]:
    """Insurance yes or no and, if yes, the few figures on a plan's summary."""
    if not click.confirm("Will you use health insurance", default=False):
        return {}
    return {
        "network": click.prompt(
            "Clinic in or out of network (most are out)",
            default="out",
            type=click.Choice(["in", "out"], case_sensitive=False),
            show_choices=False,
        ),
        "deductible": click.prompt("Deductible", default="0", type=MONEY),
        "deductible_met": click.prompt("Deductible already met this year", default="0", type=MONEY),
        "copay": click.prompt("Copay per visit", default="0", type=MONEY),
        "coinsurance": click.prompt("Coinsurance (percent)", default="20", type=PERCENT),
        "oop_max": click.prompt(
            "Out-of-pocket maximum (none if you do not know)", default="none", type=OPTIONAL_MONEY
        ),
    }


def ask_paying() -> dict[str, Any]:
    """How the patient pays: from an HSA/FSA (their tax rate), and over how many months."""
    return {
        "hsa_rate": click.prompt(
            "Paying from an HSA or FSA? Your tax rate in percent (none if not)",
            default="none",
            type=OptionalType(PERCENT),
        ),
        "finance": click.prompt(
            "A payment plan? Months, or months@APR like 24@17.99 (none if not)",
            default="none",
            type=OptionalType(FINANCE),
        ),
    }


def command_line(answers: dict[str, Any], sheet: PriceSheet, path: str | None) -> str:
    """The ``ketacost estimate ...`` command giving the same estimate (defaults left out)."""
    args = ["ketacost", "estimate"]
    treatment = sheet.treatment(answers["condition"])
    if treatment.key != sheet.treatment(sheet.default_condition).key:
        args += ["--condition", answers["condition"]]
    if answers["sessions"] != treatment.induction_sessions:
        args += ["--sessions", str(answers["sessions"])]
    if answers["maintenance"] != "none":
        args += ["--maintenance", answers["maintenance"]]
        if answers["months"] != DEFAULT_MONTHS:
            args += ["--months", str(answers["months"])]
    if "network" in answers:
        args += ["--network", answers["network"]]
        for key in ("deductible", "deductible_met", "copay", "oop_max"):
            value: Decimal | None = answers[key]
            if value is not None and (value or key == "oop_max"):
                args += [f"--{key.replace('_', '-')}", money_str(value)]
        if answers["coinsurance"]:
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
    return shlex.join(args)


@click.command()
@click.option(
    "--sheet",
    type=click.Path(dir_okay=False),
    envvar="KETACOST_SHEET",
    show_envvar=True,
    help="A clinic's price sheet (TOML). [default: built-in national averages]",
)
def wizard(sheet: str | None) -> None:
    """Answer a few questions and get an estimate, step by step.

    Press Enter to keep the default shown in brackets; Ctrl-C leaves. At the end it
    prints the one-line command that gives the same estimate next time.

    \b
    Examples:
      ketacost wizard
      ketacost wizard --sheet clinic.toml
    """
    prices = resolve_sheet(sheet)
    try:
        answers = {**ask_treatment(prices), **ask_insurance(), **ask_paying()}
    except click.Abort:
        click.echo()  # end the unanswered question's line before "Aborted."
        raise
    from ketacost.render.console import console
    from ketacost.render.table import estimate_view
    from ketacost.report import build_report

    what = EstimateOptions(
        condition=answers["condition"],
        sessions=answers["sessions"],
        weeks=None,
        price=None,
        price_range=None,
        maintenance=answers["maintenance"],
        months=answers["months"],
        start=None,
        without=(),
        sheet=sheet,
    )
    plan = CoverageOptions(
        **{
            key: answers[key]
            for key in (
                "network",
                "deductible",
                "deductible_met",
                "copay",
                "coinsurance",
                "oop_max",
            )
            if key in answers
        }
    )
    paying = PaymentOptions(hsa_rate=answers["hsa_rate"], finance=answers["finance"])
    report = build_report(estimate_of(what, plan, paying))
    click.echo()
    console().print(estimate_view(report))
    click.echo()
    click.echo("Next time, the same estimate in one line:")
    click.echo(f"  {command_line(answers, prices, sheet)}")
