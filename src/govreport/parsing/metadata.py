"""Stage 4, metadata: title, kind, region, meeting date, congress, speaker, review and plan years.

Everything is read from the report's own text: the header block (title, "——2025年1月4日在四方台区第十一届人民代表
大会第四次会议上", speaker line), the opening ("我代表江源区人民政府"), section headings ("一、2024年工作回顾",
"二、2025年工作安排") and repeated mentions of place names. File names are never used; the columns of a
csv/jsonl corpus row (Source.meta) are only a last resort, and say so in a warning.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from govreport.knowledge import divisions

from govreport.knowledge import sessions
from govreport.knowledge.lexicon import Lexicon, fast_start
from govreport.model import Report

HEADER_CHARS = 1500  # the header block sits at the top; a scraped page may add a little noise before it

CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
NUM = r"[\d一二三四五六七八九十〇零○两]+"
S = r"[ \t\n]*"  # the header may be broken over lines or spaced out

NUMS = r"[\d一二三四五六七八九十〇零○两](?:[ ]?[\d一二三四五六七八九十〇零○两])*"  # 1998, 1 9 9 8, 二〇二四
HUI, YI, JIE = "[会會]", "[议議]", "[届屆]"  # traditional-script copies (會議) read the same
MEETING = re.compile(
    rf"(?:(?P<y>{NUMS}){S}年{S}(?P<m>{NUM}){S}月{S}(?P<d>{NUM}){S}日{S})?在{S}(?P<place>[^\n，。,：:]{{0,30}}?){S}"
    rf"第{S}(?P<term>{NUM}){S}{JIE}{S}(?P<mid>[^\n，。第]{{0,6}}?){S}人{S}民{S}代{S}表{S}大{S}{HUI}{S}"
    rf"(?:常{S}[务務]{S}委{S}[员員]{S}{HUI}{S})?第{S}(?P<sess>{NUM}){S}次{S}(?:全{S}[体體]{S})?{HUI}{S}{YI}"
)
MEETING_SHORT = re.compile(  # 在区十四届人大五次会议上
    rf"在{S}(?P<place>[^\n，。,：:第]{{0,30}}?){S}第?{S}(?P<term>{NUM}){S}{JIE}{S}人{S}大{S}(?:常{S}委{S}{HUI}{S})?"
    rf"第?{S}(?P<sess>{NUM}){S}次{S}(?:全{S}[体體]{S})?{HUI}{S}{YI}{S}上"
)
# 第一届全国人民代表大会第五次会议, spaced or not: the session as the opening and an adoption line name it
SESSION = (rf"第{S}(?P<term>{NUM}){S}{JIE}{S}(?P<mid>[^\n，。第]{{0,6}}?){S}人{S}民{S}代{S}表{S}"
           rf"大{S}{HUI}{S}第{S}(?P<sess>{NUM}){S}次{S}{HUI}{S}{YI}")
# a header saying when the report was adopted ("2015年4月20日驻马店市第三届人民代表大会第六次会议通过"): its date is
# not the day it was delivered, but its session is the report's
ADOPTED = re.compile(rf"(?P<place>[^\n，。,：:第日]{{0,30}}?){S}{SESSION}{S}通{S}过")
# the opening names the session it addresses: 我代表国务院向第一届全国人民代表大会第五次会议，提出…; 我们第一届全国
# 人民代表大会第一次会议，在听了…报告…以后 (a copy without its header)
SESSION_ADDRESSED = re.compile(rf"(?:向|我们){S}(?P<place>[^\n，。,：:第向]{{0,12}}?){S}{SESSION}")
YEAR4 = r"[12][ ]?[09][ ]?\d[ ]?\d"
DATE_ONLY = re.compile(rf"(?P<y>{YEAR4}|[一二三四五六七八九〇零○OＯ]{{4}}){S}年{S}(?P<m>{NUM}){S}月{S}(?P<d>{NUM}){S}日")
# a date line without the session: "——2024年1月5日", "（2024年1月5日）" alone on its line; a bare date line (often a
# publication stamp), a date inside a sentence, a dateline (新华社北京…电) or an adoption date (…会议通过) is not
# the meeting date
DATE_LINE = re.compile(rf"^[ \t]*(?:[—－-]{{1,2}}|[（(])[ \t]*(?P<date>{DATE_ONLY.pattern})[ \t]*(?:[)）][ \t]*)?$", re.M)
TITLE = re.compile(r"^[ \t]*(?:[-•·|][ \t]*)?(?:名[ \t]*称[ \t]*[|:：][ \t|]*)?(?P<t>[^\n|:：,，]{0,40}?政府工作报告[^\n|,，]{0,14}?)[ \t|]*$", re.M)
RECORD_YEAR = re.compile(r"^[ \t]*((?:19|20)\d\d)[ \t]+(?=\1\s*年)")  # "1954<TAB>1954年政府工作报告" corpora
TITLE_BROKEN = re.compile(r"政\s*府\s*工\s*作\s*报\s*告(?:\s*[（(]\s*(?:摘\s*要|[^)）\n]{1,10}稿)\s*[)）])?")
# who delivers it: [org][代/副…]title[兼…主任] name — the name ends where a title or date line goes on
# (同志, 作政府工作报告, 在…会议上, 代表…, 各位代表) or at the end of the line
SPEAKER_BASE = ("总理", "国务委员", "省长", "主席", "市长", "区长", "县长", "州长", "盟长", "旗长", "行政公署专员", "专员",
                "特区长")
CJK = "\u4e00-\u9fff"
NAME = (rf"(?:[{CJK}]{{2,8}}?(?:[·•・][{CJK}]{{2,10}}?)+"  # 艾尔肯·吐尼亚孜
        rf"|[{CJK}](?:[ ]?[{CJK}]){{1,3}}?)")  # 殷勇, 马 军
NAME_END = r"(?=[ \t]|$|同志|作|在|代表|各位|目录|[（(，,。：:！!])"
SPEAKER = re.compile(
    r"(?:^|(?<=[上日 \t—－-])|(?<=会议通过))(?P<org>(?:[^\n，。,:：；;、 \t（(）)在会\d—－-]{0,22}?(?:省|市|区|县|州|盟|旗|政府|国务院|公署))?)"
    r"(?P<title>(?:国务院)?(?:代理|代|常务副|副)?(?:" + "|".join(SPEAKER_BASE) + r")"
    r"(?:兼[^\n，。、 ]{2,16}?(?:主任|部长|局长))?)"
    r"[ \t]*(?:\n[ \t]*){0,4}(?P<name>" + NAME + ")" + NAME_END,
    re.M,
)
# a photo caption or news lead: "…开幕。省长毛伟明作政府工作报告。"
CAPTION = re.compile(r"(?:^|(?<=[。，, \t]))(?P<title>(?:代理|代)?(?:" + "|".join(SPEAKER_BASE) + r"))[ \t]*(?P<name>" + NAME
                     + r")(?:同志)?(?:代表[^\n，。]{0,12}?)?(?:向大会)?作政府工作报告", re.M)
NAME_LINE = re.compile(r"[会會][议議]上[）)]?[ \t]*\n(?:[ \t]*\n)*[ \t]*(?P<name>" + NAME + r")[ \t]*\n")
NOT_NAMES = ("人民政府", "各位", "政府工作", "工作报告", "代表大会",
             "信箱", "热线", "邮箱", "留言", "专线", "之窗", "简介", "讲话", "致辞", "活动", "动态")  # 市长信箱 in a site menu
DELEGATE = re.compile(r"我(?:谨)?代表(?P<org>[^\n，。,、]{0,24}?)(?:人民政府|政府|行政公署|行署|国务院)")  # 盟/地区: 行署
# the State Council's report in other words: 我受国务院的委托, 国务院决定由我, 向全国人民代表大会报告政府工作
NATIONAL_VOICE = re.compile(r"受[^\n，。]{0,10}国务院的?委托|国务院决定由我|根据国务院的决定|向(?:第[^\n，。]{1,3}届)?全国人民代表大会")
LEVEL_FROM_TITLE = {"总理": "national", "省长": "province", "主席": "province", "市长": "city", "区长": "district",
                    "县长": "county", "州长": "prefecture", "盟长": "prefecture", "旗长": "county",
                    "专员": "prefecture", "特区长": "county"}
LEVEL_FROM_SUFFIX = (("自治区", "province"), ("省", "province"), ("自治州", "prefecture"), ("地区", "prefecture"),
                     ("盟", "prefecture"), ("自治县", "county"), ("自治旗", "county"), ("县", "county"),
                     ("旗", "county"), ("区", "district"), ("市", "city"), ("州", "prefecture"))
# how a report names its own government when it does not spell the name out: 全州/我州/州委 -> an autonomous
# prefecture, 全市 -> a city, 全县/全旗 -> a county; used when the opening says only 我代表市人民政府
# (not 全省/全区: a city names its province — 全省第一, 高于全区平均 — as often as itself)
SELF_WORDS = re.compile(r"(?:全|我|本)(市|州|县|旗|盟)")
SELF_LEVEL = {"市": "city", "州": "prefecture", "县": "county", "旗": "county", "盟": "prefecture"}
YEAR = r"((?:19|20)\d\d|[一二][〇○零OＯ0九][〇○零OＯ0一二三四五六七八九]{2})\s*年"  # 2016年, 二〇一六年, 二O一五年, 二00二年
REVIEW_HEAD = re.compile(YEAR + r"(?:度)?(?:和|及|暨)?[^\n]{0,16}?(?:工作)?(?:回顾|完成情况)")
REVIEW_LINE = re.compile(r"^[ \t]*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[)）])?[ \t]*" + YEAR
                         + r"(?:度)?(?:工作)?(?:回顾|完成情况)[ \t]*$", re.M)
OPENING_CHARS = 1200  # the opening paragraph after 各位代表 names the year under review
REVIEW_OPENING = re.compile(r"(?:刚刚过去的|过去的|即将过去的)\s*" + YEAR + "|" + YEAR
                            + r"(?:[，,]?(?:是[^\n。]{0,40}?(?:一年|之年)|在[^\n。]{0,30}?领导下)|度?[^\n。，,]{0,6}?(?:工作)?的?(?:回顾|完成情况))")  # 1993年国内工作的回顾
# "1981年国民经济计划", "1981年计划": which year's plan a mid-year session presents
YEAR_PLAN = fast_start(r"(" + YEAR4 + r"|[一二][〇○零OＯ0九][〇○零OＯ0一二三四五六七八九]{2})\s*年度?的?(?:国民经济(?:和社会发展)?)?计划")
PLAN_HEAD = re.compile(YEAR + r"(?:度)?[^\n回顾]{0,12}?(?:工作|主要|重点|目标|任务|总体要求|安排)")
PLAN_TARGETS = re.compile(YEAR + r"[^\n。]{0,20}?(?:主要预期目标|主要目标|预期目标)")
FIVE_YEAR_NAME = re.compile(r"[“\"]?十([一二三四五六七八九])五[”\"]?")
ABSTRACT = re.compile(r"[（(]\s*摘\s*[要登编]\s*[)）]|摘要|摘登|摘编")  # newspaper abridgements
# a draft of the report itself; not the 计划草案/宪法草案/纲要（草案） a report presents
DRAFT = re.compile(r"审议稿|征求意见稿|讨论稿|送审稿|报告\s*[（(]\s*草\s*案\s*[)）]|政府工作报告草案")


def cn_int(token: str) -> int | None:
    """Small integers and years as written in headers: 11, 十一, 二十三, 二〇二四."""
    token = token.strip()
    if token.isdigit():
        return int(token)
    if all(ch in CN_DIGITS for ch in token):  # digit by digit: 二〇二四
        return int("".join(str(CN_DIGITS[ch]) for ch in token))
    if "十" in token:
        tens, _, ones = token.partition("十")
        t = CN_DIGITS.get(tens, 1) if tens else 1
        o = CN_DIGITS.get(ones, 0) if ones else 0
        if (tens and tens not in CN_DIGITS) or (ones and ones not in CN_DIGITS):
            return None
        return t * 10 + o
    return None


def _nospace(s: str) -> str:
    return re.sub(r"\s+", "", s)


def fill_metadata(report: Report, lex: Lexicon) -> None:
    """Fill every metadata field of ``report`` from its text."""
    text = report.text
    head = text[:HEADER_CHARS]
    _title_and_kind(report, head)
    place, level_hint_national = _meeting(report, head)
    _speaker(report, head)
    _years(report)
    _region(report, place, level_hint_national)
    if report.region.code == divisions.NATIONAL.code:
        _national_facts(report)
    if report.meeting_date is None:
        _say_why_no_date(report, head)


HEADER_DATE = re.compile(r"(?:19|20)\d\d\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def _say_why_no_date(report: Report, head: str) -> None:
    """A report without a meeting date says whether its header states none (common: many copies start at
    各位代表) or states a date that was not taken as the meeting date (a publication stamp, or a miss)."""
    opening = head.find("各位代表")
    header = head[: opening if opening >= 0 else 300]
    if ADOPTED.search(header):
        report.warn("no meeting date: the header dates the report's adoption (…会议通过), not the day it was given")
    elif HEADER_DATE.search(header):
        report.warn("a date in the header was not taken as the meeting date (no 在…会议上 date line)")
    else:
        report.warn("no meeting date: the text has no date line above its opening")


def _title_and_kind(report: Report, head: str) -> None:
    m = TITLE.search(head)
    if m:
        report.title = m.group("t").strip()
    else:
        b = TITLE_BROKEN.search(head)
        if b:
            line_start = head.rfind("\n", 0, b.start()) + 1
            prefix = RECORD_YEAR.sub("", head[line_start : b.start()])
            report.title = _nospace(prefix if len(prefix) <= 20 else "") + _nospace(b.group(0))
        elif report.source.meta.get("title"):
            report.title = str(report.source.meta["title"]).strip()
    title_zone = (report.title or "") + head[:300]
    if ABSTRACT.search(title_zone):
        report.kind = "abridged"
    elif DRAFT.search(title_zone):
        report.kind = "draft"


def _meeting(report: Report, head: str) -> tuple[str, bool]:
    """Meeting date and congress from the date line; returns the place written there and a national flag. The
    date line stands above the salutation: a session named after 各位代表 is an earlier one being recalled
    (在四届人大一次会议上…), except the one the opening addresses (我代表国务院向第一届…第五次会议…)."""
    salutation = head.find("各位代表")
    above = head[:salutation] if salutation >= 0 else head
    m = MEETING.search(above)
    short = MEETING_SHORT.search(above) if not m else None
    if short:
        report.meeting_date = _date_before(head, short.start())
        term, sess = cn_int(short.group("term")), cn_int(short.group("sess"))
        report.congress.term, report.congress.session = term, sess
        report.congress.text = f"第{_nospace(short.group('term'))}届人民代表大会第{_nospace(short.group('sess'))}次会议"
        report.congress.span = (short.start("term"), short.end())
        return _nospace(short.group("place")), False
    if m and m.group("y"):
        report.meeting_date = _iso(m.group("y"), m.group("m"), m.group("d"))
        if report.meeting_date is None:
            report.warn(f"implausible date in the date line ({m.group(0)[:40]}); meeting date left empty")
    else:
        report.meeting_date = _date_before(head, m.start()) if m else _date_before(head, 0)
        m = m or SESSION_ADDRESSED.search(head) or ADOPTED.search(above)
        if not m:
            return "", False
    term, sess = cn_int(m.group("term")), cn_int(m.group("sess"))
    mid = _nospace(m.group("mid")).replace("國", "国")
    report.congress.term, report.congress.session = term, sess
    report.congress.text = f"第{_nospace(m.group('term'))}届{mid}人民代表大会第{_nospace(m.group('sess'))}次会议"
    report.congress.span = (m.start("term") - 1, m.end())
    place = _nospace(m.group("place"))
    return place, "全国" in mid or "全國" in mid or "全国" in place


def _date_before(head: str, pos: int) -> str | None:
    """The date written just before a meeting phrase ('1955年7月5日至6日在…', '1981年11月30日和12月1日在…'), else
    a date line of its own ('（2005年2月28日）' above or below '在…会议上')."""
    d = DATE_ONLY.search(head, max(0, pos - 30), pos + 1) or DATE_LINE.search(head)
    return _iso(d.group("y"), d.group("m"), d.group("d")) if d else None


def _iso(y: str, m: str, d: str) -> str | None:
    year, month, day = cn_int(_nospace(y)), cn_int(_nospace(m)), cn_int(_nospace(d))
    if not (year and month and day) or not 1949 <= year <= 2100:  # "989年" of a year split by a line break
        return None
    try:
        return date(year, month, day).isoformat()
    except (ValueError, OverflowError):  # a 20-digit month in a damaged header is no date
        return None


def _speaker(report: Report, head: str) -> None:
    """The first title + name in the header (own line, date line or run-on caption); else a bare name on the line
    after the date line (周恩来 under '…会议上')."""
    for m in SPEAKER.finditer(head):
        name = _nospace(m.group("name"))
        org = _nospace(m.group("org"))
        if not _is_name(name):
            continue
        report.speaker.name = name
        title = m.group("title")
        report.speaker.title = "国务院" + title.removeprefix("国务院") if org.startswith("国务院") else title
        report.speaker.span = (m.start("org") if org else m.start("title"), m.end("name"))
        return
    m = CAPTION.search(head)
    if m and _is_name(_nospace(m.group("name"))):
        report.speaker.name, report.speaker.title = _nospace(m.group("name")), m.group("title")
        report.speaker.span = (m.start("title"), m.end("name"))
        return
    m = NAME_LINE.search(head)
    if m and _is_name(_nospace(m.group("name"))):
        report.speaker.name = _nospace(m.group("name"))
        report.speaker.span = m.span("name")


def _is_name(name: str) -> bool:
    plain = name.replace("·", "").replace("•", "").replace("・", "")
    return (2 <= len(plain) <= (20 if len(plain) != len(name) else 4) and not any(w in name for w in NOT_NAMES)
            and name[0] not in "团办会")  # 主席团, 市长办公会议


def _speaker_org(report: Report) -> str:
    if report.speaker.span is None:
        return ""
    s = report.text[report.speaker.span[0] : report.speaker.span[1]]
    org = s.split(report.speaker.title or "\0")[0] if report.speaker.title else ""
    return _nospace(org).removesuffix("人民政府").removesuffix("政府")


def _national_facts(report: Report) -> None:
    """Fill what a State Council report leaves unsaid (meeting date, session, speaker) from the shipped session
    table, keyed by the session the text names, else its meeting year, else its plan year. The text wins."""
    c = report.congress
    if c.term and c.session:
        s = sessions.find(term=c.term, number=c.session)
    elif report.meeting_date:
        s = sessions.find(meeting_year=int(report.meeting_date[:4]))
    else:
        s = sessions.find(plan_year=report.plan_year)
    if s is None:
        return
    filled = []
    if not report.meeting_date:
        report.meeting_date = s.meeting_date
        # the table's plan year is a fact of the session: two copies of one report get the same years
        report.review_year, report.plan_year = s.plan_year - 1, s.plan_year
        filled.append("meeting date")
    if not c.text:
        c.term, c.session, c.text = s.term, s.number, s.text
        filled.append("session")
    if not report.speaker.name:
        report.speaker.name, report.speaker.title = s.speaker, s.speaker_title
        at = report.text.find(s.speaker, 0, HEADER_CHARS)
        if at >= 0:  # written, but run into what follows ("…会议上国务院总理周恩来五年来…"): stated after all
            report.speaker.span = (at, at + len(s.speaker))
        else:
            filled.append("speaker")
    elif report.speaker.name == s.speaker and not report.speaker.title:
        report.speaker.title = s.speaker_title  # a bare name under the date line (周恩来)
    if filled:
        report.warn(f"{', '.join(filled)} not stated in the text: taken from the national session table ({s.text})")


def _years(report: Report) -> None:
    """Review and plan years: the meeting date sets them when the text states it; otherwise headings, the
    targets paragraph and the opening's dated sentence, then the title."""
    review, plan, five = _years_from_sections(report)
    if review is None:
        review = _review_from_text(report.text)
    if plan is None and review is not None:
        plan = review + 1
    if review is None and plan is not None:
        review = plan - 1
    if report.meeting_date:
        dated_review, dated_plan = _years_from_date(report.meeting_date, report.text)
        if plan is not None and plan != dated_plan:
            report.warn(f"headings suggest plan year {plan} but the meeting date {report.meeting_date} gives "
                        f"{dated_plan}; using the meeting date")
        plan, review = dated_plan, dated_review
    if plan is None and report.title:
        m = re.search(YEAR, report.title)
        if m:
            plan = cn_int(m.group(1))
            review = plan - 1 if plan else None
            report.warn("review and plan years guessed from the title year (no dated heading or meeting date)")
    if plan is not None and review is not None and plan != review + 1:
        report.warn(f"review year {review} and plan year {plan} are not consecutive")
    report.review_year, report.plan_year = review, plan
    if five is None:
        f = FIVE_YEAR_NAME.search(" ".join(s.title for s in report.sections if s.level == 1 and s.kind == "review"))
        if f:
            five = _five_year(f.group(1), "review")
    if five is not None and review is not None and five["role"] == "review" and five["end"] != review:
        five = None  # a mention of the current plan period, not a five-year review
    report.five_year = five


