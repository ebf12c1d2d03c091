"""A headless Chromium driven over the DevTools protocol on a pipe (no websocket, no
Playwright): open a page, run a script in it, wait for a condition, take a screenshot.
Enough for the web desk's end-to-end tests; skips when no Chromium is installed."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.browser import FLAGS, chromium


class BrowserError(RuntimeError):
    """The browser answered a command with an error, or not in time."""


class Browser:
    """One headless Chromium with one tab; use as a context manager."""

    def __init__(self) -> None:
        self.profile = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        to_child, self._write = os.pipe()
        self._read, from_child = os.pipe()

        def pipes() -> None:  # the browser reads commands on fd 3 and answers on fd 4
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        self.process = subprocess.Popen(
            [
                chromium(),
                *FLAGS,
                f"--user-data-dir={self.profile.name}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=pipes,  # noqa: PLW1509  the pipes must be fds 3 and 4 in the child
            pass_fds=(3, 4),  # kept open after the pipes are moved there
            start_new_session=True,  # its own process group: ended whole on exit
        )
        os.close(to_child)
        os.close(from_child)
        self._buffer = b""
        self._next = 0
        target = self.send("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.send("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.page("Page.enable")
        self.page("Page.setBypassCSP", enabled=True)  # so axe-core may be injected

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)  # the browser and its helpers
        self.process.wait(timeout=30)
        os.close(self._write)
        os.close(self._read)
        self.profile.cleanup()

    def send(self, method: str, session: str | None = None, **params: Any) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            while b"\0" not in self._buffer:
                chunk = os.read(self._read, 1 << 16)
                if not chunk:
                    raise BrowserError("the browser went away")
                self._buffer += chunk
            raw, _, self._buffer = self._buffer.partition(b"\0")
            answer = json.loads(raw)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise BrowserError(f"{method}: {answer['error']}")
                return answer.get("result", {})
        raise BrowserError(f"{method}: no answer in time")

    def page(self, method: str, **params: Any) -> Any:
        return self.send(method, self.session, **params)

    def run(self, script: str) -> Any:
        """The value of ``script`` (an expression; a promise is awaited) in the page."""
        result = self.page(
            "Runtime.evaluate", expression=script, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise BrowserError(f"{script[:80]}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait(self, condition: str, timeout: float = 20) -> Any:
        """Poll ``condition`` in the page until it is truthy."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.run(condition)
            except BrowserError:
                value = None  # the page is navigating
            if value:
                return value
            time.sleep(0.1)
        raise BrowserError(f"waited {timeout} s for {condition}")

    def open(self, url: str) -> None:
        """Go to ``url`` and wait for the new page (wherever a redirect leads) to load."""
        self.run("window.__left = true")
        self.page("Page.navigate", url=url)
        self.wait("!window.__left && document.readyState === 'complete'")

    def size(self, width: int, height: int = 900) -> None:
        self.page(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=width < 600,
        )

    def screenshot(self, path: Path) -> Path:
        data = self.page("Page.captureScreenshot", format="png", captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(data["data"]))
        return path
