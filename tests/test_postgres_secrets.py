"""A PostgreSQL password is never printed, in any failure, however it was given: in a URL
(percent-encoded or not), as key=value (quoted, escaped or bare), in a URL's query, or in
PGPASSWORD; and a connection string starting with a word libpq does not know is refused,
never taken for an SQLite file's name (docs/quote-log.md, "Several desks, one log")."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ketacost.cli import cli
from tests.pg_server import PgServer

PIECE = st.text(
    st.sampled_from("abcXYZ0189 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~é\u202e"), min_size=0, max_size=6
)


def _secret(a: str, b: str, c: str) -> tuple[str, list[str]]:
    """A password holding the awkward characters, and its marked pieces: a leak of any
    piece (libpq taking part of the password for the host, say) shows."""
    pieces = [f"Ka{a}Ka", f"Kb{b}Kb", f"Kc{c}Kc"]
    return f"{pieces[0]}@{pieces[1]}/{pieces[2]}:", pieces


def _forms(socket: str, database: str) -> dict[str, Callable[[str], tuple[str, dict[str, str]]]]:
    where = f"host={socket} dbname={database}"

    def escaped(secret: str) -> str:
        return secret.replace("\\", "\\\\").replace("'", "\\'")

    return {
        "url encoded": lambda s: (
            f"postgresql://postgres:{quote(s, safe='')}@/{database}?host={quote(socket)}",
            {},
        ),
        "url raw": lambda s: (f"postgresql://postgres:{s}@/{database}?host={quote(socket)}", {}),
        "url raw, host in it": lambda s: (f"postgresql://postgres:{s}@127.0.0.1:1/{database}", {}),
        "url raw, no database": lambda s: (f"postgresql://postgres:{s}@127.0.0.1:1", {}),
        "url query": lambda s: (
            f"postgresql:///{database}?host={quote(socket)}&user=postgres&password={quote(s)}",
            {},
        ),
        "quoted": lambda s: (f"{where} user=postgres password='{escaped(s)}'", {}),
        "bare": lambda s: (f"{where} user=postgres password={s}", {}),
        "PGPASSWORD": lambda s: (f"{where} user=postgres", {"PGPASSWORD": s}),
        "bad port": lambda s: (f"{where} port=notaport user=postgres password='{escaped(s)}'", {}),
        "bad sslmode": lambda s: (f"{where} sslmode=maybe password='{escaped(s)}'", {}),
        "no server": lambda s: (f"host=/nonexistent/folder password='{escaped(s)}'", {}),
    }


COMMANDS = [
    ["quotes", "list"],
    ["quote"],
    ["quotes", "verify"],
    ["quotes", "init"],
    ["quotes", "copy", "--from", "DB", "--to", "copy.db"],
]


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(a=PIECE, b=PIECE, c=PIECE, form=st.integers(0, 10), command=st.sampled_from(COMMANDS))
@example(a="?", b="", c="", form=2, command=["quotes", "list"])  # a ? before the first @
def test_no_failure_ever_prints_the_password(
    pg_server: PgServer,
    pg_database: str,
    monkeypatch: pytest.MonkeyPatch,
    a: str,
    b: str,
    c: str,
    form: int,
    command: list[str],
) -> None:
    """Whatever the form and the failure (wrong password, bad option, no server, a
    string libpq cannot read): one line, status 1 or 2, and no piece of the password."""
    for name in ("PGPASSWORD", "PGHOST", "PGUSER", "PGSERVICE", "PGPASSFILE"):
        monkeypatch.delenv(name, raising=False)
    secret, pieces = _secret(a, b, c)
    name, make = list(_forms(str(pg_server.socket_dir), pg_database).items())[form]
    conninfo, env = make(secret)
    args = [conninfo if arg == "DB" else arg for arg in command]
    args += [] if "DB" in command else ["--db", conninfo]
    result = CliRunner().invoke(cli, args, env=env)
    output = result.stdout + result.stderr
    assert result.exit_code in (1, 2), (name, output)
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert len(result.stderr.splitlines()) == 1, (name, result.stderr)
    for piece in [secret, quote(secret, safe=""), *pieces]:
        assert piece not in output, (name, piece, output)
    assert not any(Path(".").glob("*Ka*")), "a file was made from the connection string"


@pytest.mark.parametrize(
    "target",
    ["sslnegotiation_x=direct host=db", "hosted=x.db", "keepalive=1 host=db", "Host=db"],
)
def test_an_unknown_first_keyword_is_refused_never_a_file(
    runner: CliRunner, tmp_path: Path, target: str
) -> None:
    """``word=...`` where libpq has no such word: status 2 naming --db and the word; no
    file is made (a file so named is written ./word=...)."""
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(cli, ["quote", "--patient", "Ann Lee", "--db", target])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert "'--db'" in line and "is not a libpq connection keyword" in line
    assert list(tmp_path.iterdir()) == []


def test_a_file_whose_name_holds_an_equals_sign_is_written_with_dot_slash(
    runner: CliRunner, tmp_path: Path
) -> None:
    """./hosted=x.db is a file: the quote is saved there."""
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = runner.invoke(cli, ["quote", "--db", "./hosted=x.db"])
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "hosted=x.db").is_file()


def test_a_host_name_no_resolver_takes_is_one_line(runner: CliRunner) -> None:
    """A host name with a bidi override: one line, status 1, no traceback."""
    result = runner.invoke(cli, ["quotes", "list", "--db", "postgresql://desk@db\u202e.lan/k"])
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines() == [
        "Error: cannot connect to the PostgreSQL quote log: its host name is not a valid one"
    ]
