"""The ``ketacost`` command group: one-line errors, exit codes, its commands' table."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from typing import Any

import click

from ketacost import __version__
from ketacost.cli.lazy import Lazy, LazyGroup

COMMANDS: dict[str, Lazy] = {
    "batch": Lazy(
        module="ketacost.cli.batch_cmd",
        attribute="batch",
        summary="Quote many requests at once: one CSV row in, one row of figures out.",
    ),
    "estimate": Lazy(
        module="ketacost.cli.estimate_cmd",
        attribute="estimate",
        summary="Estimate the cost of a course of ketamine treatment.",
    ),
    "sheet": Lazy(
        module="ketacost.cli.sheet_cmd",
        attribute="sheet",
        summary="Write, check and show a clinic's price sheet.",
    ),
    "compare": Lazy(
        module="ketacost.cli.compare_cmd",
        attribute="compare",
        summary="Compare two to six options side by side.",
    ),
    "wizard": Lazy(
        module="ketacost.cli.wizard_cmd",
        attribute="wizard",
        summary="Answer a few questions and get an estimate, step by step.",
    ),
    "quote": Lazy(
        module="ketacost.cli.quote_cmd",
        attribute="quote",
        summary="Estimate, save it in the quote log, and print it with its id.",
    ),
    "quotes": Lazy(
        module="ketacost.cli.quotes_cmd",
        attribute="quotes",
        summary=(
            "List, show, export, verify, checkpoint, back up and copy the quotes and GFEs given."
        ),
    ),
    "serve": Lazy(
        module="ketacost.cli.serve_cmd",
        attribute="serve",
        summary="Serve the front desk in a web browser.",
    ),
    "gfe": Lazy(
        module="ketacost.cli.gfe_cmd",
        attribute="gfe",
        summary="Write a Good Faith Estimate for a self-pay patient, and keep it in the quote log.",
    ),
    "superbill": Lazy(
        module="ketacost.cli.superbill_cmd",
        attribute="superbill",
        summary="Write a superbill for sessions given, and keep it in the quote log.",
    ),
    "claims": Lazy(
        module="ketacost.cli.claims_cmd",
        attribute="claims",
        summary="List the superbills' claims to follow up, and record what the insurer paid.",
    ),
}
"""The commands of ``ketacost``, each imported when it runs; the group's help lists their
summaries."""


PATIENT_FIELDS = frozenset({"patient", "dob", "prepared_by"})
"""Parameters that carry patient information: a command that has one never repeats the
patient's name or date of birth in an error (:data:`HIDDEN_FIELDS`), nor a stray word."""
HIDDEN_FIELDS = frozenset({"patient", "dob"})
"""The parameters whose values an error never repeats: the patient's name and date of
birth. Every other value typed (a code, a fee, a file) is shown, escaped, so it can be
fixed."""


EXTRA_WORDS = (
    'unexpected extra words on the command line (quote a name with spaces: --patient "Ann Lee")'
)


MAX_LINE = 500
"""Longest error line: a message quoting a huge argument is cut short."""


def one_line(message: str) -> str:
    """A message of several lines as one readable line: a line ending in ``:`` or ``,``
    runs on (``Choose from: csv, json``), others are joined with ``;``. Control characters
    and bidi overrides are escaped (a message may quote what was typed), and the line is
    at most :data:`MAX_LINE` characters."""
    from ketacost.render.safe_text import terminal_text

    joined = ""
    for part in (line.strip() for line in message.splitlines()):
        if not part:
            continue
        if not joined:
            joined = part
        else:
            joined += (" " if joined.endswith((":", ",")) else "; ") + part
    line = terminal_text(joined)
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 3] + "..."


ENTRY_ID = re.compile(r"[QG]-[0-9]{8}-[0-9A-Z]{6}", re.IGNORECASE)
"""A quote log entry's id: no one's personal data, so an error may name it."""


