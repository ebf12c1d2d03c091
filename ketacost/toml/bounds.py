"""Bounds on what ketacost reads from a file, checked before it is parsed: only regular
files, at most a megabyte, no nesting deeper than 16, no number of more than 18 digits; and
how a message quotes a key or value (cut short)."""

from __future__ import annotations

import os
import re
import stat

MAX_BYTES = 1_000_000
"""Largest TOML file read (a clinic's sheet is a few kilobytes)."""
MAX_DEPTH = 16
"""Deepest nesting of arrays and inline tables accepted."""
MAX_DIGITS = 18
"""Most digits in a row in a number (an exponent of more than 18 digits is beyond any
Decimal, an integer of more than 4,300 beyond Python's int parser)."""
MAX_SHOWN = 40
"""Most characters of a key or value quoted in a message."""


def shown(value: object) -> str:
    """``repr(value)`` for a message, cut to :data:`MAX_SHOWN` characters."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "..."


# What the bounds check looks at, strings and comments skipped whole: brackets, long runs
# of digits, line ends.
_BOUND_TOKEN_RE = (
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\''
    rf"|#[^\n]*|[\[\]{{}}]|[0-9_]{{{MAX_DIGITS + 1},}}|\n"
)


def bounds_problem(text: str) -> tuple[int, str] | None:
    """The first place ``text`` nests deeper than :data:`MAX_DEPTH` or has a number of
    more than :data:`MAX_DIGITS` digits, checked before the text is parsed."""
    line, depth = 1, 0
    for match in re.finditer(_BOUND_TOKEN_RE, text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line, f"nested more than {MAX_DEPTH} deep"
        elif token in "]}":
            depth = max(depth - 1, 0)
        elif token[0] in "0123456789_":
            return line, f"a number of more than {MAX_DIGITS} digits"
        else:
            line += token.count("\n")
    return None


class Unreadable(ValueError):
    """A file that is not read at all; the message says why."""


def read_bytes(path: str) -> bytes:
    """A file's bytes: only a regular file (a FIFO or ``/dev/zero`` is refused at once,
    never read) of at most :data:`MAX_BYTES`; anything else is :class:`Unreadable`."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as problem:
        raise Unreadable(problem.strerror or str(problem)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise Unreadable("it is not a regular file")
        if info.st_size > MAX_BYTES:
            raise Unreadable(f"it is larger than {MAX_BYTES:,} bytes")
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as problem:
        raise Unreadable(problem.strerror or str(problem)) from None
    finally:
        os.close(descriptor)
    if len(raw) > MAX_BYTES:
        raise Unreadable(f"it is larger than {MAX_BYTES:,} bytes")
    return raw
