"""Output files: written whole or not at all, private ones their owner's only, a device or
FIFO written in place (never replaced), a full disk one line with the old file kept and no
temporary file left, SIGTERM or SIGHUP mid-write leaving nothing behind."""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacost.cli.app import cli
from ketacost.cli.files import ENDING_SIGNALS, atomic_file, write_output

OLD = "the old file\n"


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@settings(max_examples=64, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(umask=st.integers(min_value=0, max_value=0o777), old_mode=st.integers(0o400, 0o777))
def test_private_outputs_are_0600_whatever_the_umask_or_old_mode(
    tmp_path: Path, umask: int, old_mode: int
) -> None:
    target = tmp_path / "private.json"
    target.write_text(OLD)
    target.chmod(old_mode)
    previous = os.umask(umask)
    try:
        write_output("{}", target, private=True)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        public = tmp_path / "public.json"
        write_output("{}", public)
        assert stat.S_IMODE(public.stat().st_mode) == 0o666 & ~umask
    finally:
        os.umask(previous)
    assert target.read_text() == "{}"
    assert leftovers(tmp_path) == []


def test_a_fifo_is_written_in_place_never_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    write_output("through the pipe\n", fifo, private=True)
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert leftovers(tmp_path) == []


def test_a_character_device_is_written_in_place_never_replaced(tmp_path: Path) -> None:
    """A /dev/null of our own (a character device node): written to, still a device."""
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs root")
    for private in (False, True):
        write_output("gone\n", null, private=private)
        assert stat.S_ISCHR(null.lstat().st_mode)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "-o", "/dev/full"],
        ["estimate", "-f", "json", "-o", "/dev/full"],
        ["estimate", "-f", "html", "-o", "/dev/full"],
        ["sheet", "init", "/dev/full", "--force"],
    ],
)
def test_a_full_device_target_is_one_line_status_1(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == 1, result.output
    assert "No space left on device" in result.stderr
    assert result.stderr.count("\n") == 1
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "-o"],
        ["estimate", "-f", "json", "-o"],
        ["estimate", "-f", "html", "-o"],
        ["compare", "-n", "4", "-n", "6", "-f", "csv", "-o"],
    ],
)
def test_a_full_disk_keeps_the_old_file_and_leaves_no_temporary_file(
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
    args: list[str],
) -> None:
    target = tmp_path / ("out.html" if "html" in args else "out.txt")
    target.write_text(OLD)

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "write":
        real = os.fdopen

        def fdopen(descriptor: int, mode: str, **k: Any) -> object:
            handle = real(descriptor, mode, **k)

            class Full:
                def __getattr__(self, name: str) -> object:
                    return getattr(handle, name)

                def __enter__(self) -> Full:
                    return self

                def __exit__(self, *exc: object) -> None:
                    handle.close()

                write = full

            return Full()

        monkeypatch.setattr(os, "fdopen", fdopen)
    else:
        monkeypatch.setattr(os, where, full)
    result = runner.invoke(cli, [*args, str(target)])
    monkeypatch.undo()
    assert result.exit_code == 1, result.output
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr
    assert target.read_text() == OLD
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "args",
    [
        ["estimate", "-o", ""],
        ["estimate", "--output="],
        ["compare", "-n", "4", "-n", "6", "-o", ""],
        ["quotes", "export", "-f", "csv", "-o", ""],
        ["quotes", "show", "Q-1", "-o", ""],
        ["batch", "-", "-o", ""],
        ["gfe", "--patient", "A B", "--dob", "1980-01-01", "--dx", "F33.1", "-o", ""],
        ["quote", "-o", ""],
    ],
)
def test_an_empty_output_name_is_a_usage_error(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(cli, args, input="id\n")
    assert result.exit_code == 2, result.output
    assert "must name a file" in result.stderr


def test_an_empty_name_reaching_the_writer_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(click.BadParameter), atomic_file(""):
        pass  # pragma: no cover


def _env(home: Path) -> dict[str, str]:
    return {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    }


ENDING = [getattr(signal, name) for name in ENDING_SIGNALS if hasattr(signal, name)]


@pytest.mark.parametrize("signum", ENDING, ids=[signal.Signals(n).name for n in ENDING])
def test_a_signal_during_an_export_leaves_no_temporary_file(tmp_path: Path, signum: int) -> None:
    """A batch writes its output while reading: stopped half-way by any signal that ends
    the process (SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, ...), the old output is kept and no
    temporary file is left."""
    target = tmp_path / "out.csv"
    target.write_text(OLD)
    process = subprocess.Popen(
        [sys.executable, "-m", "ketacost", "batch", "-", "-o", str(target)],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(tmp_path),
        # as from a terminal, whoever runs the tests: under nohup the child would inherit
        # an ignored SIGHUP, and keep ignoring it (as it should; the next test checks it)
        preexec_fn=lambda: signal.signal(signum, signal.SIG_DFL),  # noqa: PLW1509
    )
    assert process.stdin is not None
    process.stdin.write(b"id,sessions\n" + b"a,6\n" * 100)
    process.stdin.flush()
    deadline = time.monotonic() + 20
    while not leftovers(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert leftovers(tmp_path), "the batch never started writing"
    process.send_signal(signum)
    process.wait(timeout=20)
    process.stdin.close()
    assert process.returncode == 128 + signum
    assert leftovers(tmp_path) == []
    assert target.read_text() == OLD


def test_an_ignored_hangup_stays_ignored_and_handlers_are_restored(tmp_path: Path) -> None:
    """Under nohup (SIGHUP ignored) the writer does not start catching it; afterwards
    SIGTERM's handler is what it was."""
    before = signal.getsignal(signal.SIGTERM)
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)
    try:
        with atomic_file(tmp_path / "x.txt") as handle:
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
            assert signal.getsignal(signal.SIGTERM) is not before
            handle.write("x")
        assert signal.getsignal(signal.SIGTERM) is before
    finally:
        signal.signal(signal.SIGHUP, previous)


def test_a_quote_saved_but_not_written_is_one_line_naming_its_id(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The quote is in the log before its file is written: when the write fails, the one
    error line says which id to print again."""
    db = str(tmp_path / "q.db")
    result = runner.invoke(cli, ["quote", "--db", db, "-o", str(tmp_path / "no" / "q.txt")])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "the quote is saved as Q-" in result.stderr
    listing = runner.invoke(cli, ["quotes", "list", "--db", db]).stdout
    assert "Q-" in listing
