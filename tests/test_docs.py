"""The docs/ folder: the command reference matches the code, and every page is reachable."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"
REGENERATE = "cog -r docs/cli.md"
LINK = re.compile(r"\]\(([^)\s#]+)(?:#[^)\s]*)?\)")


def links(page: Path) -> set[str]:
    """The relative targets of the Markdown links on a page (web addresses left out)."""
    return {t for t in LINK.findall(page.read_text(encoding="utf-8")) if "://" not in t}


def test_cli_reference_matches_the_help(tmp_path: Path) -> None:
    """docs/cli.md holds every command's current --help, as cog would write it now."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETACOST_")}
    env |= {
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "COLUMNS": "80",
    }
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "docs/cli.md"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, (
        f"docs/cli.md is out of date with the commands' --help: regenerate it with "
        f"`{REGENERATE}` and commit the result.\n{done.stdout}{done.stderr}"
    )


def test_cli_reference_lists_every_command() -> None:
    """The generated part is there: a heading for the group and its commands."""
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for heading in (
        "## ketacost\n",
        "## ketacost estimate\n",
        "### ketacost quotes list\n",
        "### ketacost sheet init\n",
    ):
        assert heading in text, f"{heading.strip()!r} missing: run `{REGENERATE}`"


def test_every_page_is_linked_from_the_index() -> None:
    pages = {p.name for p in DOCS.glob("*.md")} - {"index.md"}
    missing = sorted(pages - links(DOCS / "index.md"))
    assert not missing, f"docs/index.md does not link to {', '.join(missing)}"


PAGES = sorted(
    [
        ROOT / "README.md",
        ROOT / "CONTRIBUTING.md",
        ROOT / "benchmarks" / "README.md",
        *DOCS.glob("*.md"),
    ]
)
"""Every Markdown page of the repository a reader is sent to."""
TARGET = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)


def anchors(page: Path) -> set[str]:
    """The anchors of a page's headings, as GitHub makes them: lower case, punctuation
    dropped, spaces as hyphens, a repeated one numbered."""
    found: set[str] = set()
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for heading in re.findall(r"^#+ (.+)$", text, re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        number, name = 0, slug
        while name in found:
            number += 1
            name = f"{slug}-{number}"
        found.add(name)
    return found


def broken_links(page: Path) -> list[str]:
    """The relative links of a page (outside code blocks) whose file or heading is not
    there."""
    broken = []
    text = FENCE.sub("", page.read_text(encoding="utf-8"))
    for target in TARGET.findall(text):
        if "://" in target or target.startswith("mailto:"):
            continue
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists() or (file.suffix == ".md" and anchor not in {"", *anchors(file)}):
            broken.append(target)
    return broken


def test_every_relative_link_resolves() -> None:
    """Every relative link of README.md, CONTRIBUTING.md, benchmarks/README.md and docs/
    reaches a file that is there, and a heading of it when it names one."""
    assert len(PAGES) >= 13
    for page in PAGES:
        assert not broken_links(page), f"{page.relative_to(ROOT)}: {broken_links(page)}"


def test_a_broken_link_is_found(tmp_path: Path) -> None:
    """The check above fails on a missing file and on a missing heading."""
    (tmp_path / "there.md").write_text("# Title\n\n## A section: two words\n")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) [ok](there.md#a-section-two-words) [ok](#here) [web](https://x.org/y)\n"
        "# Here\n[gone](missing.md#x) [no heading](there.md#nowhere) [not here](#gone)\n"
        "```\n[in code](ignored.md)\n```\n"
    )
    assert broken_links(page) == ["missing.md#x", "there.md#nowhere", "#gone"]


def test_docs_stand_on_their_own() -> None:
    """The docs are the repository's own words: no pointers to files outside it."""
    for page in sorted(DOCS.glob("*.md")):
        assert "SPEC" not in page.read_text(encoding="utf-8"), page.name