def hidden_values(args: Sequence[str], command: click.Command, keep: frozenset[str]) -> list[str]:
    """What of ``args`` may be the patient's: the values of ``command``'s
    :data:`HIDDEN_FIELDS` options, the value of an option ketacost does not know (``--dobb
    1971-06-05``, ``--patiet=Ann``) and any stray word, which may be part of a name typed
    without quotes. Command names and the values of other options are not hidden."""
    hidden = {o for p in command.params if p.name in HIDDEN_FIELDS for o in p.opts}
    flags = {
        opt
        for p in command.params
        if isinstance(p, click.Option) and (p.is_flag or p.count)
        for opt in (*p.opts, *p.secondary_opts)
    }
    options = {o for p in command.params for o in (*p.opts, *p.secondary_opts)}
    values: list[str] = []
    expect: bool | None = None  # the next word is an option's value: hidden or not
    for arg in args:
        if expect is not None:
            values += [arg] if expect else []
            expect = None
            continue
        name, equals, value = arg.partition("=")
        if arg.startswith("-") and name in options:
            if equals:
                values += [value] if name in hidden else []
            elif name not in flags:
                expect = name in hidden
        elif arg.startswith("-") and len(arg) > 1:
            values += [value] if equals else []  # an unknown option: the next word is stray
        elif arg not in keep:
            values.append(arg)
    return values


def redact(message: str, values: Sequence[str]) -> str:
    """``message`` without any of ``values`` (nor any word of one), in any case (but words
    of one or two letters, which a message has too): each becomes ``...``; so does the
    start of one where a value shown is cut short (``'xx... Qui'...``)."""
    words: set[str] = set()
    for typed in values:
        words.update(
            word  # a word of punctuation (``-`` for standard input) is no one's data
            for word in (typed.strip(), *typed.split())
            if any(char.isalnum() for char in word) and not ENTRY_ID.fullmatch(word)
        )
    for word in sorted(words, key=len, reverse=True):
        case = re.I if len(word) > 2 else 0  # not the 'a' of a message for a name 'A B'
        message = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", "...", message, flags=case)
        for size in range(len(word) - 1, 0, -1):  # a value cut short: 'xx Qui'... or "Qui"...
            start = re.escape(word[:size])
            message = re.sub(rf"(?<!\w){start}(?=['\"]\.\.\.)", "...", message, flags=re.I)
    return message


def _names(command: click.Command, ctx: click.Context) -> tuple[set[str], bool]:
    """The option and command names of ``command`` and its subcommands, and whether any
    of them takes patient information."""
    names = {command.name or ""}
    private = False
    for param in command.params:
        names.update((*param.opts, *param.secondary_opts))
        private = private or param.name in PATIENT_FIELDS
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None:
                sub_names, sub_private = _names(sub, ctx)
                names |= sub_names
                private = private or sub_private
    return names, private


ENVIRONMENT = ("KETACOST_DB", "KETACOST_DESK", "KETACOST_SHEET")
"""The variables ketacost reads as if they were options."""


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")  # bytes that were not UTF-8 arrive as lone surrogates
    except UnicodeEncodeError:
        return False
    return True


def not_utf8(args: Sequence[str]) -> str | None:
    """Why the command line (or a KETACOST_* variable) cannot be used when it holds bytes
    that are not UTF-8 text (a name typed in another encoding, a file name from an old
    disk), naming the option or variable but never repeating the value; None when all is
    text. Nothing has been read or written yet, so nothing is left half done."""
    for number, arg in enumerate(args):
        if _is_utf8(arg):
            continue
        name, equals, _ = arg.partition("=")
        if arg.startswith("--") and equals and _is_utf8(name):
            where = f"'{name}'"
        elif number and args[number - 1].startswith("-") and args[number - 1] != "--":
            where = f"'{args[number - 1]}'"
        else:
            where = f"argument {number + 1}"
        return f"Invalid value for {where}: it is not UTF-8 text; nothing was done"
    for variable in ENVIRONMENT:
        if not _is_utf8(os.environ.get(variable, "")):
            return f"{variable} is not UTF-8 text; nothing was done"
    return None


