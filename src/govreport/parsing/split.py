"""Stage 3, split: one normalised file text -> the character ranges of the reports it holds.

A work report opens with one address to the deputies ("各位代表：现在，我代表…人民政府向大会报告工作"). A
compilation holds several such openings, each preceded by its own header (title, date line, speaker); a scraped
page that repeats itself holds several *identical* openings. The table of contents (目录) of a compilation
says which reports it should hold, so missing ones can be named.
"""

from __future__ import annotations

import re

from govreport.model import Report

OPENING = re.compile(
    r"^[ \t]*(?:各位代表[:：，,！!]?[ \t]*\n?[ \t]*)?"
    r"(?:(?:现在[,，、]?\s*)?我代表[^\n。]{0,40}?(?:人民政府|政府|国务院)[^\n。]{0,12}?向大会(?:作|做)?(?:报告|汇报)"
    # a plan report given as the work report: "我受国务院的委托，现在向大会提出关于1980、1981年国民经济计划安排的报告"
    r"|我受(?:国务院|[^\n。]{0,12}人民政府)的?委托[，,]\s*(?:现在)?向大会(?:作|做|提出)[^\n。]{0,40}?报告)",
    re.M,
)
SALUTATION = re.compile(r"^[ \t]*各位代表[:：]?[ \t]*$", re.M)
# header lines that can sit above an opening: title, (摘要), date/meeting line, speaker line, blank
HEADER_LINE = re.compile(
    r"^[ \t]*(?:$|.{0,40}政府工作报\s*告.{0,12}$|[（(]?[—－-]*\s*\d{4}\s*年.{0,60}(?:会议|大会).{0,6}$"
    r"|.{0,30}(?:人民政府|人民代表大会|国务院).{0,20}$|[（(]?摘\s*要[)）]?$|.{0,12}(?:长|主席|总理)\s*\S{1,4}(?:\s\S{1,3})?$)"
)
TOC_TITLE = re.compile(r"^[ \t]*目\s*录[ \t]*$", re.M)
TOC_ENTRY = re.compile(r"^[ \t]*(\d{1,3})\s*[.、．]\s*(.{2,60}?)[ \t.·…]*(\d{1,4})[ \t]*$")
TOC_GROUP = re.compile(r"^[ \t]*[一二三四五六七八九十]+[、.．]\s*\S{1,12}[ \t]*$")
FINAL_PUNCT = "。！!？?…”’」』）)"
SIGNALS = {
    "title": re.compile(r"政\s*府\s*工\s*作\s*报\s*告"),
    "opening": OPENING,
    "deputies": re.compile(r"^[ \t]*各位代表", re.M),
    "meeting": re.compile(r"在.{0,30}人民代表大会.{0,12}次会议上"),
    "review": re.compile(r"^[ \t]*[一二三四五六七八九十]+[、.．].{0,30}(?:工作回顾|回顾)", re.M),
    "plan": re.compile(r"^[ \t]*[一二三四五六七八九十]+[、.．].{0,40}(?:工作安排|工作任务|主要任务|重点工作|工作部署|目标任务)", re.M),
    "targets": re.compile(r"(?:主要预期目标|主要目标|预期目标)"),
}
STRONG = {"opening", "deputies", "meeting", "review", "plan"}
# A piece of a report without its header and opening (a page of a scrape, a newspaper excerpt, the targets
# alone) still speaks as the government about its own year: it reviews last year or plans this one.
GENRE = {
    "review": re.compile(r"过去(?:的)?一年|过去五年|刚刚过去的|回顾|一年来"),
    "plan": re.compile(r"今年(?:是|的|经济社会|全[市省县区州盟国]|我[市省县区州])|(?:19|20)\d\d年(?:工作安排|的?主要任务|重点工作)"
                       r"|主要预期目标|目标任务"),
}
VOICE = re.compile(r"我们|全[市省县区州盟国]|我[市省县区州盟国]")
NEWS = re.compile(r"记者|新华社[^\n。]{0,12}电|本报讯|据悉|据了解|代表们|答记者问")
FRAGMENT_MIN_CHARS = 800
MIN_CJK_SHARE = 0.5  # a report is Chinese prose; a manifest row or README quoting it is mostly not
FRAGMENT_MIN_VOICE = 8


