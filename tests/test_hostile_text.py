"""Text ketacost did not write (a sheet's labels, a compare label, a patient's name, a batch
id) reaches a terminal, a Markdown file or a CSV cell escaped: no escape sequence, no bidi
override, no Rich markup read as markup, no Markdown image, link or row break, no formula.

Every command and format meant for a person is run with the same hostile texts."""

from __future__ import annotations

import html
import json
import os
import re
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacost.cli.app import cli
from ketacost.render.safe_text import FORMULA_STARTS, csv_cell, md_escape, terminal_text

HOSTILE = {
    "clear": "\x1b[2J\x1b[HFAKE TOTAL $1.00",
    "title": "\x1b]0;pwned\x07Title",
    "hyperlink": "\x1b]8;;http://evil.example\x1b\\here\x1b]8;;\x1b\\",
    "bidi": "abc\u202edcba",
    "isolate": "x\u2066y\u2069",
    "c1": "\x9b2Jc1",
    "markup": "[link=http://evil.example]click[/link]",
    "image": "![t](http://evil.example/p.png)",
    "row": "line\nbreak | cell",
    "formula": "\uff1dcmd()",
}
# What must never reach a reader raw: ESC, BEL, other C0 but tab/LF/CR, DEL, C1, bidi.
RAW = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hostile_sheet(folder: Path, text: str) -> Path:
    value = json.dumps(text)  # JSON's escapes (\u001b, \n, \") are TOML's too
    path = folder / "hostile.toml"
    path.write_text(
        f"""[sheet]
name = {value}
source = {value}
default_condition = "depression"

[treatments.depression]
label = {value}
price = 450
codes = ["96365"]  # codes are checked against the CPT/HCPCS shape when read

[fees.consult]
label = {value}
amount = 100
per = "once"
codes = ["96365"]  # codes are checked against the CPT/HCPCS shape when read

[discounts.cash]
label = {value}
percent = 10
when = {value}

[plans.club]
label = {value}
every = "4 weeks"

[clinic]
name = {value}
address = {value}
state = "IL"
""",
        encoding="utf-8",
    )
    return path


