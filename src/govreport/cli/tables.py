"""Research-table commands: panel, track, escalation and codebook, each exportable by file extension."""

from __future__ import annotations

import sys

import click

from govreport.cli.attention import _emit, out_option
from govreport.model import GovreportError

DB = click.option("--db", help="Corpus database (default ./govreport.duckdb or $GOVREPORT_DB).")
INDICATORS = click.option("--indicator", "-i", multiple=True,
                          help="Indicator code(s) (gdp, GDP) or lexicon name(s) (地区生产总值); repeat or comma-separate.")
VERIFIED = click.option("--verified-only", is_flag=True,
                        help="Only values a reviewer accepted, corrected or added (see `govreport review`).")
REGIONS = click.option("--region", "-r", multiple=True,
                       help="Region name(s) (广东, 广东省, 海拉尔) or division code(s); repeat or comma-separate.")


def _run(db: str | None, out: str | None, fmt: str | None, build) -> None:
    """Open the corpus, build one table from it, print or write it; user errors are one line."""
    from govreport.corpus.tables import Corpus

    try:
        with Corpus(db) as corpus:
            df = build(corpus)
        _emit(df, out, fmt)
    except GovreportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


@click.command("panel")
@DB
@INDICATORS
@click.option("--measure", type=click.Choice(["growth", "decline", "level", "rate"]))
@click.option("--level", type=click.Choice(["national", "province", "prefecture", "county_city", "county", "district"]))
@REGIONS
@click.option("--from", "year_from", type=int, help="First year a value is about (plan year of a target, review "
              "year of an actual).")
@click.option("--to", "year_to", type=int, help="Last year a value is about.")
@click.option("--kind", type=click.Choice(["target", "actual"]))
@click.option("--wide", is_flag=True, help="One row per region-year, one column per indicator_measure_kind.")
@VERIFIED
@out_option
def panel_cmd(db, indicator, measure, level, region, year_from, year_to, kind, wide, verified_only, out, fmt) -> None:
    """Targets and actuals as a panel (long, or --wide)."""
    _run(db, out, fmt, lambda c: c.panel(indicator=list(indicator) or None, measure=measure, level=level,
                                         region=list(region) or None,
                                         year_from=year_from, year_to=year_to, kind=kind, wide=wide,
                                         verified_only=verified_only))


@click.command("track")
@DB
@INDICATORS
@REGIONS
@click.option("--measure", type=click.Choice(["growth", "decline", "level", "rate"]))
@click.option("--tolerance", default=0.5, show_default=True, help="Points within which a 左右 target counts as met.")
@VERIFIED
@out_option
def track_cmd(db, indicator, region, measure, tolerance, verified_only, out, fmt) -> None:
    """Target vs actual: did each region reach the target it set for a year?"""
    _run(db, out, fmt, lambda c: c.track(list(indicator) or None, list(region) or None, measure=measure,
                                         tolerance=tolerance, verified_only=verified_only))


@click.command("escalation")
@DB
@INDICATORS
@REGIONS
@click.option("--measure", default="growth", show_default=True, type=click.Choice(["growth", "decline", "level", "rate"]))
@click.option("--year", type=int, help="Plan year: targets set for this year.")
@VERIFIED
@out_option
def escalation_cmd(db, indicator, region, measure, year, verified_only, out, fmt) -> None:
    """层层加码: each region's target beside its parent's, with the markup in points."""
    _run(db, out, fmt, lambda c: c.escalation(list(indicator) or None, list(region) or None, measure=measure,
                                              year=year, verified_only=verified_only))


@click.command("flags")
@DB
@out_option
def flags_cmd(db, out, fmt) -> None:
    """Values flagged as implausible: out of range, a level jump against the same region's next or previous
    year, a target far from its peers' (report_id, kind, idx, flag, detail)."""
    import pandas as pd

    from govreport.corpus.flags import COLUMNS, corpus_flags

    _run(db, out, fmt, lambda corpus: pd.DataFrame(corpus_flags(corpus.store, corpus.lex), columns=list(COLUMNS)))


@click.command("codebook")
@click.option("--out", "-o", type=click.Path(), help="codebook.md or .csv/.xlsx (default: print markdown).")
def codebook_cmd(out: str | None) -> None:
    """Describe every column, unit and indicator code of the tables, and the Stata name of each column whose
    name is too long for Stata (printed as tab-separated section, name, description, unit)."""
    from govreport.corpus import codebook
    from govreport.corpus.export import write_codebook

    if out:
        write_codebook(out)
        click.echo(f"wrote {out}", err=True)
    else:
        for row in codebook.table().itertuples():
            click.echo(f"{row.section}\t{row.name}\t{row.description}\t{row.unit}")
