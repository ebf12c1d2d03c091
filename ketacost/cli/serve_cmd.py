"""``ketacost serve``: the front desk in a browser (extra ``ketacost[web]``)."""

from __future__ import annotations

from pathlib import Path

import click

from ketacost.cli.decorators import SHEET
from ketacost.cli.log_options import DESK, db_option

LOCAL = ("127.0.0.1", "localhost", "::1")
"""Binds only this machine can reach: the desk may run there without accounts."""


def _web_missing() -> str | None:
    """What to install when the web extra is missing, or None."""
    import importlib.util

    for module in ("starlette", "jinja2", "uvicorn", "multipart", "argon2", "itsdangerous"):
        if importlib.util.find_spec(module) is None:
            return (
                f"the web desk needs the extra ketacost[web] ({module} is missing): "
                "pip install 'ketacost[web]'"
            )
    return None


def desks_file() -> Path:
    """Where the desk accounts are kept: ``desks.json`` in the config directory."""
    from ketacost.cli.sheets import config_dir

    return Path(config_dir()) / "desks.json"


def _secret(desks: Path) -> bytes:
    """The key that signs logins, kept beside the accounts (made once, owner-only), so a
    restart, or a second server sharing the folder, keeps desks logged in."""
    import os
    import secrets

    key = desks.with_name("web.key")
    if not key.exists():
        key.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(key, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as out:
                out.write(secrets.token_bytes(32))
    try:
        data = key.read_bytes()
    except OSError as error:
        raise click.ClickException(f"{key}: cannot be read ({error.strerror})") from None
    if len(data) < 32:
        raise click.ClickException(f"{key}: not a key ketacost made; remove it")
    return data


def check_address(host: str, port: int) -> None:
    """Refuse, as a bad option, an address the server could not listen on: a port another
    program holds, a host that is not one of this computer's addresses (the server would
    otherwise stop with its own message after saying where the desk is)."""
    import errno
    import socket

    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise click.BadParameter(
            f"{host!r} is not an address of this computer", param_hint="'--host'"
        ) from None
    family, kind, proto, _, address = found[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise click.BadParameter(
                    f"port {port} of {host} is in use by another program: stop it, or "
                    "choose another port (e.g. --port 8080)",
                    param_hint="'--port'",
                ) from None
            if error.errno == errno.EACCES:
                raise click.BadParameter(
                    f"port {port} needs the administrator's rights: choose one above 1023",
                    param_hint="'--port'",
                ) from None
            raise click.BadParameter(
                f"{host!r} is not an address of this computer ({error.strerror})",
                param_hint="'--host'",
            ) from None


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on. Only 127.0.0.1 (this computer) runs without desk accounts.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on.",
)
@click.option("--open", "open_", is_flag=True, help="Open the desk in a web browser.")
@click.option(
    "--add-desk",
    metavar="NAME",
    help="Add a desk account (or set its password), asked for twice, then stop: with any "
    "account, every front-desk page needs a login, and another --host may be served.",
)
@SHEET
@db_option
@DESK
def serve(
    host: str,
    port: int,
    open_: bool,
    add_desk: str | None,
    sheet: str | None,
    db: Path | str | None,
    desk: str | None,
) -> None:
    """Serve the front desk in a web browser.

    Starts a local web app: the estimate form, quotes saved in the quote log (--db) with
    their Good Faith Estimate duties, Good Faith Estimates issued from them, and today's
    duties, priced with the same sheet, core and renderers as the other commands. Stop it
    with Ctrl+C.

    Without desk accounts it serves this computer only (127.0.0.1). Desk accounts
    (--add-desk) are kept in the config directory; with any, every front-desk page needs
    a login.

    \b
    Examples:
      ketacost serve
      ketacost serve --open
      ketacost serve --port 8080 --sheet clinic.toml
      ketacost serve --add-desk "Front desk 1"
      ketacost serve --host 0.0.0.0 --db postgresql://desk@db.clinic/quotes
    """
    missing = _web_missing()
    if missing:
        raise click.UsageError(missing)
    from ketacost.web.desks import DeskError, add_account, read_accounts

    where = desks_file()
    if add_desk is not None:
        password = click.prompt(
            "Password for the desk", hide_input=True, confirmation_prompt=True, err=True
        )
        try:
            name = add_account(where, add_desk, password)
        except DeskError as error:
            raise click.BadParameter(str(error), param_hint="'--add-desk'") from None
        click.echo(f"Desk {name!r} can log in now (kept in {where}).", err=True)
        return
    try:
        accounts = read_accounts(where)
    except DeskError as error:
        raise click.ClickException(str(error)) from None
    if host.strip().lower() not in LOCAL and not accounts:
        raise click.BadParameter(
            "only 127.0.0.1 is served without desk accounts: add one first "
            "(ketacost serve --add-desk NAME)",
            param_hint="'--host'",
        )
    from ketacost.cli.sheets import resolve_sheet

    settings_sheet = resolve_sheet(sheet)
    check_address(host, port)
    import uvicorn

    from ketacost.web.app import Settings, create_app

    settings = Settings(
        sheet=settings_sheet, db=db, desk=desk, accounts=accounts, secret=_secret(where)
    )
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    click.echo(f"The front desk is at {url} (Ctrl+C stops it).", err=True)
    if open_:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, server_header=False
    )