def _years_from_sections(report: Report) -> tuple[int | None, int | None, dict | None]:
    """Years in the level-1 headings. A plan-classified heading that reads like a review (2023年工作完成情况)
    counts as the review; of several dated plan headings the one right after the review year wins."""
    review = None
    plans: list[int] = []
    five = None
    for sec in report.sections:
        if sec.level != 1 and sec.kind != "targets":
            continue
        title = report.text[sec.heading_span[0] : sec.span[1]][:120] if sec.kind == "targets" else sec.title
        rm = REVIEW_HEAD.search(sec.title)
        if sec.kind == "review" or (sec.kind == "plan" and rm):
            if review is None:
                # "过去五年工作的回顾2007年以来，…": the year a period starts from is not the year reviewed
                m = rm or re.search(YEAR + r"(?!以来|至今)", sec.title)
                review = cn_int(m.group(1)) if m else None
            f = FIVE_YEAR_NAME.search(sec.title)
            if f and five is None:
                five = _five_year(f.group(1), "review")
        elif sec.kind in ("plan", "targets"):
            m = PLAN_TARGETS.search(title) if sec.kind == "targets" else PLAN_HEAD.search(sec.title)
            if m and cn_int(m.group(1)):
                plans.append(cn_int(m.group(1)))
            f = FIVE_YEAR_NAME.search(sec.title)
            if f and five is None and sec.kind == "plan" and not m:
                five = _five_year(f.group(1), "plan")
    plan = plans[0] if plans else None
    if review is not None and review + 1 in plans:
        plan = review + 1
    elif review is None and len(plans) > 1 and plans[1] == plans[0] + 1:
        review, plan = plans[0], plans[1]  # 一、2023年主要工作 / 二、2024年主要目标: the first is the review
    return review, plan, five


