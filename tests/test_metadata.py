"""Metadata read from the text itself: region, date, congress, speaker, review and plan years."""

from __future__ import annotations

import pytest

import govreport
from conftest import SHARED, corpus_path, load_gold
from govreport.knowledge.lexicon import load_lexicon
from govreport.parsing.normalize import normalize
from govreport.parsing.pipeline import build_report
from govreport.parsing.read import SourceText, read

GOLD = load_gold()


def _record(doc: str, part: int):
    return govreport.parse(corpus_path(doc))[max(part, 1) - 1]


@pytest.mark.parametrize("gold", GOLD, ids=[f"{g['doc']}#{g['part']}" for g in GOLD])
def test_metadata_matches_the_gold_record(gold):
    r = _record(gold["doc"], gold["part"])
    got = {
        "region": r.region.name, "parent": r.region.prefecture, "province": r.region.province,
        "level": r.region.level, "meeting_date": r.meeting_date, "review_year": r.review_year,
        "plan_year": r.plan_year, "speaker": r.speaker.name, "session": r.congress.text,
    }
    assert got == {k: gold[k] for k in got}


def test_title_year_does_not_decide_the_plan_year(seeds_dir):
    # 四方台区: titled 2024, delivered 2025-01-04, reviews 2024 and plans 2025
    r = govreport.parse(seeds_dir / "000_30198e5ba9ff0909.txt")[0]
    assert r.title == "2024年四方台区政府工作报告"
    assert (r.meeting_date, r.review_year, r.plan_year) == ("2025-01-04", 2024, 2025)


def test_december_meeting_plans_the_next_year(seeds_dir):
    # 雨山区: titled 2025, delivered 2024-12-23
    r = govreport.parse(seeds_dir / "004_fd770ef22fe975fd.txt")[0]
    assert (r.meeting_date, r.review_year, r.plan_year) == ("2024-12-23", 2024, 2025)


def test_abridged_report_is_marked_and_spaced_heading_read(seeds_dir):
    r = govreport.parse(seeds_dir / "003_401dacb1b1eb60f9.txt")[0]
    assert r.kind == "abridged"
    assert r.speaker.name == "郭灵计" and r.speaker.title == "市长"
    assert (r.congress.term, r.congress.session) == (8, 5)


def test_chinese_numeral_date_and_short_congress_form():
    text = (
        "政府工作报告\n——二〇二三年一月十二日在淮阴区十八届人大二次会议上\n淮阴区人民政府代区长 王 某\n各位代表：\n"
        "现在，我代表区人民政府向大会报告工作，请予审议。\n一、2022年工作回顾\n过去一年，全区地区生产总值增长4.1%。\n"
    )
    r = govreport.parse_text(text)[0]
    assert r.meeting_date == "2023-01-12"
    assert (r.congress.term, r.congress.session) == (18, 2)
    assert (r.speaker.name, r.speaker.title) == ("王某", "代区长")
    assert (r.review_year, r.plan_year) == (2022, 2023)


def test_five_year_review_is_kept_apart(extra_dir):
    r = govreport.parse(extra_dir / "hailaer_2016.txt")[0]
    assert r.review_year == 2015 and r.plan_year == 2016
    assert r.five_year == {"name": "十二五", "start": 2011, "end": 2015, "role": "review"}


# --- headers as real reports print them (snippets from ../shared/corpus/dev) ---------------------------------

DEV = SHARED / "corpus" / "dev"
OPENING = "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n一、2024年工作回顾\n过去一年，全省地区生产总值增长5%。\n"


def _meta(text: str):
    """Run the per-report stages (metadata included) on a snippet, without the report-or-not check of split."""
    unit = SourceText("<snippet>", "0" * 64, "txt", text, "utf-8")
    return build_report(normalize(text), unit, load_lexicon(None))


