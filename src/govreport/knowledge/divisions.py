"""Administrative divisions: a compact, year-aware table of official codes and names shipped with the package.

The table (data/divisions.tsv.gz, built by scripts/build_divisions.py from the MCA/NBS code tables 1980-2019
and the NBS statistical codes of 2023-06) holds every (code, name) pair with the snapshots it appears in, so a
name is resolved to the code valid at a report's meeting date: 襄樊市 before 2010, 襄阳市 after. Reports from
after the last snapshot resolve against the latest table.
"""

from __future__ import annotations

import functools
import gzip
import re
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources

import ahocorasick_rs

VINTAGE = "gb2260-mca-1980..2019-04+nbs-2023-06"
MUNICIPALITIES = ("11", "12", "31", "50")
LEGACY_90_UNTIL = "199512"  # before this table a xx90yy code was any county-level city; after, one under its province
PLACEHOLDERS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划", "省直辖行政单位")
ETHNIC = re.compile(
    r"(?:壮族|回族|维吾尔|藏族|蒙古族|土家族|苗族|布依族|侗族|瑶族|白族|哈尼族|彝族|傣族|傈僳族|佤族|拉祜族|纳西族|景颇族|黎族|畲族|"
    r"羌族|土族|撒拉族|东乡族|保安族|裕固族|哈萨克族?|柯尔克孜|蒙古|锡伯|达斡尔族|鄂温克族|鄂伦春|满族|朝鲜族|仫佬族|毛南族|仡佬族|"
    r"水族|各族|京族|独龙族|怒族|普米族|门巴族|珞巴族|基诺族|阿昌族|德昂族|布朗族|塔吉克|俄罗斯族|乌孜别克族)+$"
)
# short forms that are ordinary words in report text; they never count as mentions
SHORT_STOP = {"城区", "新区", "郊区", "矿区", "市区", "市中", "东区", "西区", "南区", "北区", "中区", "城中", "城东", "城西",
              "城南", "城北", "河东", "河西", "开发", "高新", "新城", "老城", "平安", "和平", "永定", "长安", "新华", "建设",
              "城关", "清河", "前进", "红旗", "铁东", "铁西", "向阳", "东风", "民主", "团结", "胜利", "新兴", "工农", "友谊",
              "先锋", "光明", "复兴", "振兴", "解放", "朝阳", "中山", "文明", "和谐", "美丽", "安全", "发展", "合作", "五四",
              "青山", "东城", "西城", "吉利", "宝山", "江北", "江南", "城阳", "长寿", "永康", "永安", "安宁", "太平", "兴安",
              "新市", "市北", "市南", "大同", "东方", "通州", "开平", "德惠", "全州", "普陀", "鼓楼", "台山", "白云", "黄山", "金山"}


@dataclass(frozen=True)
class Division:
    code: str  # 6 digits
    name: str  # official full name at that date, e.g. 四方台区
    level: str  # national | province | prefecture | county_city | county | district
    province: str | None
    prefecture: str | None  # prefecture-level parent name (the municipality for its districts)


NATIONAL = Division("100000", "中国", "national", None, None)


@dataclass(frozen=True)
class _Row:
    code: str
    name: str
    first: str  # YYYYMM
    last: str
    next: str  # snapshot after `last` ("" = still in the latest table)

    def valid(self, when: str | None) -> bool:
        if when is None:
            return self.next == ""
        return self.first <= when and (self.next == "" or when < self.next) or (when < "198012" and self.first == "198012")


@functools.lru_cache(maxsize=1)
def _rows() -> tuple[_Row, ...]:
    with resources.files("govreport.data").joinpath("divisions.tsv.gz").open("rb") as raw:
        with gzip.open(raw, "rt", encoding="utf-8") as fh:
            next(fh)
            return tuple(_Row(*line.rstrip("\n").split("\t")) for line in fh)


