"""Word frequencies, distinctive terms and new slogans over reports.

Tokens come from rjieba (the jieba-rs binding: jieba's tokens, much faster) with the slogan lexicon
(data/slogans.txt) and every theme-dictionary term added, so 新质生产力 or 一带一路 stay whole. Genre stop
words (data/stopwords.txt), punctuation, numbers and single characters are dropped.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from importlib import resources

import pandas as pd

from govreport.model import Report

WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z][\u4e00-\u9fffA-Za-z0-9]*$")


def _lines(name: str) -> list[str]:
    text = resources.files("govreport.data").joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset(_lines("stopwords.txt"))


@functools.lru_cache(maxsize=1)
def slogans() -> tuple[str, ...]:
    return tuple(_lines("slogans.txt"))


@functools.lru_cache(maxsize=4)
def tokenizer(extra: tuple[str, ...] = ()):
    """An rjieba tokenizer that keeps slogans, theme terms and ``extra`` terms whole."""
    import rjieba

    from govreport.knowledge.themes import builtin_dictionaries

    jieba = rjieba.Jieba()
    words = set(slogans()) | set(extra) | {t for d in builtin_dictionaries() for t in d.terms}
    for word in words:
        jieba.add_word(word, None, None)
    return jieba


def tokens(text: str, extra: tuple[str, ...] = ()) -> list[str]:
    """All word tokens (punctuation and spaces dropped): the denominator of per-token shares."""
    return [t for t in tokenizer(extra).cut(text) if t.strip() and WORD.match(t)]


def content_words(text: str) -> list[str]:
    """Tokens worth counting: no stop words, no single characters."""
    stop = stopwords()
    return [t for t in tokens(text) if len(t) > 1 and t not in stop]


def frequencies(reports: Iterable[Report], top: int = 100) -> pd.DataFrame:
    """term, count and number of reports using it, most frequent first."""
    counts: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for report in reports:
        words = Counter(content_words(report.text))
        counts.update(words)
        docs.update(words.keys())
    rows = [{"term": t, "count": n, "reports": docs[t]} for t, n in counts.most_common(top)]
    return pd.DataFrame(rows, columns=["term", "count", "reports"])


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Dunning's G2 for a term seen a times in a group of c tokens and b times in the rest of d tokens."""
    e1 = c * (a + b) / (c + d)
    e2 = d * (a + b) / (c + d)
    g2 = 0.0
    if a:
        g2 += a * math.log(a / e1)
    if b:
        g2 += b * math.log(b / e2)
    return 2 * g2


def distinctive(group: Iterable[Report], rest: Iterable[Report], top: int = 50, min_count: int = 3) -> pd.DataFrame:
    """Terms over-used in ``group`` compared with ``rest`` (log-likelihood G2, over-use only)."""
    g = Counter(w for r in group for w in content_words(r.text))
    o = Counter(w for r in rest for w in content_words(r.text))
    c, d = sum(g.values()) or 1, sum(o.values()) or 1
    rows = []
    for term, a in g.items():
        b = o.get(term, 0)
        if a < min_count or a / c <= b / d:
            continue
        rows.append({"term": term, "count": a, "rest": b, "per10k": round(a * 10000 / c, 2),
                     "rest_per10k": round(b * 10000 / d, 2), "g2": round(log_likelihood(a, b, c, d), 2)})
    rows.sort(key=lambda r: -r["g2"])
    return pd.DataFrame(rows[:top], columns=["term", "count", "rest", "per10k", "rest_per10k", "g2"])


def new_terms(reports: Iterable[Report], min_count: int = 3, top: int = 100) -> pd.DataFrame:
    """Terms that first appear in a given year across the corpus (new slogans), with their first report."""
    first: dict[str, tuple[int, str, str | None]] = {}
    total: Counter[str] = Counter()
    years: set[int] = set()
    from govreport.model import report_id

    for report in sorted((r for r in reports if r.plan_year), key=lambda r: r.plan_year):
        years.add(report.plan_year)
        for term in set(content_words(report.text)):
            first.setdefault(term, (report.plan_year, report_id(report), report.region.name))
        total.update(content_words(report.text))
    if not years:
        return pd.DataFrame(columns=["term", "first_year", "first_report", "region", "count"])
    earliest = min(years)
    rows = [{"term": t, "first_year": y, "first_report": rid, "region": region, "count": total[t]}
            for t, (y, rid, region) in first.items() if y > earliest and total[t] >= min_count]
    rows.sort(key=lambda r: (-r["first_year"], -r["count"]))
    return pd.DataFrame(rows[:top], columns=["term", "first_year", "first_report", "region", "count"])
