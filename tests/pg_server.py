"""A throwaway PostgreSQL server for the tests: initdb and pg_ctl (Debian's ``postgresql``
package) into a temporary folder, listening on a Unix socket only, run as the
``postgres`` user when the tests run as root; stopped and removed at the end.

Loaded as a pytest plugin (tests/conftest.py). Where there are no server binaries or no
psycopg, the tests that need a server skip with one line saying why.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

SUPERUSER = "postgres"
PASSWORD = "Sup3r-secret-" + secrets.token_hex(4)
"""Every role of the test server has a password (scram-sha-256), so a message that
repeated one would be caught."""


def binaries() -> Path | None:
    """The folder holding initdb and pg_ctl: Debian's newest, else the PATH's."""
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if all(os.access(Path(folder, name), os.X_OK) for name in ("initdb", "pg_ctl")):
            return Path(folder)
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    return None


@dataclass
class PgServer:
    """A running server: its socket folder, and URLs for its databases and roles."""

    socket_dir: Path

    def url(self, database: str, user: str = SUPERUSER, password: str | None = PASSWORD) -> str:
        secret = "" if password is None else ":" + quote(password, safe="")
        return f"postgresql://{user}{secret}@/{database}?host={quote(str(self.socket_dir))}"

    def admin(self, sql: str, database: str = "postgres", params: Any = None) -> None:
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(sql.encode() if params is None else sql, params)

    def new_database(self) -> str:
        name = "quotes_" + secrets.token_hex(6)
        self.admin(f"CREATE DATABASE {name}")
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _run(command: list[str], owner: str | None) -> None:
    result = subprocess.run(command, capture_output=True, text=True, user=owner, check=False)
    if result.returncode:
        raise RuntimeError(f"{command[0]} failed: {result.stderr.strip() or result.stdout}")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One server for the whole test session."""
    folder = binaries()
    if folder is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed: pip install 'ketacost[postgres]'")
    owner = None
    if os.geteuid() == 0:  # initdb refuses to run as root
        owner = SUPERUSER
        try:
            account = pwd.getpwnam(owner)
        except KeyError:
            pytest.skip("running as root and there is no 'postgres' user to run the server")
    root = Path(tempfile.mkdtemp(prefix="ketacost-pg-"))
    root.chmod(0o755)
    data, sockets = root / "data", root / "sockets"
    sockets.mkdir()
    password_file = root / "password"
    password_file.write_text(PASSWORD + "\n")
    if owner is not None:
        for path in (root, sockets, password_file):
            os.chown(path, account.pw_uid, account.pw_gid)
    started = False
    try:
        _run(
            [
                str(folder / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                f"--pwfile={password_file}",
                "--auth-local=scram-sha-256",
                "--auth-host=scram-sha-256",
                "--encoding=UTF8",
                "--locale=C",
            ],
            owner,
        )
        options = f"-c listen_addresses='' -k {sockets} -c fsync=off -c max_connections=60"
        log = str(root / "server.log")
        _run(
            [str(folder / "pg_ctl"), "-D", str(data), "-o", options, "-l", log, "-w", "start"],
            owner,
        )
        started = True
        yield PgServer(sockets)
    finally:
        if started:
            _run([str(folder / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"], owner)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def pg_database(pg_server: PgServer) -> Iterator[str]:
    """A new, empty database on the test server; its name."""
    name = pg_server.new_database()
    yield name
    pg_server.drop_database(name)


@pytest.fixture
def pg_url(pg_server: PgServer, pg_database: str) -> str:
    """The URL of a new, empty database, as its owner (the server's superuser)."""
    return pg_server.url(pg_database)
