"""`govreport parse`: files in, one record per report out (JSON Lines, JSON, a summary table or an HTML page).

Files are parsed in worker processes with ``--jobs N``; results stream out in input order as they arrive, so
memory stays bounded however large the batch. A bad file costs one line on stderr and the rest go on.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

import click

from govreport.model import GovreportError
from govreport.parsing.batch import Item, run
from govreport.parsing.pipeline import expand_paths
from govreport.parsing.read import DEFAULT_MAX_BYTES
from govreport.parsing.workers import DEFAULT_BUDGET

@click.command("parse")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["jsonl", "json", "table", "html"]),
              help="Output format (default: table on a terminal, jsonl otherwise).")
@click.option("-o", "--output", type=click.Path(), help="Write to FILE instead of stdout.")
@click.option("--jobs", "-j", default=1, show_default=True, help="Worker processes (0 = all cores).")
@click.option("--strict", is_flag=True, help="Exit 1 if any file or row failed.")
@click.option("--lexicon", type=click.Path(), help="Extra indicator lexicon (TOML) to extend the built-in one.")
@click.option("--text-column", help="Column with the report text in csv/jsonl corpora (default: the longest).")
@click.option("--no-text", is_flag=True, help="Leave the report text out of JSON records (spans still refer to it).")
@click.option("--max-bytes", default=DEFAULT_MAX_BYTES, show_default=True,
              help="Refuse files, unpacked archive members (4x) and extracted texts larger than this (bytes).")
@click.option("--time-budget", "budget", type=float, default=DEFAULT_BUDGET, show_default=True,
              help="Seconds one file may take before it is skipped with an error (0 = no limit).")
def parse_cmd(paths: tuple[str, ...], fmt: str | None, output: str | None, jobs: int, strict: bool,
              lexicon: str | None, text_column: str | None, no_text: bool, max_bytes: int, budget: float) -> None:
    """Parse work reports (txt in any encoding, html, docx, pdf, csv/jsonl corpora, directories)."""
    if fmt is None:
        if output:
            fmt = {".json": "json", ".html": "html", ".htm": "html", ".txt": "table"}.get(Path(output).suffix.lower(),
                                                                                          "jsonl")
        else:
            fmt = "table" if sys.stdout.isatty() else "jsonl"
    if lexicon:
        from govreport.knowledge.lexicon import load_lexicon

        try:
            load_lexicon(lexicon)
        except GovreportError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
    files = list(expand_paths(paths))
    jobs = jobs if jobs > 0 else (os.cpu_count() or 1)
    if "-" in files:  # standard input belongs to this process, not to workers
        jobs = 1
    parsed = failed = 0
    try:
        with _output(output) as out:
            writer = _writer(fmt, out)
            next(writer)
            results = run(files, jobs, lexicon, text_column, max_bytes, not no_text, budget)
            for _path, reports, errors in _progress(results, len(files), output is not None or not sys.stdout.isatty()):
                for line in errors:
                    click.echo(f"error: {line}", err=True)
                failed += len(errors)
                for record in reports:
                    writer.send(record)
                    parsed += 1
            writer.close()
    except KeyboardInterrupt:
        click.echo("interrupted" + _unchanged(output), err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(0)
    except OSError as exc:  # disk full, no permission to write, output is a directory ...
        reason = (exc.strerror or str(exc)).lower()
        click.echo(f"error: {output or '<stdout>'}: cannot write: {reason}{_unchanged(output)}", err=True)
        sys.exit(1)
    if output:
        click.echo(f"{parsed} reports written to {output}" + (f", {failed} errors" if failed else ""), err=True)
    if parsed == 0 or (strict and failed):
        sys.exit(1)


@contextmanager
def _output(output: str | None) -> Iterator[IO[str]]:
    """stdout, or FILE written through a temporary file beside it that replaces FILE only once complete: a full
    disk or an interrupt never leaves a half-written FILE. Devices (/dev/null, a terminal) are written directly."""
    if not output:
        yield sys.stdout
        return
    if os.path.exists(output) and not os.path.isfile(output):
        with open(output, "w", encoding="utf-8") as fh:
            yield fh
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(output)}.", suffix=".part",
                               dir=os.path.dirname(os.path.abspath(output)))
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # the permissions a plain open() would give
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
        os.replace(tmp, output)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _unchanged(output: str | None) -> str:
    """What a failed run did to FILE: nothing, unless FILE is a device written directly."""
    return f"; {output} not changed" if output and (os.path.isfile(output) or not os.path.exists(output)) else ""


def _progress(items: Iterator[Item], total: int, show: bool) -> Iterator[Item]:
    """A progress bar on stderr when it is a terminal and the records go elsewhere."""
    if not (show and sys.stderr.isatty()) or total < 2:
        yield from items
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("parse"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), transient=True) as bar:
        task = bar.add_task("parse", total=total)
        for item in items:
            yield item
            bar.advance(task)


def _writer(fmt: str, out: IO[str]):
    """A coroutine receiving record dicts and writing them in ``fmt``."""
    if fmt == "jsonl":
        while True:
            record = yield
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush() if out.isatty() else None
    elif fmt == "json":
        first = True
        out.write("[\n")
        try:
            while True:
                record = yield
                out.write(("" if first else ",\n") + json.dumps(record, ensure_ascii=False, indent=2))
                first = False
        except GeneratorExit:
            out.write("\n]\n")
    elif fmt == "html":
        from govreport.model import report_from_dict
        from govreport.web.render import report_page

        while True:
            record = yield
            out.write(report_page(report_from_dict(record)))
    else:
        from govreport.cli.output import print_report

        while True:
            record = yield
            print_report(record, out)
