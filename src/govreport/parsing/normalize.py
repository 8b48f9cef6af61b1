"""Stage 2, normalise: clean text while keeping an offset map back to the input text.

Every output character remembers the index of the input character it came from (for a many-to-one
replacement such as an HTML entity or a literal "<U+00A0>", the first character of the replaced run), so a
span found in clean text can always be shown in the original. One-to-one character fixes (full-width digits,
radical look-alikes, odd spaces) go through ``str.translate`` and leave the map untouched; everything else is a
regex pass that rebuilds the map with array slicing, never a Python loop per character. The map is an
``array('i')`` (4 bytes per character, not the ~36 of a list of ints), which keeps peak memory of a parse
within a few times the input.
"""

from __future__ import annotations

import html
from array import array
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from govreport.parsing.numbers import parse_number


@dataclass
class Normalized:
    """Normalised text and, for every character of it, the index of its origin in the input text."""

    text: str
    offsets: array  # array('i'): index into the input text, one per character of ``text``

    def slice(self, start: int, end: int) -> "Normalized":
        return Normalized(self.text[start:end], self.offsets[start:end])


Replacement = str | Callable[[re.Match[str]], str]


def _sub(doc: Normalized, pattern: re.Pattern[str], repl: Replacement) -> Normalized:
    """Regex substitution that carries the offset map: replaced runs map to their first input character."""
    text, offsets = doc.text, doc.offsets
    pieces: list[str] = []
    new_offsets = array("i")
    pos = 0
    changed = False
    for m in pattern.finditer(text):
        start, end = m.span()
        out = repl if isinstance(repl, str) else repl(m)
        if out == m.group(0):
            continue
        changed = True
        pieces.append(text[pos:start])
        new_offsets.extend(offsets[pos:start])
        pieces.append(out)
        kept = end - start if out.startswith(m.group(0)) else 0  # an insertion after the match keeps its offsets
        new_offsets.extend(offsets[start : start + kept])
        if kept:  # inserted after the match: maps to the match's last character, so the map stays in order
            anchor = offsets[start + kept - 1]
        else:
            anchor = offsets[start] if start < len(offsets) else (offsets[-1] if offsets else 0)
        new_offsets.extend(array("i", [anchor]) * (len(out) - kept))
        pos = end
    if not changed:
        return doc
    pieces.append(text[pos:])
    new_offsets.extend(offsets[pos:])
    return Normalized("".join(pieces), new_offsets)


def _drop(doc: Normalized, pattern: re.Pattern[str], chars: str) -> Normalized:
    """Delete ``chars`` inside every match; kept characters keep their own offsets."""
    text, offsets = doc.text, doc.offsets
    keep_text: list[str] = []
    keep_offsets = array("i")
    pos = 0
    for m in pattern.finditer(text):
        keep_text.append(text[pos : m.start()])
        keep_offsets.extend(offsets[pos : m.start()])
        for k in range(m.start(), m.end()):
            if text[k] not in chars:
                keep_text.append(text[k])
                keep_offsets.append(offsets[k])
        pos = m.end()
    if pos == 0:
        return doc
    keep_text.append(text[pos:])
    keep_offsets.extend(offsets[pos:])
    return Normalized("".join(keep_text), keep_offsets)


# --- one-to-one character fixes (offsets untouched) -------------------------------------------------------


@lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0xFF10, 0xFF1A):  # ０-９
        table[code] = chr(code - 0xFEE0)
    for code in list(range(0xFF21, 0xFF3B)) + list(range(0xFF41, 0xFF5B)):  # Ａ-Ｚ ａ-ｚ
        table[code] = chr(code - 0xFEE0)
    table[0xFF05] = "%"  # ％
    for code in (0x00A0, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A, 0x202F,
                 0x205F, 0x3000, 0x0009, 0x000B, 0x000C):
        table[code] = " "
    table[0x2028] = "\n"
    table[0x2029] = "\n"
    for code in range(0x2F00, 0x2FD6):  # Kangxi radicals: NFKC gives the ideograph
        table[code] = unicodedata.normalize("NFKC", chr(code))
    for code in range(0xF900, 0xFB00):  # CJK compatibility ideographs
        mapped = unicodedata.normalize("NFKC", chr(code))
        if len(mapped) == 1 and mapped != chr(code):
            table[code] = mapped
    with resources.files("govreport.data").joinpath("radicals.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line and not line.startswith("#"):
                radical, ideograph = line.split("\t")[:2]
                table[ord(radical)] = ideograph
    return table


@lru_cache(maxsize=1)
def _char_fixes() -> re.Pattern[str]:
    """Runs of characters the table changes: translating only those is 5× faster than the whole text."""
    return re.compile("[" + re.escape("".join(chr(code) for code in sorted(_char_table()))) + "]+")


# --- patterns ------------------------------------------------------------------------------------------

ARTEFACT = re.compile(r"<U\+([0-9A-Fa-f]{4,6})>")
LINE_ENDS = re.compile(r"\r+\n|\r")
ZERO_WIDTH_CHARS = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH_CHARS}]+")
MARKUP = re.compile(r"</?(?:p|div|span|br|h[1-6]|li|ul|ol|td|tr|th|table|tbody|a|b|strong|em|i|font|section|"
                    r"article|img|center|blockquote)\b[^<>]{0,400}>", re.I)
HTML_DROP = re.compile(r"<!--.*?-->|<(script|style|noscript)\b[^>]*>.*?</\1\s*>", re.I | re.S)
HTML_BLOCK = re.compile(r"\s*<(?:/?(?:p|div|h[1-6]|li|ul|ol|tr|table|tbody|section|article|blockquote|center)"
                        r"|br)\b[^<>]{0,400}>\s*", re.I)
HTML_INLINE = re.compile(r"</?[A-Za-z][A-Za-z0-9]*\b[^<>]{0,400}>")
ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
LIST_WRAPPER = re.compile(r"\A\s*\[\s*(?=<)|(?<=>)\s*\]\s*\Z")
CJK = "\u3400-\u4dbf\u4e00-\u9fff"
SPACED = re.compile(rf"(?<![{CJK}])[{CJK}](?: [{CJK}]){{2,}}(?![{CJK}])")
SPACED_HINT = re.compile(rf" (?<=[{CJK}] )[{CJK}] (?=[{CJK}])")  # what every SPACED match holds, found fast
LEADING = re.compile(r"(?m)^[ ]+")
TRAILING = re.compile(r"(?m)[ ]+$")
SPACE_RUNS = re.compile(r"[ ]{2,}")
BLANK_RUNS = re.compile(r"\n{3,}")
FULLWIDTH_POINT = re.compile(r" ?．(?:(?<=\d．)|(?<=\d ．))(?=\d)")  # 8．8, and 8 ．8 in spaced-digit texts
# A text that lost its line breaks (one report per line, newlines turned into TABs) keeps its paragraph
# boundaries only as TABs and runs of ideographic-space indentation: those become line breaks again.
INDENT_BREAK = re.compile(r"(?<=\S)[ \t\u00a0]*(?:\t|\u3000{2,})[ \t\u00a0\u3000]*")
FLAT_TEXT_CHARS = 3000  # at most one line break per this many characters: a flattened text
# In a flattened text the numbered headings run on after the previous sentence ("…任务。一、聚焦抓项目增效益"):
# each starts a line again.
INLINE_HEADING = re.compile(r"(?<=[。！？；!?;])[ \u3000]*(?=[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])")
# A top-level heading run into its first sentence ("一、过去五年工作回顾刚刚过去的2022年，…"): the heading ends at its
# closing words and the sentence starts a line of its own. The line-start test follows the first numeral, so the
# regex engine scans for numerals rather than trying the lookbehind at every position.
GLUED_HEADING = re.compile(r"[一二三四五六七八九十](?<![^\n][一二三四五六七八九十])[一二三四五六七八九十]{0,2}、[^\n，。；]{0,20}?"
                           r"(?:工作回顾|重点工作安排|工作安排|总体要求和主要目标)(?=[^\n，。；、]{4,}[，。])")
