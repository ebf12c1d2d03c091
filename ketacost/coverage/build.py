"""A patient's plan from what is given: a coverage file and the values that override it
(an option, a form's field, a batch cell, a saved quote's plan), checked once for every
face (docs/coverage.md). Problems raise an EstimateError naming the field given, or
``coverage_file`` with the file's line."""

from __future__ import annotations

from typing import Any

from ketacost.coverage.fields import OUT_OF_NETWORK_ONLY
from ketacost.coverage.file import CoverageFile
from ketacost.coverage.shares import OON_TERMS, Coverage, CoverageError
from ketacost.errors import EstimateError, MissingValue, NeedsAnother

PLAN_NEEDS = ("deductible", "coinsurance")
"""What every figure of an insured estimate depends on: a plan given without them would
silently be the most generous one (no deductible, the plan pays 100%), so they are asked
for (docs/coverage.md). A copay left out is none; a maximum left out is none (no cap)."""

_FIELDS = frozenset(Coverage.__dataclass_fields__)


def build_coverage(
    *, file: CoverageFile | None = None, saved: bool = False, **values: Any
) -> Coverage | None:
    """The patient's plan from a coverage file and the ``values`` given (keyword
    arguments named like :class:`Coverage`'s fields, None for not given; they override
    the file), or None (self-pay) when there is neither. Out of network, when the file
    gives the plan's separate out-of-network terms (``oon_deductible``), the deductible,
    coinsurance and maximum given stand for those terms.

    Values that would change nothing are refused: an out-of-pocket amount met without the
    maximum it counts toward, an out-of-network figure in network. Not so for a ``saved``
    plan: a quote's plan as ketacost wrote it (the amount met always filled in) reads
    back as it was."""
    unknown = sorted(set(values) - _FIELDS)
    if unknown:
        raise TypeError(f"build_coverage() got unknown fields: {', '.join(unknown)}")
    given: dict[str, Any] = {key: value for key, value in values.items() if value is not None}
    merged = {**(file.values if file is not None else {}), **given}
    if not merged:
        return None
    if merged.get("network") != "out" and not saved:
        for key in OUT_OF_NETWORK_ONLY:
            if key in given:
                raise EstimateError(
                    "applies to out-of-network claims only: give the network as out", key
                )
    separate = merged.get("network") == "out" and "oon_deductible" in merged
    # Values that give no out-of-network terms of their own stand for those terms.
    speak_for_them = separate and not any(key.startswith("oon_") for key in given)
    renamed = _as_out_of_network_terms(merged, given, file) if speak_for_them else {}
    if not saved:
        _met_needs_a_maximum(merged, given, renamed, file)
    try:
        coverage = Coverage(**merged)
    except CoverageError as error:
        field = renamed.get(error.field, error.field)
        if field in given or file is None:
            raise EstimateError(str(error), field) from None
        raise EstimateError(f"{file.where(error.field)}: {error}", "coverage_file") from None
    missing = [key for key in PLAN_NEEDS if key not in merged and not separate]
    if missing:
        needs = f"Insurance needs the plan's {' and '.join(missing)} (0 if it has none)"
        if file is not None:  # the plan came from the file: say which, not a field never given
            raise EstimateError(f"{file.path}: {needs[0].lower()}{needs[1:]}", "coverage_file")
        raise MissingValue(needs, missing[0])
    return coverage


def _as_out_of_network_terms(
    merged: dict[str, Any], given: dict[str, Any], file: CoverageFile | None
) -> dict[str, str]:
    """The terms given made the plan's separate out-of-network terms (``deductible`` given
    is ``oon_deductible``), what the file says in network left as it is; returns each
    ``oon_`` field renamed and the field given for it."""
    renamed: dict[str, str] = {}
    for key in OON_TERMS:
        if key in given:
            merged[f"oon_{key}"] = given[key]
            renamed[f"oon_{key}"] = key
            if file is not None and key in file.values:
                merged[key] = file.values[key]
            else:
                del merged[key]
    return renamed


def _met_needs_a_maximum(
    merged: dict[str, Any],
    given: dict[str, Any],
    renamed: dict[str, str],
    file: CoverageFile | None,
) -> None:
    """What is already paid counts only toward an out-of-pocket maximum: given without
    one (in or out of network), it would change nothing."""
    for met, most in (("oop_met", "oop_max"), ("oon_oop_met", "oon_oop_max")):
        if met not in merged or most in merged:
            continue
        field = renamed.get(met, met)
        if field in given or file is None:
            raise NeedsAnother(
                "counts toward an out-of-pocket maximum",
                field,
                needs=renamed.get(most, most),
                words="the out-of-pocket maximum",
                example="4000",
            )
        raise EstimateError(
            f"{file.where(met)}: {met} counts toward an out-of-pocket maximum; give {most} too",
            "coverage_file",
        )
