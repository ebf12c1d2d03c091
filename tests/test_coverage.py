"""Coverage math (docs/coverage.md): the worked examples, plan-year resets, out-of-network."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from ketacost.coverage.shares import Claim, Coverage, CoverageError, apply_coverage, plan_year
from ketacost.money import D

DAY = date(2026, 3, 2)


def session(n: int, charge: str, day: date = DAY) -> Claim:
    return Claim(day, f"Session {n + 1}", D(charge), n, "induction")


def series(count: int, charge: str, start: date = DAY, gap: int = 2) -> list[Claim]:
    return [session(k, charge, start + timedelta(days=gap * k)) for k in range(count)]


def test_allowed_100_deductible_met_pays_coinsurance() -> None:
    """docs/coverage.md, example 1: $100 allowed, 20% coinsurance, deductible met: patient $20."""
    cov = Coverage(deductible=D("500"), deductible_met=D("500"), coinsurance=D("0.20"))
    (share,) = apply_coverage([session(0, "100")], cov)
    assert (share.patient, share.plan) == (D("20.00"), D("80.00"))


def test_allowed_100_deductible_not_met_pays_all() -> None:
    """docs/coverage.md, example 1: $100 allowed, 20%, deductible not met: patient $100."""
    cov = Coverage(deductible=D("500"), coinsurance=D("0.20"))
    (share,) = apply_coverage([session(0, "100")], cov)
    assert (share.patient, share.plan) == (D("100.00"), D("0.00"))


def test_visit_with_deductible_left_copay_and_coinsurance() -> None:
    """docs/coverage.md, example 2: $400, $300 left, $25 copay, 20%: 300+25+15=340, plan 60."""
    cov = Coverage(
        deductible=D("1000"), deductible_met=D("700"), copay=D("25"), coinsurance=D("0.20")
    )
    (share,) = apply_coverage([session(0, "400")], cov)
    assert (share.deductible, share.copay, share.coinsurance) == (D("300"), D("25"), D("15.00"))
    assert (share.patient, share.plan) == (D("340.00"), D("60.00"))


def test_six_sessions_at_600_deductible_1500() -> None:
    """docs/coverage.md, example 3: six $600 sessions, $1,500 deductible, 20%: 600,600,360,120x3."""
    cov = Coverage(deductible=D("1500"), coinsurance=D("0.20"))
    shares = apply_coverage(series(6, "600"), cov)
    assert [s.patient for s in shares] == [D(x) for x in ("600", "600", "360", "120", "120", "120")]
    assert sum(s.patient for s in shares) == D("1920")
    assert sum(s.plan for s in shares) == D("1680")


def test_out_of_pocket_maximum_caps_the_share() -> None:
    """Once the out-of-pocket maximum is reached the plan pays 100%."""
    cov = Coverage(deductible=D("1500"), coinsurance=D("0.20"), oop_max=D("1700"))
    shares = apply_coverage(series(6, "600"), cov)
    assert [s.patient for s in shares] == [D(x) for x in ("600", "600", "360", "120", "20", "0")]
    assert shares[-1].plan == D("600")


def test_oop_met_defaults_to_deductible_met() -> None:
    """Without --oop-met, what was paid toward the deductible counts toward the maximum."""
    cov = Coverage(
        deductible=D("1000"), deductible_met=D("1000"), coinsurance=D("0.50"), oop_max=D("1100")
    )
    (share,) = apply_coverage([session(0, "400")], cov)
    assert share.patient == D("100")


def test_deductible_resets_at_the_plan_year_start() -> None:
    """Accumulators start over on January 1: the deductible is owed again."""
    cov = Coverage(deductible=D("1500"), coinsurance=D("0.20"))
    claims = [
        session(k, "600", day)
        for k, day in enumerate(
            [
                date(2026, 12, 28),
                date(2026, 12, 30),
                date(2027, 1, 1),
                date(2027, 1, 4),
                date(2027, 1, 6),
                date(2027, 1, 8),
            ]
        )
    ]
    shares = apply_coverage(claims, cov)
    assert [s.patient for s in shares] == [D(x) for x in ("600", "600", "600", "600", "360", "120")]
    assert sum(s.patient for s in shares) == D("2880")


def test_configurable_plan_year_start() -> None:
    """A plan year starting 07-01 resets between June 30 and July 1, not at New Year."""
    cov = Coverage(deductible=D("500"), plan_year_start=(7, 1))
    claims = [
        session(0, "400", date(2026, 6, 30)),
        session(1, "400", date(2026, 7, 1)),
        session(2, "400", date(2027, 1, 2)),
    ]
    assert [s.patient for s in apply_coverage(claims, cov)] == [D("400"), D("400"), D("100")]
    assert plan_year(date(2026, 6, 30), (7, 1)) == 2025
    assert plan_year(date(2026, 7, 1), (7, 1)) == 2026


def test_amounts_met_count_only_in_the_first_plan_year() -> None:
    """What is already met applies to the first session's plan year, then resets."""
    cov = Coverage(deductible=D("500"), deductible_met=D("500"))
    claims = [session(0, "400", date(2026, 12, 30)), session(1, "400", date(2027, 1, 4))]
    assert [s.patient for s in apply_coverage(claims, cov)] == [D("0"), D("400")]


