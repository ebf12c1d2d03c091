"""Where the quote log is when ``--db`` does not say (docs/quote-log.md, "Where it is")."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

NAME = "quotes.db"


def legacy_path() -> Path:
    """Where ketacost 0.1.0 kept the log on every platform: ``$XDG_DATA_HOME/ketacost``
    (an absolute value only), else ``~/.local/share/ketacost``."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "share"
    return root / "ketacost" / NAME


def platform_path() -> Path:
    """The platform's user data folder (platformdirs): the XDG folder on Linux,
    ``~/Library/Application Support/ketacost`` on macOS, ``%LOCALAPPDATA%\\ketacost`` on
    Windows."""
    folder = Path(platformdirs.user_data_dir("ketacost", appauthor=False))
    return folder / NAME if folder.is_absolute() else legacy_path()


def default_path() -> Path:
    """The platform's place, unless a log exists only at the old place: an existing log
    keeps being used, never stranded."""
    new = platform_path()
    if new != (old := legacy_path()) and not os.path.lexists(new) and os.path.lexists(old):
        return old
    return new
