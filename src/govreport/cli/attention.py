"""Attention commands: theme counts per report and section, and keyword-in-context to check them."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

import click

from govreport.model import GovreportError, Report

T = TypeVar("T")


def input_reports(paths: tuple[str, ...], db: str | None, region: str | None = None,
                  year: int | None = None) -> Iterator[tuple[str, Report]]:
    """(report id, report) from files (parsed now) or from the corpus database; file errors go to stderr."""
    from govreport.corpus.store import Store, default_db
    from govreport.model import report_id

    if paths:
        from govreport.parsing.pipeline import expand_paths, iter_parse_file
        from govreport.corpus.store import region_aliases, split_list

        wanted = set(split_list(region)) if region else set()
        matched: set[str] = set()
        files = list(dict.fromkeys(os.path.abspath(f) for f in expand_paths(paths)))
        items = (item for path in with_progress(files, len(files)) for item in iter_parse_file(path))
        seen: dict[str, str] = {}  # report id -> path: a byte-identical copy is counted once, as in the store
        for item in items:
            if isinstance(item, GovreportError):
                click.echo(f"error: {item}", err=True)
                continue
            rid = report_id(item)
            if rid in seen:
                click.echo(f"copy: {item.source.path}: same bytes as {seen[rid]}; counted once", err=True)
                continue
            seen[rid] = item.source.path
            hits = wanted & region_aliases(item.region.name or "", item.region.code or "") if wanted else set()
            matched |= hits
            if (not wanted or hits) and (not year or item.plan_year == year):
                yield rid, item
        if wanted - matched:
            click.echo(f"warning: no report of {', '.join(sorted(wanted - matched))} among the inputs", err=True)
        return
    with Store(db or default_db(), read_only=True) as store:
        where, params = store._where(region=region, year=year)
        total = store.query(f"SELECT count(*) FROM reports{where}", params)[1][0][0]
        for report in with_progress(store.iter_reports(region=region, year=year), total):
            yield report_id(report), report


def with_progress(items: Iterable[T], total: int) -> Iterator[T]:
    """The items (files or stored reports), with a progress bar on stderr when it is a terminal: reading and
    counting many reports takes a while."""
    if total < 2 or not sys.stderr.isatty():
        yield from items
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    ctx = click.get_current_context(silent=True)
    label = ctx.info_name if ctx else "read"
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=total)
        for item in items:
            yield item
            bar.advance(task)


FORMATS = ["table", "csv", "jsonl"]  # --format of every command that prints a table


def out_option(f):
    """-o/--out and --format, the same on every command that prints a table."""
    f = click.option("--format", "fmt", type=click.Choice(FORMATS),
                     help="Printed format (default: table on a terminal, csv when piped).")(f)
    return click.option("--out", "-o", type=click.Path(),
                        help="Write .csv (Excel-safe) .xlsx .parquet .dta (Stata) or .jsonl.")(f)


def _emit(df, out: str | None, fmt: str | None) -> None:
    if out:
        from govreport.corpus.export import write_table

        from govreport import __version__

        ctx = click.get_current_context(silent=True)
        write_table(df, out, title=f"govreport {ctx.info_name} (govreport {__version__})" if ctx else None)
        click.echo(f"wrote {len(df)} rows to {out}", err=True)
        return
    fmt = fmt or ("table" if sys.stdout.isatty() else "csv")
    if fmt == "csv":
        df.to_csv(sys.stdout, index=False)
    elif fmt == "jsonl":
        import json

        for record in df.astype(object).where(df.notna(), None).to_dict("records"):
            click.echo(json.dumps(record, ensure_ascii=False, default=str))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(*[str(c) for c in df.columns])
        if "report_id" in df.columns:  # shown whole, so it can be pasted into `govreport show`
            table.columns[list(df.columns).index("report_id")].no_wrap = True
            table.columns[list(df.columns).index("report_id")].min_width = 14
        for row in df.itertuples(index=False):
            table.add_row(*["" if v is None or v != v else str(v) for v in row])
        Console().print(table)


COMMON = [
    click.argument("paths", nargs=-1, type=click.Path()),
    click.option("--db", help="Read reports from the corpus database instead of files."),
    click.option("--dict", "dicts", multiple=True, type=click.Path(), help="Extra dictionary (TOML or one term per line)."),
    click.option("--theme", "themes", multiple=True, help="Only these themes (repeatable)."),
    click.option("--region", help="Only reports of these regions: names (广东, 广东省), codes, comma lists."),
    click.option("--year", type=int, help="Plan year: only reports planning this year (delivered early in it)."),
]


def common(f):
    for deco in reversed(COMMON):
        f = deco(f)
    return f


@click.command("attention")
@common
@click.option("--section", "sections", multiple=True, type=click.Choice(["all", "review", "plan"]),
              help="Parts of the report to report on (default: all three).")
@click.option("--overlapping", is_flag=True, help="Also count terms nested in longer terms (数字经济 in 数字经济核心产业).")
@click.option("--per", type=click.Choice(["chars", "tokens"]), default="chars", show_default=True,
              help="Normalise per 10,000 characters or per 10,000 word tokens (rjieba).")
@click.option("--wide", is_flag=True, help="One row per report, one column per theme and section.")
@out_option
def attention_cmd(paths, db, dicts, themes, region, year, sections, overlapping, per, wide, out, fmt) -> None:
    """Count theme-dictionary terms per report and section (per 10,000 characters)."""
    import pandas as pd

    from govreport.analysis import attention
    from govreport.knowledge.themes import Matcher, dictionaries

    try:
        matcher = Matcher(dictionaries(dicts, themes), overlapping=overlapping)
        rows = []
        for rid, report in input_reports(paths, db, region, year):
            rows.extend(attention.rows(report, rid, matcher, sections or attention.PARTS, per))
    except GovreportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    df = pd.DataFrame(rows, columns=["report_id", "region", "region_code", "level", "year", "theme", "section",
                                     "count", "size", "per", "per10k"])
    if wide and not df.empty:
        meta = df.drop_duplicates("report_id")[["report_id", "region", "region_code", "level", "year"]]
        wide_df = df.pivot(index="report_id", columns=["theme", "section"], values="per10k")
        wide_df.columns = [f"{theme}_{section}" for theme, section in wide_df.columns]
        df = meta.merge(wide_df.reset_index(), on="report_id")
    _emit(df, out, fmt)


@click.command("kwic")
@click.argument("term")
@common
@click.option("--window", default=30, show_default=True, help="Characters of context on each side.")
@click.option("--limit", default=200, show_default=True, help="At most this many lines (0: all); stderr says how many "
              "more there were.")
@out_option
def kwic_cmd(term, paths, db, dicts, themes, region, year, window, limit, out, fmt) -> None:
    """Keyword in context for a TERM or a whole theme, with report, section and offsets."""
    import pandas as pd

    from govreport.analysis import attention
    from govreport.knowledge.themes import Matcher, dictionaries

    try:
        matcher = Matcher(dictionaries(dicts, themes))
        lines, total = [], 0
        for rid, report in input_reports(paths, db, region, year):
            for hit in attention.kwic(report, term, window, matcher):
                total += 1
                if not limit or len(lines) < limit:
                    lines.append({"report_id": rid, "region": report.region.name, "year": report.plan_year, **hit})
    except GovreportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    cols = ["report_id", "region", "year", "section", "start", "end", "left", "keyword", "right"]
    _emit(pd.DataFrame(lines, columns=cols), out, fmt)
    if total > len(lines):
        click.echo(f"note: showed {len(lines)} of {total} lines; {total - len(lines)} left out by --limit {limit} "
                   "(--limit 0 shows all)", err=True)


@click.command("terms")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--db", help="Read reports from the corpus database instead of files.")
@click.option("--top", default=50, show_default=True, help="How many terms.")
@click.option("--distinctive", "group", help="Terms distinctive of this region (name, short name or code; or a "
              "report id or its prefix) vs the rest.")
@click.option("--new", "new", is_flag=True, help="Terms that first appear in a later year (new slogans).")
@click.option("--min-count", default=3, show_default=True)
@out_option
def terms_cmd(paths, db, top, group, new, min_count, out, fmt) -> None:
    """Word frequencies (rjieba, genre stop words, slogans kept whole), distinctive terms, new terms by year."""
    from govreport.analysis import terms

    try:
        reports = list(input_reports(paths, db))
    except GovreportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if group:
        from govreport.corpus.store import region_aliases

        def of_group(rid: str, r: Report) -> bool:
            return rid.startswith(group) or group in region_aliases(r.region.name or "", r.region.code or "")

        inside = [r for rid, r in reports if of_group(rid, r)]
        if not inside:
            click.echo(f"error: no report of {group!r} among the inputs", err=True)
            sys.exit(1)
        rest = [r for rid, r in reports if not of_group(rid, r)]
        df = terms.distinctive(inside, rest, top, min_count)
    elif new:
        df = terms.new_terms((r for _, r in reports), min_count, top)
    else:
        df = terms.frequencies((r for _, r in reports), top)
    _emit(df, out, fmt)
