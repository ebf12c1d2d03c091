"""The ``ketacost sheet`` commands: init, check and show."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import click
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.cli.sheet_cmd import starter_text
from ketacost.sheet.load import parse_sheet
from tests.clinic import CO_PROVIDER, clinic_sheet
from tests.sheet_samples import FIGURE, write

GUIDE = Path(__file__).parent.parent / "docs" / "front-desk.md"


def config_sheet_path() -> Path:
    return Path(click.get_app_dir("ketacost")) / "sheet.toml"


def flat(text: str) -> str:
    return " ".join(text.split())


def test_init_writes_the_config_sheet_by_default(runner: CliRunner) -> None:
    """With no PATH, init writes the config-directory sheet, which estimates then use."""
    result = runner.invoke(cli, ["sheet", "init"])
    assert result.exit_code == 0, result.output
    path = config_sheet_path()
    assert path.read_text(encoding="utf-8") == starter_text()
    assert f"Wrote a starter price sheet to {path}" in result.stdout
    estimate = runner.invoke(cli, ["estimate", "-f", "json"])
    assert '"name": "My Clinic price sheet"' in estimate.stdout


def test_init_writes_a_sheet_that_passes_check(runner: CliRunner, tmp_path: Path) -> None:
    """The starter sheet written by init passes sheet check."""
    path = tmp_path / "clinic.toml"
    assert runner.invoke(cli, ["sheet", "init", str(path)]).exit_code == 0
    result = runner.invoke(cli, ["sheet", "check", str(path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"OK: {path}: price sheet 'My Clinic price sheet'")


def test_starter_sheet_uses_every_part_of_the_format() -> None:
    """The starter shows each table kind: clinic, exact and ranged treatments, fees,
    an optional fee, a conditional discount and a plan with a booster price."""
    sheet = parse_sheet(starter_text())
    assert sheet.clinic.name
    assert {t.price.is_exact for t in sheet.treatments} == {True, False}
    assert {f.per for f in sheet.fees} >= {"once", "session"}
    assert any(f.optional for f in sheet.fees)
    assert any(d.when for d in sheet.discounts)
    assert any(p.booster_price is not None for p in sheet.plans)


def test_init_refuses_to_overwrite(runner: CliRunner, tmp_path: Path) -> None:
    """An existing file is left alone (status 1) unless --force is given."""
    path = write(tmp_path, FIGURE)
    result = runner.invoke(cli, ["sheet", "init", str(path)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {path} already exists; use --force to replace it\n"
    assert path.read_text(encoding="utf-8") == FIGURE
    forced = runner.invoke(cli, ["sheet", "init", str(path), "--force"])
    assert forced.exit_code == 0, forced.output
    assert path.read_text(encoding="utf-8") == starter_text()


def test_init_onto_a_directory_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    """A directory is not a sheet file: status 2."""
    result = runner.invoke(cli, ["sheet", "init", str(tmp_path), "--force"])
    assert result.exit_code == 2
    assert "is a directory" in result.stderr


def test_check_valid_sheet_prints_one_ok_line(runner: CliRunner, tmp_path: Path) -> None:
    """A valid sheet: status 0 and one line with its name and 12-hex hash."""
    path = write(tmp_path, FIGURE)
    short = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    result = runner.invoke(cli, ["sheet", "check", str(path)])
    assert result.exit_code == 0
    assert result.stdout == (
        f"OK: {path}: price sheet 'Riverside Ketamine Clinic', sha256 "
        f"{short} (1 treatment, 1 fee, 1 discount, 0 plans)\n"
    )


def test_check_lists_every_problem_and_exits_1(runner: CliRunner, tmp_path: Path) -> None:
    """Every problem as FILE:LINE: message on stdout, a count on stderr, status 1."""
    path = write(
        tmp_path,
        FIGURE.replace('"1234567893"', '"1234567890"')
        .replace('"12-3456789"', '"123456789"')
        .replace("percent = 10", "percent = 110")
        .replace("per = ", "pre = "),
    )
    result = runner.invoke(cli, ["sheet", "check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:6: NPI '1234567890' is not valid: it must be 10 digits whose last is the "
        "check digit",
        f"{path}:7: TIN '123456789' must look like NN-NNNNNNN",
        f"{path}:18: unknown key 'pre' in [fees.consultation] (did you mean 'per'?)",
        f"{path}:23: 'percent' in [discounts.prepaid] must be from 0 to 100, not 110",
    ]
    assert result.stderr == f"Error: {path}: 4 problems\n"


def test_check_syntax_error_gives_its_line(runner: CliRunner, tmp_path: Path) -> None:
    """A TOML syntax error is reported as FILE:LINE, status 1."""
    path = write(tmp_path, FIGURE.replace("amount = 250", "amount = = 250"))
    result = runner.invoke(cli, ["sheet", "check", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:17: not valid TOML: ")


def test_check_missing_file_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    """A file that does not exist: status 2 naming it."""
    result = runner.invoke(cli, ["sheet", "check", str(tmp_path / "nope.toml")])
    assert result.exit_code == 2
    assert "nope.toml" in result.stderr


def show(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(cli, ["sheet", "show", *args], env={"COLUMNS": "120", **(env or {})})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_show_draws_every_part(runner: CliRunner, tmp_path: Path) -> None:
    """show: heading with name and hash, then treatments, fees, discounts, plans, clinic."""
    path = tmp_path / "clinic.toml"
    runner.invoke(cli, ["sheet", "init", str(path)])
    out = show(runner, str(path))
    short = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert f"Price sheet 'My Clinic price sheet' {path}, sha256 {short}" in flat(out)
    titles = [
        line.strip()
        for line in out.splitlines()
        if line.strip() in {"Treatments", "Fees", "Discounts", "Maintenance plans", "Clinic"}
    ]
    assert titles == ["Treatments", "Fees", "Discounts", "Maintenance plans", "Clinic"]
    assert re.search(r"depression \(default\)\s+│\s+\$450\.00 │\s+\$400\.00", out)
    assert re.search(r"low \$700\.00", out)
    assert "typical $950.00" in out
    assert re.search(r"consultation\s+│ Psychiatric evaluation .*│\s+\$250\.00 │ once", out)
    assert re.search(r"anti-nausea .*per session .* yes", out)
    assert "10% off induction sessions" in out
    assert re.search(r"membership .* monthly .* depression .* \$375\.00", out)


def test_show_defaults_to_the_builtin_sheet(runner: CliRunner) -> None:
    """With nothing set, show draws the built-in national averages."""
    out = show(runner)
    assert "Price sheet 'National averages (US, self-pay)' (built-in), sha256" in flat(out)
    assert "kap-integration" in out and "kap only" in flat(out)  # KAP's own therapy fees


def test_show_resolves_env_then_config(runner: CliRunner, tmp_path: Path) -> None:
    """show uses KETACOST_SHEET, else the config sheet, like estimate."""
    config = config_sheet_path()
    config.parent.mkdir(parents=True)
    config.write_text('[sheet]\nname = "Config"\n[treatments.a]\nprice = 1\n', encoding="utf-8")
    assert "Price sheet 'Config'" in show(runner)
    env_sheet = write(tmp_path, FIGURE)
    assert "Price sheet 'Riverside Ketamine Clinic'" in show(
        runner, env={"KETACOST_SHEET": str(env_sheet)}
    )


def test_show_bad_sheet_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    """A bad sheet given to show is refused like estimate does: status 2, FILE:LINE."""
    path = write(tmp_path, FIGURE.replace("price = 450", "price = -450"))
    result = runner.invoke(cli, ["sheet", "show", str(path)])
    assert result.exit_code == 2
    assert f"{path}:11: 'price' in [treatments.depression] must not be negative" in result.stderr


def test_help_teaches_each_sheet_command(runner: CliRunner) -> None:
    """Each sheet command has help with an example."""
    listing = runner.invoke(cli, ["--help"]).stdout
    assert "sheet" in listing
    for name in ("init", "check", "show"):
        result = runner.invoke(cli, ["sheet", name, "--help"])
        assert result.exit_code == 0
        assert f"ketacost sheet {name}" in result.stdout


def guide_section() -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index("## Clinic price sheets")
    end = text.find("\n## ", start + 1)
    return text[start:] if end == -1 else text[start:end]


def test_the_guide_documents_the_commands_and_a_valid_example() -> None:
    """The front desk guide's price-sheet section names the three commands, and its example
    sheet is valid."""
    section = guide_section()
    for command in ("ketacost sheet init", "ketacost sheet check", "ketacost sheet show"):
        assert command in section
    example = re.search(r"```toml\n(.*?)```", section, re.DOTALL)
    assert example is not None
    sheet = parse_sheet(example.group(1), "front desk guide example")
    assert f"sha256 {sheet.short_hash}" in section  # the output shown is of this very sheet
    assert sheet.clinic.npi
    assert sheet.fees
    assert sheet.discounts
    assert sheet.plans


def test_show_lists_codes_with_units_and_who_bills_each_item(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Codes one a line with their units (no literal ``\\n``), a part for the sheet's
    [providers], and which provider bills each treatment and fee, at any width."""
    sheet = clinic_sheet(tmp_path, extra=CO_PROVIDER)
    for width in ("60", "120"):
        out = runner.invoke(cli, ["sheet", "show", str(sheet)], env={"COLUMNS": width}).stdout
        assert "\\n" not in out
        words = flat(out)
        assert "96365 (1 unit)" in words and "J3490 (1 unit)" in words
        assert "J0013 (56 units)" in words
        assert "Providers" in [line.strip() for line in out.splitlines()]
        for field in ("Oak Psychiatry Group", "1679576722", "98-7654321", "200 Oak Avenue"):
            assert field in words
        assert "Billed by" in words
        fee = out[out.index("Psychiatric evaluation") :]
        assert "Oak Psychiatry" in fee.split("Maintenance plans")[0].split("Providers")[0]
        assert "clinic" in out[out.index("Treatments") : out.index("Fees")]


def test_show_leaves_out_who_bills_when_the_clinic_bills_everything(runner: CliRunner) -> None:
    """With no [providers], every item is the clinic's: no column says so."""
    assert "Billed by" not in show(runner)
