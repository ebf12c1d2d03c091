"""The clinic's key: a secret kept outside the quote log, under which every entry saved
since the log was keyed carries a MAC (docs/quote-log.md, "The clinic's key").

Someone who holds the log but not the key can recompute the plain hash chain, but not
the MACs, so an entry changed, slipped in, reordered or backdated shows. The key is one
line of 64 hexadecimal digits (32 random bytes) in a file readable by its owner only:
``clinic.key`` beside the user's data (not in the log), or the file the ``KETACOST_KEY``
environment variable names. Desks that share a log hold a copy of the same file.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

from ketacost.store.errors import StoreError
from ketacost.store.location import platform_path

ENV = "KETACOST_KEY"
NAME = "clinic.key"
MAX_BYTES = 200


def key_path() -> Path:
    """Where this desk's clinic key is: ``KETACOST_KEY``, else ``clinic.key`` in the
    folder where the quote log is kept by default."""
    named = os.environ.get(ENV, "")
    if named:
        return Path(named)

    return platform_path().parent / NAME


class ClinicKey:
    """A clinic key: its id (safe to show: it names the key, it does not reveal it) and
    the MAC it gives a text."""

    def __init__(self, secret: bytes, path: Path) -> None:
        self._secret = secret
        self.path = path
        self.id = hmac.new(secret, b"ketacost clinic key id", hashlib.sha256).hexdigest()[:16]

    def mac(self, sha256: str) -> str:
        """HMAC-SHA-256 of an entry's (or a history line's) hash, as lowercase hex."""
        return hmac.new(self._secret, sha256.encode("ascii"), hashlib.sha256).hexdigest()

    def checks(self, sha256: str, mac: object) -> bool:
        return isinstance(mac, str) and hmac.compare_digest(self.mac(sha256), mac)


def load_key() -> ClinicKey | None:
    """This desk's clinic key, or None when there is none; a file that is not one, or
    that others can read, is refused."""
    path = key_path()
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return None
    except OSError as error:
        raise StoreError(f"cannot read the clinic key {path}: {error.strerror}") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise StoreError(f"the clinic key {path} is not a regular file")
        if stat.S_IMODE(status.st_mode) & 0o077:
            raise StoreError(
                f"the clinic key {path} is readable by others "
                f"(mode {stat.S_IMODE(status.st_mode):04o}): run chmod 600 on it"
            )
        raw = os.read(descriptor, MAX_BYTES)
    finally:
        os.close(descriptor)
    text = raw.decode("ascii", "replace").strip()
    if len(text) != 64 or any(c not in "0123456789abcdef" for c in text):
        raise StoreError(f"{path} is not a ketacost clinic key (64 hexadecimal digits)")
    return ClinicKey(bytes.fromhex(text), path)


def ensure_key() -> ClinicKey:
    """This desk's clinic key, made (owner-only, never over an existing file) when there
    is none yet."""
    found = load_key()
    if found is not None:
        return found
    path = key_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            os.write(descriptor, (secrets.token_hex(32) + "\n").encode("ascii"))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            with suppress(FileExistsError):  # another desk made it a moment ago: theirs
                os.link(name, path)
        finally:
            os.unlink(name)
    except OSError as error:
        raise StoreError(f"cannot make the clinic key {path}: {error.strerror}") from None
    made = load_key()
    assert made is not None
    return made


def no_key_line(log_key_id: str) -> str:
    """Why a desk without the log's key may not save to it, and what to do."""
    return (
        f"the quote log is keyed with the clinic key {log_key_id}, and this desk does not "
        f"hold it at {key_path()}: copy the clinic's key file there (readable by you only) "
        f"or name it in {ENV}"
    )


def log_key(keyed_with: str | None) -> ClinicKey:
    """The key a line of a log's history is MACed under: the log's own key once the log
    is keyed (``keyed_with``, its id; a desk without it may not migrate the log, since a
    new key would make the line fail), else this desk's, made when it has none."""
    if keyed_with is None:
        return ensure_key()
    found = load_key()
    if found is None or found.id != keyed_with:
        raise StoreError(no_key_line(keyed_with))
    return found
