"""The web desk's speed: server-side time of the Estimate page, and requests a second one
uvicorn worker serves to 32 clients at once.

    python benchmarks/web.py            # 2,000 timed pages, 10 s of load
    python benchmarks/web.py --quick    # a smoke test

1. Server-side time: the app (as ``ketacost serve`` makes it, on the built-in sheet) is
   called directly as ASGI, with no network and no client in the way, for the estimate
   form's page with a varied query (sessions, maintenance, insurance); each call is
   timed from the request to the last byte of the response. Median and 99th percentile
   are reported (targets: under 10 ms and under 50 ms).
2. Throughput: ``ketacost serve`` is started as a child process on 127.0.0.1 (one
   uvicorn worker; it never listens elsewhere); 32 clients, each on its own keep-alive
   connection, ask for estimate pages in a loop for a fixed time; every answer must be a
   200 with a body of its declared length. Requests a second over the run are reported
   (target: at least 200).

Both loops are bounded (a count, a time). The machine's other load shows in the figures:
run it on an idle machine and report the Python version and CPU count with them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from itertools import cycle
from typing import Any

QUERIES = [
    "/estimate",
    "/estimate?sessions=4",
    "/estimate?maintenance=monthly&months=6",
    "/estimate?deductible=1500&coinsurance=20&oop_max=2000",
    "/estimate?condition=spravato&maintenance=every+4+weeks+for+3+months%2C+then+every+6+weeks",
    "/estimate?sessions=8&weeks=3&ride=25&hsa_rate=24&finance=12%4017.99",
    "/estimate?network=out&deductible=500&coinsurance=40&allowed=300",
    "/estimate?price_range=400-800&maintenance=4w",
]
CLIENTS = 32


async def _call(app: Any, target: str) -> tuple[int, int]:
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }
    status, size = 0, 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status, size
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            size += len(message.get("body", b""))

    await app(scope, receive, send)
    return status, size


def server_side(count: int) -> list[float]:
    """Milliseconds per estimate page, called as ASGI ``count`` times (after a warm-up)."""
    from ketacost.sheet.load import load_sheet
    from ketacost.web.app import Settings, create_app

    app = create_app(Settings(sheet=load_sheet()))

    async def run() -> list[float]:
        for target in QUERIES:  # warm-up: templates compiled, sheet parsed
            await _call(app, target)
        times = []
        for _, target in zip(range(count), cycle(QUERIES), strict=False):
            start = time.perf_counter()
            status, size = await _call(app, target)
            times.append((time.perf_counter() - start) * 1000)
            if status != 200 or size < 1000:
                raise SystemExit(f"{target}: status {status}, {size} bytes")
        return times

    return asyncio.run(run())


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


async def _client(port: int, until: float, counts: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        for target in cycle(QUERIES):
            if time.perf_counter() >= until:
                return
            writer.write(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            if " 200 " not in lines[0]:
                raise SystemExit(f"{target}: {lines[0]}")
            length = next(
                int(line.split(":", 1)[1])
                for line in lines
                if line.lower().startswith("content-length:")
            )
            await reader.readexactly(length)
            counts.append(1)
    finally:
        writer.close()


def throughput(seconds: float) -> float:
    """Requests a second ``ketacost serve`` (one worker) answers to 32 clients."""
    port = free_port()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": os.path.join(home, ".config")}
        env.pop("KETACOST_SHEET", None)
        server = subprocess.Popen(
            [sys.executable, "-m", "ketacost", "serve", "--port", str(port), "--sheet", "builtin"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        raise SystemExit("ketacost serve did not start") from None
                    time.sleep(0.1)

            async def load() -> float:
                counts: list[int] = []
                await asyncio.gather(
                    *(_client(port, time.perf_counter() + 1, []) for _ in range(4))
                )
                start = time.perf_counter()
                until = start + seconds
                await asyncio.gather(*(_client(port, until, counts) for _ in range(CLIENTS)))
                return len(counts) / (time.perf_counter() - start)

            return asyncio.run(load())
        finally:
            server.terminate()
            server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer pages, a shorter load")
    args = parser.parse_args()
    count, seconds = (200, 2.0) if args.quick else (2000, 10.0)
    times = server_side(count)
    median = statistics.median(times)
    p99 = statistics.quantiles(times, n=100)[98]
    rate = throughput(seconds)
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print(f"estimate page, server side ({count} pages): median {median:.2f} ms, p99 {p99:.2f} ms")
    verdicts = ("ok" if median < 10 else "OVER", "ok" if p99 < 50 else "OVER")
    print(f"  targets: median under 10 ms {verdicts[0]}, p99 under 50 ms {verdicts[1]}")
    print(f"one uvicorn worker, {CLIENTS} clients, {seconds:.0f} s: {rate:.0f} requests/s")
    print(f"  target: at least 200/s {'ok' if rate >= 200 else 'UNDER'}")


if __name__ == "__main__":
    main()
