"""`govreport promises`: what a region promised for a year beside what it reported for that year."""

from __future__ import annotations

import sys

import click

from govreport.cli.attention import out_option
from govreport.model import GovreportError


@click.command("promises")
@click.option("--region", "-r", required=True, help="One region: name (海拉尔, 海拉尔区) or division code.")
@click.option("--db", help="Corpus database (default ./govreport.duckdb or $GOVREPORT_DB).")
@click.option("--year", type=int, help="Plan year: only the promises made for this year.")
@click.option("--min-confidence", default=0.35, show_default=True, help="Lowest match confidence shown as a match.")
@out_option
def promises_cmd(region: str, db: str | None, year: int | None, min_confidence: float, out: str | None,
                 fmt: str | None) -> None:
    """Commitments of year Y (report planning Y) beside the achievements reported for Y (report reviewing Y)."""
    import pandas as pd

    from govreport.cli.attention import _emit
    from govreport.analysis.promises import match_promises
    from govreport.corpus.store import Store, default_db

    try:
        with Store(db or default_db(), read_only=True) as store:
            codes = store.resolve_regions(region)
            if len(codes) > 1:
                raise GovreportError(region, f"names {len(codes)} regions ({', '.join(codes)}); give one division code")
            reports = list(store.iter_reports(region=codes))
    except GovreportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    if not reports:
        click.echo(f"error: no reports of region {region!r} in the corpus (see `govreport reports`)", err=True)
        sys.exit(1)
    by_plan = {r.plan_year: r for r in reports if r.plan_year}
    by_review = {r.review_year: r for r in reports if r.review_year}
    rows = []
    for y, plan in sorted(by_plan.items()):
        if year and y != year:
            continue
        review = by_review.get(y)
        if review is None:
            click.echo(f"note: no report reviewing {y} for {region}: its promises are listed without results", err=True)
            review = plan.__class__(source=plan.source)  # an empty report: nothing to match
        rows.extend(match_promises(plan, review, min_confidence))
    _emit(pd.DataFrame(rows, columns=["year", "region", "action", "object", "promised", "unit", "qualifier", "strength",
                                      "achieved", "ratio", "confidence", "promise", "result"]), out, fmt)
