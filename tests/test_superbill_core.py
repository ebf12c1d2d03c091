"""The superbill's rules on their own (ketacost.superbill): its lines, totals and checks,
and the claims' deadlines, with no command line."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ketacost.superbill.claims import (
    FILING_DAYS_FALLBACK,
    UNKNOWN,
    check_payment,
    claims_of,
    filing_deadline,
    forecast_refund,
)
from ketacost.superbill.record import read_superbill, superbill_record
from ketacost.superbill.statement import (
    BilledCode,
    BillingProvider,
    Patient,
    SourceItem,
    Superbill,
    SuperbillError,
    make_superbill,
    pointer_for,
)

CLINIC = BillingProvider(
    name="Calm Waters",
    npi="1234567893",
    tin="12-3456789",
    address="1 Main St",
    taxonomy="2084P0800X",
)
DAYS = tuple(date(2026, 12, 7) + timedelta(days=d) for d in (0, 2, 4, 7, 9, 11))
SESSION = SourceItem(
    label="Induction sessions",
    codes=(BilledCode(code="96365"), BilledCode(code="J3490")),
    charge=Decimal("600.00"),
    npi="1234567893",
    dates=DAYS,
)
INTAKE = SourceItem(
    label="Intake", codes=(BilledCode(code="99204", modifiers=("25",)),), charge=Decimal("250.00"),
    npi="1234567893", dates=DAYS[:1],
)  # fmt: skip


def bill(
    sessions: tuple[date, ...], paid: str, diagnoses: tuple[str, ...] = ("F33.1",)
) -> Superbill:
    return make_superbill(
        id="S-20261212-AAAAAA",
        issued=date(2026, 12, 31),
        source="G-20261120-BBBBBB",
        patient=Patient(name="Ann Lee", dob=date(1980, 4, 30)),
        diagnoses=diagnoses,
        billing=CLINIC,
        rendering_npi="1234567893",
        items=(SESSION, INTAKE),
        sessions=sessions,
        paid=Decimal(paid),
        pos="11",
        known_codes={"96365", "J3490", "99204"},
    )


def test_each_session_bills_its_items_code_by_code() -> None:
    made = bill(DAYS[:2], "1450")
    assert [(x.day, x.code, x.modifiers, x.charge) for x in made.lines] == [
        (DAYS[0], "96365", (), Decimal("600.00")),
        (DAYS[0], "J3490", (), Decimal("0.00")),
        (DAYS[0], "99204", ("25",), Decimal("250.00")),
        (DAYS[1], "96365", (), Decimal("600.00")),
        (DAYS[1], "J3490", (), Decimal("0.00")),
    ]
    assert (made.charged, made.paid, made.balance) == (
        Decimal("1450.00"), Decimal("1450.00"), Decimal("0.00"),
    )  # fmt: skip
    assert made.paid_in_full


def test_pointers_name_the_first_four_diagnoses() -> None:
    assert pointer_for(["F33.1"]) == "A"
    assert pointer_for([f"F3{n}.1" for n in range(6)]) == "ABCD"
    with pytest.raises(SuperbillError, match="at most 12"):
        bill(DAYS[:1], "0", tuple(f"F{n:02d}.1" for n in range(13)))


@given(
    st.sets(st.sampled_from(DAYS), min_size=1),
    st.integers(min_value=0, max_value=10**6),
)
def test_totals_are_the_sum_of_the_lines_and_paid_is_never_more(
    chosen: set[date], paid_cents: int
) -> None:
    paid = Decimal(paid_cents) / 100
    charged = sum(
        (Decimal("850.00") if d == DAYS[0] else Decimal("600.00") for d in chosen), Decimal(0)
    )
    if paid > charged:
        with pytest.raises(SuperbillError, match="more than the sessions' charges"):
            bill(tuple(chosen), str(paid))
        return
    made = bill(tuple(chosen), str(paid))
    assert made.charged == sum((x.charge for x in made.lines), Decimal(0)) == charged
    assert made.balance == charged - paid >= 0
    assert made.sessions == tuple(sorted(chosen))
    assert read_superbill(made.id, superbill_record(made)) == made  # the record keeps it all


def test_a_date_off_the_schedule_or_to_come_is_refused() -> None:
    with pytest.raises(SuperbillError, match="is not a session of G-20261120-BBBBBB") as off:
        bill((date(2026, 12, 8),), "0")
    assert off.value.field == "sessions"
    with pytest.raises(SuperbillError, match="in the future"):
        make_superbill(
            id="S-1", issued=date(2026, 12, 10), source="G-1",
            patient=Patient(name="Ann Lee", dob=date(1980, 4, 30)), diagnoses=("F33.1",),
            billing=CLINIC, rendering_npi="1234567893", items=(SESSION,),
            sessions=(DAYS[2],), paid=Decimal(0), pos="11", known_codes={"96365", "J3490"},
        )  # fmt: skip


def test_the_deadline_counts_from_the_first_session_and_the_refund_is_unknown() -> None:
    made = bill((DAYS[3], DAYS[0]), "1450")
    assert filing_deadline(made) == DAYS[0] + timedelta(days=FILING_DAYS_FALLBACK)
    assert filing_deadline(made, 180) == date(2027, 6, 5)
    assert forecast_refund(made) == UNKNOWN
    (claim,) = claims_of([made], [])
    assert claim.received is None and claim.difference is None


def test_a_payment_never_exceeds_what_was_paid() -> None:
    made = bill(DAYS[:1], "850")
    check_payment(made, Decimal("850.00"), date(2026, 12, 20), date(2026, 12, 31))
    with pytest.raises(SuperbillError, match="more than the patient paid"):
        check_payment(made, Decimal("0.01"), date(2026, 12, 20), date(2026, 12, 31), Decimal(850))


def moved_bill(moved: tuple[tuple[date, date], ...], sessions: tuple[date, ...] = ()) -> Superbill:
    return make_superbill(
        id="S-20261212-AAAAAA", issued=date(2026, 12, 31), source="G-20261120-BBBBBB",
        patient=Patient(name="Ann Lee", dob=date(1980, 4, 30)), diagnoses=("F33.1",),
        billing=CLINIC, rendering_npi="1234567893", items=(SESSION, INTAKE), sessions=sessions,
        moved=moved, paid=Decimal(0), pos="11", known_codes={"96365", "J3490", "99204"},
    )  # fmt: skip


def test_a_moved_session_bills_its_scheduled_items_on_the_day_given() -> None:
    tuesday = date(2026, 12, 8)  # Monday Dec 7's session, given the next day
    made = moved_bill(((tuesday, DAYS[0]),), (DAYS[1],))
    assert [(x.day, x.code, x.charge) for x in made.lines] == [
        (tuesday, "96365", Decimal("600.00")),
        (tuesday, "J3490", Decimal("0.00")),
        (tuesday, "99204", Decimal("250.00")),
        (DAYS[1], "96365", Decimal("600.00")),
        (DAYS[1], "J3490", Decimal("0.00")),
    ]
    assert made.sessions == (tuesday, DAYS[1])
    assert made.moved == ((tuesday, DAYS[0]),)
    assert made.charged == Decimal("1450.00")
    assert read_superbill(made.id, superbill_record(made)) == made
    assert "moved" not in superbill_record(bill(DAYS[:1], "0"))  # older records unchanged
    assert moved_bill(((DAYS[0], DAYS[0]),)).lines == bill(DAYS[:1], "0").lines  # not moved


MOVES_REFUSED = {
    "a closed day": (((date(2026, 12, 12), DAYS[0]),), (), "is not a day the clinic is open"),
    "a holiday": (((date(2026, 12, 25), DAYS[5]),), (), "is not a day the clinic is open"),
    "the future": (((date(2027, 1, 4), DAYS[5]),), (), "is in the future"),
    "too far": (((date(2026, 11, 6), DAYS[0]),), (), "more than 30 days from"),
    "not scheduled": (((date(2026, 12, 8), date(2026, 12, 10)),), (), "is not a session of"),
    "given twice": (((DAYS[1], DAYS[0]),), (DAYS[1],), "both as a session"),
    "scheduled twice": (((date(2026, 12, 8), DAYS[0]),), (DAYS[0],), "billed twice"),
    "moved twice": (
        ((date(2026, 12, 8), DAYS[0]), (date(2026, 12, 10), DAYS[0])),
        (),
        "billed twice",
    ),
    "one day, two moves": (
        ((date(2026, 12, 8), DAYS[0]), (date(2026, 12, 8), DAYS[1])),
        (),
        "given once",
    ),
}


@pytest.mark.parametrize("case", list(MOVES_REFUSED), ids=list(MOVES_REFUSED))
def test_a_moved_session_is_refused_off_its_bounds(case: str) -> None:
    moved, sessions, message = MOVES_REFUSED[case]
    with pytest.raises(SuperbillError, match=message) as refused:
        moved_bill(moved, sessions)
    assert refused.value.field == "sessions"


def test_thirty_days_either_way_is_allowed() -> None:
    early = date(2026, 11, 16)  # a Monday, 30 days before Wednesday Dec 16
    assert moved_bill(((early, DAYS[4]),)).sessions == (early,)
    late = date(2026, 12, 30)  # a Wednesday, 23 days after Monday Dec 7
    assert moved_bill(((late, DAYS[0]),)).sessions == (late,)


@pytest.mark.parametrize(("key", "value"), [("charged", "1.00"), ("balance", "0.00")])
def test_a_saved_superbill_whose_totals_are_not_its_lines_is_damaged(key: str, value: str) -> None:
    """The charged and balance a record keeps for readers of its JSON are worked out again
    from its lines when read: a record altered to say otherwise is refused."""
    made = bill(DAYS[:2], "600")
    record = {**superbill_record(made), key: value}
    with pytest.raises(ValueError, match="totals are not its lines'"):
        read_superbill(made.id, record)
