"""Bounded memory (issue 13): archives and texts are capped while they inflate, and the offset map is compact."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from conftest import SEEDS
from govreport.model import GovreportError
from govreport.parsing.normalize import join_broken_lines, normalize
from govreport.parsing.pipeline import parse_text
from govreport.parsing.read import read

REPORT = SEEDS / "004_fd770ef22fe975fd.txt"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def write_docx(path: Path, paragraphs: list[str], padding: int = 0) -> Path:
    """A minimal Word file; ``padding`` adds that many empty-run bytes of markup per paragraph."""
    runs = "<w:r><w:rPr><w:b/></w:rPr></w:r>" * (padding // 32)
    body = "".join(f"<w:p>{runs}<w:r><w:t>{escape(p)}</w:t></w:r></w:p>" for p in paragraphs)
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", xml)
    return path


def test_docx_whose_markup_inflates_past_the_cap_is_refused_naming_file_and_cap(tmp_path):
    paragraphs = REPORT.read_text(encoding="utf-8").splitlines()
    bomb = write_docx(tmp_path / "bomb.docx", paragraphs, padding=100_000)  # ~9 MB of XML, ~100 kB zipped
    assert bomb.stat().st_size < 200_000
    with pytest.raises(GovreportError) as info:
        list(read(bomb, max_bytes=1_000_000))
    assert "bomb.docx" in str(info.value) and "unpacks to" in str(info.value) and "4.0 MB" in str(info.value)
    assert "\n" not in str(info.value)


def test_docx_with_more_text_than_the_cap_is_refused_and_max_bytes_raises_it(tmp_path):
    paragraphs = REPORT.read_text(encoding="utf-8").splitlines()
    path = write_docx(tmp_path / "long.docx", [p for p in paragraphs for _ in range(4)])  # zips small
    text_length = sum(len(p.encode("utf-8")) + 1 for p in paragraphs) * 4
    with pytest.raises(GovreportError, match=r"long\.docx: docx text is longer than"):
        list(read(path, max_bytes=text_length // 2))
    [unit] = read(path, max_bytes=text_length + 10)
    assert unit.text.count("雨山区") == 4 * REPORT.read_text(encoding="utf-8").count("雨山区")


def test_parse_command_reports_the_docx_cap_in_one_line_and_goes_on(tmp_path):
    paragraphs = REPORT.read_text(encoding="utf-8").splitlines()
    bomb = write_docx(tmp_path / "bomb.docx", paragraphs, padding=100_000)
    out = subprocess.run([sys.executable, "-m", "govreport", "parse", str(bomb), str(REPORT), "--max-bytes",
                          "1000000"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0
    assert out.stderr.count("\n") == 1 and "bomb.docx" in out.stderr and "--max-bytes" in out.stderr
    assert "雨山区" in out.stdout


def test_normalising_holds_at_most_ten_bytes_per_input_byte():
    """The offset map was a list of Python ints (~36 bytes per character, 20x the input at peak)."""
    text = REPORT.read_text(encoding="utf-8").replace("\n", "\r\n") * 20  # CRLF: every line end rewrites the map
    size = len(text.encode("utf-8"))
    tracemalloc.start()
    try:
        doc = join_broken_lines(normalize(text))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(doc.offsets) == len(doc.text)
    assert peak <= 10 * size, f"peak {peak / size:.1f} bytes per input byte"


def test_spans_still_map_to_the_input_through_the_compact_offset_map():
    raw = REPORT.read_text(encoding="utf-8").replace("\n", "\r\n").replace("%", "％")
    [report] = parse_text(raw)
    assert report.targets
    for v in report.targets + report.actuals:
        start, end = report.source_span(v.span)
        assert raw[start:end].replace("\r\n", "\n").replace("％", "%") == v.text
