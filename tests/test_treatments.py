"""The treatments of the built-in sheet (Spravato, IM, KAP beside IV), their insurance
flags, billing codes and sources, KAP's therapy lines, and compare across treatments."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.coverage.build import build_coverage
from ketacost.paying.how_paid import Paying
from ketacost.report.build import build_report
from ketacost.request import EstimateError
from ketacost.sheet.load import load_sheet, parse_sheet
from ketacost.sheet.model import Code
from tests.helpers import estimate_json, estimate_with, report_with
from tests.sheet_samples import problems

D = Decimal


def notes_of(report_notes: tuple[str, ...] | list[str]) -> str:
    return " ".join(" ".join(report_notes).split())


def test_every_builtin_treatment_names_its_source() -> None:
    sheet = load_sheet()
    assert {t.key for t in sheet.treatments} == {"depression", "pain", "spravato", "im", "kap"}
    for treatment in sheet.treatments:
        assert treatment.source, treatment.key
        assert any(year in treatment.source for year in ("2023", "2025", "2026")), treatment.key
    for program in sheet.savings:
        assert program.source and program.as_of


def test_seed_iv_figures_are_kept() -> None:
    sheet = load_sheet()
    depression, pain = sheet.treatment("depression"), sheet.treatment("pain")
    assert (depression.price.low, depression.price.high) == (D(400), D(800))
    assert (pain.price.low, pain.price.high) == (D(700), D(2000))
    assert (depression.induction_sessions, depression.induction_weeks) == (6, 2)


def test_spravato_prices_codes_and_flags() -> None:
    spravato = load_sheet().treatment("esketamine")
    assert spravato.key == "spravato"
    assert spravato.price.low == D("906.51")  # Medicare G2082, 2026
    assert spravato.price.typical == D(1050)  # the published self-pay median
    assert spravato.price.high == D(2000)
    assert spravato.billing == (Code(code="J0013", units=56),)
    assert spravato.usually_covered
    assert spravato.observation_minutes == 120
    assert "G2082" in spravato.billing_note and "G2083" in spravato.billing_note
    assert "replaced S0013 on 2026-01-01" in spravato.billing_note


def test_spravato_says_prior_authorization_and_no_off_label_caveat() -> None:
    coverage = build_coverage(deductible=D(1500), coinsurance=D("0.2"))
    insured = notes_of(report_with(condition="spravato", coverage=coverage).notes)
    assert "usually covered by insurance with prior authorization" in insured
    assert "at least two antidepressants" in insured
    assert "re-authorized" in insured
    assert "off-label" not in insured
    assert "at least 2 hours of observation" in insured
    self_pay = notes_of(report_with(condition="spravato").notes)
    assert "off-label" not in self_pay
    assert "usually covered by insurance with prior authorization" in self_pay


@pytest.mark.parametrize("condition", ["depression", "pain", "im", "kap"])
def test_off_label_treatments_keep_the_caveat(condition: str) -> None:
    assert "(off-label)" in notes_of(report_with(condition=condition).notes)


def test_im_range() -> None:
    est = estimate_with(condition="intramuscular")
    assert [est.scenarios[s].per_session for s in ("low", "typical", "high")] == [
        D(400),
        D(425),
        D(1200),
    ]


def test_kap_prices_its_therapy_sessions_as_their_own_lines() -> None:
    """The published 3-session KAP protocol: intake, medical evaluation, a preparation
    session, 3 dosing sessions and 3 integration sessions, $2,350 with tablets."""
    est = estimate_with(condition="kap", sessions=3, weeks=3)
    low = est.scenarios["low"]
    lines = {line.key: (line.quantity, line.amount) for line in low.lines}
    assert lines == {
        "induction": (3, D(1200)),
        "kap-intake": (1, D(200)),
        "kap-medical-evaluation": (1, D(250)),
        "kap-preparation": (1, D(175)),
        "kap-integration": (3, D(525)),
    }
    assert low.charges == D(2350)


def test_kap_fees_stay_out_of_other_treatments() -> None:
    for condition in ("depression", "spravato", "im"):
        keys = {line.key for line in estimate_with(condition=condition).scenarios["low"].lines}
        assert not any(key.startswith("kap-") for key in keys), condition


def test_default_maintenance_per_treatment() -> None:
    spravato = estimate_with(condition="spravato")
    assert spravato.request.maintenance.label == "every 2 weeks"
    assert estimate_with(condition="depression").request.maintenance.unit == "none"
    assert (
        estimate_with(condition="spravato", maintenance="none").request.maintenance.unit == "none"
    )


SHEET = """
[treatments.iv]
price = 500
phases = [{ weeks = 1, per_week = 3 }, { weeks = 2, per_week = 1 }]
maintenance = "every 4 weeks for 2 months, then every 8 weeks"
insurance = "usually-covered"
prior_authorization = "after two tries"
observation_minutes = 45
source = "the clinic's own list, 2026"

