"""The examples of the README and of the guides in docs/ work: every ``ketacost ...``
command in their fenced blocks runs (section by section, in a temporary HOME and folder,
with the files the pages show: the complete example sheet, the coverage file, the call
list), and every sample output (a block starting ``$ ketacost ...``) has the figures,
sheet hashes and 80-column width that the command prints today."""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    name: (ROOT / name).read_text(encoding="utf-8")
    for name in (
        "README.md",
        "docs/guide.md",
        "docs/front-desk.md",
        "docs/index.md",
        "docs/money.md",
        "docs/schedule.md",
        "docs/charges.md",
        "docs/coverage.md",
        "docs/paying.md",
    )
}
"""The pages whose examples are run: the README, the guides its examples moved to, and the
topic pages whose examples stand alone. Not yet: docs/gfe.md, docs/quote-log.md and
docs/json.md, whose examples lean on a saved id, a log or a shell pipe."""
README = PAGES["README.md"]
WIDTH = 80
"""Every sample output is captured at this terminal width."""

SAMPLE_ID = re.compile(r"\b([QG])-\d{8}-[0-9A-Z]{6}\b")
FIGURE = re.compile(r"-?\$?\d[\d,]*\.\d\d\b")
HASH = re.compile(r"sha256 ([0-9a-f]{12})")
SYNOPSIS = re.compile(r"\[-|\w\|\w")
"""``[--patient TEXT]`` or ``csv|json``: a usage line, not a command to run."""

STATUS = {
    "ketacost batch calls.csv --sheet clinic.toml --strict": 2,
    "ketacost estimate --network out": 2,
}
"""Commands a page shows failing on purpose (the call list has a bad row; insurance
without its deductible and coinsurance)."""

ELSEWHERE = {
    "Several desks, one log": "needs a PostgreSQL server: tests/test_postgres_cli.py runs "
    "this section's SQL and commands against a throwaway one",
    "Superbills and claims": "bills sessions already given, so today must move past them: "
    "tests/test_claims.py runs this section's commands on a GFE whose sessions were given",
}
"""Sections whose commands another test runs, and why."""


@dataclass
class Section:
    """The commands of one ``##`` section of a page, in order, and the line each starts on."""

    page: str
    title: str
    commands: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Sample:
    page: str
    line: int
    command: str
    output: str


def fenced(text: str) -> list[tuple[int, str, str]]:
    """Every fenced block: (line of its opening fence, language, content)."""
    return [
        (text[: m.start()].count("\n") + 1, m.group(1), m.group(2))
        for m in re.finditer(r"^```(\w*)\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)
    ]


def block_after(marker: str, language: str = "") -> str:
    """The first fenced block after ``marker`` on the one page that has it."""
    [text] = [text for text in PAGES.values() if marker in text]
    start = text.index(marker)
    return next(body for line, lang, body in fenced(text[start:]) if lang == language)


CLINIC = block_after("### A complete example", "toml")
COVERAGE = block_after("### Your plan in a file", "toml")
CALLS = next(
    body
    for text in PAGES.values()
    for _, _, body in fenced(text)
    if body.startswith("id,condition,")
)


def sections() -> tuple[list[Section], list[Sample]]:
    found: list[Section] = []
    samples: list[Sample] = []
    for page, text in PAGES.items():
        headings = [(m.start(), m.group(1)) for m in re.finditer(r"^## (.+)$", text, re.M)]
        for line, language, body in fenced(text):
            if language:
                continue
            offset = sum(len(x) + 1 for x in text.splitlines()[: line - 1])
            title = ([""] + [t for start, t in headings if start <= offset])[-1]
            if not found or (found[-1].page, found[-1].title) != (page, title):
                found.append(Section(page, title))
            lines = body.replace("\\\n", " ").splitlines()
            if lines and lines[0].startswith("$ ketacost "):
                samples.append(Sample(page, line, lines[0][2:], "\n".join(lines[1:])))
                continue
            for number, text_line in enumerate(lines):
                if text_line.startswith("ketacost ") and not SYNOPSIS.search(
                    text_line.split("#")[0]
                ):
                    found[-1].commands.append((line + 1 + number, text_line))
    return [s for s in found if s.commands and s.title not in ELSEWHERE], samples


SECTIONS, SAMPLES = sections()


def test_the_pages_have_examples_to_run() -> None:
    """The README's quick starts, and every page in PAGES, give commands that are run."""
    titles = [s.title for s in SECTIONS if s.page == "README.md"]
    assert "For a patient" in titles and "For a front desk" in titles
    assert {s.page for s in SECTIONS} == set(PAGES)
    assert sum(len(s.commands) for s in SECTIONS) >= 40
    assert len(SAMPLES) >= 3


def prepare(folder: Path, commands: list[tuple[int, str]]) -> None:
    """The files the README's examples name, unless the section writes them itself."""
    if not any("sheet init clinic.toml" in text for _, text in commands):
        (folder / "clinic.toml").write_text(CLINIC, encoding="utf-8")
    (folder / "my-plan.toml").write_text(COVERAGE, encoding="utf-8")
    (folder / "calls.csv").write_text(CALLS, encoding="utf-8")


def run(runner: CliRunner, args: list[str]) -> Result:
    return runner.invoke(cli, args, input="\n" * 20, env={"COLUMNS": str(WIDTH)})


def saved_id(runner: CliRunner, kind: str) -> str:
    """An id of the kind (Q or G) in the default quote log, saving a quote if needed."""
    from ketacost.store import default_path
    from ketacost.store.opening import open_quote_log

    if default_path().exists():
        with open_quote_log(default_path(), write=False) as log:
            ids = [e.id for e in log.entries() if e.id.startswith(kind)]
        if ids:
            return ids[0]
    assert kind == "Q", "the README names a GFE id before making one"
    assert run(runner, ["quote"]).exit_code == 0
    return saved_id(runner, kind)


def clinic_block(text: str) -> tuple[int, int]:
    """Where the [clinic] table's lines start and end (up to the next table)."""
    lines = text.splitlines()
    start = lines.index("[clinic]")
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("[")), len(lines))
    return start, end


