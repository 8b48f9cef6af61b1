"""Web app speed: latency of every page over a corpus of N reports, alone and under 20 concurrent clients.

    python bench/bench_web.py [--n 10000] [--clients 20] [--rounds 10] [--workers 1] [--dir /tmp/govreport-bench]

The corpus is the real sample reports (and a few real ones from the shared corpus when present), each parsed
once and stored N times over under real divisions (every level) and plan years 2001-2026, so the database
holds N full records with their text, values, sections and warnings, as an ingest of N files would. The
app is started as `govreport serve` in its own process and asked over HTTP.

Goal: every page < 300 ms at 10,000 reports; p99 < 1 s with 20 concurrent clients.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

SAMPLE = Path(__file__).resolve().parent.parent / "src" / "govreport" / "sample"
DIGIT = re.compile(r"[0-9]")
SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "extra"


def real_reports() -> list:
    import govreport

    paths = sorted(SAMPLE.glob("*.txt")) + sorted(SHARED.glob("*.txt"))[:8]
    return [r for p in paths for r in govreport.parse(p)]


def divisions_pool(rng: random.Random, k: int = 3000) -> list:
    """Real divisions of every level (the national government included), as of 2020."""
    from govreport.knowledge import divisions

    codes = sorted(divisions._by_code())
    picked = [divisions.lookup(c, 2020) for c in rng.sample(codes, min(k, len(codes)))]
    return [d for d in picked if d is not None] + [divisions.lookup("100000", 2020) or picked[0]]


def build_db(path: Path, n: int, seed: int = 1) -> None:
    """Store ``n`` reports: the real records once through the store, then copied row for row in SQL (every
    table: values, sections, warnings ...) under varied real regions and plan years, record JSON included."""
    import pandas as pd

    from govreport.corpus.store import REPORT_TABLES, Store
    from govreport.model import report_id

    rng = random.Random(seed)
    base = real_reports()
    pool = divisions_pool(rng)
    path.unlink(missing_ok=True)
    start = time.perf_counter()
    with Store(path) as store:
        store.add(base)
        rows = []
        for i in range(n):
            div, year = pool[rng.randrange(len(pool))], rng.randint(2001, 2026)
            sha = hashlib.sha256(f"{seed}-{i}".encode()).hexdigest()
            rows.append({"base_id": report_id(base[i % len(base)]), "new_id": f"{sha[:12]}-1", "path": f"r{i:06d}.txt",
                         "sha256": sha, "region": div.name, "code": div.code, "level": div.level,
                         "province": div.province, "prefecture": div.prefecture, "year": year,
                         "title": f"{year}年{div.name}政府工作报告",
                         # other figures, same length: every text differs (as real ones do) and spans stay valid
                         "text": DIGIT.sub(lambda m: str(rng.randrange(10)), base[i % len(base)].text)})
        plan = pd.DataFrame(rows)
        con = store.con
        con.execute("SET enable_progress_bar = false")
        con.register("plan", plan)
        con.execute("BEGIN TRANSACTION")
        for table in REPORT_TABLES:
            con.execute(f"INSERT INTO {table} SELECT p.new_id, t.* EXCLUDE (report_id) FROM {table} t"
                        " JOIN plan p ON t.report_id = p.base_id")
        con.execute(
            """INSERT INTO reports SELECT r.* REPLACE (
                 p.new_id AS report_id, p.path AS path, p.sha256 AS sha256, p.title AS title, p.region AS region,
                 p.code AS region_code, p.level AS level, p.province AS province, p.prefecture AS prefecture,
                 p.year AS plan_year, p.year - 1 AS review_year, p.text AS text,
                 json_merge_patch(r.record, json_object(
                   'title', p.title, 'plan_year', p.year, 'review_year', p.year - 1,
                   'region', json_object('name', p.region, 'code', p.code, 'level', p.level,
                                         'province', p.province, 'prefecture', p.prefecture),
                   'source', json_merge_patch(r.record->'source', json_object('path', p.path, 'sha256', p.sha256,
                                                                               'part', 1, 'parts', 1)))) AS record)
               FROM reports r JOIN plan p ON r.report_id = p.base_id""")
        con.execute("DELETE FROM reports WHERE report_id IN (SELECT DISTINCT base_id FROM plan)")
        for table in REPORT_TABLES:
            con.execute(f"DELETE FROM {table} WHERE report_id IN (SELECT DISTINCT base_id FROM plan)")
        con.execute("COMMIT")
        con.unregister("plan")
        store.link_duplicates()
    print(f"database: {n} reports (copies of {len(base)} real ones) in {time.perf_counter() - start:.0f} s,"
          f" {path.stat().st_size / 1e6:.0f} MB")


def index_db(path: Path) -> None:
    """Build the search index as for a database from before it (the rows above were copied around the store,
    which indexes what it writes itself): on the first writable open. Prints what that costs."""
    from govreport.corpus import search
    from govreport.corpus.store import Store

    with Store(path, read_only=True) as store:
        if search.indexed(store.con):
            return
        n = store.query("SELECT count(*) FROM reports")[1][0][0]
    size = path.stat().st_size
    start = time.perf_counter()
    with Store(path):
        pass
    took = time.perf_counter() - start
    print(f"search index: {n} reports indexed on open in {took:.0f} s ({took * 1000 / n:.1f} ms per report);"
          f" database {size / 1e6:.0f} MB -> {path.stat().st_size / 1e6:.0f} MB")


def pages(url: str, db: Path) -> dict[str, str]:
    """The page set: every page of the app, with realistic parameters taken from the database."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    rid, region = con.execute("SELECT report_id, region FROM reports WHERE n_targets > 5 LIMIT 1").fetchone()
    regions = [r[0] for r in con.execute("SELECT region FROM reports WHERE level = 'prefecture' GROUP BY region"
                                         " ORDER BY count(*) DESC LIMIT 3").fetchall()]
    con.close()
    three = "&".join(f"region={r}" for r in regions)
    return {
        "report list": "/",
        "list page 40": "/?page=40",
        "list sorted by region": "/?sort=region",
        "list filtered + facets": "/?level=prefecture&year=2020",
        "search": "/?q=民生实事",
        "search + filter": "/?q=营商环境&level=province",
        "search, one character": "/?q=绿",
        "search, long phrase": "/?q=推动经济高质量发展",
        "search, rare term": "/?q=长江大保护",
        "report": f"/report/{rid}",
        "coverage": "/coverage",
        "indicators page": "/indicators",
        "panel (3 regions)": f"/api/panel?indicator=gdp&{three}",
        "panel, other indicator": "/api/panel?indicator=cpi",
        "panel, 3rd indicator": "/api/panel?indicator=retail_sales",
        "compare (1 region)": f"/compare?region={regions[0]}",
        "attention (1 region)": f"/api/attention?region={region}",
        "export csv (provinces)": "/reports.csv?level=province",
        "api reports (1 year)": "/api/reports?year=2021",
    }


