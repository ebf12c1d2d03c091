"""ketacost's performance budget: run it, read the ratios.

    python benchmarks/budget.py            # the full budget (100,000-row batch)
    python benchmarks/budget.py --quick    # fewer runs and rows, for a smoke test

Every figure is the median of several runs of a fresh child process, measured in one
run on one machine against a reference that does the least the same job could do:

1. ``ketacost --help`` against a bare click group's ``--help``             (at most 1.2x)
2. ``ketacost estimate`` (a table) against importing click and rich's table (at most 1.3x)
3. ``ketacost batch`` of 100,000 in-network requests against a hand-written loop that
   reads the same CSV, does the same Decimal arithmetic (deductible, coinsurance, per
   session, rounded to cents half up) and writes the same columns           (at most 2x)
4. peak memory (the child's ru_maxrss) of the 100,000-row batch against the
   10,000-row batch                                                          (at most 1.2x)

Only the standard library and the Python that has ketacost installed are used. The
input files are generated here; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

BARE_CLICK = '''
import click

@click.group()
def cli():
    """A bare click group: the floor for any click command line."""

@cli.command()
def hello():
    """Say hello."""

cli()
'''

IMPORTS_ONLY = "import click, rich.console, rich.table"

# The least code that produces batch's figures for in-network rows whose six sessions
# fall in one plan year: the same Decimal arithmetic, the same rounding, the same columns.
MINIMAL_LOOP = """
import csv, sys
from decimal import ROUND_HALF_UP, Decimal

CENTS, ZERO, HUNDRED = Decimal("0.01"), Decimal("0.00"), Decimal(100)
HEADER = ["id", "sessions"] + [f"{s}_{m}" for s in ("low", "typical", "high")
                               for m in ("charges", "insurance_pays", "out_of_pocket")] + ["error"]

def cents(amount):
    return amount.quantize(CENTS, rounding=ROUND_HALF_UP)

with open(sys.argv[1], newline="", encoding="utf-8-sig") as source, \\
        open(sys.argv[2], "w", newline="", encoding="utf-8") as sink:
    writer = csv.writer(sink, lineterminator="\\n")
    writer.writerow(HEADER)
    for row in csv.DictReader(source):
        low, high = cents(Decimal(row["price_low"])), cents(Decimal(row["price_high"]))
        deductible = cents(Decimal(row["deductible"]))
        already_met = cents(Decimal(row["deductible_met"]))
        coinsurance = Decimal(row["coinsurance"]) / HUNDRED
        out = [row["id"], "6"]
        for price in (low, cents((low + high) / 2), high):
            met, plan, patient = already_met, ZERO, ZERO
            for _session in range(6):
                to_deductible = min(price, deductible - met)
                share = to_deductible + cents(coinsurance * (price - to_deductible))
                met += to_deductible
                patient += share
                plan += price - share
            out += [f"{cents(price * 6):.2f}", f"{cents(plan):.2f}", f"{cents(patient):.2f}"]
        out.append("")
        writer.writerow(out)
"""

COLUMNS = [
    "id",
    "price_low",
    "price_high",
    "deductible",
    "deductible_met",
    "coinsurance",
    "network",
    "start",
]


def write_requests(path: Path, rows: int, seed: int = 7) -> None:
    """In-network requests a billing office might batch: varied prices and plans, starts
    on Mondays of one spring (so no plan year resets inside a six-session induction)."""
    chance = random.Random(seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for number in range(rows):
            low = chance.randrange(400, 700, 5)
            deductible = chance.choice((500, 1000, 1500, 2000, 3000, 5000))
            writer.writerow(
                [
                    f"Q{number:06d}",
                    low,
                    low + chance.randrange(100, 1300, 25),
                    deductible,
                    chance.randrange(0, deductible + 1, 50),
                    chance.choice((10, 20, 25, 30, 40)),
                    "in",
                    f"2027-03-{chance.choice((1, 8, 15, 22, 29)):02d}",
                ]
            )


class Figures(NamedTuple):
    """One command's figures over several runs."""

    median: float
    """Median wall-clock seconds, start to exit: what the budget is judged on."""
    best: float
    """Fastest run: the figure least disturbed by other work on the machine."""
    rss: int
    """Median peak resident memory of the child, KiB (ru_maxrss, from wait4)."""


def isolated_env(home: Path) -> dict[str, str]:
    """This process's environment with HOME and the XDG directories inside ``home`` and
    no KETACOST_* variable: the children never read the user's own sheet or quote log."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("KETACOST_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
    )
    return env


CHILD_ENV: dict[str, str] | None = None
"""The children's environment (set by :func:`main` to an isolated one)."""


