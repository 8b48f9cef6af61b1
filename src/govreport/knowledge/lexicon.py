"""The knowledge the extractor uses, loaded from readable TOML package data a user can extend.

``indicators.toml`` (codes, names, default units, compounds), ``qualifiers.toml`` (qualifier words,
modifiers, measure verbs, relation phrases) and ``units.toml`` (scale prefixes, base units).
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from re import _constants as sre, _parser as sre_parse
from typing import Any

from govreport.model import GovreportError

NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?"


FORMS = re.compile(r"\{([^{}]*)\}")


def expand_forms(name: str) -> list[str]:
    """Every spelling a name written with alternatives stands for: "{全社会|}研发{投入|经费}占GDP比重" gives four
    names, so the many ways one indicator is written stay one readable line of the lexicon."""
    m = FORMS.search(name)
    if m is None:
        return [name]
    return [out for alt in m.group(1).split("|") for out in expand_forms(name[: m.start()] + alt + name[m.end() :])]


def _names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(n for name in names for n in expand_forms(name)))


def _either(words: Iterable[str], longest_first: bool = True) -> str:
    """Regex source for any of ``words`` as written (longest first: where two start together the longer wins),
    or one that never matches when there are none."""
    ordered = sorted(words, key=len, reverse=True) if longest_first else list(words)
    return "|".join(re.escape(w) for w in ordered) or r"(?!)"


# the class escapes a first character may be given by (the same in a lookahead class, under the same flags)
_CATEGORY_ESCAPES = {sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
                     sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W"}


def _class_items(items: Any) -> set[str] | None:
    """A parsed character class as items of a regex class ("a", "0-9", "\\d"); None when negated."""
    out = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(re.escape(chr(av)))
        elif op is sre.RANGE:
            out.add(f"{re.escape(chr(av[0]))}-{re.escape(chr(av[1]))}")
        elif op is sre.CATEGORY and av in _CATEGORY_ESCAPES:
            out.add(_CATEGORY_ESCAPES[av])
        else:
            return None
    return out


def _first_chars(items: Any) -> tuple[set[str], bool] | None:
    """What a match of the parsed regex ``items`` can start with, as items of a regex class, and whether it can
    match empty; None when that is not plain to see (a negated class, a lookaround, an anchor, case folding)."""
    first: set[str] = set()
    for op, av in items:
        got: tuple[set[str], bool] | None
        if op is sre.LITERAL:
            got = {re.escape(chr(av))}, False
        elif op is sre.IN:
            chars = _class_items(av)
            got = None if chars is None else (chars, False)
        elif op is sre.BRANCH:
            alternatives = [_first_chars(alt) for alt in av[1]]
            known = [alt for alt in alternatives if alt is not None]
            if len(known) < len(alternatives):
                return None
            got = set().union(*(alt[0] for alt in known)), any(alt[1] for alt in known)
        elif op is sre.SUBPATTERN and not av[1] & re.IGNORECASE:
            got = _first_chars(av[3])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            inner = _first_chars(av[2])
            got = None if inner is None else (inner[0], inner[1] or av[0] == 0)
        else:
            return None
        if got is None:
            return None
        first |= got[0]
        if not got[1]:
            return first, False
    return first, True


def fast_start(source: str, flags: int = 0) -> re.Pattern[str]:
    """``source`` compiled to find the same matches faster when it opens with a group of alternatives: the
    regex engine then tries every alternative at every position, while a lookahead on the characters a match
    can start with turns most positions down in one test (the relation phrases: 5x faster over a report).
    Only for such patterns: one that opens with a literal or a class is scanned fast already."""
    plain = re.compile(source, flags)
    if plain.flags & re.IGNORECASE or re.compile(source).flags != re.compile("").flags:  # folded case, (?m)
        return plain
    found = _first_chars(sre_parse.parse(source, flags))
    if found is None or found[1]:
        return plain
    return re.compile(f"(?=[{''.join(sorted(found[0]))}])(?:{source})", flags)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    names: tuple[str, ...]
    unit: str | None = None
    measure: str | None = None  # fixed measure for indicators that are rates
    measured_names: tuple[tuple[str, str], ...] = ()  # (name, measure) for names that say it: 经济增长 -> growth
    level_unit: str | None = None  # a rate indicator's unit when it is given as a level (优良天数 in 天)
    # words that head an item of an older plan list and name its one figure: "基本建设，…总的投资额控制在550亿元左右"
    heading_names: tuple[str, ...] = ()
    # words that name the indicator only as a member of a list sharing a target without a number:
    # "生态环境质量、能源、水资源等指标达到国家要求"
    relation_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Compound:
    names: tuple[str, ...]
    codes: tuple[str, ...]
    single: str
    only_with_split: bool = False


@dataclass
class Lexicon:
    version: str
    indicators: dict[str, Indicator]
    compounds: list[Compound]
    qualifier_before: dict[str, str]  # word -> qualifier class
    qualifier_after: dict[str, str]
    modifiers: tuple[str, ...]
    range_separators: tuple[str, ...]
    growth_words: tuple[str, ...]
    decline_words: tuple[str, ...]
    relations: tuple[str, ...]
    scales: dict[str, float]
    base_units: tuple[str, ...]
    percent_units: tuple[str, ...]
    unit_families: dict[str, str]  # base unit -> family name (money, weight, people ...)
    allowed_before: tuple[str, ...]  # words that may stand right before an indicator name
    gap_blockers: tuple[str, ...]  # words between name and number that make the number something else
    filler: tuple[str, ...]  # the only words allowed between a name and its number
    after_blockers: tuple[str, ...]  # words right after a figure that make it a goal, not a result
    period_words: tuple[str, ...]  # words earlier in the sentence that make its figures multi-year totals
    ceiling_words: tuple[str, ...] = ()  # words that make a bare figure a ceiling (控制在3% = at most 3%)
    headline_output: tuple[str, ...] = ("gdp",)  # codes of the economy-wide output target (GDP, GNP, 工农业总产值)
    period_summed: tuple[str, ...] = ()  # codes whose level in a five-year review may be a total over the period
    shared_head_endings: tuple[str, ...] = ()  # list members that drop a shared head: 规上工业总产值、增加值
    target_gap_words: tuple[str, ...] = ()  # words that state a target between name and number (预期目标为, 计划)
    own_figure_period_words: tuple[str, ...] = ()  # period words that make only their own figure multi-year (年均)
    aside_clauses: tuple[str, ...] = ()  # clause openings that do not end the running subject (按可比价格计算)
    sub_year_clauses: tuple[str, ...] = ()  # clause openings that give part of the year (一季度, 前三季度)
    higher_scopes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    relation_patterns: tuple[str, ...] = ()  # regexes of relation phrases ("完成(省|国家)下达(的)?目标任务")
    relation_around: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())  # words before / after a name ("完成…任务")
    relative: str = "(?!)"  # a target relative to a higher government's growth ("增速高于省平1个百分点")  # level -> 全国/全省: not this government's
    name_to_code: dict[str, str] = field(default_factory=dict)
    name_measures: dict[str, str] = field(default_factory=dict)
    compound_by_name: dict[str, Compound] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for ind in self.indicators.values():
            for name in ind.names:
                self.name_to_code[name] = ind.code
            for name, measure in ind.measured_names:
                self.name_to_code[name] = ind.code
                self.name_measures[name] = measure
        for comp in self.compounds:
            for name in comp.names:
                self.compound_by_name[name] = comp

    @functools.cached_property
    def name_pattern(self) -> re.Pattern[str]:
        """One alternation of every indicator and compound name, longest first (so longest match wins)."""
        names = sorted(set(self.name_to_code) | set(self.compound_by_name), key=len, reverse=True)
        return re.compile("|".join(re.escape(n) for n in names))

    @functools.cached_property
    def unit_pattern(self) -> str:
        """Regex source for a unit: optional scale prefix + base unit, or a percent unit."""
        scales = sorted(self.scales, key=len, reverse=True)
        bases = sorted(self.base_units, key=len, reverse=True)
        pct = sorted(self.percent_units, key=len, reverse=True)
        scale_re = "|".join(re.escape(s) for s in scales)
        base_re = "|".join(re.escape(b) for b in bases)
        pct_re = "|".join(re.escape(p) for p in pct)
        return f"(?:{pct_re}|(?:{scale_re})?(?:{base_re})|(?:{scale_re}))"

    @functools.cached_property
    def quantity_pattern(self) -> re.Pattern[str]:
        """A number with its unit, an optional range end and qualifier words before/after: 不低于5%, 5%—6%, 1亿斤以上."""
        unit = self.unit_pattern
        before = "|".join(re.escape(w) for w in sorted(self.qualifier_before, key=len, reverse=True))
        after = "|".join(re.escape(w) for w in sorted(self.qualifier_after, key=len, reverse=True))
        seps = "|".join(re.escape(s) for s in self.range_separators)
        return re.compile(
            rf"(?P<pre>{before})?\s*(?P<num>{NUMBER})(?P<more>多|余)?\s*(?P<unit>{unit})?"  # 67700多亿元: more than
            rf"(?:\s*(?P<sep>{seps})\s*(?P<num2>{NUMBER})\s*(?P<unit2>{unit})?)?"
            rf"\s*(?P<post>{after})?"
        )

    @functools.cached_property
    def relative_pattern(self) -> re.Pattern[str]:
        return re.compile(self.relative)

    @functools.cached_property
    def relation_around_patterns(self) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """(words that end right before a name, words that start right after it) of a relation around a name."""
        before, after = self.relation_around
        return (re.compile("(?:" + ("|".join(before) or "(?!)") + ")$"), re.compile("|".join(after) or "(?!)"))

    @functools.cached_property
    def ceiling_pattern(self) -> re.Pattern[str]:
        return re.compile(_either(self.ceiling_words, longest_first=False))

    @functools.cached_property
    def relation_pattern(self) -> re.Pattern[str]:
        """A target without a number: the phrase patterns first, then the phrases, longest first."""
        return fast_start("|".join([*self.relation_patterns, _either(self.relations)]))

    @functools.cached_property
    def heading_pattern(self) -> re.Pattern[str]:
        """A plan-list item opening with a heading name and a comma or colon ("劳动就业，在城镇安排600万人")."""
        return re.compile(rf"\s*({_either(self.heading_to_code)})[，,：:]")

    @functools.cached_property
    def relation_member_to_code(self) -> dict[str, str]:
        return {name: ind.code for ind in self.indicators.values() for name in ind.relation_names}

    @functools.cached_property
    def heading_to_code(self) -> dict[str, str]:
        return {name: ind.code for ind in self.indicators.values() for name in ind.heading_names}

    @functools.cached_property
    def target_gap_pattern(self) -> re.Pattern[str]:
        return re.compile(_either(self.target_gap_words))

    @functools.cached_property
    def period_pattern(self) -> re.Pattern[str]:
        return re.compile(_either(self.period_words, longest_first=False))

    @functools.cached_property
    def sentence_period_pattern(self) -> re.Pattern[str]:
        """Period words that make every later figure of their sentence multi-year (累计, 五年来; not 年均)."""
        words = [w for w in self.period_words if w not in self.own_figure_period_words]
        return re.compile(_either(words, longest_first=False))

    @functools.cached_property
    def aside_pattern(self) -> re.Pattern[str]:
        """A clause opening (matched at the clause start) that keeps the subject of the clause before."""
        return re.compile(rf"\s*[（(]?(?:{_either(self.aside_clauses)})")

    @functools.cached_property
    def sub_year_pattern(self) -> re.Pattern[str]:
        return re.compile(rf"\s*(?:{_either(self.sub_year_clauses)})")

    @functools.cached_property
    def filler_pattern(self) -> re.Pattern[str]:
        """Text made only of filler, measure, modifier and qualifier words (what may sit between name and number)."""
        words = set(self.filler) | set(self.growth_words) | set(self.decline_words) | set(self.modifiers)
        words |= set(self.qualifier_before)
        alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        # possessive: each stretch of the gap is read as one word, longest first, and never re-split another way
        # (达到 = 达 + 到 would otherwise make a run of them exponential: issue 13)
        return re.compile(rf"(?:\s|{alternation})*+")

    def scale_of(self, unit: str | None) -> tuple[float, str | None]:
        """Split a unit into (multiplier, base): 万人 -> (1e4, 人), 亿元 -> (1e8, 元), % -> (1, %)."""
        if not unit:
            return 1.0, unit
        if unit in self.percent_units:
            return 1.0, "‰" if unit == "‰" else "%"  # per mille is a share of its own
        if unit in self.base_units:  # 千瓦时 is a unit of its own, not 千 × 瓦时
            return 1.0, unit
        for prefix in sorted(self.scales, key=len, reverse=True):
            if unit.startswith(prefix):
                rest = unit[len(prefix):]
                return self.scales[prefix], rest or None
        return 1.0, unit

    def indicator(self, code: str | None) -> Indicator | None:
        return self.indicators.get(code) if code else None


def _read_toml(name: str) -> dict[str, Any]:
    with resources.files("govreport.data").joinpath(name).open("rb") as fh:
        return tomllib.load(fh)


def _merge_user(base: dict[str, Any], path: Path) -> dict[str, Any]:
    """Add a user's indicator file: new codes are appended, known codes gain names."""
    try:
        with open(path, "rb") as fh:
            user = tomllib.load(fh)
    except FileNotFoundError:
        raise GovreportError(str(path), "lexicon file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise GovreportError(str(path), f"lexicon is not valid TOML ({exc})") from None
    by_code = {ind["code"]: ind for ind in base["indicator"]}
    for ind in user.get("indicator", []):
        if "code" not in ind or not ind.get("names"):
            raise GovreportError(str(path), "every [[indicator]] needs a code and names")
        if ind["code"] in by_code:
            known = by_code[ind["code"]]
            known["names"] = list(dict.fromkeys(list(known["names"]) + list(ind["names"])))
            for key in ("heading_names", "relation_names"):
                known[key] = list(dict.fromkeys(known.get(key, []) + ind.get(key, [])))
            known["measured_names"] = {**known.get("measured_names", {}), **ind.get("measured_names", {})}
            for key in ("unit", "measure", "label", "level_unit"):
                if key in ind:
                    known[key] = ind[key]
        else:
            base["indicator"].append(ind)
            by_code[ind["code"]] = ind
    base.setdefault("compound", []).extend(user.get("compound", []))
    context = base.setdefault("context", {})
    for key, value in user.get("context", {}).items():  # lists grow ("aside_clauses"), tables merge by key
        if isinstance(value, list):
            context[key] = list(dict.fromkeys(list(context.get(key, [])) + value))
        elif isinstance(value, dict):
            context[key] = {**context.get(key, {}), **value}
        else:
            context[key] = value
    if "version" in user:
        base["version"] = f"{base['version']}+{user['version']}"
    else:
        base["version"] = f"{base['version']}+user"
    return base


@functools.lru_cache(maxsize=8)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The built-in lexicon, extended by the user's TOML file at ``path`` if given."""
    ind = _read_toml("indicators.toml")
    if path:
        ind = _merge_user(ind, Path(path))
    qual = _read_toml("qualifiers.toml")
    units = _read_toml("units.toml")
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    for cls in ("about", "at_least", "at_most"):
        for word in qual[cls].get("before", []):
            before[word] = cls
        for word in qual[cls].get("after", []):
            after[word] = cls
    indicators = {
        d["code"]: Indicator(d["code"], d.get("label", d["code"]), _names(d["names"]), d.get("unit"), d.get("measure"),
                             tuple(sorted(d.get("measured_names", {}).items())), d.get("level_unit"),
                             tuple(d.get("heading_names", [])), tuple(d.get("relation_names", [])))
        for d in ind["indicator"]
    }
    compounds = [
        Compound(_names(c["names"]), tuple(c["codes"]), c["single"], bool(c.get("only_with_split", False)))
        for c in ind.get("compound", [])
    ]
    version = f"{ind['version']}/{qual['version']}/{units['version']}"
    return Lexicon(
        version=version,
        indicators=indicators,
        compounds=compounds,
        qualifier_before=before,
        qualifier_after=after,
        modifiers=tuple(qual["modifiers"]["words"]),
        range_separators=tuple(qual["range"]["separators"]),
        growth_words=tuple(qual["measures"]["growth"]),
        decline_words=tuple(qual["measures"]["decline"]),
        relations=tuple(qual["relations"]["phrases"]),
        relation_patterns=tuple(qual["relations"].get("patterns", [])),
        relative=qual["relations"].get("relative", "(?!)"),
        relation_around=(tuple(qual["relations"].get("before_patterns", [])),
                         tuple(qual["relations"].get("after_patterns", []))),
        scales=dict(units["scale"]),
        base_units=tuple(units["base"]["units"]),
        percent_units=tuple(units["base"]["percent"]),
        unit_families={u: fam for fam, members in units.get("families", {}).items() for u in members},
        allowed_before=tuple(ind.get("context", {}).get("allowed_before", [])),
        gap_blockers=tuple(ind.get("context", {}).get("gap_blockers", [])),
        filler=tuple(qual["filler"]["words"]),
        after_blockers=tuple(ind.get("context", {}).get("after_blockers", [])),
        period_words=tuple(ind.get("context", {}).get("period_words", [])),
        headline_output=tuple(ind.get("context", {}).get("headline_output", ["gdp"])),
        period_summed=tuple(ind.get("context", {}).get("period_summed", [])),
        shared_head_endings=tuple(sorted(ind.get("context", {}).get("shared_head_endings", []), key=len, reverse=True)),
        target_gap_words=tuple(qual["filler"].get("target_words", [])),
        ceiling_words=tuple(qual["at_most"].get("ceiling_verbs", [])),
        own_figure_period_words=tuple(ind.get("context", {}).get("own_figure_period_words", [])),
        aside_clauses=tuple(ind.get("context", {}).get("aside_clauses", [])),
        sub_year_clauses=tuple(ind.get("context", {}).get("sub_year_clauses", [])),
        higher_scopes={k: tuple(v) for k, v in ind.get("context", {}).get("higher_scopes", {}).items()},
    )
