"""Print a fixed sample of extracted commitments/achievements with their sentences for hand-checking precision.

    python bench/check_commitments.py [CORPUS_DIR ...] [--n 120]

Each line: number, part, action | object | value unit qualifier, then the evidence in its sentence. Judge each
(number and unit exact, action/object right) and record the count in docs/commitments.md.
"""

from __future__ import annotations

import argparse
import random

from govreport.parsing.pipeline import iter_parse


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", default=["../shared/corpus"])
    ap.add_argument("--n", type=int, default=120)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    items = []
    for report in iter_parse(args.paths):
        if isinstance(report, Exception):
            continue
        for c in report.commitments + report.achievements:
            s0, s1 = c.sentence or c.span
            items.append((report.region.name, c, report.text[max(s0, c.span[0] - 25) : min(s1, c.span[1] + 10)]))
    random.Random(args.seed).shuffle(items)
    print(f"{len(items)} extracted; sample of {min(args.n, len(items))}")
    for i, (region, c, context) in enumerate(items[: args.n], 1):
        print(f"{i:3d} {region} {c.part:6s} {c.action}|{c.object}|{c.value} {c.unit} {c.qualifier} ‹{c.text}› ⟨{context}⟩")


if __name__ == "__main__":
    main()
