"""Parse speed beside jieba's word segmentation on the same texts, in the same run (issue 13's yardstick).

    python bench/bench_vs_jieba.py [PATH ...]      (default: ../shared/corpus/seeds and ../shared/corpus/dev/city)

Prints MB/s of CPU time for `govreport` parsing each file (read → … → commitments) and for `jieba.lcut` over the
same decoded texts, and their ratio: the best of three alternated rounds of each, as the machine may be shared. jieba is not a dependency of govreport: `pip install jieba` to run this.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3


def main() -> None:
    try:
        import jieba
    except ImportError:
        sys.exit("bench_vs_jieba: jieba is not installed (pip install jieba); it is the yardstick, not a dependency")
    from govreport.parsing.pipeline import expand_paths, iter_parse_file
    from govreport.parsing.read import read

    paths = sys.argv[1:] or [str(ROOT.parent / "shared" / "corpus" / "seeds"),
                             str(ROOT.parent / "shared" / "corpus" / "dev" / "city")]
    files = [f for f in expand_paths(paths) if not f.endswith(".tsv")]
    texts = [u.text for f in files for u in read(f) if not isinstance(u, Exception)]
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    jieba.lcut("预热")  # load its dictionary outside the timing
    jieba_s = parse_s = float("inf")
    for _ in range(ROUNDS):  # alternated, best of each: on a shared machine one round can be twice another
        start = time.process_time()
        for text in texts:
            jieba.lcut(text)
        jieba_s = min(jieba_s, time.process_time() - start)
        start = time.process_time()
        for f in files:
            for _ in iter_parse_file(f):
                pass
        parse_s = min(parse_s, time.process_time() - start)
    print(f"{len(files)} files, {size:.1f} MB, best of {ROUNDS} alternated rounds: govreport parse "
          f"{size / parse_s:.2f} MB/s CPU, jieba.lcut {size / jieba_s:.2f} MB/s CPU; parse is {jieba_s / parse_s:.1f}x jieba")


if __name__ == "__main__":
    main()
