"""``govreport review``: the queue of values to check, and the decisions that make a corpus verified
(docs/review.md). Decisions go to the overlay of govreport.corpus.review, never into the values tables."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from govreport.cli.attention import _emit, out_option
from govreport.cli.tables import DB, INDICATORS, REGIONS
from govreport.model import MEASURES, QUALIFIERS, GovreportError

REVIEWER = click.option("--reviewer", help="Who decides (default $GOVREPORT_REVIEWER, else the OS user name).")
NOTE = click.option("--note", help="Why (kept with the decision).")
QUEUE_COLUMNS = ["id", "region", "year", "kind", "indicator", "measure", "value", "high", "unit", "qualifier",
                 "confidence", "flags", "evidence", "decision", "reviewer"]


def _db(db: str | None) -> str | None:
    """This command's --db, else the one given to ``govreport review`` itself."""
    ctx = click.get_current_context()
    return db or (ctx.parent.params.get("db") if ctx.parent else None)


def _writing(db: str | None, work: Callable[[Any, Any], str]) -> None:
    """Open the database writable, run ``work(store, corpus)``, print its message; user errors are one line."""
    from govreport.corpus.store import Store
    from govreport.corpus.tables import Corpus

    try:
        with Store(_db(db)) as store:
            click.echo(work(store, Corpus(store=store)))
    except GovreportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _reading(db: str | None, work: Callable[[Any], Any]) -> Any:
    """``work(connection)`` on the database opened read-only; user errors are one line."""
    from govreport.corpus.store import Store

    try:
        with Store(_db(db), read_only=True) as store:
            return work(store.con)
    except GovreportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


def _reviewer(name: str | None) -> str:
    from govreport.corpus.review import default_reviewer

    return (name or default_reviewer()).strip()


def _said(key: dict[str, Any]) -> str:
    value = "" if key.get("value") is None else f" {key['value']:g}{key.get('unit') or ''}"
    return f"{key.get('indicator') or '?'} {key.get('measure') or ''}{value}".strip()


@click.group("review", invoke_without_command=True)
@DB
@REGIONS
@click.option("--year", type=int, help="Plan year of the reports.")
@INDICATORS
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1), help="Values listed.")
@click.option("--all", "include_reviewed", is_flag=True, help="List values already decided on too.")
@out_option
@click.pass_context
def review_cmd(ctx: click.Context, db, region, year, indicator, limit, include_reviewed, out, fmt) -> None:
    """Values to check, riskiest first (flagged, then lowest confidence), each with an id to decide on."""
    if ctx.invoked_subcommand:
        return
    from govreport.corpus import review
    from govreport.corpus.tables import Corpus

    try:
        with Corpus(db) as corpus:
            regions = corpus.store.resolve_regions(list(region)) if region else None
            rows = review.queue(corpus.store.con, regions, year, corpus.indicators(list(indicator) or None), limit,
                                include_reviewed)
    except GovreportError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    import pandas as pd

    _emit(pd.DataFrame(rows, columns=QUEUE_COLUMNS), out, fmt)


def _decision(verb: str) -> click.Command:
    @click.command(verb)
    @click.argument("value_id")
    @DB
    @REVIEWER
    @NOTE
    def command(value_id: str, db: str | None, reviewer: str | None, note: str | None) -> None:
        from govreport.corpus import review

        def work(store: Any, corpus: Any) -> str:
            key = review.key_of(store.con, value_id)
            n = review.decide(store.con, key, review.Decision(verb, _reviewer(reviewer), note))
            return f"#{n}: {verb} {value_id} ({_said(key)}) by {_reviewer(reviewer)}"

        _writing(db, work)

    command.help = f"{verb.capitalize()} the value VALUE_ID (REPORT:t3 = targets[3], REPORT:a0 = actuals[0], " \
                   "#N = the value added by decision N)."
    return command


review_cmd.add_command(_decision("accept"))
review_cmd.add_command(_decision("reject"))

VALUE_FIELDS = [
    click.option("--indicator", "-i", help="Indicator code or lexicon name."),
    click.option("--measure", type=click.Choice(MEASURES)),
    click.option("--value", type=float),
    click.option("--high", type=float, help="Upper end of a range (with --qualifier range)."),
    click.option("--unit", help="Unit as written: %, 亿元, 万人 …"),
    click.option("--qualifier", type=click.Choice(QUALIFIERS)),
]


def _fields(corpus: Any, indicator: str | None, **given: Any) -> dict[str, Any]:
    if indicator:
        given["indicator"] = corpus.indicators([indicator])[0]
    return given


def value_fields(f: Callable) -> Callable:
    for option in reversed(VALUE_FIELDS):
        f = option(f)
    return f