# The numeral and unit characters a traditional copy writes otherwise (their simplified forms are the only
# reading), so figures are read before the whole text is made simplified.
TRADITIONAL_NUMERAL = str.maketrans("點億萬兩噸擔畝戶頃時", "点亿万两吨担亩户顷时")
TRADITIONAL_NUMERAL_HINT = re.compile(r"[點億萬兩噸擔畝戶頃時]")
# Numbers in older texts: 百分之十四点六, 六百四十三亿七千万元, spaced digits (1 9 9 8 年, 8 ％), 19·5％.
CN_NUMERAL_CHARS = "零〇○一二两三四五六七八九十百千万亿点"
CN_PERCENT = re.compile(rf"(百|千)分之([{CN_NUMERAL_CHARS}]+)(?:(至|到|—|－|-)(?:\1分之)?([{CN_NUMERAL_CHARS}]+))?")
CN_AMOUNT = re.compile(  # a numeral not preceded by another (or by 几, 第 …): the lookbehind after its first character
    rf"([{CN_NUMERAL_CHARS}](?<![\d.几数上成多第{CN_NUMERAL_CHARS}][{CN_NUMERAL_CHARS}])[{CN_NUMERAL_CHARS}]+)"
    r"(?=元|美元|吨|斤|公斤|担|千瓦小时|度|人|户|亩|公顷|立方米)"
)
# Old line-wrap points left as stray spaces inside words ("经 济增长"): dropped when body lines are full of them.
CJK_GAP = re.compile(rf" (?<=[{CJK}] )(?=[{CJK}])")  # the space first: a leading lookbehind is tried everywhere
LONG_LINE = re.compile(r"^[^\n]{60,}$", re.M)
STRAY_GAPS_MIN = 5
# Whole lines of a web page's frame copied with its article: breadcrumbs, font-size and print links, the
# editor's and the site's credits. No line of a report starts so; the article's own 来源/时间 line is kept (the
# metadata stage knows a publication date is not the meeting date).
WEB_CHROME = re.compile(r"^[ \t]*(?:首页[ \t]*[>＞›»]|当前位置[:：]|您(?:现在)?的位置[:：]|字号[:：]|【?(?:打印本页|关闭窗口)"
                        r"|责任编辑[:：]|(?:网站)?版权所有|网站标识码|[京沪粤浙苏]?ICP备|主办单位[:：]|分享到[:：]?[ \t]*$)"
                        r"[^\n]{0,80}(?:\n|$)", re.M)  # short lines only: a flattened report is one long line
WEB_CHROME_HINT = re.compile(r"首页|当前位置|位置[:：]|字号|打印本页|关闭窗口|责任编辑|版权所有|网站标识码|ICP备|主办单位|分享到")
# Page numbers of an official document ("— 1 —") left inside the text where a page broke a sentence.
PAGE_MARK = re.compile(r" ?[—－] +\d{1,3} +[—－] ?")
# A year in Chinese digits (一九五八年) becomes Arabic digits: the same four characters, so offsets are kept.
CN_YEAR = re.compile(r"(?<![一二三四五六七八九十〇○零两])[一二三四五六七八九〇○零]{4}(?=年)")
CN_YEAR_HINT = re.compile(r"年(?<=[一二三四五六七八九〇○零]{4}年)")  # what every CN_YEAR match is followed by, found fast
CN_DIGIT = str.maketrans("〇○零一二三四五六七八九", "000123456789")
# A year in Chinese digits with its 年 dropped ("以粮食和棉花的产量来说，一九五八粮食的指标为3920亿斤"): 19xx or 20xx
# standing alone, not part of a longer numeral; it is written 1958年, so the sentence is dated like any other.
CN_YEAR_BARE = re.compile(r"(?<![一二三四五六七八九十〇○零两])(?:一九|二[〇○零])[一二三四五六七八九〇○零]{2}"
                          r"(?![一二三四五六七八九十〇○零两百千万亿年])")