[fees.therapy]
amount = 100
per = "session"
treatment = "iv"

[savings.maker]
treatment = "iv"
patient_pays = 5
yearly_cap = 1000
source = "the maker, 2026"
as_of = "2026-01-02"
"""


def test_a_sheet_can_phase_any_treatment() -> None:
    sheet = parse_sheet(SHEET, "clinic.toml")
    iv = sheet.treatment("iv")
    assert (iv.induction_sessions, iv.induction_weeks) == (5, 3)
    assert iv.maintenance.normalized == "4w for 2m, then 8w"
    assert iv.observation_minutes == 45
    assert sheet.savings_for("iv") is not None
    est = estimate_with(sheet=sheet, months=4)
    days = [(s.date - est.request.start).days for s in est.schedule]
    assert days[:5] == [0, 2, 4, 7, 14]
    assert "45 minutes of observation" in notes_of(build_report(est).notes)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("phases = [{ weeks = 4 }]", "must look like { weeks = 4, per_week = 2 }"),
        ("phases = [{ weeks = 0, per_week = 2 }]", "weeks of a phase in [treatments.a]"),
        ("phases = [{ weeks = 2, per_week = 9 }]", "per_week of a phase in [treatments.a]"),
        ("phases = [{ weeks = 2, per_week = 2 }]\ninduction_weeks = 3", "give one"),
        ('maintenance = "every 4 weeks, then 6w"', "'maintenance' in [treatments.a]"),
        ('insurance = "covered"', "did you mean 'usually-covered'"),
        ("observation_minutes = 0", "observation_minutes in [treatments.a] must be"),
    ],
)
def test_bad_treatment_keys_are_reported_at_their_line(extra: str, message: str) -> None:
    found = problems(f"[treatments.a]\nprice = 1\n{extra}\n")
    assert any(message in line and line.startswith("clinic.toml:") for line in found), found


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('[fees.x]\namount = 1\ntreatment = "b"\n', "[fees.x] names unknown treatment 'b'"),
        (
            '[savings.x]\ntreatment = "a"\npatient_pays = 1\nyearly_cap = 2\nsource = "s"\n'
            'as_of = "soon"\n',
            "'as_of' in [savings.x] must be a date",
        ),
        ('[savings.x]\ntreatment = "a"\n', "[savings.x] is missing 'patient_pays'"),
        (
            '[savings.x]\ntreatment = "zz"\npatient_pays = 1\nyearly_cap = 2\nsource = "s"\n'
            'as_of = "2026-01-01"\n',
            "[savings.x] names unknown treatment 'zz'",
        ),
    ],
)
def test_bad_fee_and_savings_tables(extra: str, message: str) -> None:
    found = problems(f"[treatments.a]\nprice = 1\n{extra}")
    assert any(message in line for line in found), found


def test_compare_across_treatments(runner: CliRunner) -> None:
    result = runner.invoke(
        cli,
        [
            "compare",
            "IV: -c depression",
            "Spravato: -c spravato --deductible 1500 --coinsurance 20",
            "--start",
            "2026-11-23",
        ],
    )
    assert result.exit_code == 0, result.output
    notes = notes_of([result.stdout])
    assert "Spravato: Spravato (esketamine nasal spray). 12 induction sessions" in notes
    assert "usually covered by insurance with prior authorization" in notes
    assert "IV: Depression and other mood conditions." in notes


def test_copay_above_the_allowed_amount_is_capped(runner: CliRunner) -> None:
    """A $500 copay on sessions the plan allows $300 for: the patient pays $300 each."""
    plan = ["--deductible", "0", "--coinsurance", "0"]
    data = estimate_json(runner, "--price", "600", "--copay", "500", "--allowed", "300", *plan)
    typical = data["scenarios"]["typical"]
    assert {c["patient_pays"] for c in typical["claims"]} == {"300.00"}
    assert typical["out_of_pocket"] == "1800.00"


def test_savings_needs_a_program_and_insurance() -> None:
    with pytest.raises(EstimateError) as error:
        estimate_with(condition="depression", paying=Paying(savings=True))
    assert error.value.field == "savings"
    with pytest.raises(EstimateError, match="commercially insured"):
        estimate_with(condition="spravato", paying=Paying(savings=True))


def test_builtin_treatments_in_order_with_the_default_and_insurance_flags() -> None:
    """The sheet's treatments in its own order, depression the default, only Spravato
    usually covered by insurance."""
    sheet = load_sheet()
    assert [t.key for t in sheet.treatments] == ["depression", "pain", "spravato", "im", "kap"]
    assert sheet.treatment(sheet.default_condition).key == "depression"
    assert [t.key for t in sheet.treatments if t.usually_covered] == ["spravato"]


def test_the_page_shows_the_new_figures(runner: CliRunner, tmp_path: Path) -> None:
    page = tmp_path / "spravato.html"
    args = ["-c", "spravato", "--deductible", "1500", "--coinsurance", "20", "--savings"]
    paying = ["--hsa-rate", "24", "--agi", "50000", "-o", str(page)]
    result = runner.invoke(cli, ["estimate", "--start", "2026-11-23", *args, *paying])
    assert result.exit_code == 0, result.output
    html = page.read_text(encoding="utf-8")
    assert "SPRAVATO withMe savings program pays" in html
    assert "You pay after the program" in html
    assert "The account pays, by calendar year" in html
    assert "are deductible" in html and "only if you itemize" in html
    assert "usually covered by insurance with prior authorization" in html


def test_a_blank_maintenance_is_the_treatments_own_plan() -> None:
    assert estimate_with(condition="spravato", maintenance=" ").request.maintenance.label == (
        "every 2 weeks"
    )
    assert estimate_with(maintenance="").request.maintenance.unit == "none"


SAVINGS = (
    '[savings.x]\ntreatment = "a"\npatient_pays = 10\nyearly_cap = 8000\nsource = "s"\n'
    'as_of = "2026-01-01"\n'
)


@pytest.mark.parametrize(
    ("prices", "medication", "refused"),
    [
        ("price = 1050", 100000, "$100,000.00 is more than treatment 'a' charges a session"),
        ("low = 700\nhigh = 1500", 800, "$800.00 is more than treatment 'a' charges a session"),
        ("price = 1050\nbooster_price = 500", 590, "($500.00)"),
        ("price = 1050", 1050, None),
        ("price = 1050\nbooster_price = 600", 590, None),
    ],
)
def test_a_medication_part_above_a_sessions_charge_is_refused(
    prices: str, medication: int, refused: str | None
) -> None:
    """The program pays toward the medication, a part of a session's charge: a part
    larger than the least a session is charged (its low price, its booster price) would
    have the program pay toward the whole visit, the observation too, silently."""
    found = problems(f"[treatments.a]\n{prices}\n{SAVINGS}medication = {medication}\n")
    if refused is None:
        assert found == []
    else:
        assert len(found) == 1 and refused in found[0], found
        line = 2 + prices.count("\n") + SAVINGS.count("\n") + 1
        assert found[0].startswith(f"clinic.toml:{line}: 'medication' in [savings.x] ")
