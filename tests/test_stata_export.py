"""Stata files from real reports: labelled byte booleans, numeric panel id, value and variable labels from the
lexicon with units, a dataset label, and short names only where Stata needs them."""

from __future__ import annotations

import pandas as pd
import pytest

from govreport.corpus import codebook
from govreport.corpus.tables import Corpus
from govreport.corpus.export import write_table
from govreport.knowledge.lexicon import load_lexicon
from govreport.corpus.stata import short_name
from govreport.corpus.store import ingest


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, extra_dir):
    path = tmp_path_factory.mktemp("stata") / "c.duckdb"
    ingest([extra_dir], path, jobs=2)
    with Corpus(path) as c:
        yield c


def read_dta(path):
    reader = pd.io.stata.StataReader(path)
    data = reader.read(convert_categoricals=False)
    return reader, data, dict(zip(reader._varlist, reader._typlist))


def test_booleans_are_labelled_bytes_not_strings(corpus, tmp_path):
    track = corpus.track("gdp")
    write_table(track, tmp_path / "t.dta")
    reader, data, types = read_dta(tmp_path / "t.dta")
    assert types["met"] == "b" and types["estimated"] == "b"
    assert set(data["met"].dropna()) <= {0, 1} and data["met"].notna().any()
    labels = reader.value_labels()
    assert labels["met"] == {0: "no 否", 1: "yes 是"}
    hailar = data[(data.region == "海拉尔区") & (data.year == 2016) & (data.target == 7.5)].iloc[0]
    assert (hailar.actual, hailar.met, hailar.estimated) == (7.2, 0, 0)  # 7.5% target, 7.2% reported: missed


def test_panel_id_level_and_indicator_are_numeric_with_value_labels(corpus, tmp_path):
    write_table(corpus.track("gdp"), tmp_path / "t.dta")
    reader, data, types = read_dta(tmp_path / "t.dta")
    assert types["panel_id"] == "l"
    assert (data["panel_id"] == data["region_code"].astype(int)).all()
    labels = reader.value_labels()
    assert labels["level"][data.loc[data.region == "海拉尔区", "level"].iloc[0]] == "district 市辖区"
    assert labels["indicator"][data["indicator"].iloc[0]] == "gdp " + load_lexicon().indicators["gdp"].label
    assert reader.data_label.startswith("govreport")


def test_wide_panel_variable_labels_carry_the_lexicon_label_and_unit(corpus, tmp_path):
    wide = corpus.panel(wide=True)
    write_table(wide, tmp_path / "w.dta", title="govreport panel --wide")
    reader, data, types = read_dta(tmp_path / "w.dta")
    labels = reader.variable_labels()
    assert labels["gdp_level_target"] == "地区生产总值 (GDP) 总量 目标 (亿元)"
    assert labels["gdp_growth_target_high"] == "地区生产总值 (GDP) 增长 目标 上限 (%)"
    assert reader.data_label == "govreport panel --wide"
    assert types["gdp_growth_actual_est"] == "b"


def test_only_stata_gets_short_names_and_the_codebook_prints_them(corpus, tmp_path):
    wide = corpus.panel(wide=True)
    full = "registered_unemployment_rate_rate_target"  # 城镇登记失业率4.5%以内 (2019)
    assert full in wide.columns
    write_table(wide, tmp_path / "w.csv")
    write_table(wide, tmp_path / "w.parquet")
    write_table(wide, tmp_path / "w.dta")
    assert full in pd.read_csv(tmp_path / "w.csv", nrows=0).columns
    assert full in pd.read_parquet(tmp_path / "w.parquet").columns
    _, data, _ = read_dta(tmp_path / "w.dta")
    names = list(data.columns)
    assert all(len(n) <= 32 for n in names) and len(set(names)) == len(names)
    short = short_name(full)
    assert short == "reg_unemployment_rate_rate_tgt" and short in names
    book = codebook.table()
    mapping = dict(zip(book.loc[book.section == "stata_name", "name"], book.loc[book.section == "stata_name", "description"]))
    assert mapping[full] == short and len(set(mapping.values())) == len(mapping)


def test_every_wide_column_is_labelled_from_its_own_lexicon_entry():
    lex = load_lexicon()
    assert codebook.wide_label("budget_revenue_total_level_target") == "一般公共预算总收入 / 财政总收入 总量 目标 (亿元)"
    for column in codebook.wide_columns():
        code = codebook.split_wide(column)[0]
        assert column.startswith(code + "_")
        assert codebook.wide_label(column).startswith(lex.indicators[code].label + " "), column
