"""Building a report: from a fresh estimate (:func:`build_report`), or from the parts a
saved quote kept (:func:`assemble`, which :mod:`ketacost.report.from_data` calls). The
records are :mod:`ketacost.report.model`'s; the notes are written from the report once its
figures are set (:mod:`ketacost.report.notes`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from ketacost import DISCLAIMER, __version__
from ketacost.estimate import Estimate, ScenarioFigures
from ketacost.months import Month, by_month
from ketacost.report.model import Labels, Report, SheetInfo
from ketacost.report.notes import assumptions, interval_label
from ketacost.report.rows import summary_rows
from ketacost.request import EstimateRequest
from ketacost.schedule.sessions import INDUCTION, Session
from ketacost.sheet.model import SCENARIOS, Scenario


def assemble(
    *,
    version: str,
    disclaimer: str,
    sheet: SheetInfo,
    request: EstimateRequest,
    treatment: str,
    assumes: tuple[str, ...],
    labels: Labels,
    schedule: tuple[Session, ...],
    scenarios: Mapping[Scenario, ScenarioFigures],
    months: tuple[Month, ...],
    notes: Sequence[str],
    phased_saved: bool = True,
) -> Report:
    """A report from its parts: the one place the exact flag, columns and rows are set,
    whether the parts are fresh (:func:`build_report`) or saved (report_json)."""
    exact = scenarios["low"].lines == scenarios["high"].lines
    columns: tuple[Scenario, ...] = ("typical",) if exact else SCENARIOS
    induction = sum(1 for s in schedule if s.phase == INDUCTION)
    rows = summary_rows(scenarios, columns, induction, request.coverage)
    return Report(
        version=version,
        disclaimer=disclaimer,
        sheet=sheet,
        request=request,
        treatment=treatment,
        assumes=assumes,
        labels=labels,
        schedule=schedule,
        scenarios=dict(scenarios),
        months=months,
        notes=tuple(notes),
        exact=exact,
        columns=columns,
        rows=rows,
        phased_saved=phased_saved,
    )


def _normalised(request: EstimateRequest) -> EstimateRequest:
    """The request as the report keeps it: the coverage's out-of-pocket amount met is
    what the figures started from (the deductible met when none was given)."""
    coverage = request.coverage
    if coverage is None:
        return request
    return replace(request, coverage=replace(coverage, oop_met=coverage.starting_oop))


def build_report(est: Estimate, scenario: Scenario = "typical") -> Report:
    """The report of an estimate; its notes, written from the report alone once its
    figures are set, describe how ``scenario`` is paid."""
    sheet = est.sheet
    report = assemble(
        version=__version__,
        disclaimer=DISCLAIMER,
        sheet=SheetInfo(
            name=sheet.name,
            path=sheet.path,
            sha256=sheet.sha256,
            source=sheet.source,
            treatment=est.treatment,
            plan=est.plan,
            assumed=est.assumed,
            not_applied=est.not_applied,
        ),
        request=_normalised(est.request),
        treatment=est.treatment.key,
        assumes=tuple(item.key for item in est.assumed),
        labels=Labels(
            treatment=est.treatment.label,
            maintenance=est.request.maintenance.label,
            interval=interval_label(est.request.maintenance),
        ),
        schedule=est.schedule,
        scenarios={name: est.scenarios[name] for name in SCENARIOS},
        months=by_month(est),
        notes=(),
    )
    return replace(report, notes=tuple(assumptions(report, scenario)))