class KetacostGroup(LazyGroup):
    """A group whose errors are one line on standard error: status 2 for bad input,
    status 1 for a failure while running; never a traceback for a user's mistake."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            lazy = self.table.get(name)
            summary = lazy.summary if lazy is not None else None
            if summary is None:
                command = self.get_command(ctx, name)
                summary = command.get_short_help_str(60) if command is not None else ""
            rows.append((name, summary))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        if any("\x00" in arg for arg in arguments):  # no shell passes one; a program might
            self._fail("an argument holds a NUL character", 2, [])
        undecodable = not_utf8(arguments)
        if undecodable is not None:
            self._fail(undecodable, 2, [])
        try:
            result = super().main(
                arguments, prog_name or "ketacost", complete_var, standalone_mode=False, **extra
            )
            sys.stdout.flush()  # a full disk under `> FILE` is found here, not at exit
        except click.UsageError as error:
            help_text = _bare_group_help(error)
            if help_text is not None:
                click.echo(help_text)
                sys.exit(0)
            self._fail(error.format_message(), 2, arguments)
        except click.ClickException as error:
            self._fail(error.format_message(), error.exit_code, arguments)
        except click.Abort:
            self._fail("Aborted.", 1, arguments, prefix="")
        except BrokenPipeError:
            _silence_stdout()
            sys.stderr.close()  # the reader went away (e.g. `| head`): not an error
            sys.exit(1)
        except OSError as error:  # the disk filled, standard output went away, ...
            _silence_stdout()
            self._fail(f"could not finish: {error.strerror or error}", 1, arguments)
        code = result if isinstance(result, int) else 0
        if not standalone_mode:
            return code
        sys.exit(code)

    def _fail(self, message: str, code: int, args: Sequence[str], prefix: str = "Error: ") -> None:
        """One line on standard error, then exit with ``code``. For a command that takes
        patient information, the line repeats neither the patient's name nor date of
        birth, nor a stray word (:func:`hidden_values`)."""
        command = self._command_of(args)
        if command is not None:  # hidden before the line is cut, so no start of a name is left
            ctx = click.Context(self, info_name="ketacost", resilient_parsing=True)
            private = _names(command, ctx)[1]
            if private and "unexpected extra argument" in message:
                message = EXTRA_WORDS
            elif private:
                keep = frozenset(_names(self, ctx)[0])
                message = redact(message, hidden_values(args, command, keep))
        line = one_line(message)
        try:
            click.echo(prefix + line, err=True)
        finally:
            sys.exit(code)

    def _command_of(self, args: Sequence[str]) -> click.Command | None:
        """The command named on the command line (``quotes list``: list), or the group
        named when no command of it is."""
        command: click.Command | None = None
        group: click.Command = self
        for arg in (arg for arg in args if not arg.startswith("-")):
            if not isinstance(group, click.Group):
                break
            try:
                found = group.get_command(click.Context(group), arg)
            except Exception:  # a command that cannot even load: nothing to redact against
                found = None
            if found is None:
                break
            command = group = found
        return command


def _bare_group_help(error: click.UsageError) -> str | None:
    """The help of a group given no command: click >= 8.2 raises it as an error (and
    click 8.1 prints it itself); it is shown as ``--help`` shows it, with status 0."""
    bare = getattr(click.exceptions, "NoArgsIsHelpError", None)
    if bare is None or not isinstance(error, bare) or error.ctx is None:
        return None
    help_text: str = error.ctx.get_help()
    return help_text


def _silence_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush of what
    could not be written fails no more (it would print a second error)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no real descriptor (a test runner's)
        pass


@click.group(
    cls=KetacostGroup, table=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, "-V", "--version", prog_name="ketacost")
def cli() -> None:
    """Estimate what ketamine therapy will cost (IV infusions, Spravato, IM, KAP):
    sessions, boosters, insurance, HSA and financing, from a clinic's price sheet or
    national averages.

    An estimate, not medical or financial advice.

    \b
    Examples:
      ketacost estimate
      ketacost estimate --condition pain --maintenance "every 4 weeks"
      ketacost estimate --deductible 1500 --coinsurance 20 --format json
    """


def main() -> None:
    """Console-script entry point."""
    cli.main()
