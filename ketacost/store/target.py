"""Which storage a ``--db`` value names (docs/quote-log.md, "Several desks, one log").

A PostgreSQL database is named the way libpq names one: a URL (``postgresql://...`` or
``postgres://...``) or a connection string of ``keyword=value`` pairs (``service=clinic``,
``host=db dbname=quotes``). Anything else is the path of an SQLite file. Nothing here
imports psycopg, so an SQLite log starts exactly as before.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

LIBPQ_KEYWORDS = (
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "passfile",
    "service",
    "sslmode",
    "sslrootcert",
    "sslcert",
    "sslkey",
    "connect_timeout",
    "options",
    "application_name",
    "target_session_attrs",
)
"""The keywords that start a libpq connection string (a file named ``host=x`` would have
to be written ``./host=x``)."""

_URL = re.compile(r"postgres(ql)?://", re.IGNORECASE)
_CONNINFO = re.compile(rf"\s*({'|'.join(LIBPQ_KEYWORDS)})\s*=")


def is_postgres(target: str) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than an SQLite file."""
    return bool(_URL.match(target) or _CONNINFO.match(target))


def without_password(text: str, conninfo: str) -> str:
    """``text`` with the password of ``conninfo`` (any form libpq accepts) blanked out, and
    any ``password=...`` or ``user:password@`` it carries, so no message repeats it."""
    text = re.sub(r"(password\s*=\s*)('(\\.|[^'])*'|\S+)", r"\1***", text, flags=re.IGNORECASE)
    text = re.sub(r"(://[^:/@\s]*):[^@\s]*@", r"\1:***@", text)
    for secret in _passwords(conninfo):
        text = text.replace(secret, "***")
    return text


def _passwords(conninfo: str) -> list[str]:
    found = re.findall(r"://[^:/@\s]*:([^@\s]+)@", conninfo)
    for quoted, bare in re.findall(
        r"password\s*=\s*(?:'((?:\\.|[^'])*)'|([^\s&]+))", conninfo, flags=re.IGNORECASE
    ):
        found.append(quoted or bare)
    found += [unquote(secret) for secret in found]
    return sorted({secret for secret in found if secret}, key=len, reverse=True)
