"""Panels a regression can use: one unit per column, range tops, qualifiers and 预计 kept, and track judging
lower-is-better targets (CPI, unemployment) the right way round. Built from real reports."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from govreport.corpus.tables import Corpus, status_of
from govreport.knowledge.lexicon import load_lexicon
from govreport.corpus.standard import NOT_CONVERTIBLE, convert, standard_unit
from govreport.corpus.store import ingest

PROVINCE = ("beijing_2024.docx", "beijing_2025.docx", "henan_2025.docx")
BENGBU = "bengbu_2024.docx"  # its plan year is not found: its values have no year


@pytest.fixture(scope="module")
def db(tmp_path_factory, extra_dir):
    folder = tmp_path_factory.mktemp("panel")
    for name in PROVINCE:
        shutil.copy(extra_dir.parent / "dev" / "province" / name, folder / name)
    shutil.copy(extra_dir.parent / "dev" / "city" / BENGBU, folder / BENGBU)
    path = folder / "c.duckdb"
    summary = ingest([extra_dir, folder], path, jobs=2)
    assert summary.failed == []
    return path


@pytest.fixture(scope="module")
def long(db):
    with Corpus(db) as c:
        return c.panel()


@pytest.fixture(scope="module")
def wide(db):
    with Corpus(db) as c:
        return c.panel(wide=True)


def one(df: pd.DataFrame, **where) -> pd.Series:
    rows = df
    for k, v in where.items():
        rows = rows[rows[k] == v]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize("value, unit, target, expected", [
    (1.3, "万亿斤", "万吨", 65000), (1300, "亿斤", "万吨", 6500), (5000, "人", "万人", 0.5), (1000, "万", "万人", 1000),
    (1.35, "万亿元", "亿元", 13500), (3, "千亿元", "万元", 3e7), (1126.6, "亿元", "亿美元", None),
    (1.2, "个百分点", "%", None)])
def test_convertible_units_are_converted_and_currencies_are_not(value, unit, target, expected):
    assert convert(value, unit, target, load_lexicon()) == expected


def test_every_indicator_and_measure_has_one_standard_unit():
    lex = load_lexicon()
    assert standard_unit("grain_output", "level", lex) == "万吨"
    assert standard_unit("fdi", "level", lex) == "亿美元"
    assert standard_unit("gdp", "growth", lex) == "%"
    assert standard_unit("urbanization_rate", "growth", lex) == "个百分点"


def test_panel_columns_hold_one_unit_each(long):
    units = long[long["value_std"].notna()].groupby(["indicator", "measure"])["unit_std"].nunique()
    assert (units == 1).all(), units[units > 1]
    grain = one(long, region="中国", year=2021, indicator="grain_output", kind="target")  # 1.3万亿斤以上
    assert (grain.value_std, grain.unit_std) == (65000, "万吨")
    henan = one(long, region="河南省", indicator="grain_output", kind="target")  # 1300亿斤以上
    assert (henan.value_std, henan.unit_std) == (6500, "万吨")
    poor = one(long, region="中国", year=2019, indicator="poverty_reduction", kind="target")  # 减少1000万以上
    assert (poor.value_std, poor.unit_std) == (1000, "万人")


def test_a_value_in_another_currency_is_flagged_and_kept_out_of_the_column(long, wide):
    fdi = one(long, region="广东省", year=2025, indicator="fdi", measure="level", kind="actual")  # 1126.6亿元
    assert fdi.unit_flag == NOT_CONVERTIBLE and pd.isna(fdi.value_std) and fdi.unit_std == "亿美元"
    row = one(wide, region="广东省", year=2025)
    assert pd.isna(row.fdi_level_actual) and row.fdi_level_actual_other == "1126.6亿元"


def test_wide_panel_keeps_range_tops_qualifiers_and_estimates(wide):
    national = one(wide, region="中国", year=2019)  # 国内生产总值增长6%－6.5%
    assert (national.gdp_growth_target, national.gdp_growth_target_high) == (6, 6.5)
    assert national.gdp_growth_target_qual == "range" and national.cpi_growth_target_qual == "about"
    guangdong = one(wide, region="广东省", year=2024)  # 预计研发经费支出5100亿元左右
    assert guangdong.rd_expenditure_level_actual == 5100 and guangdong.rd_expenditure_level_actual_est == True  # noqa: E712
    assert "gdp_growth_actual_est" in wide.columns and "gdp_growth_actual_high" not in wide.columns


def test_track_judges_a_cpi_ceiling_as_met_when_prices_rose_less(db):
    with Corpus(db) as c:
        t = c.track("cpi")
    beijing = one(t, region="北京市", year=2024)  # 居民消费价格涨幅3%左右 → 0.1%
    assert (beijing.target, beijing.actual, beijing.better, beijing.status) == (3, 0.1, "lower", "met")


@pytest.mark.parametrize("qualifier, target, high, actual, status", [
    ("about", 5.5, None, 5.2, "met"), ("about", 5.5, None, 5.9, "met"), ("about", 5.5, None, 6.2, "missed"),
    ("about", 3, None, 0.1, "met"), ("at_most", 5, None, 5.3, "missed"), ("none", 5.5, None, 5.6, "missed"),
    ("range", 3, 3.5, 3.4, "met"), ("range", 3, 3.5, 3.8, "missed")])
def test_lower_is_better_targets_are_ceilings(qualifier, target, high, actual, status):
    assert status_of("rate", qualifier, target, high, actual, 0.5, lower=True)[0] == status


def test_escalation_skips_values_without_a_year_and_says_which_direction_is_better(db):
    with Corpus(db) as c:
        e = c.escalation(measure=None)
    assert e["year"].notna().all()
    cpi = one(e, region="北京市", year=2025, indicator="cpi")  # 居民消费价格涨幅2%左右 vs the national 2%
    assert cpi.better == "lower"
    gdp = one(e, region="海拉尔区", year=2016, indicator="gdp", measure="growth")
    assert gdp.better == "higher"
