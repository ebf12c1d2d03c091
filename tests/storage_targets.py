"""Logs as an older ketacost left them: both storages' migrations cut to a schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from ketacost.store import pg_schema, schema


@contextmanager
def old_schema(monkeypatch: pytest.MonkeyPatch, version: int) -> Iterator[None]:
    """Inside: new logs are made (and read) at schema ``version``, as that ketacost did."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:version])
        patch.setattr(pg_schema, "MIGRATIONS", pg_schema.MIGRATIONS[:version])
        yield
