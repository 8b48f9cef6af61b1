"""DataFrame-first API for notebooks: attention counts and kwic on plain strings or a pandas Series of texts
(snippets of the bundled sample reports)."""

from __future__ import annotations

import pandas as pd

from govreport.corpus.frames import attention, kwic

SHENYANG = "基本建成全市通用共享的“数据湖”，数字经济核心产业规模突破6000亿元"  # sample 001
SIFANGTAI = "要主动拥抱数字经济时代变革，强化政策引导，推动制造业企业数字化转型"  # sample 000


def test_attention_counts_a_series_of_texts_keeping_its_index():
    texts = pd.Series({"shenyang": SHENYANG, "sifangtai": SIFANGTAI, "missing": None})
    counts = attention(texts, themes=["digital_economy"])
    assert list(counts.index) == ["shenyang", "sifangtai", "missing"]
    assert counts.loc["sifangtai", "digital_economy"] >= 1
    assert counts.loc["sifangtai", "chars"] == len(SIFANGTAI)
    per10k = counts.loc["sifangtai", "digital_economy"] * 10000 / len(SIFANGTAI)
    assert counts.loc["sifangtai", "digital_economy_per10k"] == round(per10k, 4)
    assert counts.loc["missing", "digital_economy"] == 0


def test_attention_counts_a_plain_string():
    counts = attention(SHENYANG)
    assert len(counts) == 1 and counts.iloc[0]["digital_economy"] == 1  # 数字经济核心产业 counted once


def test_kwic_returns_a_dataframe_with_context():
    hits = kwic(pd.Series([SHENYANG, SIFANGTAI]), "数字经济", width=4)
    assert list(hits.columns) == ["text", "start", "end", "term", "left", "keyword", "right"]
    assert list(hits["text"]) == [0, 1] and set(hits["keyword"]) == {"数字经济"}
    first = hits.iloc[0]
    assert SHENYANG[first.start:first.end] == "数字经济" and first.left == SHENYANG[first.start - 4:first.start]
    assert first.right == SHENYANG[first.end:first.end + 4]
