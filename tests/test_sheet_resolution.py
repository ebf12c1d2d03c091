"""Which price sheet an estimate uses, how every output names it, and how a bad sheet
is refused."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from tests.conftest import START
from tests.sheet_samples import FIGURE, write


def output(runner: CliRunner, *args: str) -> str:
    """Run ``estimate`` from START, 120 columns wide, and return standard output."""
    result = runner.invoke(
        cli, ["estimate", "--start", START.isoformat(), *args], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_bad_sheet_exits_2_naming_file_and_line(runner: CliRunner, tmp_path: Path) -> None:
    """A bad sheet given to estimate: status 2, one line on stderr with FILE:LINE, no output."""
    sheet = write(tmp_path, FIGURE.replace("percent = 10", "percent = 110"))
    result = runner.invoke(cli, ["estimate", "--sheet", str(sheet)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: bad price sheet: {sheet}:23: 'percent' in [discounts.prepaid] must be "
        "from 0 to 100, not 110\n"
    )


def test_bad_sheet_with_many_problems_points_to_check(runner: CliRunner, tmp_path: Path) -> None:
    """With several problems, the one line gives the first and how to see the rest."""
    sheet = write(
        tmp_path,
        FIGURE.replace("percent = 10", "percent = 110").replace('"1234567893"', '"1234567890"'),
    )
    result = runner.invoke(cli, ["estimate", "--sheet", str(sheet)])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert f"{sheet}:6: NPI" in result.stderr
    assert f"(and 1 more: run 'ketacost sheet check {sheet}')" in result.stderr


def config_sheet_path() -> Path:
    return Path(click.get_app_dir("ketacost")) / "sheet.toml"


def named(name: str) -> str:
    return f'[sheet]\nname = "{name}"\n[treatments.depression]\nprice = 450\n'


def sheet_used(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(cli, ["estimate", "-f", "json", *args], env=env)
    assert result.exit_code == 0, result.output
    name: str = json.loads(result.stdout)["sheet"]["name"]
    return name


def test_resolution_builtin_when_nothing_is_set(runner: CliRunner) -> None:
    """No --sheet, no KETACOST_SHEET, no config sheet: the built-in national averages."""
    assert sheet_used(runner) == "National averages (US, self-pay)"


def test_resolution_config_sheet_before_builtin(runner: CliRunner) -> None:
    """A sheet in the config directory is used when neither --sheet nor the env var is."""
    path = config_sheet_path()
    path.parent.mkdir(parents=True)
    path.write_text(named("Config clinic"), encoding="utf-8")
    assert sheet_used(runner) == "Config clinic"


def test_resolution_env_before_config(runner: CliRunner, tmp_path: Path) -> None:
    """KETACOST_SHEET wins over the config directory's sheet."""
    path = config_sheet_path()
    path.parent.mkdir(parents=True)
    path.write_text(named("Config clinic"), encoding="utf-8")
    env_sheet = write(tmp_path, named("Env clinic"), "env.toml")
    assert sheet_used(runner, env={"KETACOST_SHEET": str(env_sheet)}) == "Env clinic"


def test_resolution_option_before_env(runner: CliRunner, tmp_path: Path) -> None:
    """--sheet wins over KETACOST_SHEET."""
    env_sheet = write(tmp_path, named("Env clinic"), "env.toml")
    option_sheet = write(tmp_path, named("Option clinic"), "option.toml")
    assert (
        sheet_used(runner, "--sheet", str(option_sheet), env={"KETACOST_SHEET": str(env_sheet)})
        == "Option clinic"
    )