@functools.lru_cache(maxsize=1)
def _by_name() -> dict[str, list[_Row]]:
    index: dict[str, list[_Row]] = defaultdict(list)
    for row in _rows():
        if row.name in PLACEHOLDERS:
            continue
        index[row.name].append(row)
        for alias in _short_forms(row.name, row.code):
            index[alias].append(row)
    return index


@functools.lru_cache(maxsize=1)
def _by_code() -> dict[str, list[_Row]]:
    index: dict[str, list[_Row]] = defaultdict(list)
    for row in _rows():
        index[row.code].append(row)
    return index


def _when(date: str | int | None) -> str | None:
    """ISO date or year -> YYYYMM (a bare year means its middle)."""
    if date is None:
        return None
    s = str(date)
    if re.fullmatch(r"\d{4}", s):
        return s + "06"
    m = re.match(r"(\d{4})-(\d{2})", s)
    return m.group(1) + m.group(2) if m else None


def _short_forms(name: str, code: str) -> list[str]:
    """Short names a report may use: 广东, 恩施州/恩施, 济南, 雨山. Never one character, never a stop word."""
    return [f for f in _short_forms_all(name, code) if f not in SHORT_STOP]


def _short_forms_all(name: str, code: str) -> list[str]:
    forms: list[str] = []
    if name.endswith("特别行政区"):
        forms.append(name[:-5])
    elif name.endswith("自治区"):
        stem = ETHNIC.sub("", name[:-3])
        forms.append(stem if len(stem) >= 2 else name[:-3])  # 内蒙古 (蒙古 is not an ethnic suffix there)
    elif name.endswith("自治州"):
        stem = ETHNIC.sub("", name[:-3])
        forms += [stem + "州", stem]
    elif name.endswith(("自治县", "自治旗")):
        forms.append(ETHNIC.sub("", name[:-3]))
    elif name.endswith("地区") and code.endswith("00"):
        forms.append(name[:-2])
    elif name.endswith(("省", "市", "盟", "县", "区", "旗")) and not name.endswith(("林区", "特区")):
        forms.append(name[:-1])
    return [f for f in forms if len(f) >= 2 and f != name]


