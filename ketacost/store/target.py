"""Which storage a ``--db`` value names (docs/quote-log.md, "Several desks, one log").

A PostgreSQL database is named the way libpq names one: a URL (``postgresql://...`` or
``postgres://...``) or a connection string of ``keyword=value`` pairs (``service=clinic``,
``host=db dbname=quotes``). Anything else is the path of an SQLite file. Nothing here
imports psycopg, so an SQLite log starts exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, unquote

LIBPQ_KEYWORDS = frozenset(
    {
        "application_name",
        "channel_binding",
        "client_encoding",
        "connect_timeout",
        "dbname",
        "fallback_application_name",
        "gssdelegation",
        "gssencmode",
        "gsslib",
        "host",
        "hostaddr",
        "keepalives",
        "keepalives_count",
        "keepalives_idle",
        "keepalives_interval",
        "krbsrvname",
        "load_balance_hosts",
        "max_protocol_version",
        "min_protocol_version",
        "oauth_client_id",
        "oauth_client_secret",
        "oauth_issuer",
        "oauth_scope",
        "options",
        "passfile",
        "password",
        "port",
        "replication",
        "require_auth",
        "requirepeer",
        "scram_client_key",
        "scram_server_key",
        "service",
        "ssl_max_protocol_version",
        "ssl_min_protocol_version",
        "sslcert",
        "sslcertmode",
        "sslcompression",
        "sslcrl",
        "sslcrldir",
        "sslkey",
        "sslkeylogfile",
        "sslmode",
        "sslnegotiation",
        "sslpassword",
        "sslrootcert",
        "sslsni",
        "target_session_attrs",
        "tcp_user_timeout",
        "user",
    }
)
"""The keywords of a libpq connection string (libpq 18's list, ``PQconndefaults``)."""

SECRET_KEYWORDS = ("password", "sslpassword", "oauth_client_secret", "scram_client_key")
"""Keywords whose values no message may repeat."""

_URL = re.compile(r"postgres(ql)?://", re.IGNORECASE)
_CONNINFO = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=")


def is_postgres(target: str) -> bool:
    """Whether ``target`` names a PostgreSQL database rather than an SQLite file: a URL,
    or text that starts as a connection string does (``word=``). A file whose name starts
    so is written ``./host=x``; a word libpq does not know is refused
    (:func:`unknown_keyword`), never taken for a file's name."""
    return bool(_URL.match(target) or _CONNINFO.match(target))


def unknown_keyword(target: str) -> str | None:
    """The first keyword of a connection string when libpq has no such keyword."""
    found = _CONNINFO.match(target)
    if found is None or found.group(1) in LIBPQ_KEYWORDS:
        return None
    return found.group(1)


def ambiguous_url(target: str) -> bool:
    """Whether a URL's password could be read two ways: an ``@``, ``/``, ``?`` or ``#``
    left unencoded in it would let libpq take part of the password for the host or the
    database, and repeat it in a message. Such a password is written percent-encoded
    (``%40`` for ``@``)."""
    scheme = _URL.match(target)
    if scheme is None:
        return False
    rest = target[scheme.end() :]
    slash = rest.find("/")  # libpq reads the query only after the path: a ? before it
    query = rest.find("?", slash) if slash >= 0 else -1  # is the password's own
    before_query = rest if query < 0 else rest[:query]
    authority = before_query.split("/", 1)[0]
    return before_query.count("@") > authority.count("@") or authority.count("@") > 1


def without_password(text: str, conninfo: str, secrets: Iterable[str] = ()) -> str:
    """``text`` with the password of ``conninfo`` (any form libpq accepts) blanked out, and
    any ``password=...`` or ``user:password@`` it carries, and each of ``secrets`` (the
    password as libpq read it, PGPASSWORD), so no message repeats it."""
    text = re.sub(
        rf"(({'|'.join(SECRET_KEYWORDS)})\s*=\s*)('(\\.|[^'])*'|\S+)",
        r"\1***",
        text,
        flags=re.IGNORECASE,
    )
    text = re.sub(r"(://[^:/@\s]*):[^@\s]*@", r"\1:***@", text)
    found = {*_passwords(conninfo), *secrets}
    found |= {quote(secret, safe="") for secret in found}
    for secret in sorted((s for s in found if s), key=len, reverse=True):
        text = text.replace(secret, "***")
    return text


def _passwords(conninfo: str) -> list[str]:
    found = re.findall(r"://[^:/@\s]*:([^@\s]+)@", conninfo)
    for quoted, bare in re.findall(
        rf"(?:{'|'.join(SECRET_KEYWORDS)})\s*=\s*(?:'((?:\\.|[^'])*)'|([^\s&]+))",
        conninfo,
        flags=re.IGNORECASE,
    ):
        found.append(quoted or bare)
    found += [unquote(secret) for secret in found]
    return sorted({secret for secret in found if secret}, key=len, reverse=True)
