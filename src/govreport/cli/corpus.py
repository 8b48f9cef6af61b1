"""Corpus commands: ingest files into the database, list and show what is stored, run read-only SQL."""

from __future__ import annotations

import os
import sys

import click
import duckdb

from govreport.cli.attention import _emit, out_option
from govreport.model import GovreportError
from govreport.corpus.store import Store, default_db, ingest
from govreport.parsing.workers import DEFAULT_BUDGET

DB_OPTION = click.option("--db", "db", default=None, metavar="FILE",
                         help="Corpus database (default ./govreport.duckdb, or $GOVREPORT_DB).")


def _fail(exc: GovreportError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(1)


@click.command("ingest")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@DB_OPTION
@click.option("--jobs", "-j", default=1, show_default=True, help="Parse with N processes (0 = all cores).")
@click.option("--force", is_flag=True, help="Re-parse every file, changed or not.")
@click.option("--lexicon", type=click.Path(), help="Extra indicator lexicon (TOML).")
@click.option("--text-column", help="Column holding the report text in csv/jsonl corpora.")
@click.option("--time-budget", "budget", type=float, default=DEFAULT_BUDGET, show_default=True,
              help="Seconds one file may take before it is skipped with an error (0 = no limit).")
@click.option("--search-index", is_flag=True, help="Keep a search index of the texts (fast search in `serve`; about "
              "7 bytes per character; `serve` builds it on first use otherwise).")
def ingest_cmd(paths: tuple[str, ...], db: str | None, jobs: int, force: bool, lexicon: str | None,
               text_column: str | None, budget: float, search_index: bool) -> None:
    """Parse report files into the corpus database (incremental: unchanged files are skipped)."""
    db = db or default_db()
    jobs = jobs or os.cpu_count() or 1
    try:
        if sys.stderr.isatty():
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

            from govreport.parsing.pipeline import expand_paths

            total = sum(1 for _ in expand_paths(paths))
            with Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                          transient=True) as bar:
                task = bar.add_task("ingest", total=total)
                summary = ingest(paths, db, jobs=jobs, force=force, lexicon=lexicon, text_column=text_column,
                                 progress=lambda _p: bar.advance(task), budget=budget, search_index=search_index)
        else:
            summary = ingest(paths, db, jobs=jobs, force=force, lexicon=lexicon, text_column=text_column,
                             budget=budget, search_index=search_index)
    except GovreportError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        click.echo("interrupted: files finished so far are stored; run the same command again to go on", err=True)
        sys.exit(130)
    except OSError as exc:  # disk full, permission denied while writing
        click.echo(f"error: {db}: {exc.strerror or exc}; files committed so far are kept", err=True)
        sys.exit(1)
    except duckdb.Error as exc:  # DuckDB reports a full disk or a damaged file as its own errors
        msg = str(exc).splitlines()[0]
        msg = "no space left on device" if "no space left" in msg.lower() else f"database error: {msg}"
        click.echo(f"error: {db}: {msg}; files committed so far are kept", err=True)
        sys.exit(1)
    for path, msg in summary.failed:
        click.echo(f"error: {msg if msg.startswith(path) else path + ': ' + msg}", err=True)
    for path, reason in summary.ignored:
        click.echo(f"skipped: {path}: {reason} (a manifest?); give --text-column to read it as a corpus", err=True)
    for path, stored in summary.copies:
        click.echo(f"copy: {path}: same bytes as {stored}; stored once, both paths recorded in `files`", err=True)
    click.echo(f"{db}: {summary.added} reports added, {summary.updated} updated, {summary.skipped} files skipped "
               f"(unchanged), {len(summary.copies)} copies, {len(summary.ignored)} not report files, "
               f"{len(summary.failed)} failed", err=True)
    if not summary.usable:
        click.echo(f"error: nothing was ingested from {' '.join(paths)}"
                   + ("" if summary.files else " (no report files found)"), err=True)
        sys.exit(1)


@click.command("reports")
@DB_OPTION
@click.option("--region", "-r", multiple=True,
              help="Region name(s) (广东, 广东省, 海拉尔) or division code(s); repeat or comma-separate.")
@click.option("--level", type=click.Choice(["national", "province", "prefecture", "county_city", "county", "district"]))
@click.option("--year", type=int, help="Plan year: reports planning this year (delivered early in it, reviewing the "
              "year before).")
