"""Desk accounts: a name and a password hashed with Argon2id (argon2-cffi), kept in one
file that only its owner may read. Serving the desk beyond this computer needs at least
one; once there is one, every front-desk page needs a login, and the desk's name fills the
log's ``desk`` field."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ketacost.parse import ParseError, parse_person

MIN_PASSWORD = 10
MAX_PASSWORD = 1024
"""A password longer than this is refused before it is hashed."""
_HASHER = PasswordHasher()
_DUMMY = _HASHER.hash("a password no desk has")
"""Checked against when the name is unknown, so an unknown name takes as long as a wrong
password (the time says nothing about which names exist)."""


class DeskError(ValueError):
    """A desk account that cannot be made or read (the message says why)."""


def read_accounts(path: Path) -> dict[str, str]:
    """The accounts kept in ``path`` (name -> Argon2 hash); none when there is no file."""
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise DeskError(f"{path}: the desk accounts cannot be read ({error})") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise DeskError(f"{path}: not a file of desk accounts")
    return data


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise DeskError(f"a desk's password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise DeskError(f"a desk's password has at most {MAX_PASSWORD} characters")


def add_account(path: Path, name: str, password: str) -> str:
    """Add (or replace the password of) desk ``name``; returns the name as kept. The file
    is replaced whole, readable by its owner only."""
    try:
        name = parse_person(name)
    except ParseError as error:
        raise DeskError(f"the desk's name {error}") from None
    check_password(password)
    accounts = {**read_accounts(path), name: _HASHER.hash(password)}
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".desks-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(accounts, out, indent=2, ensure_ascii=False)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return name


def verify(accounts: dict[str, str], name: str, password: str) -> bool:
    """Whether ``password`` is desk ``name``'s (a bounded check; never raises)."""
    if len(password) > MAX_PASSWORD or len(name) > 4 * 200:
        return False
    stored = accounts.get(" ".join(name.split()))
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerificationError, InvalidHashError):
        return False
