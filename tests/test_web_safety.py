"""The web app under abuse, over real HTTP: slow and hostile uploads, foreign origins and hosts, the
``--allow-add`` server, and error pages. Uploads are real report text (hailaer_2017) made large by repetition."""

from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from conftest import EXTRA
from govreport.web.app import create_app
from govreport.web.worker import Budget
from webserver import free_port, running

LOCAL = "http://127.0.0.1"
REPORT = (EXTRA / "hailaer_2017.txt").read_bytes().decode("gb18030")
BIG = (REPORT * (3_000_000 // len(REPORT.encode()) + 1)).encode()  # ~3 MB: seconds of parsing
MB = 1024 * 1024


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from govreport.corpus.store import ingest

    path = tmp_path_factory.mktemp("safety") / "corpus.duckdb"
    ingest([str(EXTRA / "hailaer_2016.txt"), str(EXTRA / "hailaer_2017.txt")], str(path))
    return path


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def multipart(name: str, data: bytes, boundary: str = "B0undary") -> tuple[bytes, str]:
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


# ---- uploads are parsed off the event loop, under a budget ------------------------------------------------


def test_other_pages_answer_quickly_while_a_large_upload_parses(db: Path) -> None:
    app = create_app(db, max_upload=8 * MB)
    with running(app) as url:
        result: dict[str, httpx.Response] = {}
        upload = threading.Thread(target=lambda: result.update(res=httpx.post(
            f"{url}/upload", files={"file": ("big.txt", BIG)}, timeout=120)))
        upload.start()
        assert wait_for(lambda: app.state.parsing, 20), "the upload never started parsing"
        started = time.monotonic()
        page = httpx.get(f"{url}/", timeout=30)
        waited = time.monotonic() - started
        assert page.status_code == 200 and "海拉尔区" in page.text
        assert app.state.parsing, "the upload finished before the other page was asked for: the test proves nothing"
        assert waited < 1.5, f"the report list took {waited:.1f} s while an upload was parsing"
        upload.join(120)
        assert result["res"].status_code == 303  # and the upload itself still succeeds


def test_an_upload_over_its_time_budget_is_stopped_with_a_clear_error(db: Path) -> None:
    # BIG takes 1.3 s to parse on the development machine; a budget of a quarter of that fails on any machine
    client = TestClient(create_app(db, max_upload=8 * MB, budget=Budget(seconds=0.3)), base_url=LOCAL)
    started = time.monotonic()
    res = client.post("/upload", files={"file": ("big.txt", BIG)})
    assert res.status_code == 422
    assert "big.txt: parsing took longer than the budget of 0.3 s" in res.text
    assert time.monotonic() - started < 10
    assert client.app.state.parsing == {}


def test_an_upload_over_its_memory_budget_is_refused(db: Path) -> None:
    client = TestClient(create_app(db, max_upload=8 * MB, budget=Budget(memory_mb=16)), base_url=LOCAL)
    res = client.post("/upload", files={"file": ("big.txt", BIG)})
    assert res.status_code == 413
    assert "big.txt: parsing needs more than the memory budget of 16 MB" in res.text


def test_parsing_stops_when_the_client_goes_away(db: Path) -> None:
    app = create_app(db, max_upload=8 * MB)
    with running(app) as url:
        body, ctype = multipart("big.txt", BIG)
        port = urlsplit(url).port
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(f"POST /upload HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: {ctype}\r\n"
                     f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        assert wait_for(lambda: app.state.parsing, 20), "the upload never started parsing"
        (pid,) = app.state.parsing
        sock.close()
        assert wait_for(lambda: not app.state.parsing, 5), "the worker kept parsing for a client that left"
        assert not Path(f"/proc/{pid}").exists()


# ---- archives that inflate without end ---------------------------------------------------------------------


def docx_bomb(padding_mb: int) -> bytes:
    """A real report's first paragraph as a .docx whose document.xml is padded with ``padding_mb`` MB of spaces
    (written in blocks; they compress a thousandfold: a small file that inflates to far more than it looks)."""
    para = REPORT[:2000].replace("&", "&amp;").replace("<", "&lt;")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("word/document.xml", "w") as xml:
        xml.write(('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
                   f'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{para}</w:t></w:r></w:p>').encode())
        for _ in range(padding_mb):
            xml.write(b" " * MB)
        xml.write(b"</w:body></w:document>")
    return out.getvalue()


def test_a_docx_bomb_upload_gets_a_one_line_error(db: Path) -> None:
    from govreport.parsing.read import DEFAULT_MAX_BYTES, XML_PER_TEXT

    bomb = docx_bomb(XML_PER_TEXT * DEFAULT_MAX_BYTES // MB + 1)
    assert len(bomb) < 2 * MB  # it passes the upload size limit
    client = TestClient(create_app(db), base_url=LOCAL)
    res = client.post("/upload", files={"file": ("bomb.docx", bomb)})
    assert res.status_code == 422
    assert "bomb.docx: docx unpacks to" in res.text and "limit" in res.text


# ---- other origins and hosts -------------------------------------------------------------------------------


def test_foreign_host_names_are_refused(db: Path) -> None:
    client = TestClient(create_app(db), base_url=LOCAL)
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/api/reports", headers={"Host": "evil.example:8000"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    assert client.get("/", headers={"Host": "[::1]:8000"}).status_code == 200
    proxied = TestClient(create_app(db, allowed_hosts=["reports.lan"]), base_url="http://reports.lan")
    assert proxied.get("/").status_code == 200


def test_cross_origin_uploads_are_refused(db: Path) -> None:
    client = TestClient(create_app(db), base_url=LOCAL)
    report = (EXTRA / "hailaer_2016.txt").read_bytes()
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Origin": "http://127.0.0.1:9999"},
                    {"Sec-Fetch-Site": "cross-site"}):
        res = client.post("/upload", files={"file": ("a.txt", report)}, headers=headers, follow_redirects=False)
        assert res.status_code == 403, headers
        assert client.app.state.uploads == {}
    same = client.post("/upload", files={"file": ("a.txt", report)}, headers={"Origin": LOCAL}, follow_redirects=False)
    assert same.status_code == 303


def test_every_response_carries_the_security_headers(db: Path) -> None:
    client = TestClient(create_app(db), base_url=LOCAL)
    for url in ("/", "/api/reports", "/static/app.css", "/nope", "/coverage"):
        headers = client.get(url).headers
        assert headers["x-content-type-options"] == "nosniff", url
        assert "frame-ancestors 'none'" in headers["content-security-policy"], url
        assert "script-src 'self'" in headers["content-security-policy"], url
        assert headers["x-frame-options"] == "DENY", url
    rid = client.get("/api/reports").json()[0]["id"]
    standalone = client.get(f"/report/{rid}/standalone.html").headers["content-security-policy"]
    assert "default-src 'none'" in standalone and "script-src 'sha256-" in standalone


# ---- errors ------------------------------------------------------------------------------------------------


def test_errors_on_pages_are_html_and_on_the_api_json(db: Path) -> None:
    client = TestClient(create_app(db), base_url=LOCAL)
    for url, status in (("/no/such/page", 404), ("/upload/abc/notanumber", 400), ("/report/nope", 404),
                        ("/?year=20x6", 400)):
        res = client.get(url)
        assert res.status_code == status, url
        assert res.headers["content-type"].startswith("text/html"), url
        assert 'id="error"' in res.text, url
    res = client.get("/api/panel", params={"indicator": "gdp", "region": "不存在区"})
    assert res.status_code == 404
    assert res.json()["error"].startswith("不存在区: no such region in the corpus")


# ---- serve --allow-add -------------------------------------------------------------------------------------


@contextmanager
def serving(*options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`govreport serve OPTIONS` in its own process on a free port, once it answers: (base URL, process)."""
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "govreport", "serve", *options, "--port", str(port)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        try:
            return httpx.get(url + "/upload", timeout=2).status_code == 200
        except httpx.TransportError:
            return False

    try:
        assert wait_for(lambda: server.poll() is not None or answers(), 60)
        assert server.poll() is None, server.stdout.read().decode()
        yield url, server
    finally:
        server.terminate()
        server.wait(20)


def test_serve_with_allow_add_starts_and_stores_an_upload(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "writable.duckdb"
    target.write_bytes(db.read_bytes())
    with serving("--db", str(target), "--allow-add") as (url, _):
        assert "同时加入语料库" in httpx.get(url + "/upload").text
        res = httpx.post(url + "/upload", files={"file": ("national_2015.txt", (EXTRA / "national_2015.txt").read_bytes())},
                         data={"add": "1"}, timeout=120)
        assert res.status_code == 303
        rows = httpx.get(url + "/api/reports", params={"level": "national"}).json()
        assert [r["path"] for r in rows] == ["national_2015.txt"]


def test_serve_with_several_workers_answers_from_each(db: Path) -> None:
    def workers(parent: int) -> set[int]:
        kids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                cmdline = (stat.parent / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if int(fields[1]) == parent and "python" in cmdline:
                kids.add(int(stat.parent.name))
        return kids

    with serving("--db", str(db), "--workers", "2") as (url, server):
        assert len(workers(server.pid)) >= 2
        assert [r["region"] for r in httpx.get(url + "/api/reports").json()] == ["海拉尔区", "海拉尔区"]


def test_serve_refuses_allow_add_with_several_workers(db: Path) -> None:
    from click.testing import CliRunner

    from govreport.cli.main import main

    res = CliRunner().invoke(main, ["serve", "--db", str(db), "--allow-add", "--workers", "2"])
    assert res.exit_code != 0 and "--allow-add needs --workers 1" in res.output