def _review_from_text(text: str) -> int | None:
    """The review year from the text when no heading gives it: a 2023年工作回顾 line anywhere, else the opening's
    first dated sentence (2023年，是…之年 / 刚刚过去的2023年 / 2023年，在…领导下)."""
    m = REVIEW_LINE.search(text)
    if m:
        return cn_int(m.group(1))
    start = max(text.find("各位代表", 0, 2 * HEADER_CHARS), 0)
    m = REVIEW_OPENING.search(text, start, start + OPENING_CHARS)
    return cn_int(m.group(1) or m.group(2)) if m else None


def _years_from_date(meeting_date: str, text: str) -> tuple[int, int]:
    """(review, plan) from the meeting date. A session from September on plans the next year and reviews the
    current one; one in the first half of the year plans that year. A mid-year session (June-August) plans that
    year unless the text presents next year's plan more often than this year's (1980-08-30: the 1981 plan)."""
    year, month = int(meeting_date[:4]), int(meeting_date[5:7])
    if month >= 9:
        return year, year + 1
    if month >= 6:
        plans = Counter(cn_int(_nospace(y)) for y in YEAR_PLAN.findall(text))
        if plans[year + 1] > plans[year]:
            return year - 1, year + 1
    return year - 1, year


def _five_year(ordinal: str, role: str) -> dict:
    n = (cn_int(ordinal) or 0) + 10  # 十三五 -> the 13th five-year plan
    start = 1966 + 5 * (n - 3)  # the 3rd plan began in 1966 (1963-65 was an adjustment period)
    return {"name": f"十{ordinal}五", "start": start, "end": start + 4, "role": role}


