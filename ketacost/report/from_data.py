"""A report read back from its JSON (:mod:`ketacost.report.to_data` writes it): a saved
quote loads into the :class:`~ketacost.report.model.Report` it was made from, so it prints
exactly as it was quoted (docs/json.md)."""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from ketacost.charges import Line
from ketacost.coverage.shares import Claim, Share
from ketacost.estimate import ScenarioFigures
from ketacost.money import ZERO, D, total
from ketacost.months import Month, paid_up_front_by_month
from ketacost.paying.financing import FinanceTerms, Loan
from ketacost.paying.how_paid import Paying
from ketacost.report.build import assemble
from ketacost.report.model import Labels, Report, SheetInfo
from ketacost.report.paying import read_deduction, read_hsa, read_later, read_savings
from ketacost.request_data import saved_request
from ketacost.schedule.sessions import Session
from ketacost.sheet.model import SCENARIOS, Scenario

Data = dict[str, Any]


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _line(data: Data) -> Line:
    return Line(
        data["key"],
        data["label"],
        data["kind"],
        data["quantity"],
        D(data["unit"]),
        D(data["amount"]),
        tuple(data["codes"]),
    )


def _share(data: Data) -> Share:
    session = data["session"]
    claim = Claim(
        date.fromisoformat(data["date"]),
        data["item"],
        D(data["charge"]),
        None if session is None else session - 1,
        data["phase"],
    )
    return Share(
        claim,
        D(data["allowed"]),
        D(data["deductible"]),
        D(data["copay"]),
        D(data["coinsurance"]),
        D(data["balance_bill"]),
        D(data["patient_pays"]),
        D(data["plan_pays"]),
        D(data["paid_up_front"]),
    )


def _loan(data: Data | None, terms: FinanceTerms | None) -> Loan | None:
    if data is None or terms is None:
        return None
    deferred = data["deferred_interest"]
    return Loan(
        principal=D(data["principal"]),
        terms=terms,
        payment=D(data["monthly_payment"]),
        final_payment=D(data["final_payment"]),
        total_interest=D(data["total_interest"]),
        deferred_interest=None if deferred is None else D(deferred["charged_back"]),
    )


def _figures(data: Data, paying: Paying) -> ScenarioFigures:
    """One scenario's figures from their parts; the stored totals are checked against
    the record's own (:func:`_check_sums`)."""
    out_of_pocket = D(data["out_of_pocket"])
    return ScenarioFigures(
        per_session=D(data["per_session"]),
        booster_price=D(data["booster_price"]),
        lines=tuple(_line(x) for x in data["lines"]),
        claims=tuple(_share(c) for c in data["claims"]),
        other_lines=tuple(_line(x) for x in data["other_lines"]),
        hsa=read_hsa(data, out_of_pocket, paying.hsa_rate),
        loan=_loan(data["financing"], paying.finance),
        savings=read_savings(data),
        later=read_later(data),
        deduction=read_deduction(data),
    )


def _months(data: list[Data], scenarios: Mapping[Scenario, ScenarioFigures]) -> tuple[Month, ...]:
    """The months as saved. A quote saved by ketacost 0.1.0 has no ``paid_up_front`` per
    month: it is added up from the saved claims, which always carried it (so an
    out-of-network quote shows what was paid up front, not the net, as it would today)."""
    months = []
    running: dict[Scenario, Decimal] = {}
    from_claims: dict[tuple[Scenario, str], Decimal] | None = None
    for item in data:
        out_of_pocket = {name: D(item["out_of_pocket"][name]) for name in SCENARIOS}
        running = {name: running.get(name, D(0)) + out_of_pocket[name] for name in SCENARIOS}
        if "paid_up_front" in item:
            up_front = {name: D(item["paid_up_front"][name]) for name in SCENARIOS}
        else:
            if from_claims is None:
                from_claims = paid_up_front_by_month(
                    {name: scenarios[name].claims for name in SCENARIOS}
                )
            up_front = {name: from_claims.get((name, item["month"]), ZERO) for name in SCENARIOS}
        months.append(
            Month(
                date.fromisoformat(item["month"] + "-01"),
                item["sessions"],
                {name: D(item["charges"][name]) for name in SCENARIOS},
                out_of_pocket,
                dict(running),
                paid_up_front=up_front,
                program_pays=None
                if "savings_program_pays" not in item
                else {name: D(item["savings_program_pays"][name]) for name in SCENARIOS},
            )
        )
    return tuple(months)


LARGEST = Decimal(10) ** 12
"""No figure of a report reaches this (a trillion dollars): a stored one that does was
not written by ketacost, and would not even print."""


Check = Callable[[object, str], None]


def _wrong(where: str) -> ValueError:
    return ValueError(f"{where} is not what a report holds")


@cache
def _checker(hint: Any) -> Check:
    """The check of :func:`check_shape` for one type hint, made once per hint."""
    origin, args = get_origin(hint), get_args(hint)
    if hint is Any:
        return lambda value, where: None
    if origin in (Union, types.UnionType):
        options = [_checker(option) for option in args]

        def one_of(value: object, where: str) -> None:
            for option in options:
                try:
                    option(value, where)
                except ValueError:
                    continue
                return
            raise _wrong(where)

        return one_of
    if origin is Literal:
        return _that(lambda value: value in args)
    if hint is type(None) or hint is None:
        return _that(lambda value: value is None)
    if hint is int:
        return _that(lambda value: type(value) is int)  # not a bool
    if hint is Decimal:
        return _amount
    if origin is tuple:
        return _tuple_checker(args)
    if origin is not None and isinstance(origin, type) and issubclass(origin, Mapping):
        item = _checker(args[1])

        def mapping(value: object, where: str) -> None:
            if not isinstance(value, Mapping):
                raise _wrong(where)
            for key, each in value.items():
                item(each, f"{where}.{key}")

        return mapping
    if isinstance(hint, type) and (
        dataclasses.is_dataclass(hint) or (issubclass(hint, tuple) and hasattr(hint, "_fields"))
    ):
        return _record_checker(hint)  # a record: a dataclass, or a NamedTuple (the hot rows)
    if isinstance(hint, type):
        return _that(lambda value: isinstance(value, hint))
    return lambda value, where: None  # a hint this check does not know is not checked


