"""``-o FILE.html`` and ``-o FILE.svg``: self-contained printable pages and charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from tests.browser import render

ESTIMATE = [
    "estimate",
    "--start",
    "2026-11-23",
    "--maintenance",
    "6w",
    "--deductible",
    "1500",
    "--coinsurance",
    "20",
]
SVG_NS = "{http://www.w3.org/2000/svg}"


def write(runner: CliRunner, tmp_path: Path, args: list[str], name: str) -> str:
    out = tmp_path / name
    result = runner.invoke(cli, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    return out.read_text(encoding="utf-8")


def assert_self_contained(page: str) -> None:
    assert "<script" not in page.lower()
    tags = re.findall(r"<[^>]*>", page)
    assert not [tag for tag in tags if re.search(r"\son\w+\s*=", tag)]  # no handlers
    refs = re.findall(r"""(?:href|src)\s*=\s*["']([^"']*)""", page)
    assert refs == []
    urls = set(re.findall(r"https?://[^\s\"'<>]+", page))
    assert urls <= {"http://www.w3.org/2000/svg"}
    assert "@import" not in page
    assert "url(" not in page


def test_estimate_page(runner: CliRunner, tmp_path: Path) -> None:
    """The page holds the table, the chart, the months, the assumptions, the disclaimer."""
    page = write(runner, tmp_path, ESTIMATE, "estimate.html")
    assert page.startswith("<!DOCTYPE html>")
    assert_self_contained(page)
    assert "<svg" in page
    assert "What you pay each month" in page
    assert "Month by month" in page
    assert "$4,080.00" in page  # typical out of pocket
    assert "Insurance: In-network, deductible $1,500.00" in page
    assert "This is an estimate, not medical or financial advice." in page
    assert "@page { size: letter;" in page


def test_estimate_svg_is_the_chart(runner: CliRunner, tmp_path: Path) -> None:
    """The .svg is well-formed, standalone, titled, with a bar and figure per month."""
    svg = write(runner, tmp_path, ESTIMATE, "chart.svg")
    assert_self_contained(svg)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    assert root.find(f"{SVG_NS}title") is not None
    texts = [t.text for t in root.iter(f"{SVG_NS}text")]
    assert "What you pay each month" in texts
    assert "Nov 2026" in texts
    assert "$1,680.00" in texts  # November, typical
    assert "Mar 2027" in texts  # a month without a session keeps its row


def test_user_text_is_escaped(runner: CliRunner, tmp_path: Path) -> None:
    """Labels are escaped in the page and in the chart (no markup gets through)."""
    label = '<img src=x onerror="alert(1)">&'
    args = ["compare", "--start", "2026-11-23", f"{label}: -m 4w", "plain"]
    page = write(runner, tmp_path, args, "compare.html")
    assert "<img" not in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;" in page
    assert_self_contained(page)
    svg = write(runner, tmp_path, args, "compare.svg")
    assert "<img" not in svg
    ET.fromstring(svg)  # still well-formed


def test_compare_page(runner: CliRunner, tmp_path: Path) -> None:
    """The compare page: options as columns, ranges, the grouped chart and a legend."""
    page = write(
        runner,
        tmp_path,
        [
            "compare",
            "--start",
            "2026-11-23",
            "induction only",
            "every 4 weeks: -m 4w",
            "pain: -c pain",
        ],
        "c.html",
    )
    assert "<th>every 4 weeks</th>" in page
    assert '<span class="range">$7,600.00 to $15,200.00</span>' in page
    assert "every 4 weeks: $11,400.00 in all" in page
    assert "+$4,500.00" in page and "not comparable" in page
    assert "<td>13, every 4 weeks for 12 months</td>" in page


def test_format_flag_prints_html_to_stdout(runner: CliRunner) -> None:
    """--format html / svg print to standard output when no file is given."""
    result = runner.invoke(cli, [*ESTIMATE, "--format", "svg"])
    assert result.stdout.startswith("<svg")
    result = runner.invoke(cli, [*ESTIMATE, "--format", "html"])
    assert result.stdout.startswith("<!DOCTYPE html>")


@pytest.mark.browser
def test_page_renders_in_a_real_browser(runner: CliRunner, tmp_path: Path) -> None:
    """Chromium renders the page to a screenshot and prints it on US Letter pages."""
    write(runner, tmp_path, ESTIMATE, "estimate.html")
    png = render(tmp_path / "estimate.html", tmp_path / "estimate.png")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert png.stat().st_size > 20_000  # a blank page compresses to far less
    pdf = render(tmp_path / "estimate.html", tmp_path / "estimate.pdf", pdf=True)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)\s*\]", data)
    assert boxes
    assert {(float(w), float(h)) for w, h in boxes} == {(612.0, 792.0)}  # 8.5 x 11 in
    svg = tmp_path / "chart.svg"
    runner.invoke(cli, [*ESTIMATE, "-o", str(svg)])
    shot = render(svg, tmp_path / "chart.png", size="760,560")
    assert shot.stat().st_size > 5_000
