"""Writing what a command produces: to standard output, or to a file that is replaced
whole or not at all. Errors become one-line click errors (status 1)."""

from __future__ import annotations

import os
import stat
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

import click

from ketacost.render.safe_text import terminal_data

OutputPath = str | os.PathLike[str] | None
"""Where output goes: a file, or standard output (None or ``-``)."""


def is_stdout(output: OutputPath) -> bool:
    return output is None or os.fspath(output) == "-"


def _file_error(target: str, error: OSError) -> click.FileError:
    return click.FileError(target, error.strerror or str(error))


def check_target(target: str) -> None:
    """An empty file name or a folder is a usage error (status 2), caught before anything
    is written. (``Path("")`` is ``.``, so an empty ``-o`` may arrive as a folder.)"""
    if not target or os.path.isdir(target):
        raise click.BadParameter(
            "must name a file (or - for standard output)", param_hint="'--output' / '-o'"
        )


ENDING_SIGNALS = (
    "SIGTERM",
    "SIGHUP",
    "SIGQUIT",
    "SIGUSR1",
    "SIGUSR2",
    "SIGALRM",
    "SIGVTALRM",
    "SIGPROF",
    "SIGIO",
    "SIGPWR",
    "SIGXCPU",
    "SIGSTKFLT",
)
"""The signals whose default is to end the process (the platform's own, by name).
SIGINT already raises KeyboardInterrupt, which runs ``finally`` blocks; SIGKILL cannot
be caught, and nothing can clean up after it."""


@contextmanager
def ending_cleanly() -> Iterator[None]:
    """While the block runs, every signal that would end the process
    (:data:`ENDING_SIGNALS`: SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, ...) ends it as an
    exception would (status 128 + the signal's number), so ``finally`` blocks (removing a
    temporary file, rolling back a transaction) still run. Signals stay as they were
    outside the main thread, and a signal the program was told to ignore (``nohup``)
    stays ignored."""
    import signal  # only a command that writes a file or saves to the log needs it

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    previous = {}
    for name in ENDING_SIGNALS:
        number = getattr(signal, name, None)
        if number is not None and signal.getsignal(number) is not signal.SIG_IGN:
            previous[number] = signal.signal(number, stop)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def atomic_file(
    output: str | os.PathLike[str],
    *,
    private: bool = False,
    newline: str | None = None,
    binary: bool = False,
) -> Iterator[IO[Any]]:
    """A file written whole or not at all: a new temporary file with an unpredictable name
    beside ``output`` (created exclusively, readable by its owner only), flushed to disk,
    then renamed over ``output`` when the block ends without error. An error or an
    interrupt leaves ``output`` as it was and no temporary file behind. ``private`` keeps
    the file its owner's only; otherwise it gets the usual permissions (umask).

    A target that exists but is not a regular file (a device, a FIFO) is written in place,
    never replaced. ``binary`` files take bytes (a PDF), others UTF-8 text. A signal that
    ends the process while the temporary file exists removes it too (:func:`ending_cleanly`)."""
    target = os.fspath(output)
    check_target(target)
    open_mode, encoding = ("wb", None) if binary else ("w", "utf-8")
    try:
        mode = os.stat(target).st_mode
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(target, open_mode, encoding=encoding, newline=newline) as handle:
                yield handle
        except OSError as error:
            raise _file_error(target, error) from None
        return
    import tempfile  # only when a file is written: printing never needs it

    folder, name = os.path.split(target)
    with ending_cleanly():
        made: list[str] = []
        try:
            with signals_held():  # a signal now would leave a file no one knows of
                try:
                    descriptor, temporary = tempfile.mkstemp(
                        prefix=f".{name}.", suffix=".tmp", dir=folder or "."
                    )
                except OSError as error:
                    raise _file_error(target, error) from None
                made.append(temporary)
            yield from _fill(
                descriptor, temporary, target, private=private, newline=newline, binary=binary
            )
        finally:
            if made and os.path.exists(made[0]):
                os.unlink(made[0])


@contextmanager
def signals_held() -> Iterator[None]:
    """The signals of :data:`ENDING_SIGNALS` (and SIGINT) held back while the block runs,
    and delivered once it is done: making a temporary file and noting its name happen
    together or not at all. Nothing is held outside the main thread."""
    import signal

    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "pthread_sigmask"
    ):
        yield
        return
    numbers = {getattr(signal, n) for n in (*ENDING_SIGNALS, "SIGINT") if hasattr(signal, n)}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, numbers)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _fill(
    descriptor: int,
    temporary: str,
    target: str,
    *,
    private: bool,
    newline: str | None,
    binary: bool,
) -> Iterator[IO[Any]]:
    """Hand out the temporary file, then flush it to disk and rename it over ``target``."""
    open_mode, encoding = ("wb", None) if binary else ("w", "utf-8")
    try:
        with os.fdopen(descriptor, open_mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        if private:
            os.chmod(temporary, 0o600)  # exactly: a umask such as 0o200 must not weaken it
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except OSError as error:
        raise _file_error(target, error) from None


def write_pieces(pieces: Iterable[str], output: OutputPath, *, private: bool = False) -> None:
    """Write text as it is made, to a file (atomically: whole or not at all) or to standard
    output (None or ``-``), so memory stays flat however long the output."""
    if output is not None:
        check_target(os.fspath(output))
    if not is_stdout(output):
        assert output is not None
        with atomic_file(output, private=private) as handle:
            for piece in pieces:
                handle.write(piece)
        return
    with _standard_output():
        if on_terminal():  # data shown, not kept: no control reaches the terminal
            pieces = (terminal_data(piece) for piece in pieces)
        for piece in pieces:
            sys.stdout.write(piece)
        sys.stdout.flush()


def on_terminal() -> bool:
    """Whether standard output is a terminal (a person reads it as it comes)."""
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # no stream, or a closed one
        return False


class TerminalWriter:
    """Standard output for a CSV writer, with every piece written made safe for the
    terminal it is (:func:`ketacost.render.safe_text.terminal_data`)."""

    def write(self, text: str) -> int:
        return sys.stdout.write(terminal_data(text))


def write_output(text: str, output: OutputPath, *, private: bool = False) -> None:
    """Write to a file atomically, or to standard output (None or ``-``)."""
    write_pieces((text,), output, private=private)


def write_binary(data: bytes, output: OutputPath, *, private: bool = False) -> None:
    """Write bytes (a PDF) to a file atomically, or to standard output when it is not a
    terminal (None or ``-``); a terminal is refused (status 2)."""
    if not is_stdout(output):
        assert output is not None
        with atomic_file(output, private=private, binary=True) as handle:
            handle.write(data)
        return
    if sys.stdout.isatty():
        raise click.BadParameter(
            "a PDF is not shown on a terminal: give a file, e.g. -o estimate.pdf",
            param_hint="'--output'",
        )
    with _standard_output():
        sys.stdout.buffer.write(data)
        sys.stdout.flush()


@contextmanager
def _standard_output() -> Iterator[None]:
    """Writing to standard output: a reader that went away ends quietly (the group sees
    BrokenPipeError); a full disk or a closed stream is one line, status 1."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as error:
        raise click.ClickException(
            f"could not write to standard output: {error.strerror or error}"
        ) from None
