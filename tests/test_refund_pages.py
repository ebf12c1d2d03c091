"""The refund month view as pages (docs/refunds.md, "Month by month"): the HTML and PDF
of ``estimate --network out --by-month`` show the cash paid at the visits, the refunds
landing and what the patient carries, the figures of the terminal's table; and the CSV
of ``--by-month`` carries the same three figures per month."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from click.testing import CliRunner

from ketacost.cli import cli
from tests.printing import overflow, page_text, printed

EXAMPLE_5 = ["estimate", "--price", "600", "--start", "2026-03-02", "--network", "out",
             "--deductible", "0", "--coinsurance", "20", "--claim-days", "45",
             "--by-month"]  # fmt: skip
"""docs/refunds.md, worked example 5: six $600 sessions in March, each refunding $480 45
days later, in April."""

ROWS = [
    ["Mar 2026", "$3,600.00", "$0.00", "$3,600.00"],
    ["Apr 2026", "$0.00", "$2,880.00", "$720.00"],
    ["Total", "$3,600.00", "$2,880.00", ""],
]


def run(runner: CliRunner, *args: str) -> str:
    result = runner.invoke(cli, [*EXAMPLE_5, *args])
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def refund_rows(html: str) -> list[list[str]]:
    """The rows of the page's refund table, as text."""
    found = re.search(r'<table class="months refunds">(.*?)</table>', html, re.S)
    assert found, "no refund table on the page"
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", found.group(1), re.S)
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in rows
    ]


def test_the_page_shows_the_cash_and_refunds_month_by_month(
    runner: CliRunner, tmp_path: Path
) -> None:
    run(runner, "-o", str(tmp_path / "x.html"))
    html = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert "<h2>Cash and refunds month by month</h2>" in html
    rows = refund_rows(html)
    assert rows[0] == ["Month", "Paid at visits", "Refunds arrive", "You carry"]
    assert rows[1:] == ROWS
    assert "&#x27;You carry&#x27; is what you have paid so far less the refunds" in html


def test_in_network_the_page_has_no_refund_table(runner: CliRunner, tmp_path: Path) -> None:
    page = str(tmp_path / "x.html")
    result = runner.invoke(cli, ["estimate", "--price", "600", "--start", "2026-03-02",
                                 "--network", "in", "--deductible", "0", "--coinsurance",
                                 "20", "-o", page])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert "Cash and refunds" not in (tmp_path / "x.html").read_text(encoding="utf-8")


def test_the_printed_pages_carry_the_refund_table_whole(runner: CliRunner, tmp_path: Path) -> None:
    run(runner, "-o", str(tmp_path / "x.html"))
    pages = printed((tmp_path / "x.html").read_text(encoding="utf-8"))
    texts = [page_text(p) for p in pages]
    (where,) = [i for i, t in enumerate(texts) if "Cash and refunds month by month" in t]
    assert "Apr 2026 $0.00 $2,880.00 $720.00" in texts[where]  # the table with its title
    assert all(overflow(p) <= 0 for p in pages)


def test_the_csv_by_month_carries_the_refund_columns(runner: CliRunner) -> None:
    rows = list(csv.DictReader(io.StringIO(run(runner, "--format", "csv"))))
    assert [r["month"] for r in rows] == ["2026-03", "2026-04"]
    assert [(r["refunds_typical"], r["carried_typical"]) for r in rows] == [
        ("0.00", "3600.00"),
        ("2880.00", "720.00"),
    ]
    assert [r["paid_up_front_typical"] for r in rows] == ["3600.00", "0.00"]