def timed(client: httpx.Client, url: str) -> float:
    start = time.perf_counter()
    res = client.get(url)
    took = time.perf_counter() - start
    if res.status_code != 200:
        raise SystemExit(f"{url}: HTTP {res.status_code}: {res.text[:200]}")
    return took


def p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--rounds", type=int, default=10, help="requests of each page per client")
    ap.add_argument("--dir", default="/tmp/govreport-bench")
    ap.add_argument("--port", type=int, default=8765)
    ap.add_argument("--workers", type=int, default=1, help="server processes (`serve --workers`)")
    args = ap.parse_args()
    db = Path(args.dir) / f"web-{args.n}.duckdb"
    db.parent.mkdir(parents=True, exist_ok=True)
    if not db.exists():
        build_db(db, args.n)
    index_db(db)
    server = subprocess.Popen([sys.executable, "-m", "govreport", "serve", "--db", str(db), "--port", str(args.port),
                               "--workers", str(args.workers)])
    base = f"http://127.0.0.1:{args.port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            for _ in range(300):
                try:
                    client.get("/upload")
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            todo = pages(base, db)
            print(f"\n{args.n} reports, {args.workers} server process(es), one client (first request = cold, then median of 5):")
            print(f"  {'page':26} {'cold ms':>8} {'warm ms':>8}")
            for name, url in todo.items():
                cold = timed(client, url)
                warm = statistics.median(timed(client, url) for _ in range(5))
                print(f"  {name:26} {cold * 1000:8.0f} {warm * 1000:8.0f}")

        times: dict[str, list[float]] = {name: [] for name in todo}
        lock = threading.Lock()

        def user(seed: int) -> None:
            rng = random.Random(seed)
            with httpx.Client(base_url=base, timeout=60) as c:
                for _ in range(args.rounds):
                    for name, url in rng.sample(list(todo.items()), len(todo)):
                        took = timed(c, url)
                        with lock:
                            times[name].append(took)

        start = time.perf_counter()
        users = [threading.Thread(target=user, args=(i,)) for i in range(args.clients)]
        for t in users:
            t.start()
        for t in users:
            t.join()
        wall = time.perf_counter() - start
        every = [x for v in times.values() for x in v]
        print(f"\n{args.clients} concurrent clients, {len(every)} requests in {wall:.1f} s ({len(every) / wall:.0f}/s):")
        print(f"  {'page':26} {'p50 ms':>8} {'p99 ms':>8}")
        for name, values in times.items():
            print(f"  {name:26} {p(values, 0.5) * 1000:8.0f} {p(values, 0.99) * 1000:8.0f}")
        print(f"  {'all pages':26} {p(every, 0.5) * 1000:8.0f} {p(every, 0.99) * 1000:8.0f}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
