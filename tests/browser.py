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