def run(command: Sequence[str]) -> tuple[float, int]:
    """Wall-clock seconds and peak resident memory (KiB) of one child process."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV
    )
    errors = child.stderr.read().decode() if child.stderr else ""
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{errors}")
    return elapsed, usage.ru_maxrss


def measure(commands: dict[str, Sequence[str]], runs: int) -> dict[str, Figures]:
    """Each command's figures, runs interleaved so that any drift of the machine affects
    every command alike."""
    for command in commands.values():
        run(command)  # warm the file system cache
    samples: dict[str, list[tuple[float, int]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, command in commands.items():
            samples[name].append(run(command))
    return {
        name: Figures(
            statistics.median(t for t, _ in values),
            min(t for t, _ in values),
            int(statistics.median(m for _, m in values)),
        )
        for name, values in samples.items()
    }


def compile_packages(names: Sequence[str]) -> None:
    """Byte-compile the packages measured, as ``pip install`` does: an editable install
    (or PYTHONDONTWRITEBYTECODE) would otherwise compile ketacost's modules from source
    on every run while click and rich load theirs from bytecode."""
    import importlib.util

    for name in names:
        spec = importlib.util.find_spec(name)
        for folder in (spec.submodule_search_locations or []) if spec else []:
            subprocess.run(
                [sys.executable, "-m", "compileall", "-q", folder],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )


def ketacost_command() -> list[str]:
    """The installed ``ketacost`` script next to this Python, else ``python -m ketacost``."""
    script = Path(sys.executable).parent / "ketacost"
    if script.exists():
        return [str(script)]
    found = shutil.which("ketacost")
    return [found] if found else [sys.executable, "-m", "ketacost"]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def s(seconds: float) -> str:
    return f"{seconds:.2f} s"


def mib(kib: int) -> str:
    return f"{kib / 1024:.1f} MiB"


def report(rows: list[tuple[str, str, str, float, float, float]]) -> bool:
    """Print the checks; True when every median ratio is within its target."""
    print(f"{'check':<38} {'ketacost':>9} {'reference':>9} {'ratio':>6} {'best':>6} {'target':>6}")
    met = True
    for check, ours, theirs, ratio, best, target in rows:
        verdict = "ok" if ratio <= target else "OVER"
        met = met and ratio <= target
        print(
            f"{check:<38} {ours:>9} {theirs:>9} {ratio:>5.2f}x {best:>5.2f}x "
            f"{target:>5.1f}x  {verdict}"
        )
    return met


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--runs", type=int, default=21, help="runs of each start-up command (default 21)"
    )
    parser.add_argument(
        "--batch-runs", type=int, default=5, help="runs of each batch command (default 5)"
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the big batch")
    parser.add_argument(
        "--quick", action="store_true", help="a smoke test: 5 and 3 runs, 20,000 rows"
    )
    args = parser.parse_args(argv)
    runs, batch_runs = (5, 3) if args.quick else (args.runs, args.batch_runs)
    big = 20_000 if args.quick else args.rows
    small = big // 10
    ketacost = ketacost_command()
    python = sys.executable
    compile_packages(["ketacost", "click", "rich"])
    print(f"python {sys.version.split()[0]} ({python}); ketacost: {' '.join(ketacost)}")
    print(
        f"ratio: of medians ({runs} runs of each start-up command, {batch_runs} of each "
        f"batch);\nbest: of the fastest runs; batch of {big:,} rows, memory against "
        f"{small:,}\n"
    )
    global CHILD_ENV  # noqa: PLW0603 (one setting for every child of this run)
    with tempfile.TemporaryDirectory(prefix="ketacost-bench-") as folder:
        work = Path(folder)
        (work / "home").mkdir()
        CHILD_ENV = isolated_env(work / "home")
        (work / "bare_click.py").write_text(BARE_CLICK)
        (work / "minimal_loop.py").write_text(MINIMAL_LOOP)
        big_csv, small_csv = work / "big.csv", work / "small.csv"
        write_requests(big_csv, big)
        write_requests(small_csv, small)
        startup = measure(
            {
                "help": [*ketacost, "--help"],
                "bare": [python, str(work / "bare_click.py"), "--help"],
                "estimate": [*ketacost, "estimate"],
                "imports": [python, "-c", IMPORTS_ONLY],
            },
            runs,
        )
        bulk = measure(
            {
                "batch": [*ketacost, "batch", str(big_csv), "-o", str(work / "out.csv")],
                "loop": [
                    python,
                    str(work / "minimal_loop.py"),
                    str(big_csv),
                    str(work / "ref.csv"),
                ],
                "small": [*ketacost, "batch", str(small_csv), "-o", str(work / "small_out.csv")],
            },
            batch_runs,
        )
        check_same_figures(work / "out.csv", work / "ref.csv")
    help_, bare = startup["help"], startup["bare"]
    est, imports = startup["estimate"], startup["imports"]
    batch, loop, small_batch = bulk["batch"], bulk["loop"], bulk["small"]
    met = report(
        [
            (
                "ketacost --help / bare click --help",
                ms(help_.median),
                ms(bare.median),
                help_.median / bare.median,
                help_.best / bare.best,
                1.2,
            ),
            (
                "estimate (table) / import click+rich",
                ms(est.median),
                ms(imports.median),
                est.median / imports.median,
                est.best / imports.best,
                1.3,
            ),
            (
                f"batch {big:,} rows / minimal loop",
                s(batch.median),
                s(loop.median),
                batch.median / loop.median,
                batch.best / loop.best,
                2.0,
            ),
            (
                f"peak memory {big:,} / {small:,} rows",
                mib(batch.rss),
                mib(small_batch.rss),
                batch.rss / small_batch.rss,
                batch.rss / small_batch.rss,
                1.2,
            ),
        ]
    )
    print(
        f"\nbatch: {big / batch.median:,.0f} rows/s; minimal loop: "
        f"{big / loop.median:,.0f} rows/s; peak memory of the minimal loop: {mib(loop.rss)}"
    )
    print("all targets met" if met else "some targets NOT met")
    return 0 if met else 1


def check_same_figures(ours: Path, reference: Path) -> None:
    """The reference loop must compute what batch computes, or the ratio means nothing."""
    with ours.open(newline="") as a, reference.open(newline="") as b:
        for number, (left, right) in enumerate(zip(csv.reader(a), csv.reader(b), strict=True)):
            if left != right:
                sys.exit(
                    f"batch and the reference loop differ at output line {number + 1}:\n"
                    f"  batch:     {left}\n  reference: {right}"
                )


if __name__ == "__main__":
    sys.exit(main())
