"""``govreport serve``: the local web app over a corpus database."""

from __future__ import annotations

import ipaddress
import json
import os
from pathlib import Path
from typing import Any

import click

LOOPBACK_NAMES = {"localhost"}


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: the only addresses the app binds without a warning."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command("serve")
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Corpus database (from `govreport ingest`). Without it only upload-and-view works.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind. Keep the default: the app has no login.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--max-upload-mb", default=50.0, show_default=True, type=click.FloatRange(min=0.001),
              help="Largest accepted upload, enforced while it streams in.")
@click.option("--allow-add", is_flag=True, help="Let uploads be added to the corpus (opens the database writable).")
@click.option("--allow-review", is_flag=True, help="Let reviewers accept, correct, reject and add values in the report "
              "view (opens the database writable; see docs/review.md).")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Another Host name the app may be reached by (loopback names and --host are always allowed).")
@click.option("--parse-seconds", default=120.0, show_default=True, type=click.FloatRange(min=1),
              help="Time budget of parsing one upload (in a worker process).")
@click.option("--parse-memory-mb", default=2048, show_default=True, type=click.IntRange(min=64),
              help="Memory budget of parsing one upload.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 32),
              help="Server processes (read-only database only): more cores answer more requests at once.")
def serve_cmd(db: Path | None, host: str, port: int, max_upload_mb: float, allow_add: bool, allow_review: bool,
              allow_hosts: tuple[str, ...], parse_seconds: float, parse_memory_mb: int, workers: int) -> None:
    """Start the web app on http://127.0.0.1:PORT to read, check and compare reports."""
    import uvicorn

    from govreport.model import GovreportError
    from govreport.web.upload import MB

    if db is not None and not db.exists():
        raise click.ClickException(f"{db}: no such database (build one with `govreport ingest`)")
    for flag, on in (("--allow-add", allow_add), ("--allow-review", allow_review)):
        if on and db is None:
            raise click.ClickException(f"{flag} needs --db FILE")
        if on and workers > 1:
            raise click.ClickException(f"{flag} needs --workers 1 (one process writes the database)")
    if not is_loopback(host):
        click.echo(f"warning: binding {host} makes the app reachable from other machines; it has no login", err=True)
    settings = {"db_path": str(db) if db else None, "max_upload": int(max_upload_mb * MB), "allow_add": allow_add,
                "allow_review": allow_review,
                "budget": {"seconds": parse_seconds, "memory_mb": parse_memory_mb},
                "allowed_hosts": [*allow_hosts, host]}
    try:
        app = app_from_settings(settings)  # also checks the database before any worker starts
    except GovreportError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"govreport: serving {db or '(no database: upload only)'} on http://{host}:{port}/", err=True)
    if workers == 1:
        uvicorn.run(app, host=host, port=port, log_level="warning")
        return
    del app  # each worker process opens its own (read-only) connection from the settings
    os.environ[SETTINGS_ENV] = json.dumps(settings)
    uvicorn.run("govreport.cli.web:app_from_environment", factory=True, host=host, port=port, workers=workers,
                log_level="warning")


SETTINGS_ENV = "GOVREPORT_SERVE_SETTINGS"  # how `serve --workers N` hands its options to the worker processes


def app_from_settings(settings: dict[str, Any]) -> Any:
    from govreport.web.app import create_app
    from govreport.web.worker import Budget

    return create_app(settings["db_path"], max_upload=settings["max_upload"], allow_add=settings["allow_add"],
                      budget=Budget(**settings["budget"]), allowed_hosts=settings["allowed_hosts"],
                      allow_review=settings.get("allow_review", False))


def app_from_environment() -> Any:
    """The app of one `serve --workers N` worker process."""
    return app_from_settings(json.loads(os.environ[SETTINGS_ENV]))
