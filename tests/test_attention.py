"""Policy attention: exact, longest-match counts checked by hand on real reports, split by section."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import pytest

import govreport
from govreport.analysis import attention
from govreport.knowledge import themes
from govreport.model import GovreportError


@pytest.fixture(scope="module")
def sifangtai(seeds_dir):
    return govreport.parse(seeds_dir / "000_30198e5ba9ff0909.txt")[0]


def test_longest_match_counts_every_occurrence_once(sifangtai):
    # hand check: 生态 occurs 10 times in the text; 生态修复 (3) and 生态环境 take theirs, 生态 alone the rest
    text = sifangtai.text
    assert text.count("生态") == 10
    env = themes.Matcher(themes.dictionaries(only=["environment"]))
    terms = Counter(term for term, _s, _e in env.matches(text))
    assert terms["生态修复"] == text.count("生态修复") == 3
    assert sum(n for term, n in terms.items() if term.startswith("生态")) == 10
    nested = themes.Matcher(themes.dictionaries(only=["environment"]), overlapping=True)
    assert Counter(term for term, _s, _e in nested.matches(text))["生态"] == 10


def test_counts_split_by_review_and_plan(sifangtai):
    rows = {(r["theme"], r["section"]): r for r in attention.rows(sifangtai, "x")}
    for theme in ("environment", "livelihood", "digital_economy"):
        all_, review, plan = (rows[(theme, p)]["count"] for p in ("all", "review", "plan"))
        assert review + plan <= all_ and review > 0
    assert rows[("digital_economy", "all")]["count"] >= sifangtai.text.count("数字经济") == 1
    whole = rows[("livelihood", "all")]
    assert whole["per10k"] == round(whole["count"] * 10000 / whole["size"], 4)
    by_tokens = {(r["theme"], r["section"]): r for r in attention.rows(sifangtai, "x", per="tokens")}
    tokens = by_tokens[("livelihood", "all")]
    assert tokens["count"] == whole["count"] and 0 < tokens["size"] < whole["size"]


def test_user_dictionary_as_plain_text(tmp_path, sifangtai):
    words = tmp_path / "investment.txt"
    words.write_text("# my list\n招商\n招商引资\n", encoding="utf-8")
    d = themes.load_dictionary(words)
    m = themes.Matcher([d])
    found = Counter(t for t, _s, _e in m.matches(sifangtai.text))
    assert sum(found.values()) == sifangtai.text.count("招商") == 6
    with pytest.raises(GovreportError, match="unknown theme"):
        themes.dictionaries(only=["no_such_theme"])


def test_kwic_shows_what_was_counted(sifangtai):
    lines = attention.kwic(sifangtai, "数字经济", width=5)
    assert len(lines) == 1
    hit = lines[0]
    assert sifangtai.text[hit["start"] : hit["end"]] == "数字经济" == hit["keyword"]
    theme_lines = attention.kwic(sifangtai, "environment")
    assert len(theme_lines) == attention.count(sifangtai)["counts"][("environment", "all")]


def test_themes_of_a_task_heading():
    assert themes.themes_of("持之以恒护生态、守底线,环境保护更加有力")[0] == "environment"


def test_attention_command_exports_wide_stata(tmp_path, seeds_dir):
    out = tmp_path / "att.dta"
    run = subprocess.run([sys.executable, "-m", "govreport", "attention", str(seeds_dir), "--wide", "-o", str(out)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    import pandas as pd

    df = pd.read_stata(out)
    assert len(df) == 11 and "environment_review" in df.columns
