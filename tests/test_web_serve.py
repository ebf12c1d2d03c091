"""``ketacost serve``: where it listens, what it prints, and what it refuses."""

from __future__ import annotations

from typing import Any

import pytest
from click.testing import CliRunner

from ketacost.cli import cli


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced by a recorder: what the server would have been started with."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_serve_listens_on_this_computer_by_default(
    runner: CliRunner, served: list[dict[str, Any]]
) -> None:
    """127.0.0.1:8000, no access log (it would hold what a URL carries), URL printed."""
    result = runner.invoke(cli, ["serve"])
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8000/" in result.stderr
    (call,) = served
    assert (call["host"], call["port"], call["access_log"]) == ("127.0.0.1", 8000, False)


def test_serve_opens_a_browser_when_asked(
    runner: CliRunner, served: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", opened.append)
    result = runner.invoke(cli, ["serve", "--port", "8123", "--open"])
    assert result.exit_code == 0, result.output
    assert opened == ["http://127.0.0.1:8123/"]


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "example.org"])
def test_another_host_is_refused_without_desk_accounts(
    runner: CliRunner, served: list[dict[str, Any]], host: str
) -> None:
    """Anything but this computer would serve the desk to the network without a login."""
    result = runner.invoke(cli, ["serve", "--host", host])
    assert result.exit_code == 2
    assert "'--host'" in result.stderr and "desk accounts" in result.stderr
    assert served == []


def test_a_bad_sheet_is_refused_before_serving(
    runner: CliRunner, served: list[dict[str, Any]], tmp_path: Any
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("not toml [", encoding="utf-8")
    result = runner.invoke(cli, ["serve", "--sheet", str(bad)])
    assert result.exit_code == 2
    assert "bad price sheet" in result.stderr
    assert served == []


def test_serve_keeps_quotes_in_the_log_and_desk_given(
    runner: CliRunner, served: list[dict[str, Any]], tmp_path: Any
) -> None:
    """--db (or KETACOST_DB) and --desk (or KETACOST_DESK) reach the app, as for quote."""
    db = tmp_path / "desk.db"
    result = runner.invoke(cli, ["serve", "--db", str(db)], env={"KETACOST_DESK": "Front 1"})
    assert result.exit_code == 0, result.output
    settings = served[0]["app"].state.settings
    assert (settings.db, settings.desk) == (db, "Front 1")
