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

    for module in ("starlette", "jinja2", "uvicorn", "multipart"):
        if importlib.util.find_spec(module) is None:
            return (
                f"the web desk needs the extra ketacost[web] ({module} is missing): "
                "pip install 'ketacost[web]'"
            )
    return None


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
@SHEET
@db_option
@DESK
def serve(
    host: str, port: int, open_: bool, sheet: str | None, db: Path | str | None, desk: str | None
) -> None:
    """Serve the front desk in a web browser.

    Starts a local web app: the estimate form, quotes saved in the quote log (--db) with
    their Good Faith Estimate duties, priced with the same sheet, core and renderers as
    the other commands. Stop it with Ctrl+C.

    \b
    Examples:
      ketacost serve
      ketacost serve --open
      ketacost serve --port 8080 --sheet clinic.toml
    """
    missing = _web_missing()
    if missing:
        raise click.UsageError(missing)
    if host.strip().lower() not in LOCAL:
        raise click.BadParameter(
            "only 127.0.0.1 is served without desk accounts, and desk accounts are not "
            "available yet: serve on 127.0.0.1 (put a reverse proxy in front for others)",
            param_hint="'--host'",
        )
    from ketacost.cli.sheets import resolve_sheet

    settings_sheet = resolve_sheet(sheet)
    import uvicorn

    from ketacost.web.app import Settings, create_app

    app = create_app(Settings(sheet=settings_sheet, db=db, desk=desk))
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    click.echo(f"The front desk is at {url} (Ctrl+C stops it).", err=True)
    if open_:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(
        app, host=host, port=port, log_level="warning", access_log=False, server_header=False
    )
