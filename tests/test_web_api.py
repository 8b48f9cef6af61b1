"""The web app over HTTP (FastAPI TestClient) and the shared highlighting renderer, on real report text."""

from __future__ import annotations

import io
import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXTRA, SEEDS
from govreport.model import Report, Source, Value
from govreport.web.app import create_app
from govreport.web.render import Mark, highlight, report_page
from govreport.web.upload import sniff

NATIONAL_2015 = (EXTRA / "national_2015.txt").read_bytes().decode("gb18030")
HAILAER_2017 = (EXTRA / "hailaer_2017.txt").read_bytes().decode("gb18030")
LOCAL = "http://127.0.0.1"  # the app answers only its own (loopback) Host names


class MarkTexts(HTMLParser):
    """Collects, per data-mark id, the text inside all pieces of that mark, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[str | None] = []
        self.texts: dict[str, str] = {}
        self.ids: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        mark = a.get("data-mark")
        self.open.append(mark)
        if mark is not None:
            self.texts.setdefault(mark, "")
            if a.get("id"):
                self.ids[mark] = a["id"] or ""

    def handle_endtag(self, tag: str) -> None:
        self.open.pop()

    def handle_data(self, data: str) -> None:
        for mark in self.open:
            if mark is not None:
                self.texts[mark] += data


def mark_texts(markup: str) -> dict[str, str]:
    parser = MarkTexts()
    parser.feed(markup)
    parser.close()
    return parser.texts


def span_of(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


# ---- renderer -------------------------------------------------------------------------------------------------


def test_highlight_covers_exactly_the_stated_span_in_real_text() -> None:
    text = NATIONAL_2015
    target = span_of(text, "国内生产总值增长7%左右")
    cpi = span_of(text, "居民消费价格涨幅3%左右")
    marks = [Mark("t0", "target", *target), Mark("t1", "target", *cpi)]
    texts = mark_texts(highlight(text, marks))
    assert texts == {"t0": "国内生产总值增长7%左右", "t1": "居民消费价格涨幅3%左右"}


def test_highlight_keeps_the_whole_text_including_carriage_returns() -> None:
    # national_2015.txt has CR CR LF line ends: an unescaped CR would become LF in the browser
    body = highlight(NATIONAL_2015, [Mark("t0", "target", *span_of(NATIONAL_2015, "国内生产总值增长7%左右"))])
    parser = MarkTexts()
    whole: list[str] = []
    parser.handle_data = whole.append  # type: ignore[method-assign]
    parser.feed(body)
    parser.close()
    assert "".join(whole) == NATIONAL_2015


def test_crossing_and_nested_spans_render_as_pieces_that_join_to_each_span() -> None:
    text = HAILAER_2017
    sentence = span_of(text, "地区生产总值完成303.6亿元,同比增长7.2%")
    level = span_of(text, "地区生产总值完成303.6亿元")
    crossing = span_of(text, "303.6亿元,同比增长7.2%;一般公共财政")
    marks = [Mark("a", "actual", *sentence), Mark("b", "target", *level), Mark("c", "commitment", *crossing)]
    body = highlight(text, marks)
    assert mark_texts(body) == {m.id: text[m.start : m.end] for m in marks}
    assert len(re.findall(r'data-mark="c"', body)) >= 2  # the crossing span was split into pieces
    assert len(re.findall(r'id="m-c"', body)) == 1  # only its first piece carries the anchor


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(1, 60)), min_size=1, max_size=12))
def test_any_set_of_spans_reassembles_exactly(raw: list[tuple[int, int]]) -> None:
    text = HAILAER_2017[300:800]
    marks = [Mark(f"m{i}", "target", s, min(s + n, len(text))) for i, (s, n) in enumerate(raw)]
    texts = mark_texts(highlight(text, marks))
    assert texts == {m.id: text[m.start : m.end] for m in marks}


def test_report_text_is_escaped_not_interpreted() -> None:
    text = "各位代表：<script>alert('x')</script><img src=x onerror=alert(1)>&amp;国内生产总值增长5%左右。"
    body = highlight(text, [Mark("t0", "target", *span_of(text, "<img src=x onerror=alert(1)>&amp;国内"), 'tip "<b>')])
    assert "<script" not in body and "<img" not in body
    assert "&lt;script&gt;" in body and "&amp;amp;" in body
    assert 'data-tip="tip &quot;&lt;b&gt;"' in body
    assert mark_texts(body)["t0"] == "<img src=x onerror=alert(1)>&amp;国内"


def test_values_without_a_valid_span_are_listed_not_drawn() -> None:
    text = NATIONAL_2015
    good = span_of(text, "国内生产总值增长7%左右")
    report = Report(
        source=Source(path="/secret/dir/national_2015.txt"),
        text=text,
        targets=[
            Value("gdp", "国内生产总值", "growth", 7.0, "%", "about", modifier="左右", span=good, text=text[slice(*good)]),
            Value("cpi", "居民消费价格", "growth", 3.0, "%", "about", span=(len(text) + 5, len(text) + 9)),
        ],
    )
    page = report_page(report)
    assert mark_texts(page) == {"t0": "国内生产总值增长7%左右"}
    assert "没有有效的证据位置" in page and "t1" in page
    assert "/secret/dir" not in page  # only the file name is shown


def test_standalone_page_needs_nothing_from_outside() -> None:
    page = report_page(Report(source=Source(path="x.txt"), text=HAILAER_2017))
    assert "<style>" in page and "<script>" in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page


# ---- upload ---------------------------------------------------------------------------------------------------


@pytest.fixture()
def client() -> TestClient:
    return TestClient(create_app(None, max_upload=2 * 1024 * 1024), base_url=LOCAL)


def upload(client: TestClient, name: str, data: bytes, **kw):
    return client.post("/upload", files={"file": (name, data)}, follow_redirects=False, **kw)


def test_upload_of_a_gbk_report_is_parsed_and_shown(client: TestClient) -> None:
    res = upload(client, "海拉尔2016.txt", (EXTRA / "hailaer_2016.txt").read_bytes())
    assert res.status_code == 303, res.text
    page = client.get(res.headers["location"])
    assert page.status_code == 200
    assert "海拉尔2016.txt" in page.text
    assert "各位代表" in page.text  # decoded from GBK, not mojibake
    standalone = client.get(res.headers["location"] + "/standalone.html")
    assert standalone.status_code == 200 and "<style>" in standalone.text


def test_upload_of_a_docx_named_txt_is_read_as_docx(client: TestClient) -> None:
    res = upload(client, "hangzhou.txt", (EXTRA / "hangzhou_2024.docx").read_bytes())
    assert res.status_code == 303, res.text
    page = client.get(res.headers["location"]).text
    assert "杭州" in page and "PK" not in page[:2000]


def test_upload_type_is_checked_by_content(client: TestClient) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    res = upload(client, "report.txt", png)
    assert res.status_code == 415
    assert "report.txt" in res.text and "PNG" in res.text
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("a.txt", "各位代表")
    assert upload(client, "report.docx", zipped.getvalue()).status_code == 415
    assert sniff("各位代表：<p>现在</p>".encode()) == ".html"
    assert sniff((SEEDS / "000_30198e5ba9ff0909.txt").read_bytes()) == ".txt"


def test_upload_over_the_limit_is_refused_while_streaming(client: TestClient) -> None:
    big = b"a" * (3 * 1024 * 1024)
    assert upload(client, "big.txt", big).status_code == 413

    def chunks():  # no Content-Length: the server must count the bytes itself
        yield b"--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.txt\"\r\n\r\n"
        for _ in range(40):
            yield b"x" * (128 * 1024)
        yield b"\r\n--B--\r\n"

    res = client.post("/upload", content=chunks(), headers={"content-type": "multipart/form-data; boundary=B"})
    assert res.status_code == 413
    assert "MB" in res.text


def test_upload_that_is_not_a_report_gets_a_clear_error(client: TestClient) -> None:
    res = upload(client, "notes.txt", "今天天气很好，我们去公园散步。".encode())
    assert res.status_code == 422
    assert re.search(r"notes\.txt: .+", res.text)


def test_upload_without_a_file_and_unknown_upload_pages(client: TestClient) -> None:
    assert client.post("/upload", data={"x": "1"}).status_code == 400
    assert client.get("/upload/0000000000000000/1").status_code == 404


def test_upload_file_name_cannot_reach_the_file_system(client: TestClient) -> None:
    res = upload(client, "../../../etc/passwd", (EXTRA / "hailaer_2017.txt").read_bytes())
    assert res.status_code == 303
    page = client.get(res.headers["location"]).text
    assert "../" not in page and "passwd" in page


def test_static_files_cannot_escape_their_folder(client: TestClient) -> None:
    for url in ("/static/../app.py", "/static/%2e%2e/app.py", "/static/..%2fapp.py", "/static/..%2f..%2fpyproject.toml"):
        res = client.get(url)
        assert res.status_code == 404, url
        assert "create_app" not in res.text
    assert client.get("/static/app.css").status_code == 200


# ---- command line ---------------------------------------------------------------------------------------------


def test_serve_refuses_a_missing_database_in_one_line(tmp_path: Path) -> None:
    from govreport.cli.main import main

    res = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "none.duckdb")])
    assert res.exit_code != 0
    assert "none.duckdb: no such database" in res.output
    assert "Traceback" not in res.output


def test_serve_binds_loopback_by_default() -> None:
    from govreport.cli.web import is_loopback, serve_cmd

    host = next(p for p in serve_cmd.params if p.name == "host")
    assert host.default == "127.0.0.1" and is_loopback(host.default)
    assert is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


# ---- over a corpus database -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def db_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = pytest.importorskip("govreport.corpus.store", reason="the corpus store (govreport.corpus.store) is not in this build")
    path = tmp_path_factory.mktemp("webapi") / "corpus.duckdb"
    store.ingest([str(EXTRA / "hailaer_2016.txt"), str(EXTRA / "hailaer_2017.txt")], str(path))
    return TestClient(create_app(path), base_url=LOCAL)


def test_report_list_filters_are_validated(db_client: TestClient) -> None:
    assert db_client.get("/", params={"level": "galaxy"}).status_code == 400
    assert db_client.get("/", params={"year": "20x6"}).status_code == 400
    rows = db_client.get("/api/reports", params={"region": "海拉尔"}).json()
    assert len(rows) == 2 and all(r["region"] == "海拉尔区" for r in rows)
    assert db_client.get("/api/reports", params={"region": "杭州"}).json() == []


def test_unknown_ids_codes_and_formats_are_refused(db_client: TestClient) -> None:
    assert db_client.get("/report/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert db_client.get("/api/report/nope").json() == {"error": "no report 'nope' in the corpus"}
    assert db_client.get("/api/panel", params={"indicator": "../gdp"}).status_code == 400
    assert db_client.get("/download/panel.exe", params={"indicator": "gdp"}).status_code == 404


def test_full_text_search_returns_exact_contexts(db_client: TestClient) -> None:
    hits = db_client.get("/api/search", params={"q": "地区生产总值"}).json()
    assert len(hits) == 2
    for hit in hits:
        assert hit["hits"] and all(c["match"] == "地区生产总值" for c in hit["hits"])
        report = db_client.get(f"/api/report/{hit['id']}").json()
        for c in hit["hits"]:
            assert report["text"][c["start"] : c["start"] + len(c["match"])] == c["match"]
