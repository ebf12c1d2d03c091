"""Where a table or key of a TOML text is first defined, for a problem's FILE:LINE
(docs/index.md). tomllib gives values, not lines, so the text is read again, line by line,
when a line is first asked for: a file without problems never is."""

from __future__ import annotations

import re

_ATOM = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED = rf"{_ATOM}(?:\s*\.\s*{_ATOM})*"
# Patterns as text: re compiles (and caches) them when a line is first looked for,
# which is only when a file has a problem to report.
_HEADER_RE = rf"^\[\[?\s*({_DOTTED})\s*\]\]?"
_KEY_LINE_RE = rf"^({_DOTTED})\s*=(.*)$"


def _split_key(dotted: str) -> tuple[str, ...]:
    return tuple(atom[1:-1] if atom[0] in "\"'" else atom for atom in re.findall(_ATOM, dotted))


class Locator:
    """Knows the line where each table and key of a TOML text is first defined. The text
    is indexed when a line is first asked for: a file without problems never is."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._where: dict[tuple[str, ...], int] | None = None

    @staticmethod
    def _index(text: str) -> dict[tuple[str, ...], int]:
        where: dict[tuple[str, ...], int] = {}

        def note(path: tuple[str, ...], number: int) -> None:
            for end in range(1, len(path) + 1):
                where.setdefault(path[:end], number)

        table: tuple[str, ...] = ()
        open_string: str | None = None  # the quotes of a multi-line string being read
        for number, raw in enumerate(text.splitlines(), start=1):
            line = raw.strip()
            if open_string is not None:
                if line.count(open_string) % 2 == 1:
                    open_string = None
                continue
            header = re.match(_HEADER_RE, line)
            if header:
                table = _split_key(header.group(1))
                note(table, number)
                continue
            pair = re.match(_KEY_LINE_RE, line)
            if pair:
                note(table + _split_key(pair.group(1)), number)
                rest = pair.group(2)
                open_string = next((q for q in ('"""', "'''") if rest.count(q) % 2 == 1), None)
        return where

    def line_of(self, table: str, key: str | None = None) -> int:
        """The line of ``key`` in ``table`` (dotted; ``""`` is the top level), else of the
        nearest table holding it; 0 when neither is found."""
        if self._where is None:
            self._where = self._index(self._text)
        path = (*(table.split(".") if table else ()), *((key,) if key else ()))
        while path:
            if path in self._where:
                return self._where[path]
            path = path[:-1]
        return 0