@pytest.mark.parametrize("header, name, title", [
    # anhui_2025.docx: run-on line, name after a space, then 作政府工作报告
    ("2025年1月20日在安徽省第十四届人民代表大会第三次会议上安徽省人民政府省长 王清宪作政府工作报告", "王清宪", "省长"),
    # tianjin_2025.docx: 张工同志 — the name is 张工
    ("2025年1月14日在天津市第十八届人民代表大会第三次会议上天津市市长张工同志作政府工作报告。", "张工", "市长"),
    # fujian_2025.docx: no space before the name
    ("2025年1月13日在福建省第十四届人民代表大会第三次会议上福建省人民政府省长赵龙作政府工作报告。", "赵龙", "省长"),
    # hainan_2025.docx / liaoning_2025.docx / neimenggu_2025.docx: the speaker inside the date line, before 在
    ("——2025年1月14日海南省省长 刘小明在海南省第七届人民代表大会第四次会议上的讲话", "刘小明", "省长"),
    ("——2025年1月16日省长 李乐成在辽宁省第十四届人民代表大会第三次会议上的讲话", "李乐成", "省长"),
    ("——2025年1月14日自治区人民政府主席王莉霞在内蒙古自治区第十四届人民代表大会第三次会议上的讲话", "王莉霞", "主席"),
])
def test_speaker_inside_a_title_or_date_line(header, name, title):
    r = _meta(header + "\n" + OPENING)
    assert (r.speaker.name, r.speaker.title) == (name, title)
    assert r.meeting_date is not None and r.congress.text is not None


def test_speaker_name_with_a_middle_dot():
    # an ethnic name keeps its middle dot (the speaker line of Xinjiang's reports)
    assert _meta("自治区主席 艾尔肯·吐尼亚孜\n" + OPENING).speaker.name == "艾尔肯·吐尼亚孜"


@pytest.mark.parametrize("header, name, title", [
    # hprc one-line copies (national_1955/1956/1991/1988/1964.txt): the name runs into what follows
    ("——1955年7月5日至6日在第一届全国人民代表大会第二次会议上 国务院副总理兼国家计划委员会主任李富春目录 一、",
     "李富春", "国务院副总理兼国家计划委员会主任"),
    ("——1956年6月15日在第一届全国人民代表大会第三次会议上 副总理兼财政部长李先念 各位代表：", "李先念", "副总理兼财政部长"),
    ("——1991年3月26日在第七届全国人民代表大会第四次会议上 国务委员兼国家计划委员会主任邹家华各位代表：", "邹家华",
     "国务委员兼国家计划委员会主任"),
    ("——1988年3月25日在第七届全国人民代表大会第一次会议上 国务院代总理李鹏各位代表！", "李鹏", "国务院代总理"),
    ("——1964年12月21日和22日在第三届全国人民代表大会第一次会议上 国务院总理周恩来 五年来，", "周恩来", "国务院总理"),
])
def test_national_speakers_vice_premiers_and_acting_premiers(header, name, title):
    r = _meta(header + "\n" + OPENING)
    assert (r.speaker.name, r.speaker.title, r.region.level) == (name, title, "national")


def test_speaker_from_a_news_caption_when_no_speaker_line():
    # hunan_2026.csv: the name alone under the 来源/时间 lines, then a photo caption
    text = ("2026年湖南省政府工作报告\n——2026年2月3日在湖南省第十四届人民代表大会第四次会议上\n来源：湖南日报\n"
            "时间：2026-02-24\n毛伟明\n2月3日，湖南省第十四届人民代表大会第四次会议在省人民会堂开幕。省长毛伟明作政府工作报告。"
            "湖南日报全媒体记者 刘尚文 摄\n")
    r = _meta(text + OPENING)
    assert (r.speaker.name, r.meeting_date) == ("毛伟明", "2026-02-03")


def test_name_alone_under_a_traditional_script_date_line():
    # national_1957_wikisource.txt: 會議, and the speaker's name on its own line without a title
    text = "政府工作报告\n\n1957年6月26日在第一届全国人民代表大会第四次会議上\n\n周恩来\n\n各位代表：\n\n"
    r = _meta(text + OPENING)
    assert (r.speaker.name, r.meeting_date, r.congress.text) == ("周恩来", "1957-06-26", "第一届全国人民代表大会第四次会议")


def test_spaced_digits_in_the_date_line():
    # national_1998.txt
    r = _meta("1998年政府工作报告 ——1 9 9 8 年3 月5 日在第九届全国人民代表大会第一次会议上 国务院总理李鹏 " + OPENING)
    assert (r.meeting_date, r.review_year, r.plan_year, r.speaker.name) == ("1998-03-05", 1997, 1998, "李鹏")


