"""Parse throughput: `govreport parse DIR --jobs J` over N synthetic reports, with peak memory.

    python bench/bench_parse.py [--n 10000] [--jobs 2] [--dir /tmp/govreport-bench]

Prints MB/s of text, reports/s, wall time and the peak resident memory of the parse processes, and the CPU time
of all processes (with what it means on idle cores: the machine may be shared).
Goal: >= 2 MB/s per core; 10,000 reports (~400 MB) in under 3 minutes on 2 cores, memory bounded.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import bench_setup  # noqa: E402


def main() -> None:
    args, folder, files, size = bench_setup(__doc__)
    print(f"corpus: {files} reports, {size / 1e6:.1f} MB of UTF-8 text in {folder}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "govreport", "parse", str(folder), "--jobs", str(args.jobs),
                          "--no-text", "-o", "/dev/null"], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if out.returncode != 0:
        print(out.stderr[-2000:])
        sys.exit(out.returncode)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime - cpu
    peak_kb = usage.ru_maxrss
    print(f"parse --jobs {args.jobs}: {wall:.1f} s wall, {size / 1e6 / wall:.2f} MB/s "
          f"({size / 1e6 / wall / args.jobs:.2f} MB/s per core), {files / wall:.0f} reports/s, "
          f"peak RSS of one process {peak_kb / 1024:.0f} MB")
    # on a shared machine wall time says little: CPU time says what the same cores would do when idle
    print(f"CPU: {cpu:.1f} s, {1000 * cpu / files:.1f} ms per report (all processes): "
          f"{args.jobs * files / cpu:.0f} reports/s on {args.jobs} idle cores")


if __name__ == "__main__":
    main()
