"""Text that ketacost did not write itself (a price sheet's labels, a compare label, a
patient's name), made safe for where it goes: a terminal, a Markdown cell, a CSV cell.

Every renderer passes such text through one of these; HTML escaping is
:func:`html.escape` in the page renderers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

# C0 and C1 controls (but tab), DEL, and the Unicode bidirectional overrides and isolates,
# which can reorder what a person reads.
_CONTROLS = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# In a CSV cell, tab, line feed and carriage return are data a CSV reader keeps (the writer
# quotes the cell); every other control, and the bidi overrides, are escaped.
_CSV_CONTROLS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet may run as a formula: = + - @ (and their full-width forms), tab, CR."""


def _escaped(match: re.Match[str]) -> str:
    return ascii(match.group())[1:-1]


def terminal_text(text: str) -> str:
    """``text`` with control characters and bidi overrides shown as ``\\xNN`` / ``\\uNNNN``
    escapes, so no escape sequence reaches the terminal."""
    return _CONTROLS.sub(_escaped, text)


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
    return _CSV_CONTROLS.sub(_escaped, cell)


def md_escape(text: str) -> str:
    """Text safe in a Markdown table cell or line: no table breaks, no raw HTML, no links
    or images, no escape sequences."""
    text = terminal_text(text).replace("\\", "\\\\")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char in "|[]":
        text = text.replace(char, "\\" + char)
    # Bare URLs become links in GitHub's Markdown: an escape splits them.
    return text.replace("://", ":\\/\\/").replace("www.", "www\\.")
