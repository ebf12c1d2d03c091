"""Text that ketacost did not write itself (a price sheet's labels, a compare label, a
patient's name), made safe for where it goes: a terminal, a Markdown cell, a CSV cell, an
HTML page or SVG chart.

Every renderer passes such text through one of these (an estimate once issued reprints
byte for byte all the same: its page is kept as it was issued).
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text


def _escapes(*ranges: range) -> dict[int, str]:
    """Each character of ``ranges`` mapped to its escape as Python writes it (``\\x1b``,
    ``\\u202e``), for :meth:`str.translate`."""
    return {code: ascii(chr(code))[1:-1] for span in ranges for code in span}


# C0 and C1 controls (but tab), DEL, and the Unicode bidirectional marks, overrides and
# isolates, which can reorder what a person reads.
_TERMINAL = _escapes(
    range(0x00, 0x09),
    range(0x0A, 0x20),
    range(0x7F, 0xA0),
    range(0x200E, 0x2010),
    range(0x202A, 0x202F),
    range(0x2066, 0x206A),
)
# In a CSV cell, line feed and carriage return (like tab) are data a CSV reader keeps (the
# writer quotes the cell); every other control, and the bidi overrides, are escaped.
_CSV = {code: escape for code, escape in _TERMINAL.items() if chr(code) not in "\n\r"}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet may run as a formula: = + - @ (and their full-width forms), tab, CR."""


# Data (JSON, CSV) shown on a terminal: every control but tab and line feed, and the bidi
# marks, as a JSON-style ``\uNNNN`` escape (valid inside a JSON string, plain text in CSV).
_DATA = {code: f"\\u{code:04x}" for code in _TERMINAL if chr(code) not in "\t\n"}


def terminal_data(text: str) -> str:
    """JSON or CSV text made safe to print on a terminal: control characters (a raw
    carriage return that rewrites the line, an escape sequence, C1 controls) and bidi
    overrides become JSON-style escapes (``\\u000d``); tab and line feed stay (they lay
    the data out). Only for a terminal: a file or a pipe keeps the data as it is."""
    return text.translate(_DATA)


def terminal_text(text: str) -> str:
    """``text`` with control characters and bidi overrides shown as ``\\xNN`` / ``\\uNNNN``
    escapes, so no escape sequence reaches the terminal."""
    return text.translate(_TERMINAL)


def rich_text(text: str, style: str = "") -> Text:
    """``text`` for a Rich table or line: its controls escaped (:func:`terminal_text`) and
    never read as Rich markup (``[link=...]`` stays as typed), as a plain string cell
    would be."""
    from rich.text import Text

    return Text(terminal_text(text), style=style)


def csv_cell(value: str) -> str:
    """A text cell a spreadsheet will show, not run: a formula start (after any spaces) is
    quoted with ``'``; escape sequences and bidi overrides are escaped as in
    :func:`terminal_text` (a CSV is often printed to a terminal), but tab, line feed and
    carriage return are kept (quoted by the CSV writer, they are the cell's data)."""
    cell = "'" + value if value.lstrip(" ").startswith(FORMULA_STARTS) else value
    return cell.translate(_CSV)


def page_text(text: str) -> str:
    """``text`` for an HTML page or an SVG chart: escaped for markup (``<``, ``&``,
    quotes), its control characters and bidi overrides made visible as in
    :func:`terminal_text` (a raw one is not XML: an SVG holding ESC does not open), line
    breaks and tabs kept (markup reads them as spaces)."""
    return escape(text.translate(_CSV))


def md_escape(text: str) -> str:
    """Text safe in a Markdown table cell or line: no table breaks, no raw HTML, no links
    or images, no escape sequences."""
    text = terminal_text(text).replace("\\", "\\\\")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "|[]":
        text = text.replace(char, "\\" + char)
    # Bare URLs become links in GitHub's Markdown: an escape splits them.
    return text.replace("://", ":\\/\\/").replace("www.", "www\\.")
