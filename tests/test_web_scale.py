"""The web app over more reports than any page shows: nothing is cut off silently. The corpus is built as
bench/bench_web.py builds it (real reports copied under real divisions and years)."""

from __future__ import annotations

import csv
import io
import sys

import pytest
from fastapi.testclient import TestClient

from conftest import REPO
from govreport.web.app import create_app

N = 2100  # more than the old 2,000-row cut


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    sys.path.insert(0, str(REPO / "bench"))
    from bench_web import build_db

    path = tmp_path_factory.mktemp("scale") / "corpus.duckdb"
    build_db(path, N)
    return TestClient(create_app(path), base_url="http://127.0.0.1")


def test_every_report_is_listed_paged_and_exported(client: TestClient) -> None:
    assert len(client.get("/api/reports").json()) == N
    rows = list(csv.DictReader(io.StringIO(client.get("/reports.csv").content.decode("utf-8-sig"))))
    assert len(rows) == N and len({r["id"] for r in rows}) == N
    page = client.get("/", params={"per": 200, "page": N // 200 + 1})
    assert f"共 {N} 份" in page.text
    assert f"第 {N // 200 + 1} / {N // 200 + 1} 页" in page.text
    assert page.text.count('<tr data-id="') == N % 200  # the last page holds the rest


def test_search_counts_every_hit_not_only_the_first_page(client: TestClient) -> None:
    from govreport.corpus.store import connect

    page = client.get("/", params={"q": "各位代表", "per": 10})
    hits = client.get("/api/reports", params={"q": "各位代表"}).json()
    db = client.app.state.corpus.path
    with connect(str(db), read_only=True) as con:
        want = con.execute("SELECT count(*) FROM reports WHERE contains(text, '各位代表')").fetchone()[0]
    assert want > 2000 and len(hits) == want
    assert f"共 {want} 份" in page.text


def test_concurrent_requests_for_a_cold_panel_compute_it_once(client: TestClient, monkeypatch) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from govreport.corpus.tables import Corpus

    calls = []
    track = Corpus.track

    def counted(self, *args, **kwargs):
        calls.append(args)
        return track(self, *args, **kwargs)

    monkeypatch.setattr(Corpus, "track", counted)
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client.get("/api/panel", params={"indicator": "cpi"}), range(8)))
    assert all(a.status_code == 200 for a in answers)
    assert len({a.text for a in answers}) == 1
    assert calls.count(("cpi",)) == 1  # seven requests waited for the first instead of computing it again
