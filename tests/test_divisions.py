"""The year-aware division table: names resolved to the code valid at the meeting date."""

from __future__ import annotations

import pytest

from govreport.knowledge import divisions


@pytest.mark.parametrize(
    "name, date, code, level, prefecture, province",
    [
        ("四方台区", "2025-01-04", "230505", "district", "双鸭山市", "黑龙江省"),
        ("白山市江源区", "2024-12-28", "220605", "district", "白山市", "吉林省"),
        ("海拉尔区", "2016-02-19", "150702", "district", "呼伦贝尔市", "内蒙古自治区"),
        ("江阴市", "2024-01-10", "320281", "county_city", "无锡市", "江苏省"),
        ("南靖县", "2024-01-10", "350627", "county", "漳州市", "福建省"),
        ("泰州市高港区", "2024-01-10", "321203", "district", "泰州市", "江苏省"),
        ("广东省", "2026-01-26", "440000", "province", None, "广东省"),
        ("北京市朝阳区", "2020", "110105", "district", "北京市", "北京市"),
        ("仙桃市", "2020", "429004", "county_city", None, "湖北省"),
    ],
)
def test_report_regions_resolve_to_their_codes(name, date, code, level, prefecture, province):
    d = divisions.resolve(name, date)
    assert (d.code, d.level, d.prefecture, d.province) == (code, level, prefecture, province)


def test_renamed_city_has_the_name_of_its_time():
    assert divisions.resolve("襄樊市", 2008).code == "420600"
    assert divisions.lookup("420600", 2008).name == "襄樊市"
    assert divisions.lookup("420600", 2015).name == "襄阳市"


def test_ambiguous_name_needs_its_parent_or_context():
    assert divisions.resolve("鼓楼区", 2020) is None
    assert divisions.resolve("福州市鼓楼区", 2020).code == "350102"
    assert divisions.resolve("鼓楼区", 2020, context="福州市鼓楼区人民政府，福州，福建省").code == "350102"


def test_short_forms_and_autonomous_names():
    assert divisions.resolve("恩施州", 2020).code == "422800"
    assert divisions.resolve("广西", 2020).name == "广西壮族自治区"
    assert divisions.resolve("全国") is divisions.NATIONAL


def test_parent_chain_reaches_the_nation():
    d = divisions.resolve("四方台区", 2025)
    chain = []
    while d is not None:
        chain.append(d.name)
        d = divisions.parent(d, 2025)
    assert chain == ["四方台区", "双鸭山市", "黑龙江省", "中国"]


def test_mentions_count_full_names_not_common_words():
    text = "四方台区位于双鸭山市。四方台区加快资源型城市转型，城区面貌改善。"
    counts = divisions.find_mentions(text, 2025)
    assert counts["230505"] == 2 and counts["230500"] == 1
    assert "450329" not in counts  # 资源县: its short form is an ordinary word


def test_province_direct_county_level_cities_have_no_prefecture():
    # Hainan 1988-2002 coded its county-level cities straight under the province (460001)
    assert divisions.resolve("五指山市", 1998).prefecture is None
    assert divisions.resolve("琼海市", 2001).prefecture is None
    assert divisions.resolve("石河子市", 2024).prefecture is None


def test_county_level_city_before_1995_gets_the_prefecture_of_its_next_code():
    # GB/T 2260 before 1995 coded every county-level city xx90yy; 义乌市 339007 was under 金华市 (330782 later)
    assert divisions.resolve("义乌市", 1990).prefecture == "金华市"
    assert divisions.resolve("瓦房店市", 1990).prefecture == "大连市"
    assert divisions.resolve("仙桃市", 2000).prefecture is None  # stayed in the 90 group: directly under 湖北省


def test_province_direct_city_is_counted_by_its_short_name():
    # henan_2025.docx names 济源 (济源市, directly under 河南省) without 市
    text = "建成信阳五岳、开工济源逢石河抽水蓄能电站，实施源网荷储一体化项目800个。"
    assert divisions.find_mentions(text, 2025).get("419001") == 1


@pytest.mark.parametrize("name, context, code", [
    # shenyang_2024.docx: only the sibling districts tell which 和平区 / 铁西区
    ("和平区", "和平区、沈河区、大东区上榜全国综合竞争力百强主城区，浑南区上榜全国综合竞争力百强新城区，铁西区、大东区上榜全国工业百强区",
     "210102"),
    ("铁西区", "和平区、沈河区、大东区上榜全国综合竞争力百强主城区，浑南区上榜全国综合竞争力百强新城区，铁西区、大东区上榜全国工业百强区",
     "210106"),
    # zaozhuang_2024.docx: 市中区 of 枣庄, named with 薛城区, 峄城区, 台儿庄区
    ("市中区", "薛城区获评投资潜力、绿色发展等3个“全国百强区”，市中区获批全国县域节水型社会建设达标县，峄城区入围中国最佳绿色"
              "生态旅游名区，台儿庄区入选全国农村集体建设用地入市试点", "370402"),
])
def test_same_name_district_settled_by_its_sibling_units(name, context, code):
    assert divisions.resolve(name, 2024) is None
    assert divisions.resolve(name, 2024, context=context).code == code


@pytest.mark.parametrize("text, code", [
    ("惠民文化广泛传播。", "371621"),  # seed 000 (四方台区): 惠民 is the short form of the former 惠民地区, not 惠民县
    ("累计建成国家生态文明建设示范县2个、“两山”实践创新基地2个、省级生态县5个。", "410926"),  # aba_2024.docx: 示范县 is not 范县
])
def test_words_that_contain_a_place_name_are_not_mentions(text, code):
    assert code not in divisions.find_mentions(text, 2024)