def _that(test: Callable[[object], bool]) -> Check:
    """The check that ``test`` holds of a value. (The error is raised where it is made: an
    exception kept in a local of the frame that raises it would make a reference cycle
    per check, and a long export would hold its entries until the collector ran.)"""

    def check(value: object, where: str) -> None:
        if not test(value):
            raise _wrong(where)

    return check


def _amount(value: object, where: str) -> None:
    if not (isinstance(value, Decimal) and value.is_finite() and abs(value) < LARGEST):
        raise ValueError(f"{where} is not an amount a report holds")


def _tuple_checker(args: tuple[Any, ...]) -> Check:
    if len(args) == 2 and args[1] is ...:
        item = _checker(args[0])

        def each(value: object, where: str) -> None:
            if not isinstance(value, tuple):
                raise _wrong(where)
            for number, one in enumerate(value):
                item(one, f"{where}[{number}]")

        return each
    items = [_checker(arg) for arg in args]

    def fixed(value: object, where: str) -> None:
        if not isinstance(value, tuple) or len(value) != len(items):
            raise _wrong(where)
        for number, (one, check) in enumerate(zip(value, items, strict=True)):
            check(one, f"{where}[{number}]")

    return fixed


def _record_checker(record: type) -> Check:
    fields: list[tuple[str, Check]] = []

    def check(value: object, where: str) -> None:
        if not isinstance(value, record):
            raise _wrong(where)
        if not fields:  # filled on first use: a record may hold one of its own kind
            fields.extend((n, _checker(h)) for n, h in get_type_hints(record).items())
        for name, field_check in fields:
            field_check(getattr(value, name), f"{where}.{name}")

    return check


def check_shape(value: object, hint: Any, where: str = "report") -> None:
    """Raise ValueError, naming the field, unless ``value`` is what the type ``hint``
    says: text is text, a count an int, an amount a finite Decimal below
    :data:`LARGEST`, a record (a NamedTuple) each of its fields so, all the way down. A
    report read back from stored JSON that someone changed is refused here, once, rather
    than failing in whichever view prints the field."""
    _checker(hint)(value, where)


def read_report(data: Mapping[str, Any]) -> Report:
    """The report that :func:`ketacost.report.to_data.to_data` wrote (a fresh one, or one
    from the quote log). Raises KeyError, TypeError or ValueError on data that is not
    such a report (:func:`check_shape`: stored data changed by hand), never IndexError."""
    try:
        report = _read_report(data)
    except IndexError:  # the scenarios' lines (or months) no longer line up row by row
        raise ValueError("the saved scenarios do not line up") from None
    check_shape(report, Report)
    for name, figures in report.scenarios.items():
        _check_sums(name, figures, data["scenarios"][name])
    return report


def _check_sums(name: str, figures: ScenarioFigures, data: Data) -> None:
    """A total is the sum of the lines shown: stored totals that disagree with the parts
    they are printed from were changed."""
    claimed = total(s.claim.charge for s in figures.claims)
    sums = {
        "charges": (D(data["charges"]), figures.charges),
        "claims' charges": (claimed, figures.charges),
        "other costs": (D(data["other_costs"]), figures.other_costs),
        "out of pocket": (D(data["out_of_pocket"]), figures.out_of_pocket),
        "insurance pays": (D(data["insurance_pays"]), figures.insurance_pays),
        "paid up front": (D(data["paid_up_front"]), figures.paid_up_front),
        "sessions": (data["sessions"], figures.sessions),
    }
    for what, (stored, summed) in sums.items():
        if stored != summed or type(stored) is not type(summed):
            raise ValueError(
                f"the {name} {what} ({stored}) are not the sum of the lines ({summed})"
            )


def _read_report(data: Mapping[str, Any]) -> Report:
    inputs = data["inputs"]
    labels = data["labels"]
    request = saved_request(inputs, labels["interval"])
    scenarios = {name: _figures(data["scenarios"][name], request.paying) for name in SCENARIOS}
    sheet = data["sheet"]
    return assemble(
        version=data["ketacost"],
        disclaimer=data["disclaimer"],
        sheet=SheetInfo(
            name=sheet["name"], path=sheet["path"], sha256=sheet["sha256"], source=sheet["source"]
        ),
        request=request,
        treatment=inputs["treatment"],
        assumes=tuple(inputs["assumes"]),
        labels=Labels(
            treatment=labels["treatment"],
            maintenance=labels["maintenance"],
            interval=labels["interval"],
        ),
        schedule=tuple(
            Session(
                s["session"] - 1,
                date.fromisoformat(s["date"]),
                s["phase"],
                _day(s.get("moved_from")),  # absent: not moved (or saved before it was kept)
                s.get("moved_because"),
            )
            for s in data["schedule"]
        ),
        scenarios=scenarios,
        months=_months(data["months"], scenarios),
        notes=data["notes"],
        phased_saved="phased" in inputs,  # absent from quotes saved before 0.3
    )
