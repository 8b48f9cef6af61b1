"""The web app's attention data: theme shares by report and the kwic lines behind a point."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from govreport.corpus.store import ingest
from govreport.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory, extra_dir):
    folder = tmp_path_factory.mktemp("att")
    for name in ("hailaer_2016.txt", "hailaer_2017.txt"):
        shutil.copy(extra_dir / name, folder / name)
    ingest([folder], folder / "c.duckdb")
    return TestClient(create_app(folder / "c.duckdb"), base_url="http://127.0.0.1")


def test_theme_shares_and_their_kwic_lines(client):
    assert client.get("/attention").status_code == 200
    rows = client.get("/api/attention", params={"region": ["海拉尔区"]}).json()["rows"]
    assert {r["year"] for r in rows} == {2016, 2017}
    env = next(r for r in rows if r["theme"] == "environment" and r["year"] == 2016)
    lines = client.get("/api/kwic", params={"report": env["report"], "theme": "environment", "limit": 200}).json()
    assert lines and all(line["keyword"] for line in lines)
    assert all(isinstance(line["start"], int) and line["end"] > line["start"] for line in lines)


def test_kwic_of_an_unknown_report_is_404(client):
    assert client.get("/api/kwic", params={"report": "nope-1", "theme": "environment"}).status_code == 404
