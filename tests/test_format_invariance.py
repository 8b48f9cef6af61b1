"""The same report in another dress reads the same: every gold report, hard-wrapped like a PDF, in full-width
digits, framed by a web page, flattened to one line, or indented with CRLF line ends, gives the targets and the
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


DRESSES = {"hard_wrapped": hard_wrapped, "full_width": lambda t: t.translate(FULL_WIDTH),
           "in_a_web_page": in_a_web_page, "one_line": one_line, "indented_crlf": indented_crlf}


@functools.cache
def gold_texts() -> tuple[tuple[str, str], ...]:
    """(file name, text) of every single-report file with gold."""
    names = {json.loads(line)["doc"] for f in sorted(GOLD.glob("*.jsonl")) for line in f.open(encoding="utf-8")}
    out = []
    for path in sorted(p for p in (SHARED / "corpus").rglob("*") if p.name in names):
        units = [u for u in read(path) if not isinstance(u, Exception)]
        if len(units) == 1:
            out.append((path.name, units[0].text))
    return tuple(out)


def reading(report) -> tuple:
    return (report.region.name, report.plan_year, report.meeting_date, report.speaker.name,
            sorted((v.indicator, v.measure, v.value, v.unit, v.qualifier) for v in report.targets if v.value is not None))


@pytest.mark.parametrize("dress", sorted(DRESSES))
def test_every_gold_report_reads_the_same_in_another_dress(dress):
    assert len(gold_texts()) >= 90
    changed = []
    for name, text in gold_texts():
        parsed = govreport.parse_text(text)
        if len(parsed) != 1:  # a compilation: its parts are pinned elsewhere
            continue
        plain = parsed[0]
        source = plain.text if dress == "hard_wrapped" else text  # a PDF of the clean text, not of a one-line scrape
        dressed = govreport.parse_text(DRESSES[dress](source))
        if len(dressed) != 1 or reading(dressed[0]) != reading(plain):
            changed.append(name)
    assert changed == []
