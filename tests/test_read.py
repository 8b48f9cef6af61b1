"""Reading every format reports come in, and refusing bad input with a clear message."""

from __future__ import annotations

import json
import zipfile

import pytest

import govreport
from govreport.model import GovreportError
from govreport.parsing.read import read
from conftest import SEEDS
from pdfmaker import blank_pdf, cjk_font, make_pdf


def one(path, **kw):
    [unit] = list(read(path, **kw))
    return unit


def test_gbk_text_is_detected(extra_dir):
    unit = one(extra_dir / "hailaer_2016.txt")
    assert unit.encoding == "gb18030" and "海拉尔区" in unit.text and "地区生产总值" in unit.text


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be", "utf-16", "gb18030"])
def test_encodings_decode_to_the_same_text(tmp_path, seeds_dir, encoding):
    text = (seeds_dir / "004_fd770ef22fe975fd.txt").read_text(encoding="utf-8")
    path = tmp_path / "r.txt"
    path.write_bytes(text.encode(encoding))
    assert one(path).text.lstrip("\ufeff") == text


def test_a_few_bad_bytes_are_replaced_with_a_warning(tmp_path, seeds_dir):
    raw = (seeds_dir / "002_8433e2247a81c5a0.txt").read_bytes()
    path = tmp_path / "r.txt"
    path.write_bytes(raw[:5000] + b"\xff\xfe\xfa" + raw[5000:])
    unit = one(path)
    assert any("undecodable" in w for w in unit.warnings) and "江源区" in unit.text
    assert govreport.parse(path)[0].region.name == "江源区"


@pytest.mark.parametrize("name, words", [("guangdong_2025.docx", "主要预期目标"), ("hangzhou_2024.docx", "主要预期目标")])
def test_docx_paragraphs(extra_dir, name, words):
    unit = one(extra_dir / name)
    assert unit.format == "docx" and words in unit.text and "\n" in unit.text


def test_csv_row_keeps_its_columns(extra_dir):
    unit = one(extra_dir / "guangdong_2026.csv")
    assert unit.row == 1 and unit.meta["province"] == "广东省" and unit.meta["year"] == "2026"
    assert unit.text.startswith("政府工作报告")


def test_jsonl_rows_and_bad_lines(tmp_path, extra_dir):
    text = one(extra_dir / "guangdong_2026.csv").text
    path = tmp_path / "c.jsonl"
    path.write_text(json.dumps({"year": 2026, "content": text}, ensure_ascii=False) + "\n{oops\n"
                    + json.dumps({"year": 2026, "content": ""}) + "\n", encoding="utf-8")
    items = list(read(path))
    assert items[0].meta == {"year": 2026} and items[0].row == 1
    assert isinstance(items[1], GovreportError) and "row 2" in str(items[1]) and "invalid JSON" in str(items[1])
    assert isinstance(items[2], GovreportError) and "empty text" in str(items[2])
    with pytest.raises(GovreportError, match="no column 'body'"):
        list(read(path, text_column="body"))