def _level(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "prefecture"
    if name.endswith(("林区", "特区")):
        return "county"
    if name.endswith("区"):
        return "district"
    if name.endswith("市"):
        return "county_city"
    return "county"


def _name_at(code: str, when: str | None) -> str | None:
    rows = _by_code().get(code, [])
    for row in rows:
        if row.valid(when):
            return row.name
    if rows and when is not None:  # between snapshots: the nearest earlier name
        earlier = [r for r in rows if r.first <= when]
        return max(earlier, key=lambda r: r.last).name if earlier else None
    return None


def _division(row: _Row, when: str | None) -> Division:
    code = row.code
    province = _name_at(code[:2] + "0000", when)
    prefecture = None
    level = _level(code, row.name)
    if level in ("district", "county", "county_city"):
        if code[:2] in MUNICIPALITIES:
            prefecture = province
        elif code[2:4] == "00":  # Hainan 1988-2002: county-level units coded straight under the province
            prefecture = None
        elif code[2:4] == "90" and row.last < LEGACY_90_UNTIL:
            prefecture = _later_prefecture(row, when)
        else:
            parent = _name_at(code[:4] + "00", when)
            prefecture = parent if parent and parent not in PLACEHOLDERS else None
    return Division(code, row.name, level, province, prefecture)


def _later_prefecture(row: _Row, when: str | None) -> str | None:
    """Before the 1995 code tables every county-level city was coded xx90yy whoever administered it (义乌市
    339007 under 金华市). Its administering prefecture is the one its next code sits under (330782 -> 金华市);
    a city that stayed in the 90 group (仙桃市, 石河子市) is directly under the province."""
    later = sorted((r for r in _by_name().get(row.name, []) if r.code[:2] == row.code[:2] and r.first > row.last
                    and r.code[2:4] not in ("00", "90")), key=lambda r: r.first)
    if not later:
        return None
    parent = _name_at(later[0].code[:4] + "00", when) or _name_at(later[0].code[:4] + "00", later[0].first)
    return parent if parent and parent not in PLACEHOLDERS else None


def lookup(code: str, date: str | int | None = None) -> Division | None:
    """The division with ``code`` at ``date`` (national for 100000)."""
    if code == NATIONAL.code:
        return NATIONAL
    when = _when(date)
    for row in _by_code().get(code, []):
        if row.valid(when) and row.name not in PLACEHOLDERS:
            return _division(row, when)
    rows = [r for r in _by_code().get(code, []) if r.name not in PLACEHOLDERS]
    return _division(max(rows, key=lambda r: r.last), when) if rows else None


def parent(division: Division, date: str | int | None = None) -> Division | None:
    """The next level up: district/county -> prefecture -> province -> national (municipal districts -> municipality)."""
    code = division.code
    if division.level == "national":
        return None
    if division.level == "province":
        return NATIONAL
    if division.level == "prefecture" or code[:2] in MUNICIPALITIES:
        return lookup(code[:2] + "0000", date)
    up = lookup(code[:4] + "00", date)
    return up if up is not None else lookup(code[:2] + "0000", date)


def aliases(division: Division) -> list[str]:
    return [division.name] + _short_forms(division.name, division.code)


def _candidates(name: str, when: str | None) -> list[_Row]:
    rows = _by_name().get(name, [])
    valid = [r for r in rows if r.valid(when)]
    if not valid and rows and when is not None and when > max(r.last for r in rows):
        valid = [r for r in rows if r.next == ""]  # after the last snapshot: the latest table
    if not valid and rows:  # a date between snapshots or before the code existed: nearest in time
        best = min(abs(int(r.first[:4]) - int(when[:4])) if when else 0 for r in rows)
        valid = [r for r in rows if (abs(int(r.first[:4]) - int(when[:4])) if when else 0) == best]
    seen: dict[str, _Row] = {}
    for r in valid:
        seen.setdefault(r.code, r)
    return list(seen.values())


def resolve(name: str, date: str | int | None = None, context: str = "") -> Division | None:
    """Find the division called ``name`` (full or short form, optionally prefixed by its parent: 白山市江源区)
    valid at ``date``; ambiguous names are settled by the parent prefix or by mentions in ``context``."""
    name = re.sub(r"\s+", "", name or "")
    if len(name) < 2:
        return None
    if name in ("中国", "全国", "国务院", "中华人民共和国"):
        return NATIONAL
    when = _when(date)
    prefix = ""
    cands = _candidates(name, when)
    if not cands:
        for k in range(1, len(name) - 1):  # 白山市江源区 -> prefix 白山市 + 江源区
            tail = name[k:]
            tail_cands = _candidates(tail, when)
            if tail_cands and len(tail) >= 2:
                prefix, cands = name[:k], tail_cands
                break
    if not cands:
        return None
    divs = [_division(r, when) for r in cands]
    if prefix:
        divs = [d for d in divs if _matches_prefix(prefix, d)] or divs
    if len(divs) > 1:
        full = [d for d in divs if d.name == (name[len(prefix):] if prefix else name)]
        divs = full if len(full) >= 1 and len(full) < len(divs) else divs
    if len(divs) > 1:
        divs = _by_context(divs, context)
    return divs[0] if len(divs) == 1 else None


def namesakes(name: str, date: str | int | None = None) -> list[Division]:
    """Every division written ``name`` at ``date`` (several for 朝阳区: Beijing's and Changchun's)."""
    when = _when(date)
    return [_division(r, when) for r in _candidates(re.sub(r"\s+", "", name or ""), when)]


def _matches_prefix(prefix: str, d: Division) -> bool:
    names = [n for n in (d.prefecture, d.province) if n]
    forms = set(names) | {f for n in names for f in _short_forms(n, "000000")}
    return any(prefix == f or prefix.endswith(f) or f.endswith(prefix) for f in forms)


def _by_context(divs: list[Division], context: str) -> list[Division]:
    """Prefer the candidate whose prefecture and province, then whose sibling units (the other districts and
    counties of its prefecture), are mentioned most in the report; when nothing is named, a report that speaks
    of 省委/省政府 is not from one of the four municipalities, one that speaks only of 市委 is."""
    if not context:
        return divs
    scores = []
    for d in divs:
        score = 0
        for n in (d.prefecture, d.province):
            if n:
                score += context.count(n) * 2 + sum(context.count(f) for f in _short_forms(n, "000000"))
        if d.level in ("district", "county", "county_city"):
            score += sum(context.count(n) for n in _siblings(d.code[:4]) if n != d.name)
        scores.append(score)
    best = max(scores)
    winners = [d for d, s in zip(divs, scores) if s == best]
    if best > 0 and len(winners) == 1:
        return winners
    provincial = under_a_province(context)
    municipal = not provincial and "市委" in context
    cued = [d for d in winners if (d.code[:2] in MUNICIPALITIES) == municipal] if (provincial or municipal) else []
    return cued if len(cued) == 1 else (winners if best > 0 else divs)


def under_a_province(text: str) -> bool:
    """Whether a report speaks of the 省委/省政府 above it: then it is not one of the four municipalities."""
    return text.count("省委") + text.count("省政府") >= 2


@functools.lru_cache(maxsize=1)
def _sibling_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = defaultdict(set)
    for row in _rows():
        if not row.code.endswith("00") and row.name not in PLACEHOLDERS:
            index[row.code[:4]].add(row.name)
    return {k: frozenset(v) for k, v in index.items()}


def _siblings(prefix: str) -> frozenset[str]:
    """Full names (any date) of the county-level units coded under one prefecture."""
    return _sibling_index().get(prefix, frozenset())


@functools.lru_cache(maxsize=1)
def _automaton() -> tuple[ahocorasick_rs.AhoCorasick, list[str]]:
    """Full names of every unit, short forms only of provinces, prefectures and the county-level cities directly
    under a province (仙桃, 济源, 石河子); an ordinary county's short form is too often a word: 资源, 平安."""
    names = set()
    for row in _rows():
        if row.name in PLACEHOLDERS:
            continue
        names.add(row.name)
        if _short_form_counts(row):
            names.update(_short_forms(row.name, row.code))
    names = sorted(n for n in names if len(n) >= 2 and n not in SHORT_STOP)
    return ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest), names