# Newspaper page jumps: "（下转第四版）（紧接第一版）" sit inside a sentence that goes on on another page.
PAGE_JUMP = re.compile(r"\s*[（(](?:下转|上接|紧接|接|转)第?[一二三四五六七八九十\d]{1,3}版[)）]\s*")
SPACED_DIGITS = re.compile(r" (?<=\d )(?:(?<!\d\d )(?=\d)|(?=[%年月日亿万.]))")  # not "1991 1991年"
# OCR'd texts write 0 as O and 1 as l ("增长1O%", "增长lO.5%"): a figure of digits and those letters, with at least
# one real digit, right before a percent sign and not part of a Latin word, is read as digits.
# a digit next to one of those letters (\d[OolI]|[OolI][\d.%％]), the letter first: found by a fast scan for it
OCR_DIGIT_HINT = re.compile(r"[OolI](?:(?<=\d[OolI])|(?=[\d.%％]))")
OCR_DIGITS = re.compile(r"(?<![A-Za-z\dOolI.])[\dOolI][\dOolI.]*(?=[%％])")  # tried at run starts only: linear
OCR_TO_DIGIT = str.maketrans("OolI", "0011")


def _ocr_digits(m: re.Match[str]) -> str:
    run = m.group(0)
    has_digit = any(c.isdigit() for c in run)
    return run.translate(OCR_TO_DIGIT) if has_digit and not run.isdigit() else run


# OCR'd texts read 入 as 人 in income names ("人均可支配收人", "农民人均纯收人"): one character for one, offsets kept.
OCR_INCOME = re.compile(r"人(?<=支配收人|.纯收人)")


DECIMAL_GAP = re.compile(r" (?<=\d\. )(?=\d+%)")  # "增长5. 5%以上"; not a list marker ("1. 2023年工作回顾")
MIDDLE_DOT_POINT = re.compile(r"[·•・](?<=\d[·•・])(?=\d)")
THOUSANDS_COMMA = re.compile(r"，(?<=\d，)(?=\d{3}(?![\d.]))")  # 34，250万吨 (a full-width thousands separator)


def _artefact(m: re.Match[str]) -> str:
    try:
        return chr(int(m.group(1), 16))
    except (ValueError, OverflowError):
        return m.group(0)


def _cn_percent(m: re.Match[str]) -> str:
    """百分之八至九 -> 8%至9%; 千分之十 -> 10‰ (the per-mille of population growth)."""
    sign = "%" if m.group(1) == "百" else "‰"
    value = parse_number(m.group(2))
    high = parse_number(m.group(4)) if m.group(4) else None
    if value is None or (m.group(4) and high is None):
        return m.group(0)
    return f"{_plain(value)}{sign}" + (f"{m.group(3)}{_plain(high)}{sign}" if high is not None else "")


def _cn_amount(m: re.Match[str]) -> str:
    """六百四十三亿七千万 + 元 -> 643.7亿: the value is written in the largest unit word it uses."""
    written = m.group(1)
    value = parse_number(written)
    if value is None or (value < 10 and not any(u in written for u in "百千万亿")):
        return written
    scale = next((w for w in ("亿", "万") if w in written), "")
    return f"{_plain(value / {'亿': 1e8, '万': 1e4, '': 1}[scale])}{scale}"


def _plain(value: float) -> str:
    """A number as digits, without float noise or exponent (643.7, 1.50724, 3500)."""
    return f"{round(value, 6):f}".rstrip("0").rstrip(".")


def _entity(m: re.Match[str]) -> str:
    out = html.unescape(m.group(0))
    return out if len(out) <= 2 else m.group(0)


IDENTITY_CACHED = 1 << 22  # characters: at most 16 MB of offsets kept for reuse
_IDENTITY = array("i")  # 0, 1, 2, …: grown (doubling) as longer texts come


