"""Quoting a batch on every core: rows go to worker processes in chunks, and come back
in the order they were read, so the output is the same as one process would write.

A small batch (one chunk) is quoted in this process; so is every batch when one job is
asked for. Only a bounded number of chunks is in flight at a time, so memory stays flat
however long the file.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from itertools import islice

from ketacost.batch import Quoted, Request, quote_request
from ketacost.sheet.model import PriceSheet

CHUNK = 1000
"""Rows sent to a worker at a time: enough to make the hand-over cheap."""

_job: tuple[Sequence[str], PriceSheet, date] | None = None
"""What every row of this worker's batch shares: the columns, the sheet and today."""


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on every platform
        return os.cpu_count() or 1


def quoted(
    requests: Iterable[Request],
    columns: Sequence[str],
    sheet: PriceSheet,
    today: date,
    jobs: int,
) -> Iterator[Quoted]:
    """Each request quoted, in order, on up to ``jobs`` processes."""
    rows = iter(requests)
    first = list(islice(rows, CHUNK))
    if jobs <= 1 or len(first) < CHUNK:
        yield from (quote_request(columns, r, sheet, today) for r in first)
        yield from (quote_request(columns, r, sheet, today) for r in rows)
        return
    with _pool(jobs, columns, sheet, today) as pool:
        pending: deque[Future[list[Quoted]]] = deque([pool.submit(_quote_chunk, first)])
        chunks = _chunks(rows)
        for chunk in islice(chunks, 2 * jobs - 1):
            pending.append(pool.submit(_quote_chunk, chunk))
        while pending:
            done = pending.popleft().result()
            for chunk in islice(chunks, 1):  # keep as many in flight, while rows last
                pending.append(pool.submit(_quote_chunk, chunk))
            yield from done


def _chunks(rows: Iterator[Request]) -> Iterator[list[Request]]:
    while chunk := list(islice(rows, CHUNK)):
        yield chunk


def _pool(jobs: int, columns: Sequence[str], sheet: PriceSheet, today: date) -> ProcessPoolExecutor:
    """Workers that already hold the batch's columns, sheet and date. Where the system can
    fork, they start as copies of this process."""
    fork = sys.platform != "win32" and "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if fork else None)
    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=context,
        initializer=_start,
        initargs=(tuple(columns), sheet, today),
    )


def _start(columns: Sequence[str], sheet: PriceSheet, today: date) -> None:
    """Each worker's initializer: the one place its batch-wide state is set."""
    global _job  # noqa: PLW0603 - a worker process's state, set once when it starts
    _job = (columns, sheet, today)


def _quote_chunk(chunk: list[Request]) -> list[Quoted]:
    assert _job is not None, "a worker quotes only after it has started"
    columns, sheet, today = _job
    return [quote_request(columns, request, sheet, today) for request in chunk]
