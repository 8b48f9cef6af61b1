"""Start-up time: `govreport --help` and `import govreport` against `python -c "import click"`.

    python bench/bench_startup.py [--runs 15]

Prints the best wall time of each (runs interleaved; the minimum is the figure least disturbed by other load) and
the ratio to importing click. Goal: `govreport --help` within 3x `import click`; `import govreport` imports no
pandas, DuckDB, pyarrow or FastAPI (listed after the times).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HEAVY = ("pandas", "duckdb", "pyarrow", "fastapi", "numpy", "lxml", "govreport.parsing.pipeline")
CASES = {
    "python -c 'import click'": [sys.executable, "-c", "import click"],
    "python -c 'import govreport'": [sys.executable, "-c", "import govreport"],
    "govreport --help": [str(Path(sys.executable).with_name("govreport")), "--help"],
    "govreport parse --help": [str(Path(sys.executable).with_name("govreport")), "parse", "--help"],
}


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    times: dict[str, list[float]] = {name: [] for name in CASES}
    for _ in range(args.runs):  # round robin, so every case sees the same load on a shared machine
        for name, cmd in CASES.items():
            times[name].append(timed(cmd))
    base = min(times["python -c 'import click'"])
    for name, ts in times.items():
        print(f"{name:32} {min(ts) * 1000:6.0f} ms  {min(ts) / base:4.1f}x import click")
    probe = f"import sys, govreport; print(' '.join(m for m in {HEAVY!r} if m in sys.modules) or 'none')"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.strip()
    print(f"heavy modules after `import govreport`: {loaded}")


if __name__ == "__main__":
    main()
