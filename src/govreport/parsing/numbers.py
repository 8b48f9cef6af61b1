"""Numbers as written in reports: 7000, 1,234.5, 1.2万, 三十二, 两千亿, 一百零五.

Conversion is applied to an isolated number span only (the finder requires a unit right after a Chinese
numeral and refuses small ones), so slogans such as 三农, 一带一路, 两个确保 and 十四五 are never rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10**4, "亿": 10**8}
CN_NUMERAL = "零〇○一二两三四五六七八九十百千万亿"
# two digits side by side: a guess (三四十, 七八万) or a year read digit by digit (一九八九), not one number
GUESSED = re.compile(r"[一二两三四五六七八九][一二两三四五六七八九]")
ARABIC = re.compile(r"^(\d+(?:,\d{3})*(?:\.\d+)?)(万亿|万|亿|千|百)?$")


def _small(s: str) -> int | None:
    """Below 10,000: 三十二, 一百零五, 两千, 十."""
    total, digit = 0, None
    for ch in s:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            total += (1 if digit is None else digit) * SMALL_UNITS[ch]
            digit = None
        else:
            return None
    return total + (digit or 0)


def parse_number(s: str) -> float | None:
    """The value of a number span, or None if it is not a number: "1.2万" -> 12000, "两千亿" -> 2e11."""
    s = s.strip()
    if not s:
        return None
    m = ARABIC.match(s)
    if m:
        value = float(m.group(1).replace(",", ""))
        scale = {"万亿": 10**12, "万": 10**4, "亿": 10**8, "千": 10**3, "百": 10**2}.get(m.group(2) or "", 1)
        return value * scale
    if "点" in s:  # 十四点六: the digits after 点 are read one by one
        whole, _, frac = s.partition("点")
        head = parse_number(whole) if whole else 0.0
        if head is None or not frac or any(ch not in DIGITS for ch in frac):
            return None
        return float(f"{int(head)}.{''.join(str(DIGITS[ch]) for ch in frac)}")
    if not all(ch in CN_NUMERAL for ch in s) or GUESSED.search(s):
        return None
    total, rest = 0, s
    for unit in ("亿", "万"):
        if unit in rest:
            head, rest = rest.split(unit, 1)
            value = (parse_number(head) if unit == "亿" else _small(head)) if head else 1  # 一万零五百亿
            if value is None:
                return None
            total += value * BIG_UNITS[unit]
    tail = _small(rest) if rest else 0
    if tail is None:
        return None
    return float(total + tail)


def as_written(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


NUMBER_SPAN = re.compile(rf"\d+(?:,\d{{3}})*(?:\.\d+)?|[{CN_NUMERAL}]+")


def find_numbers(text: str, start: int = 0, end: int | None = None, min_chinese: int = 10
                 ) -> Iterator[tuple[int, int, float, str]]:
    """(start, end, value, text) of number spans. Chinese numerals count only from ``min_chinese`` up (or with a
    万/亿/千/百 scale), which keeps 一带一路, 三农, 两个确保 and 十四五 out."""
    end = len(text) if end is None else end
    for m in NUMBER_SPAN.finditer(text, start, end):
        written = m.group(0)
        value = parse_number(written)
        if value is None:
            continue
        if written[0] in CN_NUMERAL:
            if value < min_chinese and not any(u in written for u in "百千万亿"):
                continue
            if "十" in written and written.endswith(("五",)) and text[m.end() : m.end() + 1] in ("”", "规", "时", "期", "末", "\""):
                continue  # 十四五规划, “十五五”时期
        yield m.start(), m.end(), value, written