@pytest.mark.parametrize("header", [
    # zhumadian_2015.txt: the date the congress adopted the report (…会议通过), not the day it was delivered
    "政府工作报告2015年4月20日驻马店市第三届人民代表大会第六次会议通过驻马店市人民政府市长陈星\n",
    # national_1958_govcn.txt: a portal's publication stamp
    "当前位置： 首页>> 中国概况\n中央政府门户网站 www.gov.cn 2006年02月23日 来源：人民网\n",
    # laibin_2024.docx: a date inside a sentence of the review
    "这一年，习近平总书记亲临来宾视察。2023年12月14日至15日，习近平总书记到广西并亲临来宾视察。\n",
])
def test_publication_adoption_and_sentence_dates_are_not_the_meeting_date(header):
    assert _meta(header + OPENING).meeting_date is None


def test_national_report_without_header_takes_date_session_speaker_from_the_fact_table(extra_dir):
    # national_2019_html.txt: a gov.cn fragment with no title, date or speaker line
    r = govreport.parse(extra_dir / "national_2019_html.txt")[0]
    assert (r.meeting_date, r.congress.text, r.speaker.name) == ("2019-03-05", "第十三届全国人民代表大会第二次会议", "李克强")
    assert (r.review_year, r.plan_year) == (2018, 2019)
    assert any("national session table" in w for w in r.warnings)


def test_session_named_in_the_opening_keys_the_fact_table():
    # national_1958.txt (Wikisource): no header; the opening names the session, the table gives date and speaker
    text = ("各位代表：\n\n我代表国务院向第一届全国人民代表大会第五次会议，提出关于一九五八年度国民经济计划（草案）的报告，请予审议。\n\n"
            "（一）一九五七年经济战线上的胜利\n\n一九五七年是我国在各个战线上取得伟大胜利的一年。\n")
    r = _meta(text)
    assert (r.region.level, r.congress.text) == ("national", "第一届全国人民代表大会第五次会议")
    assert (r.meeting_date, r.speaker.name, r.plan_year) == ("1958-02-03", "薄一波", 1958)


def test_the_text_wins_over_the_fact_table():
    # national_1954.txt: the hprc header's own (doubtful) date is kept; the table is only for what is unsaid
    r = _meta("1954年政府工作报告——1954年5月23日在中华人民共和国第一届全国人民代表大会第一次会议上 国务院总理周恩来各位代表："
              " 现在，我代表中央人民政府作工作报告。 ")
    assert (r.meeting_date, r.speaker.name) == ("1954-05-23", "周恩来")
    assert not any("national session table" in w for w in r.warnings)


def test_mid_year_session_plans_the_year_its_plan_is_for():
    # national_1980.txt: delivered 1980-08-30, presents the 1981 plan and reviews 1979
    head = ("1980年政府工作报告关于1980、1981年国民经济计划安排的报告——1980年8月30日在第五届全国人民代表大会第三次会议上 "
            "国务院副总理兼国家计划委员会主任姚依林各位代表： 我受国务院的委托，现在向大会提出关于1980、1981年国民经济计划安排的报告。"
            " 现在，我着重报告1979年以来贯彻执行调整、改革、整顿、提高方针的情况和1981年国民经济计划的安排。"
            " 二、1981年国民经济计划的任务和主要指标 ")
    r = _meta(head)
    assert (r.review_year, r.plan_year) == (1979, 1981)
    # national_1979.txt: delivered 1979-06-18 and about this year's plan
    r = _meta("1979年政府工作报告——1979年6月18日在第五届全国人民代表大会第二次会议上 国务院总理华国锋各位代表： "
              "对一九七九年国民经济计划作了修订。 ")
    assert (r.review_year, r.plan_year) == (1978, 1979)


@pytest.mark.parametrize("doc, review", [
    ("wuzhou_2024.docx", 2023),  # no headings at all: '2023年，在自治区党委…领导下' opens the review
    ("yiyang_2024.docx", 2023),  # '2023年，是全面贯彻党的二十大精神的开局之年'
    ("suining_2024.docx", 2023),  # '2024年是…关键一年' sits in the plan part and must not make 2024 the review year
    ("shaoxing_2024.docx", 2023),  # '一、2023年主要工作' then '二、2024年主要目标和重点工作'
])
def test_review_and_plan_years_without_numbered_review_heading(doc, review):
    r = govreport.parse(DEV / "city" / doc)[0]
    assert (r.review_year, r.plan_year) == (review, review + 1)


