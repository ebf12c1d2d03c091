"""The fields of a patient's plan, in one table (docs/coverage.md): each field's name,
kind, bounds and words. The coverage file's reader, the plan's codec, the batch's
columns, the command line's options and the web form's fields all read it, so a new
field is one row here, its meaning in :class:`~ketacost.coverage.shares.Coverage`, and
(if it needs one) a note.

The table also says where a person may give a field: in a coverage file only, as an
option too, or everywhere a plan is typed (a batch row's cells and the web form too).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from ketacost.money import format_percent

CLAIM_DAYS = 60
"""Days from filing a claim to the plan's payment when the plan's own figure is not
given: the late end of the 4 to 8 weeks an out-of-network claim usually takes
(superbilled.com, 'How Long Does Insurance Reimbursement for Therapy Take?', 2026-02-09:
processing 14-30 days, payment 30-60 days after filing). The late end, so a forecast is
never early."""

FILING_LIMIT = 90
"""Days after the visit within which the plan must receive the claim, when the plan's own
limit is not given: the shortest limit commonly found (plans allow 90 to 365 days,
superbilled.com, 2026-02-09), so no deadline shown is later than the plan's."""

MAX_CLAIM_DAYS = 365
MAX_FILING_LIMIT = 3 * 365
MAX_MEDICARE_PERCENT = Decimal(1000)
"""The most percent of Medicare's fee a plan is taken to allow (1,000%)."""
MAX_CODES = 200
MAX_CODE_LENGTH = 16

Kind = Literal["choice", "money", "percent", "month_day", "days", "percent_of", "codes"]
"""What a field holds: one of a few words (``choice``), an amount, a percentage from 0
to 100, a day of the year (``MM-DD``), a number of days, a percent of a reference figure
that may pass 100 (``percent_of``), or an amount per service code (``codes``)."""

Given = Literal["file", "options", "everywhere"]
"""Where a person may give a field: in a coverage file only; as a command-line option
too; or in a batch row and on the web form as well."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Field:
    """One field of a plan, as every face reads and writes it."""

    name: str
    """The plan's field, the file's key, the data's key, the column (``deductible_met``)."""
    kind: Kind
    label: str
    """What a form shows beside it."""
    help: str
    """What it means, in a sentence (an option's help)."""
    hint: str = ""
    """A form's short hint under it (a choice's: the blank choice)."""
    given: Given = "everywhere"
    choices: tuple[tuple[str, str], ...] = ()
    """A choice's values, each with its words on a form."""
    most: int | Decimal | None = None
    """The largest number of days, or percent of the reference figure."""
    out_of_network: bool = False
    """Means something for out-of-network claims only: given with the network in, it is
    refused (it would change nothing)."""
    always_saved: bool = False
    """Written in a saved plan even when not given (null): the fields every version has
    saved; the others are written only when given, so a plan without them is saved as
    before ketacost 0.3."""

    def problem(self, value: Any) -> str | None:
        """What is wrong with a value of this field outside its bounds, or None."""
        if value is None:
            return None
        most = self.most or 0
        if self.kind == "days" and not 1 <= value <= most:
            return f"{self.name} must be from 1 to {most:,} days, not {value}"
        if self.kind == "percent_of" and not 0 < value * 100 <= most:
            return (
                f"{self.name} must be above 0% and at most {most:,}%, not {format_percent(value)}"
            )
        if self.kind == "codes" and len(value) > MAX_CODES:
            return f"{self.name} gives more than {MAX_CODES} codes"
        return None


def _oon(term: str, kind: Kind, what: str) -> Field:
    """A figure a plan may give separately for out-of-network care (docs/refunds.md)."""
    return Field(
        name=f"oon_{term}",
        kind=kind,
        label=f"Out of network: {what}",
        help=f"Out of network: the plan's separate {what}.",
        given="file",
    )