def test_in_network_allowed_amount_is_written_off() -> None:
    """In-network: the patient owes nothing above the allowed amount; the rest is adjusted."""
    cov = Coverage(allowed=D("500"), coinsurance=D("0.40"))
    (share,) = apply_coverage([session(0, "600")], cov)
    assert (share.patient, share.plan, share.balance_bill) == (D("200"), D("300"), D("0"))
    assert share.adjustment == D("100")
    assert share.paid_up_front == D("200")


def test_out_of_network_pays_up_front_and_is_reimbursed() -> None:
    """Out-of-network: pay the charge, get A minus the share back; the excess is a balance bill."""
    cov = Coverage(network="out", allowed=D("500"), coinsurance=D("0.40"))
    (share,) = apply_coverage([session(0, "600")], cov)
    assert share.paid_up_front == D("600")
    assert (share.plan, share.balance_bill, share.patient) == (D("300"), D("100"), D("300"))


def test_balance_bill_does_not_count_toward_the_deductible() -> None:
    """Charges above the allowed amount count toward neither deductible nor maximum."""
    cov = Coverage(
        network="out", allowed=D("300"), deductible=D("500"), coinsurance=D("0.5"), oop_max=D("600")
    )
    shares = apply_coverage(series(4, "400"), cov)
    assert [s.deductible for s in shares] == [D("300"), D("200"), D("0"), D("0")]
    assert [s.patient - s.balance_bill for s in shares] == [D("300"), D("250"), D("50"), D("0")]
    assert all(s.balance_bill == D("100") for s in shares)


def test_allowed_above_the_charge_allows_the_charge() -> None:
    """A plan never allows more than the clinic charged."""
    cov = Coverage(allowed=D("900"), coinsurance=D("0.20"))
    (share,) = apply_coverage([session(0, "600")], cov)
    assert (share.allowed, share.patient, share.plan) == (D("600"), D("120"), D("480"))


def test_one_copay_per_visit() -> None:
    """A fee billed on the day of a session shares that visit's copay: one copay a day."""
    cov = Coverage(copay=D("25"))
    claims = [
        session(0, "400"),
        Claim(DAY, "Monitoring", D("50")),
        session(1, "400", DAY + timedelta(days=2)),
    ]
    shares = apply_coverage(claims, cov)
    assert [s.copay for s in shares] == [D("25"), D("0"), D("25")]


def test_copay_left_over_moves_to_the_next_claim_that_day() -> None:
    """A copay not used up by one claim on a day is taken from the next claim that day."""
    cov = Coverage(copay=D("25"))
    claims = [session(0, "10"), Claim(DAY, "Monitoring", D("50"))]
    assert [s.copay for s in apply_coverage(claims, cov)] == [D("10"), D("15")]


def test_coinsurance_is_rounded_per_claim() -> None:
    """Each claim's coinsurance is rounded half up to the cent; shares add up exactly."""
    cov = Coverage(coinsurance=D("0.15"))
    (share,) = apply_coverage([session(0, "100.10")], cov)
    assert share.coinsurance == D("15.02")  # 15.015 rounds up
    assert share.patient + share.plan == share.allowed


def test_no_coverage_is_self_pay() -> None:
    """Without coverage the patient pays every charge, up front."""
    (share,) = apply_coverage([session(0, "600")], None)
    assert (share.patient, share.plan, share.paid_up_front) == (D("600"), D("0"), D("600"))


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"coinsurance": Decimal("1.2")}, "coinsurance"),
        ({"coinsurance": Decimal("-0.1")}, "coinsurance"),
        ({"deductible": D("100"), "deductible_met": D("200")}, "deductible_met"),
        ({"oop_max": D("100"), "oop_met": D("200")}, "oop_met"),
        (
            {"deductible": D("500"), "deductible_met": D("300"), "oop_max": D("200")},
            "deductible_met",
        ),
        ({"deductible": D("500"), "deductible_met": D("300"), "oop_met": D("100")}, "oop_met"),
    ],
)
def test_contradictory_coverage_is_refused(kwargs: dict[str, object], field: str) -> None:
    """Figures that contradict each other raise CoverageError naming the field at fault."""
    with pytest.raises(CoverageError) as caught:
        Coverage(**kwargs)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_copay_above_the_allowed_amount_is_capped_not_refused() -> None:
    """A $150 copay on a session the plan allows $100 for: the patient pays $100, the
    plan nothing, and the clinic writes off the rest of its charge."""
    cov = Coverage(allowed=D("100"), copay=D("150"))
    (share,) = apply_coverage([Claim(date(2026, 11, 23), "Session 1", D("400"), 0)], cov)
    assert (share.copay, share.patient, share.plan, share.adjustment) == (
        D("100"),
        D("100"),
        D("0"),
        D("300"),
    )
