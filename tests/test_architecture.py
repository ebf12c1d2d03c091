"""The layout docs/index.md describes, checked on the source: the core imports no command
line, terminal or storage; renderers import no storage; commands never import each
other; the core names fields, never command-line options. No line cap and no module
count: a module's size follows its idea, and a cap cut concepts into size-shaped pieces."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ketacost"
CORE = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__main__.py")
RENDER = sorted((PACKAGE / "render").glob("*.py"))
COMMANDS = sorted((PACKAGE / "cli").glob("*_cmd.py"))
# A string; from Python 3.12 an f-string's text is its own token.
TEXT_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_the_core_imports_no_command_line_terminal_or_storage(path: Path) -> None:
    banned = ("click", "rich", "ketacost.cli", "ketacost.render", "ketacost.store")
    assert not [name for name in imported(path) if _within(name, *banned)]


@pytest.mark.parametrize("path", RENDER, ids=lambda p: p.name)
def test_renderers_import_no_storage_and_no_command_line(path: Path) -> None:
    banned = ("click", "ketacost.cli", "ketacost.store")
    assert not [name for name in imported(path) if _within(name, *banned)]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: p.name)
def test_commands_never_import_each_other(path: Path) -> None:
    others = {f"ketacost.cli.{p.stem}" for p in COMMANDS} - {f"ketacost.cli.{path.stem}"}
    assert not [name for name in imported(path) if _within(name, *others)]


@pytest.mark.parametrize("path", CORE, ids=lambda p: p.name)
def test_the_core_names_no_command_line_option(path: Path) -> None:
    """Not in a message, a note or a docstring: the core's words are its fields'."""
    source = path.read_text(encoding="utf-8")
    strings = [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type in TEXT_TOKENS
    ]
    assert not [s for s in strings if re.search(r"(?<![\w-])--[a-z]", s)]


def test_the_checks_see_the_code() -> None:
    """The lists above are not empty, and the import reader finds a function's imports."""
    assert CORE and RENDER and COMMANDS
    assert "click" in imported(PACKAGE / "cli" / "app.py")
    assert "ketacost.report_json" in imported(PACKAGE / "cli" / "dispatch.py")