def report_kind(text: str) -> str | None:
    """None for text that is not mostly Chinese; "full" when the text shows a report's structure (one structural sign, and a second sign or report talk); "fragment"
    when it only speaks like one (a scrape's page, an excerpt: review or plan talk in the government's own
    voice, long enough, no reporter's words); None for anything else (a news story, a manifest row)."""
    letters = len(text) - text.count(" ") - text.count("\n")
    if letters and _cjk_count(text) < MIN_CJK_SHARE * letters:
        return None
    found = {name for name, pattern in SIGNALS.items() if pattern.search(text)}
    if found & STRONG and len(found) >= 2:
        return "full"
    if len(text) < FRAGMENT_MIN_CHARS or NEWS.search(text):
        return None
    genre = {name for name, pattern in GENRE.items() if pattern.search(text)}
    if found & STRONG and genre:
        return "full"
    voice = sum(1 for _ in zip(range(FRAGMENT_MIN_VOICE), VOICE.finditer(text)))
    return "fragment" if genre and voice >= FRAGMENT_MIN_VOICE else None


def _cjk_count(text: str) -> int:
    """Characters in U+3400–U+9FFF, counted in C: in UTF-16 each is one code unit whose high byte is 0x34–0x9F
    (surrogates, for characters beyond, are 0xD8–0xDF), so deleting those bytes from the high bytes counts them."""
    high = text.encode("utf-16-le", "surrogatepass")[1::2]
    return len(high) - len(high.translate(None, _CJK_HIGH_BYTES))


_CJK_HIGH_BYTES = bytes(range(0x34, 0xA0))


def looks_like_report(text: str) -> bool:
    """Whether ``text`` is a work report or a recognisable part of one (see :func:`report_kind`)."""
    return report_kind(text) is not None


def split_reports(text: str, kind: str | None = "") -> tuple[list[tuple[int, int]], list[str]]:
    """Ranges of the reports in ``text`` (empty if it is not a report) and file-level warnings; ``kind`` is
    :func:`report_kind` of the text when the caller has it already."""
    kind = report_kind(text) if kind == "" else kind
    if kind is None:
        return [], []
    if kind == "fragment":
        return [(0, len(text))], ["only part of a report: no title, opening address or meeting line, and no "
                                  "numbered review/plan headings; parsed for what it holds"]
    warnings: list[str] = []
    openings = _anchors(text)
    if len(openings) <= 1:
        return [(0, len(text))], warnings
    starts = [_header_start(text, pos) for pos in openings]
    starts[0] = _first_start(text, starts[0])
    ranges = [(s, e) for s, e in zip(starts, starts[1:] + [len(text)])]
    ranges, repeats = _drop_repeats(text, ranges, openings)
    if repeats:
        warnings.append(f"the text repeats itself ({repeats + 1} copies of the same report); kept the first copy")
        if len(ranges) == 1:
            ranges = [(0, ranges[0][1])]
    return ranges, warnings


def _openings(text: str) -> list[int]:
    """Start offsets of the opening addresses (the 各位代表 line when it directly precedes 我代表)."""
    found = []
    for m in OPENING.finditer(text):
        start = m.start()
        prev = text.rfind("\n", 0, max(start - 1, 0))
        line_start = prev + 1 if prev >= 0 else 0
        if start > 0 and SALUTATION.match(text, line_start) and text[line_start:start].strip().startswith("各位代表"):
            start = line_start
        found.append(start)
    return found


TITLED_HEADER = re.compile(
    r"^[ \t]*[^\n]{0,30}政府工作报告[^\n]{0,8}\n(?:[ \t]*\n)?[^\n\d]{0,12}(?:(?:19|20)\d\d|[一二〇○][一二三四五六七八九〇○]{3})\s*年"
    r"[^\n]{0,40}在[^\n]{0,40}(?:人民代表大会|人大)",
    re.M,
)


def _anchors(text: str) -> list[int]:
    """Where reports begin: each opening address, and each title + date-line header (an abstract may have no
    opening address); anchors within one header block count once."""
    found = sorted(set(_openings(text)) | {m.start() for m in TITLED_HEADER.finditer(text) if not _in_contents(text, m.start())})
    anchors: list[int] = []
    for pos in found:
        if anchors and pos - anchors[-1] < 400 and "\n一、" not in text[anchors[-1] : pos]:
            continue
        anchors.append(pos)
    return anchors


def _in_contents(text: str, pos: int) -> bool:
    line_end = text.find("\n", pos)
    return bool(TOC_ENTRY.match(text[pos : line_end if line_end >= 0 else len(text)]))


def _header_start(text: str, pos: int) -> int:
    """Walk back from an opening over header-like lines (title, date line, speaker, blank)."""
    start = pos
    while start > 0:
        prev_end = start - 1  # the "\n" before the current line
        prev_start = text.rfind("\n", 0, prev_end) + 1
        line = text[prev_start:prev_end]
        if not HEADER_LINE.match(line) or TOC_ENTRY.match(line) or (line.strip() and line.strip()[-1] in "。！!；;"):
            break
        start = prev_start
    while start < pos and text[start] in " \t\n":
        start += 1
    return start


