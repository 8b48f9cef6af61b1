"""Same output before and after a speed change: parse every file of ../shared/corpus (and the bundled sample)
and compare each record's JSON, the parser version left out, with a baseline saved from another checkout.

    python bench/same_output.py --save /tmp/baseline.jsonl.gz     (with PYTHONPATH=<main>/src for main's parser)
    python bench/same_output.py /tmp/baseline.jsonl.gz            (compare this checkout with it)

Prints the number of records compared and every difference (path, part, first differing key); exits 1 on any.
Errors (files that are not reports, bad rows) are compared too, as they are part of the output.
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
INPUTS = [ROOT.parent / "shared" / "corpus", ROOT / "src" / "govreport" / "sample"]


def records() -> dict[str, str]:
    """Every record of the inputs as canonical JSON, keyed by path and part (errors keyed by path and order)."""
    from govreport.model import GovreportError
    from govreport.parsing.pipeline import expand_paths, iter_parse_file

    out: dict[str, str] = {}
    for path in expand_paths(str(p) for p in INPUTS):
        rel = str(Path(path).resolve().relative_to(ROOT.parent))
        for i, item in enumerate(iter_parse_file(path)):
            if isinstance(item, GovreportError):
                out[f"{rel}#error{i}"] = json.dumps(str(item).replace(str(ROOT.parent), ""), ensure_ascii=False)
                continue
            data = item.to_dict()
            key = f"{rel}#{item.source.part}/{item.source.row or 0}"
            stored = json.dumps(item.to_dict(include_text=False), ensure_ascii=False, default=str)
            if hasattr(item, "to_json") and item.to_json(include_text=False) != stored:  # the corpus's record
                out[f"{key}#json"] = "to_json differs from to_dict"
            data["versions"].pop("parser", None)
            out[key] = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return out


def first_difference(a: Any, b: Any, where: str = "") -> str:
    """The path of the first place two JSON values differ (to say what changed, not just that it did)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if a.get(k) != b.get(k):
                return first_difference(a.get(k), b.get(k), f"{where}.{k}")
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{where}[{i}]")
    return f"{where or '.'}: {json.dumps(a, ensure_ascii=False)[:200]} != {json.dumps(b, ensure_ascii=False)[:200]}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("baseline", nargs="?", help="compare with this saved baseline")
    ap.add_argument("--save", help="write the records of this checkout here instead")
    args = ap.parse_args()
    if not args.baseline and not args.save:
        ap.error("give a baseline to compare with, or --save PATH")
    start = time.process_time()
    mine = records()
    print(f"{len(mine)} records parsed in {time.process_time() - start:.1f} s CPU")
    if args.save:
        with gzip.open(args.save, "wt", encoding="utf-8") as f:
            for key in sorted(mine):
                f.write(json.dumps([key, mine[key]], ensure_ascii=False) + "\n")
        print(f"saved to {args.save}")
        return
    with gzip.open(args.baseline, "rt", encoding="utf-8") as f:
        base = dict(json.loads(line) for line in f)
    diffs = 0
    for key in sorted(set(base) | set(mine)):
        if key not in mine or key not in base:
            diffs += 1
            print(f"{key}: only in {'baseline' if key in base else 'this checkout'}")
        elif base[key] != mine[key]:
            diffs += 1
            print(f"{key}: {first_difference(json.loads(base[key]), json.loads(mine[key]))}")
    print(f"{len(base)} baseline records, {len(mine)} now: {diffs} differences")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