def test_json_names_the_sheet_and_its_hash(runner: CliRunner, tmp_path: Path) -> None:
    """JSON records the sheet's name, path and full SHA-256 of the file."""
    sheet = write(tmp_path, FIGURE)
    info = json.loads(output(runner, "--sheet", str(sheet), "-f", "json"))["sheet"]
    assert info["name"] == "Riverside Ketamine Clinic"
    assert info["path"] == str(sheet)
    assert info["sha256"] == hashlib.sha256(sheet.read_bytes()).hexdigest()


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_every_format_names_the_sheet_and_12_hex(
    runner: CliRunner, tmp_path: Path, fmt: str
) -> None:
    """Table, CSV and Markdown each carry the sheet's name and first 12 hex digits."""
    sheet = write(tmp_path, FIGURE)
    out = " ".join(output(runner, "--sheet", str(sheet), "-f", fmt).split())
    short = hashlib.sha256(sheet.read_bytes()).hexdigest()[:12]
    assert f"price sheet 'Riverside Ketamine Clinic', sha256 {short}" in out
    assert "not medical or financial advice" in out


def test_csv_keeps_figures_then_notes(runner: CliRunner, tmp_path: Path) -> None:
    """CSV: figure rows first, an empty row, then the assumption lines one cell each."""
    out = output(runner, "--sheet", str(write(tmp_path, FIGURE)), "-f", "csv", "--with", "prepaid")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["item", "estimate"]
    assert ["Clinic charges", "2680.00"] in rows
    blank = rows.index([])
    assert all(len(row) == 2 for row in rows[:blank])
    assert all(len(row) == 1 for row in rows[blank + 1 :])
    assert rows[-1] == ["This is an estimate, not medical or financial advice."]


def put_config_sheet(text: str) -> Path:
    path = config_sheet_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("chosen", ["builtin", "BUILTIN"])
def test_sheet_builtin_picks_the_averages_over_a_config_sheet(
    runner: CliRunner, chosen: str
) -> None:
    """--sheet builtin (any case) selects the built-in averages though a config sheet exists."""
    put_config_sheet(named("Config clinic"))
    assert sheet_used(runner, "--sheet", chosen) == "National averages (US, self-pay)"
    assert sheet_used(runner) == "Config clinic"


def test_env_builtin_picks_the_averages(runner: CliRunner) -> None:
    """KETACOST_SHEET=builtin does the same, for every command that takes --sheet."""
    put_config_sheet(named("Config clinic"))
    env = {"KETACOST_SHEET": "builtin"}
    assert sheet_used(runner, env=env) == "National averages (US, self-pay)"
    shown = runner.invoke(cli, ["sheet", "show"], env={**env, "COLUMNS": "120"})
    assert shown.exit_code == 0, shown.output
    assert "National averages" in shown.stdout and "Config clinic" not in shown.stdout
    shown = runner.invoke(cli, ["sheet", "show", "builtin"], env={"COLUMNS": "120"})
    assert "National averages" in shown.stdout


def test_a_file_named_builtin_is_reached_as_a_path(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``builtin`` is the keyword; a sheet file of that name is ./builtin."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "builtin").write_text(named("File called builtin"), encoding="utf-8")
    assert sheet_used(runner, "--sheet", "./builtin") == "File called builtin"
    assert sheet_used(runner, "--sheet", "builtin") == "National averages (US, self-pay)"


@pytest.mark.parametrize("value", ["", "relative/config", "."])
def test_empty_or_relative_xdg_config_home_is_ignored(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    """XDG_CONFIG_HOME empty or relative: ignored (the XDG spec), so ``sheet init`` writes
    ~/.config/ketacost/sheet.toml, never ./ketacost/sheet.toml in the working folder."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("XDG_CONFIG_HOME", value)
    result = runner.invoke(cli, ["sheet", "init"])
    assert result.exit_code == 0, result.output
    expected = Path(os.environ["HOME"]) / ".config" / "ketacost" / "sheet.toml"
    assert expected.is_file()
    assert str(expected) in result.stdout
    assert list(work.rglob("*")) == []
    assert sheet_used(runner) == "My Clinic price sheet"


def test_absolute_xdg_config_home_is_used(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An absolute XDG_CONFIG_HOME holds the config sheet."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert runner.invoke(cli, ["sheet", "init"]).exit_code == 0
    assert (tmp_path / "cfg" / "ketacost" / "sheet.toml").is_file()