def outputs(runner: CliRunner, tmp_path: Path, text: str) -> dict[str, str]:
    """Every view and format meant for a person, drawn from the hostile sheet."""
    sheet = str(hostile_sheet(tmp_path, text))
    found: dict[str, str] = {}
    runs = {
        "estimate": ["estimate", "--sheet", sheet, "-m", "club"],
        "sessions": ["estimate", "--sheet", sheet, "--by-session"],
        "months": ["estimate", "--sheet", sheet, "-m", "club", "--by-month"],
        "compare": ["compare", "--sheet", sheet, f"{text}: -n 4", "b: -n 6"],
    }
    for name, args in runs.items():
        for kind, suffix in (("table", ".txt"), ("csv", ".csv"), ("markdown", ".md")):
            target = tmp_path / f"{name}{suffix}"
            result = runner.invoke(cli, [*args, "-o", str(target)], catch_exceptions=False)
            assert result.exit_code == 0, (name, kind, result.output)
            found[f"{name} {kind}"] = target.read_text(encoding="utf-8")
        screen = runner.invoke(cli, args, catch_exceptions=False)
        found[f"{name} screen"] = screen.stdout
    shown = runner.invoke(cli, ["sheet", "show", sheet], catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    found["sheet show"] = shown.stdout
    return found


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_view_escapes_hostile_sheet_and_label_text(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    text = HOSTILE[name]
    for where, output in outputs(runner, tmp_path, text).items():
        assert not RAW.search(output), (where, RAW.search(output))
        if where.endswith(("table", "screen")) or where == "sheet show":
            assert "http://evil.example]click" not in output or "[/link]" in output, where
        if where.endswith("markdown"):
            assert not re.search(r"(?<!\\)\]\(http", output), where  # no link or image
            for line in output.splitlines():
                if line.startswith("|"):
                    assert line.endswith("|"), (where, line)
        if where.endswith("csv"):
            assert not re.search(r"(^|,)\"?[\uff1d=+\-@]cmd", output, re.MULTILINE), where


@pytest.mark.parametrize(
    ("where", "least"),
    [("sheet show", 9), ("sessions table", 1), ("sessions screen", 1), ("estimate table", 2)],
)
def test_rich_markup_in_a_label_is_shown_as_typed(
    runner: CliRunner, tmp_path: Path, where: str, least: int
) -> None:
    """Read as markup, ``[link=...]`` would vanish (and make a hyperlink): it is shown
    wherever the sheet's text is (9 places in `sheet show`; codes are read as codes)."""
    found = outputs(runner, tmp_path, HOSTILE["markup"])
    assert found[where].count("[link") >= least


def test_a_patient_name_is_escaped_in_every_log_view(runner: CliRunner, tmp_path: Path) -> None:
    """Names cannot hold controls (refused); markup and Markdown are shown as typed."""
    db = str(tmp_path / "q.db")
    name = "[link=http://evil.example]Ann[/link] ![t](http://evil.example/p.png) | x"
    saved = runner.invoke(cli, ["quote", "--patient", name, "--db", db, "-f", "json"])
    entry = json.loads(saved.stdout)["id"]
    listing = runner.invoke(cli, ["quotes", "list", "--db", db]).stdout
    assert "[link" in listing  # read as markup, it would vanish (the column may fold it)
    markdown = runner.invoke(cli, ["quotes", "show", entry, "--db", db, "-f", "markdown"]).stdout
    assert not re.search(r"(?<!\\)\]\(http", markdown)
    assert all(line.endswith("|") for line in markdown.splitlines() if line.startswith("|"))
    table = runner.invoke(cli, ["quotes", "show", entry, "--db", db]).stdout
    assert "[/link]" in table
    refused = runner.invoke(cli, ["quote", "--patient", "Ann\x1b[2J", "--db", db])
    assert refused.exit_code == 2 and "\x1b" not in refused.stderr


@settings(max_examples=500)
@given(st.text())
def test_safe_text_never_lets_a_control_through(text: str) -> None:
    for out in (terminal_text(text), md_escape(text)):
        assert not RAW.search(out) and "\n" not in out and "\r" not in out
    cell = csv_cell(text)
    assert not RAW.search(cell)
    assert not cell.lstrip(" ").startswith(FORMULA_STARTS) or cell.startswith("'")


@settings(max_examples=300)
@given(st.text(alphabet=st.sampled_from("![]()|<>&\\:/w. xhtp\n*"), max_size=40))
def test_markdown_cells_hold_no_link_image_html_or_row_break(text: str) -> None:
    cell = md_escape(text)
    assert "\n" not in cell and "<" not in cell and ">" not in cell
    assert not re.search(r"(?<!\\)[|\[\]]", cell)
    assert "://" not in cell and "www." not in cell


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20"])
@pytest.mark.parametrize("spaces", ["", " ", "   "])
def test_full_width_formula_starts_are_neutralized_like_ascii(start: str, spaces: str) -> None:
    assert csv_cell(f"{spaces}{start}SUM(A1)") == f"'{spaces}{start}SUM(A1)"


def test_tab_and_carriage_return_cells_keep_their_meaning() -> None:
    """Tab and CR at the start are quoted as formulas (as before) and kept as data; the
    other controls are escaped."""
    assert csv_cell("\tTab") == "'\tTab"
    assert csv_cell("\rCR") == "'\rCR"
    assert csv_cell("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert csv_cell("x\u202ey") == "x\\u202ey"


def test_terminal_text_escapes_exactly_the_controls_and_bidi_marks() -> None:
    """Over every code point: the controls (Unicode category Cc) but tab, and the bidi
    marks, overrides and isolates, become their ``\\xNN`` / ``\\uNNNN`` escape; every
    other character passes unchanged. A CSV cell keeps line feed and CR too."""
    bidi = {0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        escaped = (unicodedata.category(char) == "Cc" and char != "\t") or code in bidi
        assert terminal_text(char) == (ascii(char)[1:-1] if escaped else char), hex(code)
        kept_in_csv = char in "\n\r"
        expected = ascii(char)[1:-1] if escaped and not kept_in_csv else char
        assert csv_cell("x" + char)[1:] == expected, hex(code)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_pages_and_charts_make_hostile_text_visible(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    """An HTML page or an SVG chart carries no raw control character or bidi override
    from a sheet's text or a compare label: made visible as in a terminal. A raw one is
    not XML at all (an SVG with ESC in a label would not open) and can reorder what is
    read."""
    from xml.dom import minidom

    text = HOSTILE[name]
    sheet = str(hostile_sheet(tmp_path, text))
    runs = {
        "estimate": ["estimate", "--sheet", sheet, "-m", "club"],
        "compare": ["compare", "--sheet", sheet, f"{text}: -n 4", "b: -n 6"],
    }
    for what, args in runs.items():
        for suffix in (".html", ".svg"):
            target = tmp_path / f"{what}{suffix}"
            result = runner.invoke(cli, [*args, "-o", str(target)], catch_exceptions=False)
            assert result.exit_code == 0, (what, result.output)
            page = target.read_text(encoding="utf-8")
            assert not RAW.search(page), (what, suffix, RAW.search(page))
            if suffix == ".svg":
                minidom.parseString(page.encode("utf-8"))  # well-formed XML


@pytest.mark.parametrize("suffix", [".csv", ".html", ".svg", ".md", ".json", ".txt"])
def test_a_compare_label_of_bytes_that_are_not_utf8_is_refused(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    """A shell passes bytes that are not UTF-8 (``$'a\\xffb'``) as surrogates: writing
    them to a file crashed with a traceback. The argument is refused, naming it, and no
    file is written."""
    target = tmp_path / f"out{suffix}"
    result = runner.invoke(cli, ["compare", "a\udcffb: -n 4", "b: -n 6", "-o", str(target)])
    assert result.exit_code == 2, result.output
    assert "argument 2" in result.stderr and "UTF-8" in result.stderr  # after "compare"
    assert len(result.stderr.splitlines()) == 1
    assert not target.exists()


def test_a_sheet_whose_file_name_is_not_utf8_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    """A quote records its sheet's path (and a sheet without a name is named after its
    file): a name of bytes that are not UTF-8 crashed the quote log with a traceback. It
    is refused, naming the option, and nothing is saved."""
    sheet = os.fsencode(tmp_path) + b"/na\xffme.toml"
    with open(sheet, "w", encoding="utf-8") as handle:
        handle.write("[treatments.a]\nprice = 100\n")
    db = tmp_path / "q.db"
    args = ["--sheet", os.fsdecode(sheet), "--db", str(db), "--format", "json"]
    result = runner.invoke(cli, ["quote", *args])
    assert result.exit_code == 2, result.output
    assert "'--sheet'" in result.stderr and "UTF-8" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert runner.invoke(cli, ["quotes", "list", "--db", str(db), "--format", "json"]).stdout in (
        "",
        "[]\n",
    )


def test_a_file_name_holding_an_escape_sequence_is_shown_escaped(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A file's name is text ketacost did not write: `sheet init`, `sheet check` (its OK
    line and warnings), `gfe` and `gfe notice` say where they wrote or read with its
    escape sequences made visible (a terminal obeyed them: click keeps them on a
    terminal, as ``color=True`` does here)."""
    from tests.clinic import clinic_sheet

    folder = tmp_path / "x\x1b[2Jy"
    folder.mkdir()
    starter = folder / "s.toml"
    sheet = clinic_sheet(folder)
    runs = [
        ["sheet", "init", str(starter)],
        ["sheet", "check", str(sheet)],
        ["sheet", "check", str(starter)],
        ["gfe", "--sheet", str(sheet), "--db", str(tmp_path / "q.db"), "--patient", "Ann Lee",
         "--dob", "1980-04-30", "--dx", "F33.1", "-o", str(folder / "g.html")],
        ["gfe", "notice", "--sheet", str(sheet), "-o", str(folder / "n.html")],
    ]  # fmt: skip
    for args in runs:
        result = runner.invoke(cli, args, color=True)
        assert result.exit_code == 0, (args, result.output)
        assert "x\\x1b[2Jy" in result.stdout + result.stderr, (args, result.output)
        assert not RAW.search(result.stdout + result.stderr), (args, result.output)


@pytest.mark.parametrize("name", ["clear", "bidi", "c1"])
def test_a_new_gfe_page_makes_hostile_text_visible(
    runner: CliRunner, tmp_path: Path, name: str
) -> None:
    """A sheet's clinic name, address and labels with control characters or bidi
    overrides reach a Good Faith Estimate made visible, not raw (estimates issued before
    reprint as they were: their page is kept)."""
    from tests.clinic import clinic_sheet

    text = HOSTILE[name]
    sheet = clinic_sheet(tmp_path, name=f"Calm {text}", address=f"1 Main St {text}")
    body = sheet.read_text(encoding="utf-8")
    sheet.write_text(body.replace('label = "', f"label = {json.dumps(text)[:-1]}", 1))
    out = tmp_path / "g.html"
    result = runner.invoke(cli, ["gfe", "--sheet", str(sheet), "--db", str(tmp_path / "q.db"),
                                 "--patient", "Ann Lee", "--dob", "1980-04-30", "--dx", "F33.1",
                                 "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert not RAW.search(page), RAW.search(page)
    assert terminal_text(text).replace("\\", "\\") in html.unescape(page)
