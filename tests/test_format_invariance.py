"""The same report in another dress reads the same: every gold report, hard-wrapped like a PDF, in full-width
digits, framed by a web page, flattened to one line, indented with CRLF line ends, or in traditional characters
(a Wikisource or Hong Kong copy), gives the targets and the
metadata its own text gives. Reports in the wild come in all of these; a rule that holds only for the dress of
the development files would not hold for them."""

from __future__ import annotations

import functools
import json

import pytest

import govreport
from conftest import GOLD, SHARED
from govreport.parsing.read import read

FULL_WIDTH = str.maketrans("0123456789%.", "０１２３４５６７８９％．")


def hard_wrapped(text: str, width: int = 35) -> str:
    return "\n".join("\n".join(line[i : i + width] for i in range(0, len(line), width)) for line in text.split("\n"))


def in_a_web_page(text: str) -> str:
    return ("首页 > 政务公开 > 政府工作报告\n字号：大 中 小　打印本页　关闭窗口\n" + text
            + "\n责任编辑：王五\n【打印本页】【关闭窗口】\n版权所有：某市人民政府办公室　网站标识码：1234000001\n")


def one_line(text: str) -> str:
    return "\u3000\u3000".join(line for line in text.split("\n") if line.strip())


def indented_crlf(text: str) -> str:
    return "\r\n".join("\u3000\u3000" + line for line in text.split("\n"))


def traditional(text: str) -> str:
    import opencc  # the same offline converter the parser uses the other way

    converter = opencc.OpenCC("s2t")
    return "\n".join(converter.convert(line) for line in text.split("\n"))


DRESSES = {"hard_wrapped": hard_wrapped, "full_width": lambda t: t.translate(FULL_WIDTH),
           "in_a_web_page": in_a_web_page, "one_line": one_line, "indented_crlf": indented_crlf,
           "traditional": traditional}


@functools.cache
def gold_readings() -> tuple[tuple[str, str, str, tuple], ...]:
    """(file name, its text, its normalised text, its reading) of every single-report file with gold."""
    names = {json.loads(line)["doc"] for f in sorted(GOLD.glob("*.jsonl")) for line in f.open(encoding="utf-8")}
    out = []
    for path in sorted(p for p in (SHARED / "corpus").rglob("*") if p.name in names):
        units = [u for u in read(path) if not isinstance(u, Exception)]
        parsed = govreport.parse_text(units[0].text) if len(units) == 1 else []
        if len(parsed) == 1:  # (a compilation's parts are pinned elsewhere)
            out.append((path.name, units[0].text, parsed[0].text, reading(parsed[0])))
    return tuple(out)


def reading(report) -> tuple:
    return (report.region.name, report.plan_year, report.meeting_date, report.speaker.name,
            sorted((v.indicator, v.measure, v.value, v.unit, v.qualifier) for v in report.targets if v.value is not None))


@pytest.mark.parametrize("dress", sorted(DRESSES))
def test_every_gold_report_reads_the_same_in_another_dress(dress):
    assert len(gold_readings()) >= 90
    changed = []
    for name, text, clean, plain in gold_readings():
        source = clean if dress == "hard_wrapped" else text  # a PDF of the clean text, not of a one-line scrape
        dressed = govreport.parse_text(DRESSES[dress](source))
        if len(dressed) != 1 or reading(dressed[0]) != plain:
            changed.append(name)
    assert changed == []