def _short_form_counts(row: _Row) -> bool:
    """Whether a unit's short form is searched for in report text: provinces, prefectures, and county-level
    units directly under a province, which their reports call by the short name like prefectures do."""
    return row.code.endswith("00") or (row.code[2:4] == "90" and row.last >= LEGACY_90_UNTIL)


@functools.lru_cache(maxsize=1)
def _common_word_forms() -> dict[str, tuple[_Row, ...]]:
    """Searched short forms that are also ordinary words (中山, 朝阳, 大同, 黄山, 东方), with their units."""
    forms: dict[str, list[_Row]] = defaultdict(list)
    for row in _rows():
        if _short_form_counts(row) and row.name not in PLACEHOLDERS:
            for f in _short_forms_all(row.name, row.code):
                if f in SHORT_STOP:
                    forms[f].append(row)
    return {f: tuple(rows) for f, rows in sorted(forms.items())}


COMMON_WORD_MIN = 10  # 中山 in a 中山市 report: dozens of times; as a road or university name: a few


def find_mentions(text: str, date: str | int | None = None) -> dict[str, int]:
    """How often each division valid at ``date`` is named in ``text`` (full or short form), by code.

    A short form counts for the units it is searched for, and for a county-level unit sharing it with its own
    prefecture (恩施 for 恩施州 and 恩施市), never for a county that merely shares the short form of a former
    prefecture (惠民 of 惠民地区 is not 惠民县: '惠民生'). A two-character full name glued to the word before it is
    not a mention (示范县 is not 范县). A short form that is also an ordinary word counts only when the text uses it
    so often that it must be the place."""
    automaton, names = _automaton()
    counts: dict[str, int] = defaultdict(int)
    when = _when(date)
    hits: dict[str, int] = defaultdict(int)
    for idx, start, _end in automaton.find_matches_as_indexes(text):
        name = names[idx]
        if len(name) == 2 and name[-1] in "县区市旗" and start > 0 and _glued(text[start - 1]):
            continue
        hits[name] += 1
    for name, n in hits.items():
        rows = _candidates(name, when)
        owners = [r for r in rows if r.name == name or _short_form_counts(r)]
        for row in rows:
            if row in owners or any(o.code[:4] == row.code[:4] and o.code != row.code for o in owners):
                counts[row.code] += n
    for form, rows in _common_word_forms().items():
        n = text.count(form)
        if n >= COMMON_WORD_MIN:  # else its uses as a word, fewer still, need not be counted
            n -= sum(text.count(form + suffix) for suffix in ("市", "盟", "区", "县"))
        if n >= COMMON_WORD_MIN:
            for row in {r.code: r for r in rows if r.valid(when)}.values():
                counts[row.code] += n
    return dict(counts)