def _identity(n: int) -> array:
    """0, 1, …, n-1 as an array: a slice (a memcpy) of a kept block rather than n Python ints converted one by
    one, which cost more than the rest of normalising a short report."""
    have = len(_IDENTITY)
    if have < n <= IDENTITY_CACHED:
        _IDENTITY.extend(range(have, min(max(n, 2 * have), IDENTITY_CACHED)))
    return _IDENTITY[:n] if n <= len(_IDENTITY) else array("i", range(n))


def normalize(raw: str) -> Normalized:
    """Character-level clean-up of a whole decoded input text.

    A pass runs only when the text holds what its pattern needs (a plain substring test): most texts need few."""
    doc = Normalized(raw, _identity(len(raw)))
    if "<U+" in raw:
        doc = _sub(doc, ARTEFACT, _artefact)
    if "\r" in doc.text:
        doc = _sub(doc, LINE_ENDS, "\n")
    if MARKUP.search(doc.text):
        doc = _sub(doc, LIST_WRAPPER, "")
        doc = _sub(doc, HTML_DROP, "")
        doc = _sub(doc, HTML_BLOCK, "\n")
        doc = _sub(doc, HTML_INLINE, "")
    if "&" in doc.text:
        doc = _sub(doc, ENTITY, _entity)
    if WEB_CHROME_HINT.search(doc.text):  # before the line count below: the frame's lines are not the text's
        doc = _sub(doc, WEB_CHROME, "")
    if doc.text.count("\n") * FLAT_TEXT_CHARS < len(doc.text):
        doc = _sub(doc, INDENT_BREAK, "\n")
    if doc.text.count("\n") * FLAT_TEXT_CHARS < len(doc.text):
        doc = _sub(doc, INLINE_HEADING, "\n")
    if "、" in doc.text:
        doc = _sub(doc, GLUED_HEADING, lambda m: m.group(0) + "\n")
    table = _char_table()
    doc = Normalized(_char_fixes().sub(lambda m: m.group(0).translate(table), doc.text), doc.offsets)
    if "．" in doc.text:
        doc = _sub(doc, FULLWIDTH_POINT, ".")
    doc = _sub(doc, MIDDLE_DOT_POINT, ".")
    if "— " in doc.text or "－ " in doc.text:
        doc = _sub(doc, PAGE_MARK, "")
    if "版）" in doc.text or "版)" in doc.text:
        doc = _sub(doc, PAGE_JUMP, "")
    if CN_YEAR_HINT.search(doc.text):
        doc = _sub(doc, CN_YEAR, lambda m: m.group(0).translate(CN_DIGIT))
    if "一九" in doc.text or "二〇" in doc.text or "二○" in doc.text or "二零" in doc.text:
        doc = _sub(doc, CN_YEAR_BARE, lambda m: m.group(0).translate(CN_DIGIT) + "年")  # the dropped 年 dates it
    if OCR_DIGIT_HINT.search(doc.text):
        doc = _sub(doc, OCR_DIGITS, _ocr_digits)
    if "收人" in doc.text:
        doc = _sub(doc, OCR_INCOME, "入")
    doc = _sub(doc, THOUSANDS_COMMA, ",")
    doc = _drop(doc, SPACED_DIGITS, " ")
    if ". " in doc.text:
        doc = _drop(doc, DECIMAL_GAP, " ")
    if TRADITIONAL_NUMERAL_HINT.search(doc.text):  # 百分之十七點八, 五千億元, 一億五千零七十二萬四千噸
        doc = Normalized(doc.text.translate(TRADITIONAL_NUMERAL), doc.offsets)
    if "分之" in doc.text:
        doc = _sub(doc, CN_PERCENT, _cn_percent)
    doc = _sub(doc, CN_AMOUNT, _cn_amount)
    if any(c in doc.text for c in ZERO_WIDTH_CHARS):
        doc = _sub(doc, ZERO_WIDTH, "")
    if SPACED_HINT.search(doc.text):
        doc = _drop(doc, SPACED, " ")
    if (len(CJK_GAP.findall(doc.text)) >= STRAY_GAPS_MIN  # one scan decides for the many texts without any
            and sum(len(CJK_GAP.findall(m.group(0))) for m in LONG_LINE.finditer(doc.text)) >= STRAY_GAPS_MIN):
        doc = _drop(doc, CJK_GAP, " ")
    if doc.text.startswith(" ") or "\n " in doc.text:
        doc = _sub(doc, LEADING, "")
    if doc.text.endswith(" ") or " \n" in doc.text:
        doc = _sub(doc, TRAILING, "")
    if "  " in doc.text:
        doc = _sub(doc, SPACE_RUNS, " ")
    if "\n\n\n" in doc.text:
        doc = _sub(doc, BLANK_RUNS, "\n\n")
    return _strip(doc)


