"""Adversarial inputs: seconds per MB for each hostile shape at 1, 4, 16 and 64 MB, stage by stage.

    python bench/bench_adversarial.py [--sizes 1,4,16,64] [--shapes filler,headings,...] [--timeout 300]

Each shape is a real report header followed by one pattern repeated to the size asked (MB of UTF-8 text):

    filler     地区生产总值 + 达到×12 + 啊5%。  per line (a filler word that can match two ways)
    backtrack  the single 97-character line 地区生产总值 + 达到×24 + 啊5% (size ignored; exponential if broken)
    headings   一、… heading lines, each with a one-sentence body (every section rescanning all sections)
    sentence   one sentence of 地区生产总值增长5%， clauses (no full stop)
    pairs      one clause of indicator names and numbers with no commas between them
    list       新建学校3所、 items of one enumeration under a task heading of the plan

Every case runs ``parse_text`` in its own subprocess under ``--timeout`` seconds, so a quadratic or exponential
path costs a line of output, not the benchmark; once a shape times out its larger sizes are skipped. Linear code
shows a flat s/MB column; a column growing with size is a quadratic path. Stage times come from wrapping the
stage functions that ``pipeline.build_report`` calls (whatever is not found is simply not timed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

HEADER = ("2024年四方台区政府工作报告\n——2025年1月4日在四方台区第十一届人民代表大会第四次会议上\n"
          "四方台区人民政府区长 刘鹏\n各位代表:\n现在,我代表区人民政府向大会报告工作,请予审议。\n"
          "一、2024年工作回顾\n过去一年,地区生产总值增长5%。\n二、2025年工作安排\n"
          "2025年经济社会发展的主要预期目标是:")

NAMES = ("地区生产总值", "固定资产投资", "社会消费品零售总额", "一般公共预算收入", "城镇居民人均可支配收入")
NUMERALS = "一二三四五六七八九"

SHAPES = ("filler", "backtrack", "headings", "sentence", "pairs", "list", "semicolons")


def _unit(shape: str, i: int) -> str:
    """The i-th repeated piece of a shape (varied a little, so nothing can be cached by identical text)."""
    name = NAMES[i % len(NAMES)]
    if shape == "filler":
        return f"{name}{'达到' * 12}啊{i % 9 + 1}%。\n"
    if shape == "headings":
        return f"{NUMERALS[i % 9]}、加快发展第{i}项重点工作\n全年新建学校{i % 7 + 1}所。\n"
    if shape == "sentence":
        return f"{name}增长{i % 9 + 1}%，"
    if shape == "pairs":
        return f"{name}{i % 97 + 1}%"
    if shape == "list":
        return f"新建学校{i % 9 + 1}所、"
    if shape == "semicolons":  # clauses of one review sentence that never reaches a 。 (each looks back for 预计)
        return f"预计全年{name}增长{i % 9 + 1}%；"
    raise ValueError(shape)


def build(shape: str, megabytes: float) -> str:
    """A report of the given shape with about ``megabytes`` MB of UTF-8 text."""
    if shape == "backtrack":
        return HEADER + "地区生产总值" + "达到" * 24 + "啊5%"
    head = HEADER + ("地区生产总值增长5%。\n三、2025年重点工作\n（一）办好民生实事\n全年" if shape == "list" else "")
    target = int(megabytes * 1e6)
    size = len(head.encode())
    pieces = [head]
    i = 0
    while size < target:
        piece = _unit(shape, i)
        pieces.append(piece)
        size += len(piece.encode())
        i += 1
    tail = "。\n" if shape in ("sentence", "pairs", "list", "semicolons") else ""
    return "".join(pieces) + tail


STAGES = (("normalize", "normalize"), ("normalize", "join_broken_lines"), ("split", "split_reports"),
          ("sections", "find_sections"), ("sections", "classify"), ("metadata", "fill_metadata"),
          ("extract", "fill_values"), ("commitments", "fill_commitments"), ("split", "check_complete"))


def _child(shape: str, megabytes: float) -> None:
    """Run one case and print its figures as one JSON line."""
    import importlib
    import resource

    from govreport.parsing import pipeline

    times: dict[str, float] = {}

    def timed(name: str, fn):  # type: ignore[no-untyped-def]
        def wrapper(*a, **k):  # type: ignore[no-untyped-def]
            t = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                times[name] = times.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    for module_name, attr in STAGES:  # a name imported into pipeline is patched there, else in its module
        module = pipeline if hasattr(pipeline, attr) else importlib.import_module(f"govreport.parsing.{module_name}")
        if hasattr(module, attr):
            setattr(module, attr, timed(attr, getattr(module, attr)))
    text = build(shape, megabytes)
    start = time.perf_counter()
    reports = pipeline.parse_text(text)
    total = time.perf_counter() - start
    print(json.dumps({"mb": len(text.encode()) / 1e6, "total": total, "stages": times,
                      "targets": sum(len(r.targets) for r in reports),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1,4,16,64", help="MB of text per case, comma-separated")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds per case")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child[0], float(args.child[1]))
        return
    sizes = [float(s) for s in args.sizes.split(",")]
    print(f"{'shape':10} {'MB':>6} {'total s':>8} {'s/MB':>7} {'RSS MB':>7}  slowest stages (s/MB)")
    for shape in args.shapes.split(","):
        for mb in [0.0] if shape == "backtrack" else sizes:
            try:
                out = subprocess.run([sys.executable, __file__, "--child", shape, str(mb)], capture_output=True,
                                     text=True, timeout=args.timeout)
            except subprocess.TimeoutExpired:
                print(f"{shape:10} {mb:6.1f} {'> ' + str(int(args.timeout)):>8}  timed out; larger sizes skipped")
                break
            if out.returncode != 0:
                print(f"{shape:10} {mb:6.1f} failed: {out.stderr.strip().splitlines()[-1:]}")
                break
            r = json.loads(out.stdout.strip().splitlines()[-1])
            per_mb = max(r["mb"], 1e-9)
            stages = sorted(r["stages"].items(), key=lambda kv: -kv[1])[:3]
            shown = ", ".join(f"{k} {v / per_mb:.2f}" for k, v in stages)
            print(f"{shape:10} {r['mb']:6.2f} {r['total']:8.2f} {r['total'] / per_mb:7.2f} {r['rss_mb']:7.0f}  {shown}",
                  flush=True)


if __name__ == "__main__":
    main()
