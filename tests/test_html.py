"""``-o FILE.html`` and ``-o FILE.svg``: self-contained printable pages and charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from tests.browser import render
from tests.clinic import clinic_sheet

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
    # Only references inside the page (a chart's fill pattern, url(#id)), never a file.
    assert all(ref.startswith("#") for ref in re.findall(r"url\(\s*([^)]*)\)", page))


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
    assert '<th scope="col">every 4 weeks</th>' in page
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


COMPARE = ["compare", "--start", "2026-11-23", "induction only", "every 4 weeks: -m 4w",
           "pain: -c pain", "monthly: -m monthly", "kap: -c kap", "im: -c im"]  # fmt: skip
"""Six options: every colour and pattern of the chart."""


def contrast(colour: str) -> float:
    """WCAG contrast ratio of ``#rrggbb`` against white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_tables_have_row_and_column_headers(runner: CliRunner, tmp_path: Path) -> None:
    """The summary, month and compare tables: each column title is ``<th scope="col">``,
    each row's label ``<th scope="row">``, so a screen reader reads a figure with both."""
    for args, name in ((ESTIMATE, "e.html"), (COMPARE, "c.html")):
        page = write(runner, tmp_path, args, name)
        tables = re.findall(r"<table[^>]*>.*?</table>", page, flags=re.S)
        assert len(tables) >= 2
        for table in tables:
            head, body = table.split("</thead>")
            assert re.findall(r"<th\b[^>]*>", head) == re.findall(r'<th scope="col">', head)
            rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, flags=re.S)
            assert rows and all(row.startswith('<th scope="row">') for row in rows), table
            assert all(row.count("<th") == 1 for row in rows)
    estimate = write(runner, tmp_path, ESTIMATE, "e.html")
    assert '<th scope="row">Out of pocket</th>' in estimate
    assert '<th scope="row">Nov 2026</th>' in estimate
    assert '<th scope="col">Typical</th>' in estimate


def test_compare_chart_tells_options_apart_without_colour(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Each option's bars have their own fill pattern (the legend shows it), every colour
    has at least 3:1 contrast against white, and the month figures are in a table too."""
    page = write(runner, tmp_path, COMPARE, "c.html")
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    patterns = svg.findall(f".//{SVG_NS}pattern")
    assert len(patterns) == 5  # the first option is solid
    tiles = {id(rect) for p in patterns for rect in p.iter(f"{SVG_NS}rect")}
    rects = [r for r in svg.iter(f"{SVG_NS}rect") if id(r) not in tiles]
    fills = {r.get("fill") for r in rects} - {"#fff"}
    assert len(fills) == 6  # one colour, five patterns
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9A-Fa-f]{6})"', page[page.index("<svg") :]))
    bars = colours - {"#FFFFFF", "#ffffff", "#222222", "#333333", "#555555", "#666666",
                      "#888888", "#dddddd"}  # fmt: skip
    assert bars and all(contrast(c) >= 3 for c in bars), sorted(bars)
    months = page[page.index("<h2>Each month, option by option</h2>") :]
    table = months[: months.index("</table>")]
    assert '<th scope="col">every 4 weeks</th>' in table
    assert '<th scope="row">Nov 2026</th>' in table
    assert table.count("<tr>") >= 13


def test_chart_caption_wraps_within_the_chart(runner: CliRunner, tmp_path: Path) -> None:
    """The estimate chart's caption (typical total, range, other costs) is long: it wraps
    onto lines that fit the chart's width, not one line cut at its edge ("other cos")."""
    page = write(runner, tmp_path, [*ESTIMATE, "--ride", "25"], "e.html")
    svg = ET.fromstring(page[page.index("<svg") : page.index("</svg>") + 6])
    caption = [t.text or "" for t in svg.iter(f"{SVG_NS}text") if t.get("fill") == "#555"]
    assert len(caption) >= 2
    assert all(len(line) <= 100 for line in caption)  # 12-unit text in 720 units
    assert " ".join(caption).endswith("; other costs ($350.00) not included")


@pytest.mark.parametrize(
    "args",
    [["estimate", "--start", "2026-11-23"], ["compare", "a: -n 4", "b: -n 6"], ["gfe", "notice"]],
    ids=["estimate", "compare", "notice"],
)
def test_every_page_runs_no_script(runner: CliRunner, tmp_path: Path, args: list[str]) -> None:
    """Every page ketacost writes carries a Content-Security-Policy that allows no script
    and fetches nothing (styles are inline), as a stored Good Faith Estimate does."""
    sheet = clinic_sheet(tmp_path)
    page = tmp_path / "page.html"
    result = runner.invoke(cli, [*args, "--sheet", str(sheet), "-o", str(page)])
    assert result.exit_code == 0, result.output
    csp = '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
    assert csp + "style-src 'unsafe-inline'\">" in page.read_text(encoding="utf-8")