def fill_clinic(runner: CliRunner) -> None:
    """What the front desk quick start says to do before a GFE: fill in the config sheet's
    [clinic] block (here, with the complete example's)."""
    from ketacost.cli.sheets import config_sheet

    sheet = Path(config_sheet())
    ours = sheet.read_text(encoding="utf-8").splitlines()
    example = CLINIC.splitlines()
    start, end = clinic_block(sheet.read_text(encoding="utf-8"))
    first, last = clinic_block(CLINIC)
    ours[start:end] = [*example[first:last], ""]
    sheet.write_text("\n".join(ours) + "\n", encoding="utf-8")


def make_sheet_own() -> None:
    """The rest of what the quick start asks before a GFE: the clinic's own names and
    prices in place of the starter's examples (here, the complete example)."""
    from ketacost.cli.sheets import config_sheet

    Path(config_sheet()).write_text(CLINIC, encoding="utf-8")


@pytest.mark.parametrize("section", SECTIONS, ids=[f"{s.page}: {s.title}" for s in SECTIONS])
def test_every_command_runs(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, section: Section
) -> None:
    monkeypatch.chdir(tmp_path)
    prepare(tmp_path, section.commands)
    for line, shown in section.commands:
        text = SAMPLE_ID.sub(lambda m: saved_id(runner, m.group(1)), shown)
        args = shlex.split(text, comments=True)[1:]
        result = run(runner, args)
        if args[0] == "gfe" and result.exit_code == 2 and "[clinic]" in result.stderr:
            make_sheet_own()  # as the quick start says, then the same command again
            result = run(runner, args)
        expected = STATUS.get(" ".join(shlex.split(text, comments=True)), 0)
        assert result.exit_code == expected, f"{section.page}:{line}: {text}\n{result.output}"


def test_the_front_desk_gfe_needs_the_clinic_filled_in(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Right after 'sheet init' a GFE is refused, naming the [clinic] fields to fill in
    (status 2, one line), then the starter's examples left: the steps the quick start asks
    for are the ones needed."""
    monkeypatch.chdir(tmp_path)
    assert run(runner, ["sheet", "init"]).exit_code == 0
    args = ["gfe", "--patient", "Jane Doe", "--dob", "1980-04-30", "--dx", "F33.1", "-o", "g.html"]
    refused = run(runner, args)
    assert refused.exit_code == 2
    assert "[clinic] lacks npi, tin, address, state" in refused.stderr
    fill_clinic(runner)
    examples = run(runner, args)
    assert examples.exit_code == 2
    assert "still holds the starter sheet's examples ([sheet] name;" in examples.stderr
    make_sheet_own()
    assert run(runner, args).exit_code == 0
    assert (tmp_path / "g.html").is_file()


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.command for s in SAMPLES])
def test_sample_outputs_match(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sample: Sample
) -> None:
    """A sample shows the figures and sheet hashes the command prints now, captured at
    80 columns."""
    monkeypatch.chdir(tmp_path)
    prepare(tmp_path, [])
    result = run(runner, shlex.split(sample.command)[1:])
    expected = STATUS.get(sample.command, 0)
    assert result.exit_code == expected, result.output
    if expected:  # a sample of a refusal shows its one line, from standard error
        assert result.stderr.splitlines() == sample.output.splitlines()
        return
    assert FIGURE.findall(sample.output) == FIGURE.findall(result.stdout), (
        sample.page,
        sample.line,
    )
    assert HASH.findall(sample.output) == HASH.findall(result.stdout)
    if "┃" in sample.output:  # a table: as wide as an 80-column terminal draws it
        assert max(len(line) for line in sample.output.splitlines()) <= WIDTH
        assert [line.rstrip() for line in result.stdout.splitlines()] == sample.output.splitlines()


def test_the_option_table_lists_every_format() -> None:
    from ketacost.cli.decorators import FORMATS

    guide = PAGES["docs/guide.md"]
    row = next(line for line in guide.splitlines() if line.startswith("| `--format`"))
    assert re.findall(r"`(\w+)`", row.split("|")[2]) == list(FORMATS)


def test_the_cli_reference_is_linked() -> None:
    assert "[docs/cli.md](docs/cli.md)" in README