def _region(report: Report, place: str, national: bool) -> None:
    text = report.text
    when = report.meeting_date or (str(report.plan_year) if report.plan_year else None)
    org = _speaker_org(report)
    delegate = DELEGATE.search(text[:HEADER_CHARS + 1500])
    delegate_org = _nospace(delegate.group("org")) if delegate else ""
    if (national or org.startswith("国务院") or delegate_org in ("中央", "中华人民共和国")
            or (delegate and delegate.group(0).endswith("国务院") and not delegate_org)
            or (not delegate and NATIONAL_VOICE.search(text[:HEADER_CHARS + 1500]))):
        _set_division(report, divisions.NATIONAL)
        return
    title_place = _title_place(report.title)
    level_hint = _level_hint(report.speaker.title, delegate_org) or _self_level(text)
    candidates = [c for c in (place, title_place, org, delegate_org) if c and len(c) >= 2]
    for cand in candidates:
        div = divisions.resolve(cand, when, context=text)
        if div is not None and _fits(div, level_hint):
            _set_division(report, div, _find_span(text, cand))
            return
    if level_hint in ("district", "county"):  # a district names itself by its short name (雨山, 四方台)
        local = divisions.find_local_unit(text, when, ("district", "county", "county_city"))
        if local is not None and _fits(local, level_hint):
            _set_division(report, local, _find_span(text, local.name))
            report.warn(f"region {local.name} inferred from repeated mentions of its short name")
            return
    mentions = divisions.find_mentions(text, when)
    ranked = sorted(mentions.items(), key=lambda kv: -kv[1])
    provincial = divisions.under_a_province(text)  # a 嘉兴 report names 上海 often, but speaks of its 省委
    for code, count in ranked[:8]:
        div = divisions.lookup(code, when)
        if provincial and code[:2] in divisions.MUNICIPALITIES:
            continue
        if div is not None and count >= 3 and _fits(div, level_hint):
            _set_division(report, div, _find_span(text, div.name))
            report.warn(f"region {div.name} inferred from repeated mentions ({count}) of its name")
            return
    meta_place = next((str(report.source.meta[k]) for k in ("region", "city", "county", "province", "地区", "省份")
                       if report.source.meta.get(k)), "")
    if meta_place:
        div = divisions.resolve(meta_place, when, context=text)
        if div is not None:
            _set_division(report, div)
            report.warn(f"region {div.name} taken from the corpus metadata column, not the text")
            return
    written = next((c for c in candidates if c), "")
    if written:
        report.region.name = written
        report.region.level = _level_from_name(written)
        same = divisions.namesakes(written, when)
        if len(same) > 1:  # the text does not say which one: a guess would be a wrong code
            where = "、".join(f"{d.prefecture or d.province or ''}{d.name}" for d in same[:4])
            report.warn(f"region {written!r} is ambiguous ({where}) and the text does not say which: no code given")
        else:
            report.warn(f"region {written!r} not found in the division table for {when or 'an unknown date'}")
    else:
        report.warn("region not found in the text")


