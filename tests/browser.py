"""Render a page in headless Chromium (tests marked ``browser`` use this)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium() -> str:
    """The browser's path; skips the test when none is installed (CI installs one)."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium installed (.ci/run installs Debian's chromium)")


def render(page: Path, out: Path, *, pdf: bool = False, size: str = "1000,1300") -> Path:
    """Screenshot (PNG) or print (PDF, US Letter per the page's CSS) ``page`` to ``out``."""
    with tempfile.TemporaryDirectory() as profile:
        what = (
            [f"--print-to-pdf={out}", "--no-pdf-header-footer"]
            if pdf
            else [f"--screenshot={out}", f"--window-size={size}"]
        )
        subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *what, page.resolve().as_uri()],
            check=True,
            capture_output=True,
            timeout=120,
        )
    assert out.exists(), f"Chromium wrote no {out.name}"
    assert out.stat().st_size > 0, f"Chromium wrote an empty {out.name}"
    return out


def pdf_pages(pdf: Path) -> int:
    """How many pages a PDF Chromium printed has."""
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def pdf_page_texts(pdf: Path) -> list[str]:
    """The text of each page of a PDF (poppler's pdftotext; skips when it is missing)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        pytest.skip("no pdftotext installed (.ci/run installs Debian's poppler-utils)")
    texts = []
    for number in range(1, pdf_pages(pdf) + 1):
        done = subprocess.run(
            [tool, "-f", str(number), "-l", str(number), str(pdf), "-"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        texts.append(" ".join(done.stdout.split()))
    return texts


FRAME = """<!doctype html><html><body style="margin:0">
<iframe id="f" src="{src}" style="width:{width}px;height:800px;border:0"></iframe>
<script>
document.getElementById("f").onload = function () {{
  var root = this.contentDocument.documentElement;
  document.body.setAttribute("data-widths", root.scrollWidth + " " + root.clientWidth);
}};
</script></body></html>
"""


def widths_at(page: Path, width: int) -> tuple[int, int]:
    """How wide ``page`` lays out, and how wide its window is, in a ``width`` px window
    (scrollbar aside): more than the window means the page scrolls sideways. The page
    loads in a frame of that width (headless Chromium will not make a window narrower
    than 500 px); it is not changed."""
    frame = page.parent / f"frame-{width}.html"
    frame.write_text(FRAME.format(src=page.name, width=width), encoding="utf-8")
    with tempfile.TemporaryDirectory() as profile:
        done = subprocess.run(
            [
                chromium(),
                *FLAGS,
                f"--user-data-dir={profile}",
                "--allow-file-access-from-files",
                "--virtual-time-budget=5000",
                "--dump-dom",
                frame.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        )
    found = re.search(r'data-widths="(\d+) (\d+)"', done.stdout)
    assert found, "the page did not load in its frame"
    return int(found.group(1)), int(found.group(2))
