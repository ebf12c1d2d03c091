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

    from ketacost.cli import serve_cmd

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    # Whether the address is free is tested below, on a port the test holds: another
    # program may hold 8000 on the machine running the tests.
    monkeypatch.setattr(serve_cmd, "check_address", lambda host, port: None)
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


@pytest.fixture
def probed(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """uvicorn.run replaced by a recorder, the address still checked."""
    import uvicorn

    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append({"app": app, **kw}))
    return calls


def test_a_port_in_use_is_refused_in_one_line(
    runner: CliRunner, probed: list[dict[str, Any]]
) -> None:
    """A port another program holds: status 2, one line naming --port, before the desk's
    address is printed (the server stopped with its own error and status 3)."""
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = runner.invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2, result.output
    assert "'--port'" in result.stderr and "in use" in result.stderr
    assert "http://" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert probed == []


def test_a_free_port_is_served(runner: CliRunner, probed: list[dict[str, Any]]) -> None:
    import socket

    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        port = holder.getsockname()[1]
    result = runner.invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 0, result.output
    assert [call["port"] for call in probed] == [port]


@pytest.mark.parametrize("host", ["192.0.2.1", "no-such-host.invalid"])
def test_a_host_not_of_this_computer_is_refused_in_one_line(
    runner: CliRunner, probed: list[dict[str, Any]], host: str
) -> None:
    """With a desk account, another --host may be served, but only an address of this
    computer: else status 2 naming --host (the server stopped with its own error)."""
    from ketacost.cli.serve_cmd import desks_file
    from ketacost.web.desks import add_account

    add_account(desks_file(), "Front desk", "a long enough password")
    result = runner.invoke(cli, ["serve", "--host", host])
    assert result.exit_code == 2, result.output
    assert "'--host'" in result.stderr and "not an address of this computer" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert probed == []