FIELDS = (
    Field(
        name="network",
        kind="choice",
        label="Network",
        help="Insurance: in- or out-of-network (out: pay in full, get reimbursed).",
        hint="In network (the default)",
        choices=(("in", "In network"), ("out", "Out of network (pay, then get reimbursed)")),
        always_saved=True,
    ),
    Field(
        name="deductible",
        kind="money",
        label="Deductible",
        help="Insurance deductible (needed with any insurance option; 0 if none).",
        hint="Needed with insurance; 0 if none",
        always_saved=True,
    ),
    Field(
        name="deductible_met",
        kind="money",
        label="Deductible already met",
        help="Deductible already met this plan year.",
        always_saved=True,
    ),
    Field(
        name="copay",
        kind="money",
        label="Copay per visit",
        help="Copay per visit (all claims on one date share it).",
        always_saved=True,
    ),
    Field(
        name="coinsurance",
        kind="percent",
        label="Coinsurance (%)",
        help="Coinsurance, e.g. 20 or 20% (needed with any insurance option; 0 if none).",
        hint="Needed with insurance, e.g. 20; 0 if none",
        always_saved=True,
    ),
    Field(
        name="oop_max",
        kind="money",
        label="Out-of-pocket maximum",
        help="Out-of-pocket maximum.",
        always_saved=True,
    ),
    Field(
        name="oop_met",
        kind="money",
        label="Out of pocket already paid",
        help="Out-of-pocket already paid this plan year. [default: deductible met]",
        hint="Needs the maximum",
        always_saved=True,
    ),
    Field(
        name="allowed",
        kind="money",
        label="Allowed amount per session",
        help="The plan's allowed amount per session. [default: the charge]",
        hint="Blank: the charge",
        always_saved=True,
    ),
    Field(
        name="plan_year_start",
        kind="month_day",
        label="Plan year starts",
        help="When the plan year (deductible) resets, MM-DD. [default: 01-01]",
        hint="MM-DD; blank: 01-01",
        always_saved=True,
    ),
    _oon("deductible", "money", "deductible"),
    _oon("deductible_met", "money", "deductible already met"),
    _oon("coinsurance", "percent", "coinsurance"),
    _oon("oop_max", "money", "out-of-pocket maximum"),
    _oon("oop_met", "money", "out of pocket already paid"),
    Field(
        name="oon_allowed",
        kind="codes",
        label="Out of network: allowed per code",
        help="Out of network: the plan's allowed amount per unit of each service code.",
        given="file",
    ),
    Field(
        name="medicare_fees",
        kind="codes",
        label="Medicare's fee per code",
        help="Medicare's fee per unit of each service code, from its fee schedule.",
        given="file",
    ),
    Field(
        name="medicare_percent",
        kind="percent_of",
        label="Percent of Medicare's fee",
        help="Out of network: the plan allows this percent of Medicare's fee per code, "
        "e.g. 150 (the fees: medicare_fees in the coverage file).",
        given="options",
        out_of_network=True,
        most=MAX_MEDICARE_PERCENT,
    ),
    Field(
        name="claim_days",
        kind="days",
        label="Days to a refund",
        help=f"Out of network: days from a visit to the refund. [default: {CLAIM_DAYS}]",
        given="options",
        out_of_network=True,
        most=MAX_CLAIM_DAYS,
    ),
    Field(
        name="filing_limit",
        kind="days",
        label="Filing limit (days)",
        help=f"Out of network: days after a visit to file the claim. [default: {FILING_LIMIT}]",
        given="options",
        out_of_network=True,
        most=MAX_FILING_LIMIT,
    ),
)
"""Every field of a plan, in the order a saved plan and a coverage file list them."""

FIELD = {field.name: field for field in FIELDS}
KEYS = tuple(FIELD)
"""Every field's name: the keys of a coverage file and of a saved plan."""
OPTIONS = tuple(field for field in FIELDS if field.given != "file")
"""The fields a command-line option gives."""
TYPED = tuple(field.name for field in FIELDS if field.given == "everywhere")
"""The fields a batch row's columns and the web form's fields give."""
BOUNDED = tuple(field for field in FIELDS if field.kind in ("days", "percent_of", "codes"))
"""The fields with bounds of their own (:meth:`Field.problem`)."""
OUT_OF_NETWORK_ONLY = tuple(field.name for field in FIELDS if field.out_of_network)
"""The fields that mean something for out-of-network claims only."""
