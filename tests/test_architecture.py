"""The layout docs/index.md describes, checked package by package on the source, relative
imports included: the core imports no command line, terminal, renderer or storage;
renderers no storage or command line; the store no command line, terminal or renderer;
commands never import each other; the core names fields, never command-line options.
No line cap and no module count: a module's size follows its idea, and a cap cut
concepts into size-shaped pieces."""

from __future__ import annotations

import ast
import importlib
import io
import re
import tokenize
from pathlib import Path

import click
import pytest

from ketacost.cli.lazy import LazyGroup

PACKAGE = Path(__file__).resolve().parent.parent / "ketacost"
ROOT = PACKAGE.parent
FACES = ("cli", "render", "store", "web")
"""The packages around the core: the command line, the renderers, the quote log's storage,
the web desk."""
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if p.name != "__main__.py")
"""Every module, in every package and sub-package (``__main__`` only starts the CLI)."""
CORE = [p for p in MODULES if p.relative_to(PACKAGE).parts[0] not in FACES]
RENDER = [p for p in MODULES if p.relative_to(PACKAGE).parts[0] == "render"]
STORE = [p for p in MODULES if p.relative_to(PACKAGE).parts[0] == "store"]
WEB = [p for p in MODULES if p.relative_to(PACKAGE).parts[0] == "web"]
COMMANDS = sorted((PACKAGE / "cli").glob("*_cmd.py"))
BANNED = {
    "core": ("click", "rich", "ketacost.cli", "ketacost.render", "ketacost.store", "ketacost.web"),
    "render": ("click", "ketacost.cli", "ketacost.store", "ketacost.web"),
    "store": ("click", "rich", "ketacost.cli", "ketacost.render", "ketacost.web"),
    "web": ("click", "rich", "ketacost.cli"),
}
"""What each package may not import: the core no command line, terminal, renderer,
storage or web desk; renderers no command line, storage or web desk; the store no command
line, terminal, renderer or web desk; the web desk (a face beside the command line) no
command line or terminal."""
# A string; from Python 3.12 an f-string's text is its own token.
TEXT_TOKENS = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}


