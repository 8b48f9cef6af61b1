"""A synthetic corpus for benchmarks: the real sample reports repeated and perturbed (numbers and years
changed), written as UTF-8 text files so every benchmark parses realistic text."""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

SAMPLE = Path(__file__).resolve().parent.parent / "src" / "govreport" / "sample"


def sample_texts() -> list[str]:
    """The bundled reports, each report of the compilation on its own."""
    import govreport

    texts = []
    for path in sorted(SAMPLE.glob("*.txt")):
        texts.extend(r.text for r in govreport.parse(path))
    return texts


def perturb(text: str, rng: random.Random) -> str:
    shift = rng.randint(-8, 3)
    text = re.sub(r"(20[12]\d)年", lambda m: f"{int(m.group(1)) + shift}年", text)
    return re.sub(r"\d+\.\d", lambda m: f"{float(m.group(0)) * rng.uniform(0.8, 1.2):.1f}", text)


def build(folder: Path, n: int, seed: int = 1) -> tuple[int, int]:
    """Write ``n`` report files into ``folder`` (reused when already there); returns (files, bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = sorted(folder.glob("r*.txt"))
    if len(existing) == n:
        return n, sum(p.stat().st_size for p in existing)
    for p in existing:
        p.unlink()
    rng = random.Random(seed)
    texts = sample_texts()
    total = 0
    for i in range(n):
        data = perturb(texts[i % len(texts)], rng).encode("utf-8")
        (folder / f"r{i:06d}.txt").write_bytes(data)
        total += len(data)
    return n, total


def bench_setup(doc: str, default_n: int = 10000) -> tuple[argparse.Namespace, Path, int, int]:
    """Common benchmark arguments (--n, --jobs, --dir) and the synthetic corpus they ask for."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--n", type=int, default=default_n)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--dir", default="/tmp/govreport-bench")
    args = ap.parse_args()
    folder = Path(args.dir) / f"reports-{args.n}"
    files, size = build(folder, args.n)
    return args, folder, files, size