@out_option
def reports_cmd(db: str | None, region: tuple[str, ...], level: str | None, year: int | None, out: str | None,
                fmt: str | None) -> None:
    """List the reports stored in the corpus (ids are shown whole; `show` also takes a unique prefix)."""
    try:
        with Store(db, read_only=True) as store:
            where, params = store._where(region=list(region), level=level, year=year)
            cols, rows = store.query(
                "SELECT report_id, region, level, region_code, meeting_date, review_year, plan_year, n_targets,"
                f" n_actuals, n_warnings, duplicate_of, path, part FROM reports{where} ORDER BY region_code, plan_year",
                params,
            )
        _emit(_frame(cols, rows), out, fmt)
    except GovreportError as exc:
        _fail(exc)


def _frame(cols: list[str], rows: list[tuple]):
    import pandas as pd

    return pd.DataFrame(rows, columns=cols)


@click.command("show")
@click.argument("report_id")
@DB_OPTION
@click.option("--out", "-o", type=click.Path(),
              help="Write the report's targets and actuals (.csv .xlsx .parquet .dta .jsonl) instead of printing.")
def show_cmd(report_id: str, db: str | None, out: str | None) -> None:
    """Show one report (by id or unique id prefix): metadata, targets and actuals with their evidence."""
    try:
        with Store(db, read_only=True) as store:
            report = store.report(report_id)
        if out:
            _emit(_values(report), out, None)
            return
    except GovreportError as exc:
        _fail(exc)
    except KeyError:
        click.echo(f"error: no report {report_id!r} in the corpus (see `govreport reports`)", err=True)
        sys.exit(1)
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if sys.stdout.isatty() else 200)  # piped: do not cut the evidence
    r = report
    console.print(f"[bold]{r.title or '(no title)'}[/bold]  {r.source.path} part {r.source.part}/{r.source.parts}")
    console.print(f"region {r.region.name} ({r.region.level}, {r.region.code}; {r.region.prefecture or ''} "
                  f"{r.region.province or ''})  meeting {r.meeting_date}  {r.congress.text or ''}  speaker "
                  f"{r.speaker.title or ''} {r.speaker.name or ''}  review {r.review_year} → plan {r.plan_year}")
    for label, values in (("targets", r.targets), ("actuals", r.actuals)):
        table = Table("indicator", "measure", "value", "unit", "qualifier", "evidence", "sentence", title=label)
        for v in values:
            s0, s1 = v.sentence or v.span
            sentence = r.text[s0:s1].strip()
            shown = v.value if v.high is None else f"{v.value}–{v.high}"
            table.add_row(v.indicator or "?", v.measure, "" if v.value is None else str(shown), v.unit or "",
                          v.qualifier if v.value is not None else (v.relation or ""), v.text,
                          sentence if len(sentence) <= 90 else sentence[:88] + "…")
        console.print(table)
    for w in r.warnings:
        console.print(f"[yellow]warning:[/yellow] {w}")


def _values(report):
    """A report's targets and actuals as one table (kind = target | actual), with whole sentences."""
    rows = []
    for kind, values in (("target", report.targets), ("actual", report.actuals)):
        for v in values:
            s0, s1 = v.sentence or v.span
            rows.append([kind, v.indicator, v.name, v.measure, v.value, v.high, v.unit, v.qualifier, v.modifier,
                         v.relation, v.estimated, v.span[0], v.span[1], v.text, report.text[s0:s1].strip()])
    return _frame(["kind", "indicator", "name", "measure", "value", "high", "unit", "qualifier", "modifier", "relation",
                   "estimated", "span_start", "span_end", "evidence", "sentence"], rows)


@click.command("sql")
@click.argument("query")
@DB_OPTION
@out_option
def sql_cmd(query: str, db: str | None, out: str | None, fmt: str | None) -> None:
    """Run a read-only SQL query on the corpus (tables: reports, targets, actuals, sections, warnings, tasks,
    commitments, livelihood, files, reviews)."""
    try:
        with Store(db, read_only=True) as store:
            cols, rows = store.query(query)
        _emit(_frame(cols, rows), out, fmt)
    except GovreportError as exc:
        _fail(exc)
    except duckdb.Error as exc:
        click.echo(f"error: {str(exc).splitlines()[0]}", err=True)
        sys.exit(1)
