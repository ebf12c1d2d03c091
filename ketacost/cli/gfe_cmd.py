"""``ketacost gfe``: a Good Faith Estimate for a self-pay patient, written as a printable
page and kept in the quote log (SPEC 5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ketacost.cli.logbook import (
    PrivateCommand,
    check_replaces,
    db_option,
    open_log,
    patient_options,
    write_private,
)
from ketacost.cli.options import estimate_options, run_estimate
from ketacost.cli.params import DATE, ICD10
from ketacost.request import COVERAGE_KEYS

if TYPE_CHECKING:
    from ketacost.estimate import Estimate

PROVIDER_FIELDS = ("name", "npi", "tin", "address", "state")
MAX_MONTHS = 12


def _check_self_pay(params: dict[str, Any]) -> None:
    given = [f"--{k.replace('_', '-')}" for k in COVERAGE_KEYS if params.get(k) is not None]
    if given:
        raise click.UsageError(f"a Good Faith Estimate is for patients not using insurance: "
                               f"leave out {', '.join(given)}")
    if params.get("ride") is not None:
        raise click.BadParameter("a Good Faith Estimate lists the clinic's charges only",
                                 param_hint="'--ride'")


def _provider(est: Estimate) -> dict[str, str]:
    clinic = est.sheet.clinic
    missing = [f for f in PROVIDER_FIELDS if not getattr(clinic, f).strip()]
    if missing:
        where = ("the built-in price sheet names no clinic" if est.sheet.path == "(built-in)"
                 else f"the price sheet's [clinic] lacks {', '.join(missing)}")
        raise click.BadParameter(
            f"{where}: a Good Faith Estimate must give the provider's name, NPI, TIN, address "
            "and state (use your clinic's price sheet)", param_hint="'--sheet'")
    return {f: getattr(clinic, f) for f in (*PROVIDER_FIELDS, "phone")}


def _within_a_year(est: Estimate) -> tuple[Estimate, dict[str, Any]]:
    """The estimate cut to 12 months of sessions, and what the GFE says about the cut."""
    from ketacost.estimate import EstimateError, estimate
    from ketacost.schedule import add_months

    start = est.request.start
    end = add_months(start, MAX_MONTHS) - timedelta(days=1)
    covers = {"from": start.isoformat(), "to": end.isoformat()}
    if est.schedule[-1].date <= end:
        return est, {"covers": covers, "planned": None}
    planned = {"sessions": len(est.schedule), "last": est.schedule[-1].date.isoformat()}
    try:
        cut = estimate(replace(est.request, until=end), est.sheet)
    except EstimateError as error:
        raise click.BadParameter(str(error), param_hint=error.option) from None
    return cut, {"covers": covers, "planned": planned}


@click.command(cls=PrivateCommand)
@estimate_options
@patient_options(required=True)
@click.option("--dx", "diagnoses", type=ICD10, multiple=True, required=True,
              help="A diagnosis code (ICD-10), e.g. F33.1; repeat for more.")
@click.option("--scheduled", type=DATE,
              help="The date the first session is scheduled for, if it is (sets --start).")
@click.option("--separately", multiple=True, metavar="TEXT",
              help="An item or service to be scheduled separately; repeat for more.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The page to write, e.g. gfe.html (print it or save as PDF).")
@db_option
def gfe(output: Path, patient: str, dob: date, prepared_by: str | None, replaces: str | None,
        diagnoses: tuple[str, ...], scheduled: date | None, separately: tuple[str, ...],
        db: Path | None, **params: Any) -> None:
    """Write a Good Faith Estimate for a self-pay patient, and keep it in the quote log.

    The page lists the patient, the provider (name, NPI, TIN and location from the
    clinic's price sheet), each expected item with its service and diagnosis codes,
    quantity and cash price, the sessions expected, and the patient's rights. It covers
    at most 12 months of sessions. A revised estimate is a new one (--replaces ID).

    \b
    Examples:
      ketacost gfe --sheet clinic.toml --patient "Ann Lee" --dob 1980-04-30 \\
          --dx F33.1 --scheduled 2026-11-23 -o gfe.html
      ketacost gfe --sheet clinic.toml --patient "Ann Lee" --dob 1980-04-30 \\
          --dx F33.1 --maintenance monthly --replaces G-20261123-4VX2QD -o gfe-2.html
    """
    from ketacost.render.data import estimate_data
    from ketacost.render.gfe import gfe_page

    _check_self_pay(params)
    if scheduled is not None:
        if params.get("start") not in (None, scheduled):
            raise click.UsageError("--scheduled and --start give different first sessions: "
                                   "give one of them")
        params["start"] = scheduled
    if str(output) != "-" and not Path(output).resolve().parent.is_dir():
        raise click.BadParameter("its folder does not exist", param_hint="'--output'")
    full = run_estimate(params)
    provider = _provider(full)
    est, period = _within_a_year(full)
    result = estimate_data(est)
    result["gfe"] = {"provider": provider, "diagnoses": list(diagnoses),
                     "scheduled": None if scheduled is None else scheduled.isoformat(),
                     "separately": [" ".join(s.split()) for s in separately if s.strip()],
                     **period}
    with open_log(db) as log:
        check_replaces(log, replaces)
        entry = log.add("gfe", result, patient=patient, dob=dob.isoformat(),
                        prepared_by=prepared_by, replaces=replaces, render=gfe_page)
    assert entry.html is not None
    try:
        write_private(entry.html, output)
    except click.FileError as error:
        raise click.ClickException(
            f"{error.format_message()}; the estimate is saved as {entry.id}: write it again "
            f"with 'ketacost quotes show {entry.id} -o FILE.html'") from None
    if str(output) != "-":
        click.echo(f"Good Faith Estimate {entry.id} written to {output} and saved in the "
                   "quote log.")
