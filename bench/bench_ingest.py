"""Corpus speed: ingest N synthetic reports with --jobs J, then time `panel --wide` over the result.

    python bench/bench_ingest.py [--n 10000] [--jobs 2] [--dir /tmp/govreport-bench] [--writer 200]

Goal: ≥ 150 reports/s for 10,000 reports on 2 cores; `panel --wide` in under 2 seconds. The machine may be
shared, so CPU seconds are printed beside wall time, and the writer (the one process that stores what the
workers parse) is timed on its own: --writer files are parsed first, then stored, and its CPU ms per report
is printed. Compare two versions back to back on the same corpus (PYTHONPATH=<other src> runs another one).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import bench_setup  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def bench_writer(files: list[Path]) -> None:
    """The writer alone: store already-parsed files into a new database (CPU time, so load matters less)."""
    from govreport.corpus import store as S
    from govreport.knowledge.lexicon import load_lexicon

    parsed = [S._parse_file((str(p), None, None, 0)) for p in files]
    info = {str(p): (S.file_sha256(p), p.stat().st_size) for p in files}
    with tempfile.TemporaryDirectory() as tmp, S.Store(Path(tmp) / "w.duckdb") as store:
        store.con.execute("SET threads = 1")  # as ingest sets it
        S.pa.array([0])  # pyarrow's first conversion imports pandas (0.2 s): once per ingest, not per report
        summary = S.IngestSummary()
        cpu, wall = time.process_time(), time.perf_counter()
        S._store_results(store, parsed, info, load_lexicon().version, summary, None)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    n = summary.added
    if not n:
        print(f"writer: nothing stored ({summary.failed[:3] or 'no failures reported'})")
        return
    print(f"writer: {n} reports stored in {wall:.2f} s wall, {cpu:.2f} s CPU = {1000 * cpu / n:.1f} ms CPU per report")


def main() -> None:
    own = argparse.ArgumentParser(add_help=False)
    own.add_argument("--writer", type=int, default=200)  # files to time the writer on (0: skip)
    mine, sys.argv[1:] = own.parse_known_args()  # the rest are the common options bench_setup reads
    args, folder, files, size = bench_setup(__doc__)
    db = Path(args.dir) / f"bench-{args.n}-{os.getpid()}.duckdb"
    db.unlink(missing_ok=True)
    print(f"corpus: {files} reports, {size / 1e6:.1f} MB")
    cpu, start = children_cpu(), time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "govreport", "ingest", str(folder), "--db", str(db),
                          "--jobs", str(args.jobs)], capture_output=True, text=True)
    wall, cpu = time.perf_counter() - start, children_cpu() - cpu
    print(run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "")
    print(f"ingest --jobs {args.jobs}: {wall:.1f} s, {files / wall:.0f} reports/s, {size / 1e6 / wall:.2f} MB/s; "
          f"{cpu:.1f} s CPU ({1000 * cpu / files:.0f} ms CPU per report, all processes); "
          f"database {db.stat().st_size / 1e6:.0f} MB")
    from govreport.corpus.tables import Corpus

    with Corpus(db) as corpus:
        start = time.perf_counter()
        wide = corpus.panel(wide=True)
        print(f"panel --wide: {time.perf_counter() - start:.2f} s for {len(wide)} region-years x {wide.shape[1]} columns")
        start = time.perf_counter()
        track = corpus.track("gdp")
        print(f"track gdp: {time.perf_counter() - start:.2f} s for {len(track)} rows")
    again = time.perf_counter()
    subprocess.run([sys.executable, "-m", "govreport", "ingest", str(folder), "--db", str(db)], capture_output=True)
    print(f"re-ingest (all unchanged, skipped): {time.perf_counter() - again:.1f} s")
    db.unlink(missing_ok=True)
    db.with_name(db.name + ".wal").unlink(missing_ok=True)
    if mine.writer:
        bench_writer(sorted(folder.glob("r*.txt"))[: mine.writer])


if __name__ == "__main__":
    main()
