"""Panels, target-vs-actual tracking and escalation over a corpus built from known records."""

from __future__ import annotations

import pandas as pd
import pytest

from govreport.corpus.tables import Corpus, status_of
from govreport.corpus.export import write_table
from govreport.model import GovreportError, Region, Report, Source, Value
from govreport.corpus.store import Store, ingest


def make(path: str, region: Region, review: int, plan: int, targets=(), actuals=()) -> Report:
    text = "　".join(v.text for v in [*targets, *actuals]) or "x"
    values = []
    pos = 0
    for v in [*targets, *actuals]:
        start = text.index(v.text, pos)
        v.span = (start, start + len(v.text))
        pos = v.span[1]
        values.append(v)
    return Report(source=Source(path=path, sha256=path.ljust(12, "0")), text=text, region=region,
                  review_year=review, plan_year=plan, targets=list(targets), actuals=list(actuals),
                  versions={"parser": "t", "lexicon": "t", "divisions": "t"})


def growth(code: str, value: float, qualifier: str = "none", text: str = "", high=None) -> Value:
    return Value(code, code, "growth", value, "%", qualifier=qualifier, high=high, text=text or f"{code}{value}%")


HAILAR = Region("海拉尔区", "district", "内蒙古自治区", "呼伦贝尔市", "150702")
HULUNBUIR = Region("呼伦贝尔市", "prefecture", "内蒙古自治区", None, "150700")


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "c.duckdb"
    with Store(path) as store:
        store.add([
            make("a2016", HAILAR, 2015, 2016, targets=[growth("gdp", 7.5, text="地区生产总值增长7.5%"),
                                                       Value("gdp", "gdp", "level", 309, "亿元", text="达到309亿元")]),
            make("a2017", HAILAR, 2016, 2017, targets=[growth("gdp", 8, "about", "地区生产总值增长8%左右")],
                 actuals=[growth("gdp", 7.2, text="同比增长7.2%"),
                          Value("gdp", "gdp", "level", 3.036, "百亿元", text="303.6亿元")]),
            make("h2016", HULUNBUIR, 2015, 2016, targets=[growth("gdp", 7, "at_least", "增长7%以上")]),
        ])
    return path


def test_long_panel_has_one_row_per_value_with_standard_units(db):
    with Corpus(db) as c:
        df = c.panel(indicator="gdp")
    hailar = df[(df.region == "海拉尔区") & (df.year == 2016)].set_index(["measure", "kind"])
    assert hailar.loc[("growth", "target"), "value"] == 7.5
    assert hailar.loc[("level", "actual"), "value_std"] == pytest.approx(303.6)  # 3.036百亿元 -> 亿元
    assert hailar.loc[("level", "actual"), "unit_std"] == "亿元"


def test_wide_panel_has_one_row_per_region_year(db):
    with Corpus(db) as c:
        wide = c.panel(wide=True)
    row = wide[(wide.region == "海拉尔区") & (wide.year == 2016)].iloc[0]
    assert (row.gdp_growth_target, row.gdp_growth_actual) == (7.5, 7.2)
    assert not wide.duplicated(["region_code", "year"]).any()


def test_track_joins_the_next_reports_actual_by_code(db):
    with Corpus(db) as c:
        t = c.track("gdp")
    g2016 = t[(t.region_code == "150702") & (t.year == 2016) & (t.measure == "growth")].iloc[0]
    assert (g2016.target, g2016.actual, g2016.gap, g2016.status) == (7.5, 7.2, -0.3, "missed")
    lvl = t[(t.year == 2016) & (t.measure == "level")].iloc[0]
    assert lvl.status == "missed" and lvl.actual == pytest.approx(303.6)
    assert t[(t.region_code == "150702") & (t.year == 2017)].iloc[0].status == "not_reported"


@pytest.mark.parametrize(
    "qualifier, target, high, actual, status",
    [("at_least", 5, None, 5.0, "met"), ("at_least", 5, None, 4.9, "missed"), ("about", 5, None, 5.4, "met"),
     ("about", 5, None, 5.6, "exceeded"), ("about", 5, None, 4.4, "missed"), ("at_most", 5.5, None, 5.2, "met"),
     ("at_most", 5.5, None, 5.6, "missed"), ("range", 5, 6, 5.5, "met"), ("range", 5, 6, 6.2, "exceeded"),
     ("none", 6, None, None, "not_reported")],
)
def test_status_is_qualifier_aware(qualifier, target, high, actual, status):
    assert status_of("growth", qualifier, target, high, actual, 0.5)[0] == status


def test_escalation_compares_with_the_parent_and_tolerates_missing_parents(db):
    with Corpus(db) as c:
        e = c.escalation("gdp")
    row = e[(e.region == "海拉尔区") & (e.year == 2016)].iloc[0]
    assert (row.parent_region, row.parent_target, row.markup) == ("呼伦贝尔市", 7, 0.5)
    row = e[(e.region == "呼伦贝尔市")].iloc[0]
    assert row.parent_region == "内蒙古自治区" and pd.isna(row.parent_target)


def test_unknown_indicator_and_region_are_clear_errors(db):
    with Corpus(db) as c:
        with pytest.raises(GovreportError, match="unknown indicator"):
            c.panel(indicator="no_such_code")
        with pytest.raises(GovreportError, match="no such region"):
            c.panel(region="火星市")


def test_exports_round_trip_with_stata_labels(db, tmp_path):
    with Corpus(db) as c:
        t = c.track("gdp")
    write_table(t, tmp_path / "t.dta")
    reader = pd.io.stata.StataReader(tmp_path / "t.dta")
    back = reader.read()
    assert set(back["status"]) <= {"met", "missed", "exceeded", "not reported"}
    assert "完成情况" in reader.variable_labels()["status"]
    write_table(t, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    write_table(t, tmp_path / "t.parquet")
    assert len(pd.read_parquet(tmp_path / "t.parquet")) == len(t)
    write_table(t, tmp_path / "t.xlsx")
    assert len(pd.read_excel(tmp_path / "t.xlsx")) == len(t)


def test_real_corpus_tracks_hailar_and_guangdong(tmp_path, extra_dir):
    db = tmp_path / "real.duckdb"
    ingest([extra_dir], db)
    with Corpus(db) as c:
        t = c.track("gdp", measure="growth")
    hailar = t[(t.region == "海拉尔区") & (t.year == 2016)].iloc[0]
    assert (hailar.target, hailar.actual, hailar.status) == (7.5, 7.2, "missed")
    guangdong = t[(t.region == "广东省") & (t.year == 2025)].iloc[0]
    assert (guangdong.target, guangdong.actual, guangdong.status) == (5, 3.9, "missed")