@pytest.mark.parametrize("doc, name, level, parent", [
    ("qianxinan_2024.docx", "黔西南布依族苗族自治州", "prefecture", None),  # 我代表州人民政府; not its seat 兴义市
    ("ganzi_2024.docx", "甘孜藏族自治州", "prefecture", None),  # not 甘孜县, which shares the short name
    ("wulumuqi_2024.docx", "乌鲁木齐市", "prefecture", None),  # a 市 report is not the autonomous region's, nor 乌鲁木齐县
    ("zhongshan_2024.docx", "中山市", "prefecture", None),  # 中山 is also a road and a university name
])
def test_region_of_a_report_without_header(doc, name, level, parent):
    r = govreport.parse(DEV / "city" / doc)[0]
    assert (r.region.name, r.region.level, r.region.prefecture) == (name, level, parent)


def test_fact_table_agrees_with_the_shared_session_facts_and_covers_every_congress():
    import csv

    from govreport.knowledge import sessions

    with open(SHARED / "data" / "national_sessions.tsv", encoding="utf-8") as fh:
        shared = list(csv.DictReader(fh, delimiter="\t"))
    for row in shared:
        s = sessions.find(term=int(row["npc_term"]), number=int(row["session_no"]))
        assert (s.text, s.speaker) == (row["session_as_written"], row["speaker"])
        if row["meeting_date"] and row["year"] != "1954":  # the 1954 header date is the source's error (see notes)
            assert s.meeting_date == row["meeting_date"]
    # every year 1954-2026 with a government work report, one per NPC session; five sessions per term since 1978
    years = {s.year for s in sessions.sessions()}
    assert set(range(1978, 2027)) <= years and {1954, 1955, 1956, 1957, 1958, 1959, 1960, 1964, 1975} <= years
    assert sessions.find(plan_year=1983) is None  # Nov 1982 and Jun 1983 sessions both plan 1983: no guess
    assert sessions.find(plan_year=1981).speaker == "姚依林"  # the 1980-08-30 report presents the 1981 plan


def test_title_year_written_with_ascii_zeros_or_letter_o():
    # zhumadian_2006.txt / zhumadian_2012.txt title lines: 二00六年, 二O一二年 (no date line, no dated heading)
    for title, year in (("二00六年政府工作报告", 2006), ("二O一二年政府工作报告", 2012)):
        r = _meta(title + "\n各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n")
        assert (r.review_year, r.plan_year) == (year - 1, year)


def test_a_report_under_a_provincial_committee_is_not_a_municipality():
    # jiaxing_2024.docx sentences: 上海 named more often than the city itself, but the report speaks of 省委省政府
    text = ("各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n"
            "立足打造接轨上海“桥头堡”和承接上海辐射“门户”，强化重点领域合作和重大项目落地，更深层次融入长三角一体化发展。\n"
            "积极参与上海大都市圈国土空间总体规划编制，全面落实虹桥国际开放枢纽提升能级政策措施。\n"
            "金山—平湖产城融合发展区、张江长三角科技城、上海漕河泾海宁分区等平台合作持续加强，与上海黄浦区缔结友好城区。\n"
            "认真落实中央、省委省政府和市委决策部署。是省委省政府和市委正确领导的结果。\n")
    assert _meta(text).region.name != "上海市"


def test_newspaper_abridgement_marked_by_zhaideng():
    r = _meta("政府工作报告（摘登）\n——2025年1月14日在吉林省第十四届人民代表大会第四次会议上\n省长　胡玉亭\n" + OPENING)
    assert (r.kind, r.speaker.name) == ("abridged", "胡玉亭")


@pytest.mark.parametrize("doc, name, parent", [
    ("000_30198e5ba9ff0909.txt", "四方台区", "双鸭山市"),  # names itself 四方台 (8 times), 四方台区 once
    ("004_fd770ef22fe975fd.txt", "雨山区", "马鞍山市"),
])
def test_district_report_without_header_found_by_its_short_name(seeds_dir, doc, name, parent):
    # the seed reports cut at 各位代表: no title, date line or speaker line left, only 我代表区人民政府
    text = normalize(next(iter(read(seeds_dir / doc))).text).text
    r = _meta(text[text.find("各位代表"):])
    assert (r.region.name, r.region.prefecture, r.region.level) == (name, parent, "district")


def test_inner_mongolia_is_found_by_its_short_name():
    # neimenggu_2025.docx cut at 各位代表: 内蒙古 (the 蒙古 in it is not an ethnic suffix to strip)
    text = normalize(next(iter(read(DEV / "province" / "neimenggu_2025.docx"))).text).text
    r = _meta(text[text.find("各位代表"):])
    assert (r.region.name, r.region.level) == ("内蒙古自治区", "province")