def test_html_page_gives_the_article_without_navigation(tmp_path, seeds_dir):
    body = (seeds_dir / "004_fd770ef22fe975fd.txt").read_text(encoding="utf-8").splitlines()[15:60]
    page = ("<html><head><meta charset='utf-8'><title>雨山区政府工作报告</title></head><body>"
            "<div class='nav'><a href='/'>首页</a><a href='/x'>政务公开网站导航栏目</a></div><header>门户网站</header>"
            "<div class='content'>" + "".join(f"<p>{line}</p>" for line in body) + "</div>"
            "<div id='footer'>版权所有 网站地图 联系我们</div><aside>相关链接 热点新闻</aside></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    unit = one(path)
    assert unit.format == "html" and body[0].strip() in unit.text and body[-1].strip() in unit.text
    assert "版权所有" not in unit.text and "导航栏目" not in unit.text and "相关链接" not in unit.text


@pytest.mark.skipif(cjk_font() is None, reason="no CJK font installed (make test installs fonts-noto-cjk)")
def test_pdf_text_layer_is_read_and_parsed(tmp_path, seeds_dir):
    text = (seeds_dir / "004_fd770ef22fe975fd.txt").read_text(encoding="utf-8")
    lines = [line[i : i + 34] for line in text.splitlines() for i in range(0, max(len(line), 1), 34)]
    path = make_pdf(lines, tmp_path / "yushan.pdf")
    unit = one(path)
    assert unit.format == "pdf" and "- 1 -" not in unit.text
    report = govreport.parse(path)[0]
    assert report.region.name == "雨山区" and report.plan_year == 2025
    assert [(v.indicator, v.value) for v in report.targets][:2] == [("gdp", 6), ("fixed_asset_investment", 7)]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("empty.txt", b"", "empty file"),
        ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20, "binary file"),
        ("broken.docx", b"PK\x03\x04garbage", "corrupt docx"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "legacy .doc"),
        ("broken.pdf", b"%PDF-1.4\n%garbage", "corrupt PDF"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(GovreportError, match=message) as info:
        list(read(path))
    assert name in str(info.value)


def test_docx_without_a_document_and_scanned_pdf(tmp_path):
    with zipfile.ZipFile(tmp_path / "x.docx", "w") as zf:
        zf.writestr("word/styles.xml", "<x/>")
    with pytest.raises(GovreportError, match="no word/document.xml"):
        list(read(tmp_path / "x.docx"))
    with pytest.raises(GovreportError, match="no text layer"):
        list(read(blank_pdf(tmp_path / "scan.pdf")))


def test_missing_and_oversized_files(tmp_path):
    with pytest.raises(GovreportError, match="no such file"):
        list(read(tmp_path / "nope.txt"))
    big = tmp_path / "big.txt"
    big.write_text("政府工作报告" * 1000, encoding="utf-8")
    with pytest.raises(GovreportError, match="too large"):
        list(read(big, max_bytes=1000))


def test_xlsx_corpus_gives_one_report_per_row_with_the_other_cells_as_metadata(tmp_path):
    from openpyxl import Workbook

    import govreport

    text = (SEEDS / "002_8433e2247a81c5a0.txt").read_text(encoding="utf-8")
    book = Workbook()
    sheet = book.active
    sheet.append(["地区", "年份", "全文"])
    sheet.append(["江源区", 2025, text])
    sheet.append([None, None, None])  # an empty row is skipped, not an error
    book.save(tmp_path / "corpus.xlsx")
    [report] = govreport.parse(tmp_path / "corpus.xlsx")
    assert report.region.name == "江源区" and report.source.format == "xlsx" and report.source.row == 1
    assert report.source.meta == {"地区": "江源区", "年份": 2025}
    empty = Workbook()
    empty.active.append(["全文"])
    empty.save(tmp_path / "empty.xlsx")
    with pytest.raises(GovreportError, match="empty.xlsx: xlsx has no data rows"):
        govreport.parse(tmp_path / "empty.xlsx")


def test_tmx_translation_memory_is_read_from_its_chinese_side(tmp_path):
    import govreport
    from conftest import SHARED

    [report] = govreport.parse(SHARED / "corpus" / "dev" / "national" / "national_2011_bilingual.tmx")
    assert report.source.format == "tmx" and "Premier" not in report.text
    assert report.meeting_date == "2011-03-05" and report.plan_year == 2011
    assert ("gdp", 8, "about") in [(t.indicator, t.value, t.qualifier) for t in report.targets]
    (tmp_path / "en.tmx").write_text('<tmx version="1.4"><body><tu><tuv xml:lang="en-US"><seg>Report</seg></tuv></tu>'
                                     "</body></tmx>", encoding="utf-8")
    with pytest.raises(GovreportError, match="en.tmx: TMX file has no Chinese"):
        govreport.parse(tmp_path / "en.tmx")