def module_name(path: Path, root: Path = ROOT) -> str:
    """``ketacost/cli/app.py`` is ``ketacost.cli.app``; a package's ``__init__.py`` is
    the package."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, root: Path = ROOT) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, a relative import
    (``from . import x``, ``from ..store import y``) resolved to its full name."""
    name = module_name(path, root)
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def _within(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


def violations(path: Path, banned: tuple[str, ...], root: Path = ROOT) -> list[str]:
    """What ``path`` imports from the ``banned`` packages or modules."""
    return sorted(name for name in imported(path, root) if _within(name, *banned))


def other_commands(path: Path, root: Path = ROOT) -> list[str]:
    """The other command modules (``*_cmd.py`` beside it) that ``path`` imports, or names
    in a string: a lazy table's ``Lazy(module=...)``, an import by name."""
    others = {module_name(p, root) for p in path.parent.glob("*_cmd.py")} - {
        module_name(path, root)
    }
    named = {
        node.value
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in others
    }
    return sorted({*violations(path, tuple(others), root), *named})


def lazy_groups(module: str) -> list[LazyGroup]:
    """The groups ``module`` defines whose commands are named in a table (:class:`Lazy`)."""
    found = vars(importlib.import_module(module)).values()
    return [group for group in found if isinstance(group, LazyGroup)]


def subcommand_modules(module: str) -> set[str]:
    """The modules named in the tables of the groups ``module`` defines."""
    return {lazy.module for group in lazy_groups(module) for lazy in group.table.values()}


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_core_imports_no_command_line_terminal_renderer_or_storage(path: Path) -> None:
    assert not violations(path, BANNED["core"])


@pytest.mark.parametrize("path", RENDER, ids=lambda p: p.name)
def test_renderers_import_no_storage_and_no_command_line(path: Path) -> None:
    assert not violations(path, BANNED["render"])


@pytest.mark.parametrize("path", STORE, ids=lambda p: p.name)
def test_the_store_imports_no_command_line_terminal_or_renderer(path: Path) -> None:
    assert not violations(path, BANNED["store"])


@pytest.mark.parametrize("path", WEB, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_web_desk_imports_no_command_line_or_terminal(path: Path) -> None:
    assert not violations(path, BANNED["web"])


def imports_in_functions(path: Path, root: Path = ROOT) -> list[str]:
    """The modules ``path`` imports inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Import):
                    found += [alias.name for alias in inner.names]
                elif isinstance(inner, ast.ImportFrom):
                    found.append("." * inner.level + (inner.module or ""))
    return found


@pytest.mark.parametrize("path", WEB, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_the_web_desk_imports_at_the_top(path: Path) -> None:
    """The web desk is imported by ``serve`` only, so nothing is gained by importing inside
    a function; the one exception is the app's routes, which import the app themselves."""
    allowed = ["ketacost.web.routes"] if path.name == "app.py" else []
    assert imports_in_functions(path) == allowed


def test_the_log_interface_imports_nothing_built_on_it() -> None:
    """store/base.py is the quote log's interface; each storage (SQLite, PostgreSQL) and
    every other store module that uses it imports it, so it imports none of them: no
    import circle. Opening a log by its target, the one place that knows every storage, is
    a module of its own that nothing in the store imports."""
    base = PACKAGE / "store" / "base.py"
    built_on_base = {
        module_name(p)
        for p in STORE
        if any(_within(n, "ketacost.store.base") for n in imported(p)) and p.name != "__init__.py"
    }
    assert {"ketacost.store.sqlite", "ketacost.store.postgres"} <= built_on_base
    assert not violations(base, tuple(built_on_base))
    opener = imported(PACKAGE / "store" / "opening.py")
    assert {"ketacost.store.sqlite", "ketacost.store.postgres"} <= opener
    assert not [p for p in STORE if "ketacost.store.opening" in imported(p)]


def circles(modules: list[Path], root: Path = ROOT) -> list[list[str]]:
    """The import circles among ``modules``: each a group of two or more modules that reach
    one another by imports (at the top, inside a function or under ``TYPE_CHECKING``)."""
    names = {module_name(p, root): p for p in modules}
    graph = {
        n: sorted(m for m in imported(p, root) if m in names and m != n) for n, p in names.items()
    }
    reaches = {n: set(graph[n]) for n in names}
    for via in names:  # Warshall: who reaches whom, by any path
        for n in names:
            if via in reaches[n]:
                reaches[n] |= reaches[via]
    found: list[list[str]] = []
    for n in sorted(names):
        group = sorted({n} | {m for m in reaches[n] if n in reaches[m]})
        if len(group) > 1 and group not in found:
            found.append(group)
    return found


NO_CIRCLES = ("report", "store")
"""Packages whose modules import in one direction only: a circle hidden by an import
inside a function or under ``TYPE_CHECKING`` is still a circle."""


@pytest.mark.parametrize("package", NO_CIRCLES)
def test_no_import_circle_within(package: str) -> None:
    modules = [p for p in MODULES if p.relative_to(PACKAGE).parts[0] == package]
    assert modules
    assert circles(modules) == []


def test_the_report_hides_no_import() -> None:
    """No ``TYPE_CHECKING`` block in report/: its modules import what they name (one hid
    the circle between the report's model and its notes)."""
    report = sorted((PACKAGE / "report").glob("*.py"))
    assert report
    assert not [p.name for p in report if "TYPE_CHECKING" in p.read_text(encoding="utf-8")]


def test_a_planted_circle_is_found(tmp_path: Path) -> None:
    """A circle closed by an import inside a function, or under ``TYPE_CHECKING``, is found."""
    plant(
        tmp_path,
        {
            "ketacost/report/model.py": "from ketacost.report import notes\n",
            "ketacost/report/notes.py": "if TYPE_CHECKING:\n    from .model import Report\n",
            "ketacost/report/rows.py": "def r():\n    from ketacost.report.model import Report\n",
            "ketacost/store/a.py": "def f():\n    from . import b\n",
            "ketacost/store/b.py": "from ketacost.store.a import f\n",
        },
    )
    modules = sorted((tmp_path / "ketacost").rglob("*.py"))
    assert circles(modules, tmp_path) == [
        ["ketacost.report.model", "ketacost.report.notes"],
        ["ketacost.store.a", "ketacost.store.b"],
    ]


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: p.name)
def test_commands_never_import_each_other(path: Path) -> None:
    """A command module imports no other; it names one only as a subcommand of a group it
    defines, in that group's table, and the subcommand's module never imports it back."""
    name = module_name(path)
    subcommands = subcommand_modules(name)
    assert not [other for other in other_commands(path) if other not in subcommands]
    for module in subcommands:
        assert not violations(PACKAGE.parent / (module.replace(".", "/") + ".py"), (name,))


@pytest.mark.parametrize("module", ["ketacost.cli.app", *(module_name(p) for p in COMMANDS)])
def test_every_command_a_table_names_is_there(module: str) -> None:
    """Each entry of a group's table loads a command, the one the group runs by that name."""
    for group in lazy_groups(module):
        ctx = click.Context(group)
        for name, lazy in group.table.items():
            command = group.get_command(ctx, name)
            assert isinstance(command, click.Command) and command is lazy.load()
            assert name in group.list_commands(ctx)


def test_the_tables_are_read() -> None:
    """The checks above see the tables of the top-level group, gfe and quotes."""
    assert "ketacost.cli.gfe_due_cmd" in subcommand_modules("ketacost.cli.gfe_cmd")
    assert subcommand_modules("ketacost.cli.quotes_cmd") == {"ketacost.cli.quotes_copy_cmd"}
    assert "ketacost.cli.quotes_cmd" in subcommand_modules("ketacost.cli.app")
    assert other_commands(PACKAGE / "cli" / "quotes_cmd.py") == ["ketacost.cli.quotes_copy_cmd"]


def plant(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def test_each_check_fails_on_a_planted_import(tmp_path: Path) -> None:
    """A package laid out as ours, with one forbidden import planted in each kind of
    module, absolute, relative and inside a function: every check finds its own."""
    plant(
        tmp_path,
        {
            "ketacost/__init__.py": "",
            "ketacost/money.py": "",
            "ketacost/sheet/__init__.py": "from .. import money\nfrom ..cli import app\n",
            "ketacost/sheet/load.py": "from . import rows\nfrom .rows import Row\n",
            "ketacost/paying/how_paid.py": "def plan():\n    from ..render.table import draw\n",
            "ketacost/paying/tax.py": "import rich.table\nfrom ..store import QuoteLog\n",
            "ketacost/cli/__init__.py": "",
            "ketacost/cli/estimate_cmd.py": "from . import params\nfrom .quote_cmd import quote\n",
            "ketacost/cli/quote_cmd.py": "def q():\n    from ketacost.cli import estimate_cmd\n",
            "ketacost/cli/wizard_cmd.py": "from ..cli.run import run\nfrom .. import money\n",
            "ketacost/cli/serve_cmd.py": 'T = {"q": Lazy(module="ketacost.cli.quote_cmd")}\n',
            "ketacost/render/table.py": "from ..store.base import QuoteLog\nfrom .. import money\n",
            "ketacost/store/base.py": "from ..cli import logbook\nfrom . import rows\n",
            "ketacost/store/rows.py": "import click\nfrom ..render import log\n",
        },
    )
    package = tmp_path / "ketacost"

    def found(name: str, banned: tuple[str, ...]) -> list[str]:
        return violations(package / name, banned, tmp_path)

    assert found("sheet/__init__.py", BANNED["core"]) == ["ketacost.cli", "ketacost.cli.app"]
    assert found("sheet/load.py", BANNED["core"]) == []
    assert imported(package / "sheet" / "load.py", tmp_path) >= {
        "ketacost.sheet.rows",
        "ketacost.sheet.rows.Row",
    }
    assert found("paying/how_paid.py", BANNED["core"]) == [
        "ketacost.render.table",
        "ketacost.render.table.draw",
    ]
    assert found("paying/tax.py", BANNED["core"]) == [
        "ketacost.store",
        "ketacost.store.QuoteLog",
        "rich.table",
    ]
    assert found("render/table.py", BANNED["render"]) == [
        "ketacost.store.base",
        "ketacost.store.base.QuoteLog",
    ]
    assert found("store/base.py", BANNED["store"]) == ["ketacost.cli", "ketacost.cli.logbook"]
    assert found("store/rows.py", BANNED["store"]) == [
        "click",
        "ketacost.render",
        "ketacost.render.log",
    ]
    commands = package / "cli"
    assert other_commands(commands / "estimate_cmd.py", tmp_path) == [
        "ketacost.cli.quote_cmd",
        "ketacost.cli.quote_cmd.quote",
    ]
    assert other_commands(commands / "quote_cmd.py", tmp_path) == ["ketacost.cli.estimate_cmd"]
    assert other_commands(commands / "wizard_cmd.py", tmp_path) == []
    assert other_commands(commands / "serve_cmd.py", tmp_path) == ["ketacost.cli.quote_cmd"]


START_UP_EXCUSE = re.compile(
    r"start-?up|(?:stays?|starts?) (?:as )?(?:fast|no slower)|without importing",
    re.IGNORECASE,
)
"""Words that justify code by how fast the program starts, rather than by what it does."""


def start_up_excuses(source: str) -> list[str]:
    """The comments and strings (docstrings included) of ``source`` that excuse code by
    start-up time."""
    return [
        token.string
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type in {tokenize.COMMENT, *TEXT_TOKENS} and START_UP_EXCUSE.search(token.string)
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_code_is_excused_by_start_up_time(path: Path) -> None:
    """Code reads as what it does: no pattern kept as text "not at start-up", no module
    avoided "without importing" it. Start-up is won back by fewer modules on the path."""
    assert not start_up_excuses(path.read_text(encoding="utf-8"))


def test_a_start_up_excuse_is_found() -> None:
    source = "# Patterns as text: re compiles them when used, not at start-up.\nX = 1\n"
    source += 'def f():\n    """28 to 31 (without importing calendar)."""\n'
    source += "# the rows of a batch: made by the million\n"
    assert len(start_up_excuses(source)) == 2


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
    assert CORE and RENDER and STORE and WEB and COMMANDS
    assert PACKAGE / "money.py" in CORE and PACKAGE / "store" / "base.py" in STORE
    assert "click" in imported(PACKAGE / "cli" / "app.py")
    assert "ketacost.report.to_data" in imported(PACKAGE / "cli" / "dispatch.py")
