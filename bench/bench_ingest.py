"""Corpus speed: ingest N synthetic reports with --jobs J, then time `panel --wide` over the result.

    python bench/bench_ingest.py [--n 10000] [--jobs 2] [--dir /tmp/govreport-bench]

Goal: 10,000 reports ingested in under 5 minutes on 2 cores; `panel --wide` in under 2 seconds.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import bench_setup  # noqa: E402


def main() -> None:
    args, folder, files, size = bench_setup(__doc__)
    db = Path(args.dir) / f"bench-{args.n}.duckdb"
    db.unlink(missing_ok=True)
    print(f"corpus: {files} reports, {size / 1e6:.1f} MB")
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "govreport", "ingest", str(folder), "--db", str(db),
                          "--jobs", str(args.jobs)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    print(run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "")
    print(f"ingest --jobs {args.jobs}: {wall:.1f} s, {files / wall:.0f} reports/s, {size / 1e6 / wall:.2f} MB/s; "
          f"database {db.stat().st_size / 1e6:.0f} MB")
    from govreport.corpus import Corpus

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


if __name__ == "__main__":
    main()