def test_every_module_the_docs_name_exists() -> None:
    """A path such as `ketacost/coverage/shares.py` in the docs (or a docstring's pointer to a
    docs page) names something that is there."""
    import re

    root = DOCS.parent
    for page in sorted(DOCS.glob("*.md")):
        for path in re.findall(r"ketacost/[\w/]+(?:\.py|/)", page.read_text(encoding="utf-8")):
            assert (root / path).exists(), f"{page.name} names {path}, which is not there"
    for module in sorted((root / "ketacost").rglob("*.py")):
        for name in re.findall(r"docs/([\w-]+\.md)", module.read_text(encoding="utf-8")):
            assert (DOCS / name).exists(), f"{module.name} points to docs/{name}, not there"


def test_the_maintenance_default_is_what_the_program_does() -> None:
    """Where the docs give --maintenance's default, it is each treatment's own plan, as
    estimate uses it (Spravato's boosters every 2 weeks; none for the others), never a
    plain "none" for all."""
    from datetime import date

    from ketacost.estimate import estimate
    from ketacost.request import build_request
    from ketacost.sheet.load import load_sheet

    sheet = load_sheet()
    used = {
        t.key: estimate(
            build_request(sheet, date(2026, 11, 23), condition=t.key), sheet
        ).request.maintenance.label
        for t in sheet.treatments
    }
    own = [f"`{plan}` for `{key}`" for key, plan in used.items() if plan != "none"]
    phrase = ", ".join(own) + ", `none` for the others"
    assert phrase == "`every 2 weeks` for `spravato`, `none` for the others"
    pages = [ROOT / "README.md", *(p for p in DOCS.glob("*.md") if p.name != "cli.md")]
    texts = {page.name: " ".join(page.read_text(encoding="utf-8").split()) for page in pages}
    assert any(phrase in text for text in texts.values())
    for name, text in texts.items():
        assert "`none` (the default)" not in text, name
        row = re.search(r"\| `--maintenance PLAN` \|[^|]*\|([^|]*)\|", text)
        assert row is None or phrase in row.group(1), name


def folder_map_misses(index: str) -> list[str]:
    """The folders of the package that docs/index.md's map does not name."""
    package = ROOT / "ketacost"
    folders = sorted(p.name for p in package.iterdir() if p.is_dir() and p.name != "__pycache__")
    return [f for f in folders if f"| `ketacost/{f}/` |" not in index]


def test_the_folder_map_names_every_folder() -> None:
    """docs/index.md maps every folder of the package to what lives there, one row each,
    so a reader finds where a rule lives from the folder list."""
    assert not folder_map_misses((DOCS / "index.md").read_text(encoding="utf-8"))
    assert folder_map_misses("| `ketacost/sheet/` | the price sheet |") != []


def unknown_modules(index: str) -> list[str]:
    """The modules docs/index.md names (``report/build.py``, or a bare ``days.py`` in its
    folder's row) that the package does not hold."""
    package = ROOT / "ketacost"
    missing = []
    for name in re.findall(r"`((?:\w+/)*\w+\.py)`", index):
        path = name.removeprefix("ketacost/")
        there = (package / path).exists() if "/" in path else any(package.rglob(path))
        if not there:
            missing.append(name)
    return missing


def test_the_map_names_modules_that_are_there() -> None:
    """A module moved (the report's builder, the paying notes, the clinic's days) is named
    where it now lives."""
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert "`report/build.py`" in index and "`paying_notes.py`" in index
    assert "`days.py`" in index
    assert not unknown_modules(index)
    assert unknown_modules("`report/gone.py` and `nowhere.py`") == ["report/gone.py", "nowhere.py"]


def test_the_readme_sends_to_the_benchmarks_for_speed() -> None:
    """The README keeps no measured figure (they age): it links to benchmarks/README.md."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "](benchmarks/README.md)" in readme
    assert not re.findall(r"\d ?ms\b|\bp99\b|a second\b|vCPU", readme)