@review_cmd.command("correct")
@click.argument("value_id")
@DB
@value_fields
@click.option("--start", type=int, help="Corrected evidence span start (a character offset of the report text).")
@click.option("--end", type=int, help="Corrected evidence span end (exclusive).")
@REVIEWER
@NOTE
def correct_cmd(value_id, db, indicator, measure, value, high, unit, qualifier, start, end, reviewer, note) -> None:
    """Correct the value VALUE_ID: the fields given replace the machine's, the others are kept."""
    from govreport.corpus import review

    def work(store: Any, corpus: Any) -> str:
        key = review.key_of(store.con, value_id)
        fields = _fields(corpus, indicator, measure=measure, value=value, high=high, unit=unit, qualifier=qualifier,
                         new_start=start, new_end=end)
        n = review.decide(store.con, key, review.Decision("correct", _reviewer(reviewer), note, fields))
        return f"#{n}: correct {value_id} ({_said(key)}) by {_reviewer(reviewer)}"

    _writing(db, work)


@review_cmd.command("add")
@click.argument("report_id")
@DB
@click.option("--kind", default="target", show_default=True, type=click.Choice(["target", "actual"]))
@click.option("--start", type=int, required=True, help="Evidence span start (character offset of the report text).")
@click.option("--end", type=int, required=True, help="Evidence span end (exclusive).")
@value_fields
@REVIEWER
@NOTE
def add_cmd(report_id, db, kind, start, end, indicator, measure, value, high, unit, qualifier, reviewer, note) -> None:
    """Add a value the machine missed, read from the characters START..END of the report (stored as evidence)."""
    from govreport.corpus import review

    if not indicator or measure is None or value is None:
        raise click.UsageError("add needs --indicator, --measure and --value")

    def work(store: Any, corpus: Any) -> str:
        key = review.add_key(store.con, report_id, kind, start, end)
        fields = _fields(corpus, indicator, measure=measure, value=value, high=high, unit=unit,
                         qualifier=qualifier or "none")
        n = review.decide(store.con, key, review.Decision("add", _reviewer(reviewer), note, fields))
        return f"#{n}: add {kind} to {key['report_id']} at {start}-{end} «{key['report_text'][start:end]}»"

    _writing(db, work)


@review_cmd.command("status")
@DB
def status_cmd(db: str | None) -> None:
    """Decisions a re-parse left without their value (moved, removed, indicator changed): listed, never dropped."""
    from govreport.corpus import review

    def work(con: Any) -> tuple[int, list[review.Problem]]:
        total = con.execute("SELECT count(*) FROM reviews").fetchone()[0]
        return total, review.problems(con)

    total, found = _reading(db, work)
    click.echo(f"{total} decisions stored; {len(found)} no longer match a value of the current parse")
    for p in found:
        click.echo(f"#{p.id}\t{p.what}\t{p.report_id or '-'}\t{p.kind} {p.span[0]}-{p.span[1]}\t{p.indicator or '?'}"
                   f"\t{p.decision} by {p.reviewer}\t{p.detail}")


@review_cmd.command("rebind")
@DB
def rebind_cmd(db: str | None) -> None:
    """Carry decisions whose value a re-parse only moved (one new span) to that span; the rest stay listed."""
    from govreport.corpus import review

    def work(store: Any, corpus: Any) -> str:
        carried = review.rebind(store.con)
        lines = [f"#{old} -> #{new}: {p.kind} {p.indicator or '?'} {p.span[0]}-{p.span[1]} -> {p.to[0]}-{p.to[1]}"
                 for old, new, p in carried]
        return "\n".join([*lines, f"{len(carried)} decisions carried to their new span"])

    _writing(db, work)


@review_cmd.command("export-gold")
@click.argument("out", type=click.Path(dir_okay=False))
@DB
@click.option("--reviewer", help="Only this reviewer's decisions (default: the latest decision of anyone).")
@click.option("--partial", is_flag=True, help="Also reports with values nobody checked yet (kept as the machine's).")
def export_gold_cmd(out: str, db: str | None, reviewer: str | None, partial: bool) -> None:
    """Write the reviewed reports as gold records (shared gold GUIDE.md schema) for `govreport eval`."""
    from govreport.corpus import review

    records, skipped = _reading(db, lambda con: review.gold_records(con, reviewer, partial))
    try:
        with open(out, "w", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    except OSError as exc:
        click.echo(f"error: {out}: {exc.strerror or exc}", err=True)
        sys.exit(1)
    click.echo(f"wrote {len(records)} reviewed reports to {out}", err=True)
    for rid, n in skipped:
        click.echo(f"skipped {rid}: {n} values not checked yet (--partial keeps them as the machine's)", err=True)


@review_cmd.command("agreement")
@DB
@click.option("--a", "first", required=True, help="One reviewer.")
@click.option("--b", "second", required=True, help="The other reviewer.")
def agreement_cmd(db: str | None, first: str, second: str) -> None:
    """Percent agreement and Cohen's kappa of two reviewers' decisions on the values both decided on."""
    from govreport.corpus import review

    result = _reading(db, lambda con: review.agreement(con, first, second))
    if not result.n:
        click.echo(f"no value was decided on by both {first} and {second}")
        sys.exit(1)
    kappa = result.kappa
    click.echo(f"values decided on by both: {result.n}")
    click.echo(f"percent agreement: {result.percent:.1f}% ({result.agreed}/{result.n})")
    click.echo("Cohen's kappa: " + (f"{kappa:.3f}" if kappa is not None else
                                    "undefined (both used one and the same category only)"))
    for (x, y), k in sorted(result.table.items()):
        click.echo(f"  {first} {x} / {second} {y}: {k}")
