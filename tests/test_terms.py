"""Word frequencies, distinctive terms and new terms, with the genre's slogans kept whole."""

from __future__ import annotations

import pytest

import govreport
from govreport.analysis import terms


def test_slogans_stay_whole_and_stop_words_go():
    words = terms.content_words("推进新质生产力发展，坚持一带一路和六稳六保，我们要进一步加强工作")
    assert "新质生产力" in words and "一带一路" in words and "六稳六保" in words
    assert not {"我们", "进一步", "加强", "工作", "和"} & set(words)


def test_log_likelihood_is_zero_without_a_difference_and_grows_with_it():
    assert terms.log_likelihood(10, 10, 1000, 1000) == pytest.approx(0.0)
    assert terms.log_likelihood(30, 10, 1000, 1000) > terms.log_likelihood(20, 10, 1000, 1000) > 0


@pytest.fixture(scope="module")
def reports(seeds_dir, extra_dir):
    return [r for r in govreport.iter_parse([seeds_dir, extra_dir]) if not isinstance(r, Exception)]


def test_distinctive_terms_of_a_province(reports):
    inside = [r for r in reports if r.region.name == "广东省"]
    rest = [r for r in reports if r.region.name != "广东省"]
    top = terms.distinctive(inside, rest, top=10)
    assert {"广东", "深圳", "广州"} <= set(top["term"])
    assert (top["g2"].diff().dropna() <= 0).all()


def test_new_terms_have_their_first_year_and_report(reports):
    new = terms.new_terms(reports, min_count=3, top=500)
    row = new[new["term"] == "十五五"].iloc[0]
    first_users = {r.region.name for r in reports if r.plan_year == 2025 and "十五五" in r.text}
    assert row["first_year"] == 2025 and row["region"] in first_users
    assert not any("十五五" in r.text for r in reports if r.plan_year < 2025)
    early = min(r.plan_year for r in reports)
    assert (new["first_year"] > early).all()


def test_frequencies_count_reports_using_a_term(reports):
    freq = terms.frequencies(reports, top=30)
    assert (freq["reports"] <= len(reports)).all() and freq["count"].is_monotonic_decreasing