def _first_start(text: str, start: int) -> int:
    """The first report of a compilation starts after its table of contents; of a plain file, at the top."""
    toc = TOC_TITLE.search(text, 0, start)
    if toc:
        return start
    return 0


def _drop_repeats(text: str, ranges: list[tuple[int, int]], openings: list[int]) -> tuple[list[tuple[int, int]], int]:
    """Merge identical copies of one report (scraped pages that repeat): same opening paragraph and body start,
    or a copy cut short whose text is the start of an earlier one (a page that repeats its first sentence)."""
    kept: list[tuple[int, int]] = []
    signatures: list[str] = []
    repeats = 0
    for (start, end), pos in zip(ranges, openings):
        sig = re.sub(r"\s+", "", text[pos : min(pos + 600, end)])
        if any(sig == s or (len(sig) >= 20 and s.startswith(sig)) for s in signatures):
            repeats += 1
            continue
        signatures.append(sig)
        kept.append((start, end))
    return kept, repeats


def contents_entries(text: str) -> list[tuple[int, str, int]]:
    """(number, title, page) of each entry in the table of contents, if the file has one."""
    toc = TOC_TITLE.search(text)
    if not toc:
        return []
    entries = []
    pos = toc.end() + 1
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line = text[pos:end]
        m = TOC_ENTRY.match(line)
        if m:
            entries.append((int(m.group(1)), m.group(2).strip(), int(m.group(3))))
        elif line.strip() and not TOC_GROUP.match(line):
            break
        pos = end + 1
    return entries


def _entry_name(title: str) -> str:
    """The place named by a contents entry: 2024年泰州市高港区政府工作报告 -> 泰州市高港区."""
    name = re.sub(r"^\s*(?:19|20)\d\d\s*年度?", "", title)
    name = re.sub(r"(?:人民)?政府工作报告.*$", "", name)
    return name.strip()


def check_against_contents(text: str, reports: list[Report]) -> None:
    """Compare the reports found with the table of contents: every report gets the summary, the last one (where
    a cut-off compilation stops) the name of every listed report that is absent."""
    entries = contents_entries(text)
    if not entries or not reports:
        return
    present = [(report.region.name or "", report.title or "", report.text[:300]) for report in reports]
    missing = []
    for number, title, page in entries:
        name = _entry_name(title)
        short = re.sub(r"(?:市|区|县|省)$", "", name.split("市")[-1] if name.count("市") > 1 else name)
        found = any(
            name and (name in head or name in rtitle or (rname and (rname in name or name.endswith(rname))))
            or (len(short) >= 2 and short in rtitle)
            for rname, rtitle, head in present
        )
        if not found:
            missing.append(f"{number}.{title} (p.{page})")
    if not missing:
        return
    for report in reports:
        report.warn(f"the table of contents lists {len(entries)} reports but the file holds {len(reports)}; "
                    f"{len(missing)} listed reports are absent")
    for m in missing:
        reports[-1].warn(f"listed in the table of contents but absent: {m}")


CLOSING = re.compile(r"^[ \t]*(?:各位代表|同志们)[^\n]*[！!。]?[ \t]*$|^[^\n]*让我们[^\n]*[！!。][ \t]*$", re.M)


RALLY = re.compile(r"让我们[^\n]*[！!。]")  # the closing call of a full report ("让我们…努力奋斗！")


def check_complete(report: Report) -> None:
    """Warn when a report stops mid-way: text cut mid-sentence (with no closing address before a trailing
    footer), or no plan part at all."""
    tail = report.text.rstrip()
    closed = CLOSING.search(report.text, int(len(report.text) * 0.7)) is not None
    if tail and tail[-1] not in FINAL_PUNCT and not closed:
        snippet = tail[-20:].replace("\n", " ")
        report.truncated = True
        report.warn(f"report appears truncated: the text stops mid-sentence (…{snippet})")
    elif not any(s.kind in ("plan", "targets", "tasks") for s in report.sections) and report.kind == "full":
        # (a local report ends on its rally call; older State Council reports end in their own ways)
        if (not report.targets and report.region.level != "national"
                and not RALLY.search(report.text, int(len(report.text) * 0.7))):
            # the review, then nothing (its "各位代表！过去一年的成绩…" is no closing): the file stops before the plan
            report.truncated = True
            report.warn("report appears truncated: it ends after the review, with no plan part and no closing")
        elif not report.targets:
            report.warn("no plan part (this year's work) found: the report may be incomplete")
