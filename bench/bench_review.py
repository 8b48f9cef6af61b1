"""What the review overlay costs the tables: panel, track and escalation over N reports with no decision and with
decisions on a share of the values, plus the queue and `review status`.

    python bench/bench_review.py [--n 10000] [--share 0.1] [--dir /tmp/govreport-bench]

The database is bench_web's (N real records stored under varied real regions and years). Decisions are written
in SQL, as many reviewers over time would have: a third each accepted, corrected (value × 1.1) and rejected.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_web import build_db  # noqa: E402

DECIDE = """
INSERT INTO reviews (sha256, source_row, part, kind, span_start, span_end, indicator_was, measure_was, value_was,
                     unit_was, decision, indicator, name, measure, value, high, unit, qualifier, new_start, new_end,
                     text, reviewer, decided_at, report_id)
SELECT r.sha256, r.row_number, r.part, '{kind}', v.span_start, v.span_end, v.indicator, v.measure, v.value, v.unit,
       ['accept', 'correct', 'reject'][CAST(1 + hash(v.report_id, v.idx, 1) % 3 AS BIGINT)], v.indicator, v.name, v.measure,
       v.value * 1.1, v.high, v.unit, v.qualifier, v.span_start, v.span_end, v.text, 'bench', now(), r.report_id
FROM {table} v JOIN reports r USING (report_id)
WHERE hash(v.report_id, v.idx) % 1000 < ?
"""


def timed(work, rounds: int = 3) -> float:
    """Median wall time of ``work()`` in seconds (the first call warms DuckDB's caches and is not counted)."""
    work()
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure(db: Path) -> dict[str, float]:
    from govreport.corpus import review
    from govreport.corpus.tables import Corpus

    with Corpus(db) as corpus:
        con = corpus.store.con
        return {
            "panel (long, every value)": timed(lambda: corpus.panel()),
            "panel --wide -i gdp": timed(lambda: corpus.panel("gdp", wide=True)),
            "panel --verified-only": timed(lambda: corpus.panel(verified_only=True)),
            "track -i gdp": timed(lambda: corpus.track("gdp")),
            "escalation -i gdp": timed(lambda: corpus.escalation("gdp")),
            "review (queue of 50)": timed(lambda: review.queue(con, limit=50)),
            "review status": timed(lambda: review.problems(con), rounds=1),
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--share", type=float, default=0.1, help="Share of the values with a decision.")
    ap.add_argument("--dir", default="/tmp/govreport-bench")
    args = ap.parse_args()
    db = Path(args.dir) / f"review-{args.n}.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    build_db(db, args.n)
    from govreport.corpus.store import Store

    with Store(db, read_only=True) as store:
        values = sum(store.con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("targets", "actuals"))
    before = measure(db)
    with Store(db) as store:
        for kind, table in (("target", "targets"), ("actual", "actuals")):
            store.con.execute(DECIDE.format(kind=kind, table=table), [int(args.share * 1000)])
        decisions = store.con.execute("SELECT count(*) FROM reviews").fetchone()[0]
    after = measure(db)
    print(f"{args.n} reports, {values} values; {decisions} decisions ({decisions / values:.1%} of the values)")
    print(f"{'':28} {'no decision':>12} {'with decisions':>15}")
    for name in before:
        print(f"{name:28} {before[name]:11.3f}s {after[name]:14.3f}s")


if __name__ == "__main__":
    main()
