"""No input string crashes the text pipeline: it gives records or a GovreportError, nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import govreport
from govreport.model import GovreportError
from govreport.parsing.normalize import join_broken_lines, normalize

FRAGMENTS = [
    "政府工作报告", "各位代表：", "现在，我代表区人民政府向大会报告工作", "一、2024年工作回顾", "二、2025年工作安排", "（一）",
    "主要预期目标是：", "地区生产总值增长5%左右", "分别增长5.5%左右和6.5%以上", "——2025年1月4日在四方台区第十一届人民代表大会",
    "第四次会议上", "区长 刘 鹏", "目 录", "1.2024年济南市政府工作报告 1", "<p>", "</div>]", "&nbsp;", "<U+00A0>", "\r\n",
    "\n\n", "６．５％", "⻄", "政 府 工 作 报 告", "增长", "以上", "—", "万亿元", "城乡居民人均可支配收入", "均", "，", "。", "；",
]
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map("".join)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_gives_records_or_a_user_error(text):
    try:
        reports = govreport.parse_text(text, "fuzz.txt")
    except GovreportError:
        return
    for r in reports:
        for v in r.targets + r.actuals:
            assert r.text[v.span[0] : v.span[1]] == v.text
        for s in r.sections:
            assert 0 <= s.span[0] <= s.span[1] <= len(r.text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300) | texts)
def test_normalisation_keeps_a_valid_offset_map(raw):
    doc = join_broken_lines(normalize(raw))
    assert len(doc.offsets) == len(doc.text)
    assert all(0 <= o < max(len(raw), 1) for o in doc.offsets)
    assert all(a <= b for a, b in zip(doc.offsets, doc.offsets[1:]))