TRADITIONAL_MIN_SHARE = 0.02  # converted when at least this share of the Chinese characters is traditional
# The most frequent characters that exist only in traditional script: a simplified text has (almost) none of them.
TRADITIONAL_HINT = re.compile("[們國會這個為經發產業時來說對與從過還實現進際區場當開關動體機長點義見讓問題設計應費務農縣鄉鎮質續億萬總級權術極兩傳統]")
TRADITIONAL_HINT_SHARE = 0.005
CJK_CHAR = re.compile(f"[{CJK}]")


def to_simplified(doc: Normalized) -> tuple[Normalized, int]:
    """A text in traditional characters (a Wikisource or Hong Kong copy) in simplified ones, so names, lexicon
    and divisions match; the number of characters changed (0 when the text is simplified already). The map
    is kept: conversion is character for character (a line whose length a phrase rule would change stays)."""
    if len(TRADITIONAL_HINT.findall(doc.text)) < TRADITIONAL_HINT_SHARE * len(doc.text):
        return doc, 0  # no sign of traditional script: the converter is not run at all
    cjk = len(CJK_CHAR.findall(doc.text))
    converter = _t2s()
    lines = doc.text.split("\n")
    converted = [converter.convert(line) for line in lines]
    converted = [new if len(new) == len(old) else old for old, new in zip(lines, converted)]
    text = "\n".join(converted)
    changed = sum(1 for a, b in zip(doc.text, text) if a != b)
    if changed < TRADITIONAL_MIN_SHARE * cjk:
        return doc, 0
    return Normalized(text, doc.offsets), changed


@lru_cache(maxsize=1)
def _t2s():  # type: ignore[no-untyped-def]
    import opencc  # bundled dictionaries, offline

    return opencc.OpenCC("t2s")


def _strip(doc: Normalized) -> Normalized:
    start = len(doc.text) - len(doc.text.lstrip())
    end = len(doc.text.rstrip())
    return doc if (start, end) == (0, len(doc.text)) else doc.slice(start, end)


# --- hard line breaks inside sentences -------------------------------------------------------------------

SENTENCE_END = tuple("。！？!?；;：:…”’）)」』】>")
HEADING_START = re.compile(
    r"(?:[一二三四五六七八九十]{1,3}[、.．]|第[一二三四五六七八九十]+[部章节]|[（(][一二三四五六七八九十\d]{1,3}[)）]"
    r"|\d{1,2}[.、．](?!\d)|[一二三四五六七八九十]{1,3}是|——|[①-⑳]|附件|各位代表)"
)
MID_SENTENCE = tuple("、，,（(“《")
NO_LINE_START = tuple("，。、；：）》”’%,.;:)?!？！")
OPENING = re.compile(r"^(?:各位代表|现在[,，]?我代表|我代表)", re.M)
DATE_LINE_OPEN = re.compile(r"^[（(—－-]+[^\n]*在[^\n]*$")


def _heading_like(line: str) -> bool:
    """A heading or title: a short line starting with a numbering marker, or a short line with no comma-like
    punctuation. (A long line that starts with a marker is a paragraph: "——人民生活水平不断改善。预计…")"""
    if HEADING_START.match(line):
        return len(line) <= 40 and not re.search(r"[。！？!?]", line[:-1])
    return len(line) <= 30 and not re.search(r"[，,；;。、：:]", line[:-1])