def test_a_session_recalled_after_the_salutation_is_not_this_one():
    # national_1978.txt without its header: the body recalls the 4th NPC's first session (1975)
    text = ("各位代表！ 现在，我代表国务院，向第五届全国人民代表大会作政府工作报告。 "
            "毛主席在四届人大前夕所作指示的基本精神，就是要进一步巩固和加强无产阶级专政，促进全国的安定团结，把国民经济搞上去。"
            "周总理正是根据毛主席的指示，在四届人大第一次会议上，号召全国人民进一步 ")
    r = _meta(text)
    assert r.region.level == "national"
    assert r.congress.term != 4 and r.meeting_date != "1975-01-13" and r.speaker.name != "周恩来"


@pytest.mark.parametrize("opening", [
    "各位代表： 现在，我受国务院的委托，向全国人民代表大会报告政府工作。 ",  # national_1979.txt
    "各位代表： 我受国务院的委托，现在向大会提出关于1980、1981年国民经济计划安排的报告，请予审议。 ",  # national_1980.txt
])
def test_state_council_report_recognised_by_its_opening(opening):
    assert _meta(opening).region.level == "national"


def test_site_menu_entries_are_not_speakers():
    # a government site's menu above the report (zhumadian_2003.txt style scrape): 市长信箱 is a mailbox
    text = "首页\n政务公开\n市长信箱\n政民互动\n" + OPENING
    assert _meta(text).speaker.name is None


@pytest.mark.parametrize("head", [
    # national_1991.txt / national_1954.txt: the plan draft or the constitution draft, not a draft of the report
    "1991 1991年政府工作报告关于1990年国民经济和社会发展计划执行情况与1991年计划草案的报告——1991年3月26日在第七届全国人民代表大会第四次会议上 "
    "国务委员兼国家计划委员会主任邹家华各位代表： ",
    "1954 1954年政府工作报告——1954年5月23日在中华人民共和国第一届全国人民代表大会第一次会议上 国务院总理周恩来各位代表： "
    "我们第一届全国人民代表大会第一次会议，在听了刘少奇同志关于宪法草案的报告并进行了三天的讨论以后， ",
])
def test_a_plan_or_constitution_draft_does_not_make_the_report_a_draft(head):
    r = _meta(head)
    assert r.kind == "full"
    assert r.title.startswith(head[5:9] + "年政府工作报告")  # the corpus's record-year prefix is not the title


def test_a_district_name_two_cities_share_is_said_to_be_ambiguous_not_missing():
    body = ("各位代表：\n现在，我代表区人民政府向大会作工作报告，请予审议。\n一、2023年工作回顾\n过去一年，全区地区生产总值增长6.5%。\n"
            "二、2024年工作安排\n今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长5%。\n")
    [bare] = govreport.parse_text("政府工作报告\n——2024年1月5日在朝阳区第十七届人民代表大会第四次会议上\n" + body)
    assert bare.region.code is None
    assert "region '朝阳区' is ambiguous (北京市朝阳区、长春市朝阳区) and the text does not say which: no code given" in bare.warnings
    [named] = govreport.parse_text("政府工作报告\n——2024年1月5日在长春市朝阳区第十八届人民代表大会第四次会议上\n" + body)
    assert named.region.code == "220104"


def test_a_header_of_adoption_names_the_session_and_speaker_but_not_the_meeting_date():
    # zhumadian_2015.txt: "政府工作报告2015年4月20日驻马店市第三届人民代表大会第六次会议通过驻马店市人民政府市长陈星"
    [report] = govreport.parse(SHARED / "corpus" / "dev" / "city" / "zhumadian_2015.txt")
    assert report.congress.text == "第三届人民代表大会第六次会议"
    assert (report.speaker.title, report.speaker.name) == ("市长", "陈星")
    assert report.meeting_date is None  # 通过 dates the adoption, not the day the report was given
    assert "no meeting date: the header dates the report's adoption (…会议通过), not the day it was given" in report.warnings


def test_a_national_speaker_run_into_the_next_words_counts_as_stated():
    # national_1964.txt: "…会议上国务院总理周恩来五年来…" (no break after the name); the session table confirms it
    [report] = govreport.parse(SHARED / "corpus" / "dev" / "national" / "national_1964.txt")
    assert report.speaker.name == "周恩来" and report.speaker.span is not None
    assert report.text[report.speaker.span[0] : report.speaker.span[1]] == "周恩来"
    assert not any("speaker" in w for w in report.warnings)
