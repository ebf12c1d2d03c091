"""``--witness N:HASH`` and ``--checkpoints FILE``: heads of the quote log witnessed outside
it (a page's footer, a checkpoint file), which ``quotes verify`` and ``quotes copy`` check
the log still extends (docs/quote-log.md, "Witnesses and checkpoints")."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from ketacost.store.audit import Witness, parse_witness

F = TypeVar("F", bound=Callable[..., object])


def witness_values(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> list[Witness]:
    """Each ``--witness`` value as a head; a bad one is a usage error naming the option."""
    try:
        return [parse_witness(value) for value in values]
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


CHECKPOINTS_MAX_BYTES = 1_000_000


def checkpoint_values(
    ctx: click.Context, param: click.Parameter, path: Path | None
) -> list[Witness]:
    """The heads in a checkpoint file: one ``N:HASH`` per line (what follows on the line,
    and lines starting with #, are comments)."""
    if path is None:
        return []
    try:
        raw = read_regular(path, CHECKPOINTS_MAX_BYTES + 1)
    except OSError as error:
        raise click.BadParameter(
            f"cannot read it ({error.strerror})", ctx=ctx, param=param
        ) from None
    if raw is None:
        raise click.BadParameter("it is not a regular file", ctx=ctx, param=param)
    if len(raw) > CHECKPOINTS_MAX_BYTES:
        raise click.BadParameter("it is larger than 1 MB", ctx=ctx, param=param)
    try:
        return checkpoint_heads(raw)
    except ValueError as error:
        raise click.BadParameter(str(error), ctx=ctx, param=param) from None


def checkpoint_heads(raw: bytes) -> list[Witness]:
    """The heads in a checkpoint file's bytes; ValueError naming the first line that is
    not one (nor a comment)."""
    found = []
    for number, line in enumerate(raw.decode("utf-8", "replace").splitlines(), start=1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        try:
            found.append(parse_witness(words[0]))
        except ValueError as error:
            raise ValueError(f"line {number}: {error}") from None
    return found


def witness_options(extends: str) -> Callable[[F], F]:
    """``--witness`` (as ``witnesses``) and ``--checkpoints`` (as ``checkpoints``), both
    lists of heads; ``extends`` names the log that must still extend them ("the log",
    "the source")."""
    witness = click.option(
        "--witness",
        "witnesses",
        metavar="N:HASH",
        multiple=True,
        callback=witness_values,
        help=f"A head {extends} must still extend: entry N and the start of its hash (16 to "
        "64 hex digits), as a page's footer or 'quotes checkpoint' gives it. Repeatable.",
    )
    checkpoints = click.option(
        "--checkpoints",
        type=click.Path(dir_okay=False, path_type=Path),
        callback=checkpoint_values,
        help=f"A file of heads {extends} must still extend, one N:HASH a line (see 'quotes "
        "checkpoint').",
    )

    def declare(command: F) -> F:
        return witness(checkpoints(command))

    return declare


def read_regular(path: Path, limit: int) -> bytes | None:
    """Up to ``limit`` bytes of a regular file, opened without blocking (a FIFO or a device
    is never read: None)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        chunks, size = [], 0
        while size < limit and (chunk := os.read(descriptor, limit - size)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def append_line(path: Path, line: str) -> None:
    """Append one line to a checkpoint file (made owner-only if new), never to a FIFO or a
    device (OSError), nor to a file that is not a checkpoint file, one ``verify
    --checkpoints`` would refuse (ValueError: nothing is written)."""
    descriptor = os.open(
        path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_NONBLOCK", 0), 0o600
    )
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        kept = os.pread(descriptor, CHECKPOINTS_MAX_BYTES + 1, 0)
        if len(kept) + len(line) > CHECKPOINTS_MAX_BYTES:
            raise ValueError("it would be larger than 1 MB")
        checkpoint_heads(kept)
        if kept and not kept.endswith(b"\n"):  # its last line is not cut into
            line = "\n" + line
        os.write(descriptor, line.encode("ascii"))
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
