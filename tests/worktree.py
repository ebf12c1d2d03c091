"""The suite leaves the working tree as it found it: a pytest plugin that takes the state
of the checkout pytest runs in (its rootdir) when the session starts, and fails the run
when it ends with a file added, removed or rewritten anywhere in the checkout, ignored
places included (a quote log written into ``build/`` is as stray as one at the root).
Only the caches tools keep (listed in .gitignore: Python's bytecode, pytest's, mypy's,
ruff's and hypothesis's) may change.
Outside a git checkout (an unpacked sdist), or without git, it does nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

CACHES = frozenset({"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"})
"""Folders tools write as they run; .gitignore lists them."""

State = dict[str, tuple[int, int]]
"""Each path git reports (untracked, changed or ignored): its size and modification time."""

BEFORE = pytest.StashKey["State | None"]()


def is_cache(path: str) -> bool:
    return any(part in CACHES or part.endswith(".egg-info") for part in Path(path).parts)


def tree_state(root: Path) -> State | None:
    """What ``git status --porcelain --ignored`` lists under ``root``, with each path's
    size and modification time (so a file rewritten in place counts); None when ``root``
    is not the top of a git checkout or git cannot run."""
    try:
        top = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--show-toplevel"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout.strip()
        if Path(top).resolve() != root.resolve():
            return None
        listed = subprocess.run(
            # every file by its own path (-uall): a file left deep in a folder that was
            # already there changes neither that folder's size nor its time
            ["git", "-C", str(root), "status", "--porcelain=v1", "-z", "--ignored", "-uall"],
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    state: State = {}
    for item in listed.decode("utf-8", "surrogateescape").split("\0"):
        path = item[3:]
        if len(item) < 4 or is_cache(path):
            continue  # the second path of a rename, or a cache
        try:
            stat = (root / path).lstat()
        except OSError:  # deleted
            state[item] = (-1, -1)
        else:
            state[item] = (stat.st_size, stat.st_mtime_ns)
    return state


def changes(before: State, after: State) -> list[str]:
    """The paths whose status, size or time differ, as git lists them."""
    return sorted(key for key in before.keys() | after.keys() if before.get(key) != after.get(key))


def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[BEFORE] = tree_state(session.config.rootpath)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    before = session.config.stash.get(BEFORE, None)
    if before is None:
        return
    after = tree_state(session.config.rootpath)
    if after is None or not (changed := changes(before, after)):
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    message = "The test run left the working tree changed (tests must write in tmp_path):"
    lines = [message, *(f"  {line}" for line in changed)]
    if reporter is not None:
        for line in lines:
            reporter.write_line(line, red=True)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