def join_broken_lines(doc: Normalized) -> Normalized:
    """Join hard line breaks inside sentences (PDF-style text, wiki-link boundaries, "主要预期目标\\n是：")."""
    text = doc.text
    if "\n" not in text:
        return doc
    body = OPENING.search(text)
    first_heading = re.search(r"^[一二三四五六七八九十]{1,3}、", text, re.M)
    header_end = min([m.start() for m in (body, first_heading) if m] or [0])
    lines = text.split("\n")
    width = _wrap_width(lines)
    cuts: list[tuple[int, int]] = []  # ranges of newline (and blank-line) characters to delete
    pos = 0
    acc = ""  # the logical line accumulated so far
    i = 0
    starts = []
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1
    while i < len(lines):
        line = lines[i]
        acc = line if not acc else acc + line
        j = i + 1
        while j < len(lines) and lines[j] == "":
            j += 1
        if j >= len(lines) or not acc:
            acc = ""
            i += 1
            continue
        nxt = lines[j]
        in_header = starts[i] < header_end
        blank_between = j > i + 1
        # the physical line was cut by a wrap: a full line of wrapped text, or a number cut in two ("…——1" + "989年")
        full = width is not None and len(line) == width
        cut_number = SPLIT_NUMBER.search(line) is not None and NUMBER_GOES_ON.match(nxt) is not None
        if _should_join(acc, nxt, in_header, blank_between, full, cut_number):
            cuts.append((starts[i] + len(line), starts[j]))
        else:
            acc = ""
        i = j
    if not cuts:
        return doc
    pieces: list[str] = []
    offsets = array("i")
    prev = 0
    for a, b in cuts:
        pieces.append(text[prev:a])
        offsets.extend(doc.offsets[prev:a])
        prev = b
    pieces.append(text[prev:])
    offsets.extend(doc.offsets[prev:])
    return Normalized("".join(pieces), offsets)


SPLIT_NUMBER = re.compile(r"^.{20,}[\u4e00-\u9fff—－]\d{1,3}[ \t]*$")  # a long line ending in a short number after a word
NUMBER_GOES_ON = re.compile(r"\d+(?:\.\d+)?[\u4e00-\u9fff%]")  # …that the next line's digits continue


def _wrap_width(lines: list[str]) -> int | None:
    """The width a hard-wrapped text (PDF, fixed-width scan) was cut at: the one length shared by at least a third
    of its long lines; None for flowing text, whose paragraphs end anywhere."""
    long = [len(line) for line in lines if len(line) >= 20]
    if len(long) < 10:
        return None
    width, count = Counter(long).most_common(1)[0]
    return width if count * 3 >= len(long) else None


def _should_join(acc: str, nxt: str, in_header: bool, blank_between: bool, full: bool = False,
                 cut_number: bool = False) -> bool:
    stripped = acc.rstrip()
    if not stripped:
        return False
    if full and not blank_between and not in_header and not HEADING_START.match(nxt):
        return True  # "…居民收入增长与经济发展同步。" filling the line: the paragraph goes on below
    if cut_number and not blank_between:
        return True  # a wrapped line that cut a number ("…的方针——1" + "989年3月20日…")
    if in_header:  # "——2025年1月4日在四方台区第十一届人民代表大会" + "第四次会议上"
        return bool(DATE_LINE_OPEN.match(stripped)) and "会议" not in stripped and not blank_between
    if stripped.endswith(SENTENCE_END) or stripped.endswith("政府工作报告"):
        return False
    if (nxt.startswith(NO_LINE_START) or stripped.endswith(MID_SENTENCE)) and not blank_between:
        return True
    if _heading_like(stripped):
        return False
    if HEADING_START.match(nxt):
        # a long line stopping mid-phrase ("…居全省第" + "一、…") was wrapped just before a marker-like word
        return len(stripped) > 30 and bool(re.match(r"[\u4e00-\u9fff\d]", stripped[-1])) and not blank_between
    return True