def _glued(prev: str) -> bool:
    """A character that makes a word with what follows (示|范县), unlike a place prefix (河南省|范县) or punctuation."""
    return "\u4e00" <= prev <= "\u9fff" and prev not in "省市州盟区县、和与及在"


@functools.lru_cache(maxsize=1)
def _local_automaton() -> tuple[ahocorasick_rs.AhoCorasick, list[str]]:
    """Short forms of districts, counties and county-level cities (雨山, 四方台), for a report that names itself
    only that way; stop words excluded."""
    names = sorted({f for row in _rows() if not row.code.endswith("00") and row.name not in PLACEHOLDERS
                    for f in _short_forms(row.name, row.code) if len(f) >= 2})
    return ahocorasick_rs.AhoCorasick(names, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest), names


LOCAL_MIN = 5  # a district's report names itself by its short name again and again (雨山 23 times)


def find_local_unit(text: str, date: str | int | None, levels: tuple[str, ...]) -> Division | None:
    """The county-level unit (of one of ``levels``) a report keeps naming by its short form. Only units whose
    prefecture (the province for a province-direct unit) or a sibling unit is also named count, which rules out
    short forms that are ordinary words elsewhere (资源, 公安, 新建); the unit must be named at least LOCAL_MIN
    times and twice as often as the next. None when unsure."""
    automaton, names = _local_automaton()
    when = _when(date)
    hits: dict[str, int] = defaultdict(int)
    for idx, _start, _end in automaton.find_matches_as_indexes(text):
        hits[names[idx]] += 1
    counts: dict[str, int] = defaultdict(int)
    for name, n in hits.items():
        for row in _candidates(name, when):
            if not row.code.endswith("00"):
                counts[row.code] += n
    ranked = []
    for code, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if n * 2 <= LOCAL_MIN:  # too rare to win or to stand in the winner's way
            break
        d = lookup(code, date)
        if d is not None and d.level in levels and _named_with_kin(d, text):
            ranked.append((n, d))
    if not ranked or ranked[0][0] < LOCAL_MIN or (len(ranked) > 1 and ranked[1][0] * 2 > ranked[0][0]):
        return None
    return ranked[0][1]


def _named_with_kin(d: Division, text: str) -> bool:
    parent = d.prefecture or d.province
    if parent and any(f in text for f in [parent] + _short_forms(parent, "000000")):
        return True
    return any(s in text for s in _siblings(d.code[:4]) if s != d.name)
