"""Which storage a --db value names, and messages that never repeat a password
(docs/quote-log.md, "Several desks, one log")."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.store.target import is_postgres, without_password


@pytest.mark.parametrize(
    ("value", "postgres"),
    [
        ("postgresql://desk@db.clinic.lan/ketacost", True),
        ("postgres://desk@db/ketacost?sslmode=require", True),
        ("POSTGRESQL://x", True),
        ("postgresql:///ketacost", True),  # host, user, password from PG* and .pgpass
        ("service=clinic", True),
        ("  host=db dbname=ketacost", True),
        ("dbname = ketacost", True),
        ("quotes.db", False),
        ("./host=x", False),
        ("/srv/desk/quotes.db", False),
        ("hosted=x.db", True),  # refused as a keyword libpq does not know, never a file
        ("postgresql.db", False),
    ],
)
def test_what_names_a_postgresql_database(value: str, postgres: bool) -> None:
    assert is_postgres(value) is postgres


SECRETS = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=4, max_size=30).filter(
    lambda s: s.strip() == s and "'" not in s and "\\" not in s
)


@settings(max_examples=300)
@given(secret=SECRETS)
def test_a_password_never_survives_in_a_message(secret: str) -> None:
    """Whichever way libpq was given it (URL, percent-encoded or not; key=value, quoted or
    not), a message that repeats the connection string or the password loses it."""
    for conninfo in (
        f"postgresql://desk:{quote(secret, safe='')}@db/ketacost",
        f"host=db user=desk password='{secret}' dbname=ketacost",
        f"postgresql://desk@db/ketacost?password={quote(secret, safe='')}",
    ):
        message = f"cannot connect to {conninfo}: wrong password {secret!s} for desk"
        cleaned = without_password(message, conninfo)
        assert secret not in cleaned
        assert quote(secret, safe="") not in cleaned