def _title_place(title: str | None) -> str:
    if not title:
        return ""
    t = re.sub(r"(?:19|20)\d\d\s*年度?", "", title)
    t = re.sub(r"(?:人民)?政府工作报告.*$", "", t)
    return _nospace(t)


def _level_hint(speaker_title: str | None, delegate_org: str) -> str | None:
    if speaker_title:
        for key, level in LEVEL_FROM_TITLE.items():
            if speaker_title.endswith(key):
                return level
    if delegate_org:
        return _level_from_name(delegate_org)
    return None


def _level_from_name(name: str) -> str | None:
    for suffix, level in LEVEL_FROM_SUFFIX:
        if name.endswith(suffix):
            return level
    return None


def _self_level(text: str) -> str | None:
    """The level a report gives itself (全市, 我州 …) when one word clearly dominates."""
    counts = Counter(SELF_WORDS.findall(text[:30000]))
    if not counts:
        return None
    (word, n), *rest = counts.most_common(2)
    return SELF_LEVEL[word] if n >= 3 and (not rest or n >= 2 * rest[0][1]) else None


def _fits(div: divisions.Division, hint: str | None) -> bool:
    """Whether a division agrees with the speaker's title or the government's own name for itself: a 市长 heads
    a city (prefecture-level, county-level or one of the four municipalities), a 州长 an autonomous prefecture."""
    level, name = div.level, div.name
    if hint is None:
        return True
    if hint == "city":
        return (level in ("prefecture", "county_city") and name.endswith("市")) or (
            level == "province" and div.code[:2] in divisions.MUNICIPALITIES)
    if hint == "prefecture":
        return level == "prefecture" and not name.endswith("市")
    if hint == "county":
        return level == "county"  # 县, 自治县, 旗, 特区, 林区: a 县长 never heads a 市
    if hint == "district":
        return level in ("district", "county", "county_city")  # 特区/林区 heads are 区长
    if hint == "province":
        return level == "province" and div.code[:2] not in divisions.MUNICIPALITIES
    return level == hint


def _find_span(text: str, name: str) -> tuple[int, int] | None:
    i = text.find(name)
    return (i, i + len(name)) if i >= 0 else None


def _set_division(report: Report, div: divisions.Division, span: tuple[int, int] | None = None) -> None:
    r = report.region
    r.name, r.level, r.province, r.prefecture, r.code = div.name, div.level, div.province, div.prefecture, div.code
    r.span = span
