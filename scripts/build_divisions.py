"""Build the package's compact, year-aware division table from the official code tables.

Usage: python scripts/build_divisions.py ../shared/data/divisions src/govreport/data/divisions.tsv.gz

Input (see SOURCES.md there): gb2260/{mca,stats}/YYYYMM.tsv snapshots (columns Source, Revision, Code, Name)
and stats-2023/{provinces,cities,areas}.csv (cut-off 2023-06). Output: one row per (code, name) with the first
and last snapshot it appears in and the snapshot that followed the last one (empty when it is in the latest),
so a lookup at any date can tell which name a code had and whether the code still existed.
"""

from __future__ import annotations

import csv
import gzip
import sys
from collections import defaultdict
from pathlib import Path

LATEST = "202306"


def snapshots(root: Path) -> dict[str, dict[str, str]]:
    """revision (YYYYMM) -> {code: name}; MCA and NBS tables of the same month are merged."""
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for source in ("stats", "mca"):  # MCA last: it wins on a same-month disagreement
        for path in sorted((root / "gb2260" / source).glob("*.tsv")):
            with open(path, encoding="utf-8") as fh:
                for row in csv.DictReader(fh, delimiter="\t"):
                    code, name = row["Code"].strip(), row["Name"].strip()
                    if len(code) == 6 and code.isdigit() and name:
                        out[path.stem][code] = name
    latest: dict[str, str] = {}
    base = root / "stats-2023"
    with open(base / "provinces.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            latest[row["code"] + "0000"] = row["name"]
    with open(base / "cities.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            latest[row["code"] + "00"] = row["name"]
    with open(base / "areas.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            latest[row["code"]] = row["name"]
    out[LATEST] = latest
    return out


def build(root: Path) -> list[tuple[str, str, str, str, str]]:
    snaps = snapshots(root)
    order = sorted(snaps)
    seen: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, rev in enumerate(order):
        for code, name in snaps[rev].items():
            seen[(code, name)].append(i)
    rows = []
    for (code, name), idx in seen.items():
        # one row per continuous stretch, so a name that comes back later gets its own validity
        run_start = idx[0]
        for a, b in zip(idx, idx[1:] + [None]):
            if b is None or b != a + 1:
                nxt = order[a + 1] if a + 1 < len(order) else ""
                rows.append((code, name, order[run_start], order[a], nxt))
                if b is not None:
                    run_start = b
    rows.sort()
    return rows


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    rows = build(Path(argv[1]))
    with gzip.open(argv[2], "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("code\tname\tfirst\tlast\tnext\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    print(f"{len(rows)} rows -> {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
