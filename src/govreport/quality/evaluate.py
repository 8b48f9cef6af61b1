"""`govreport eval`: score parsed records against hand-made gold records (schema: shared gold GUIDE.md).

Gold and records are matched by file name and part (gold part 0 = the file's only report). Metadata fields
are scored by accuracy (null = null counts as right; spaces ignored). Targets are scored by precision, recall
and F1, strict (indicator, measure, value after unit scaling so 1.8万人 = 18000人, high, qualifier) and lenient
(indicator, measure, scaled value); only records' targets with a number are scored, targets without a number
are compared with the gold `qualitative` codes. Actuals are scored by recall (gold lists only headline
figures, so precision is shown for information).
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from govreport.knowledge.lexicon import Lexicon, load_lexicon

FIELDS = {
    "region": lambda r: r["region"].get("name"),
    "parent": lambda r: r["region"].get("prefecture"),
    "province": lambda r: r["region"].get("province"),
    "level": lambda r: r["region"].get("level"),
    "meeting_date": lambda r: r.get("meeting_date"),
    "review_year": lambda r: r.get("review_year"),
    "plan_year": lambda r: r.get("plan_year"),
    "speaker": lambda r: (r.get("speaker") or {}).get("name"),
    "session": lambda r: (r.get("congress") or {}).get("text"),
}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: Counter, got: Counter) -> tuple[Counter, Counter]:
        both = gold & got
        self.tp += sum(both.values())
        self.fp += sum((got - gold).values())
        self.fn += sum((gold - got).values())
        return gold - got, got - gold


@dataclass
class Result:
    matched: int = 0
    missing: list[str] = field(default_factory=list)
    fields: dict[str, list[int]] = field(default_factory=dict)  # field -> [right, total]
    targets: Score = field(default_factory=Score)
    targets_lenient: Score = field(default_factory=Score)
    qualitative: Score = field(default_factory=Score)
    actuals: Score = field(default_factory=Score)
    actuals_lenient: Score = field(default_factory=Score)
    details: list[str] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        right, total = self.fields.get(name, [0, 0])
        return right / total if total else 1.0

    def as_dict(self) -> dict[str, Any]:
        def score(s: Score) -> dict[str, float]:
            return {"precision": round(s.precision, 4), "recall": round(s.recall, 4), "f1": round(s.f1, 4),
                    "tp": s.tp, "fp": s.fp, "fn": s.fn}

        return {
            "matched": self.matched, "missing": self.missing,
            "fields": {k: round(self.accuracy(k), 4) for k in FIELDS},
            "targets_strict": score(self.targets), "targets_lenient": score(self.targets_lenient),
            "qualitative": score(self.qualitative), "actuals_strict": score(self.actuals),
            "actuals_lenient": score(self.actuals_lenient),
        }


def value_key(entry: dict[str, Any], lex: Lexicon, strict: bool) -> tuple:
    """What a value is compared on; values are scaled to base units (1.8万人 -> 18000 人)."""
    scale, base = lex.scale_of(entry.get("unit"))
    value = entry.get("value")
    high = entry.get("high")
    key: tuple = (entry.get("indicator"), entry.get("measure"),
                  None if value is None else round(float(value) * scale, 6), base)
    if strict:
        key += (None if high is None else round(float(high) * scale, 6), entry.get("qualifier") or "none")
    return key


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return "".join(str(a or "").split()) == "".join(str(b or "").split())
    return (a or None) == (b or None)


def pair(gold: list[dict[str, Any]], records: list[dict[str, Any]]) -> list[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Each gold report with its record, matched by file name and part (None: no record for it)."""
    by_key: dict[tuple[str, int], dict[str, Any]] = {}
    for rec in records:
        src = rec["source"]
        by_key[(Path(src["path"]).name, int(src.get("part") or 1))] = rec
    return [(g, by_key.get((g["doc"], max(int(g.get("part") or 0), 1)))) for g in gold]


def evaluate(gold: list[dict[str, Any]], records: list[dict[str, Any]], lex: Lexicon | None = None) -> Result:
    lex = lex or load_lexicon()
    res = Result(fields={k: [0, 0] for k in FIELDS})
    for g, rec in pair(gold, records):
        label = f"{g['doc']}#{g.get('part', 0)}"
        if rec is None:
            res.missing.append(label)
            res.targets.fn += len(g.get("targets", []))
            res.targets_lenient.fn += len(g.get("targets", []))
            res.actuals.fn += len(g.get("actuals", []))
            res.actuals_lenient.fn += len(g.get("actuals", []))
            continue
        res.matched += 1
        for name, get in FIELDS.items():
            ok = _same(g.get(name), get(rec))
            res.fields[name][0] += ok
            res.fields[name][1] += 1
            if not ok:
                res.details.append(f"{label} {name}: gold {g.get(name)!r}, got {get(rec)!r}")
        numeric = [t for t in rec.get("targets", []) if t.get("value") is not None]
        for strict, score in ((True, res.targets), (False, res.targets_lenient)):
            missed, extra = score.add(Counter(value_key(t, lex, strict) for t in g.get("targets", [])),
                                      Counter(value_key(t, lex, strict) for t in numeric))
            if strict:
                res.details += [f"{label} target missed: {k}" for k in missed.elements()]
                texts = {value_key(t, lex, True): t.get("text", "") for t in numeric}
                res.details += [f"{label} target extra: {k} ← {texts.get(k, '')}" for k in extra.elements()]
        res.qualitative.add(Counter(set(g.get("qualitative", []))),
                            Counter({t.get("indicator") for t in rec.get("targets", []) if t.get("value") is None
                                     and t.get("relation") != "not_set"}))
        for strict, score in ((True, res.actuals), (False, res.actuals_lenient)):
            missed, _ = score.add(Counter(value_key(t, lex, strict) for t in g.get("actuals", [])),
                                  Counter(value_key(t, lex, strict) for t in rec.get("actuals", [])))
            if strict:
                res.details += [f"{label} actual missed: {k}" for k in missed.elements()]
    return res


def _load_jsonl(path: str) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise click.ClickException(f"{path}: {exc.strerror or exc}") from None
    text = text.strip()
    if text.startswith("["):  # `govreport parse --format json` output
        return json.loads(text)
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise click.ClickException(f"{path} line {n}: invalid JSON ({exc.msg})") from None
    return rows


@click.command("eval")
@click.argument("gold", type=click.Path())
@click.argument("records", type=click.Path())
@click.option("--min-f1", type=float, help="Exit 1 when the strict target F1 is below this.")
@click.option("--json", "as_json", is_flag=True, help="Print the scores as JSON.")
@click.option("--details", is_flag=True, help="List every mismatch (field, missed and extra values).")
def eval_cmd(gold: str, records: str, min_f1: float | None, as_json: bool, details: bool) -> None:
    """Score RECORDS (from `govreport parse`) against GOLD records."""
    res = evaluate(_load_jsonl(gold), _load_jsonl(records))
    if as_json:
        click.echo(json.dumps(res.as_dict(), ensure_ascii=False, indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        console.print(f"{res.matched} gold reports matched" + (f", missing: {', '.join(res.missing)}" if res.missing else ""))
        table = Table("metadata field", "accuracy", title="metadata")
        for name in FIELDS:
            right, total = res.fields[name]
            table.add_row(name, f"{res.accuracy(name):.3f} ({right}/{total})")
        console.print(table)
        table = Table("values", "precision", "recall", "F1", "tp", "fp", "fn", title="targets and actuals")
        for name, s in (("targets (strict)", res.targets), ("targets (lenient)", res.targets_lenient),
                        ("qualitative targets", res.qualitative), ("actuals (strict)", res.actuals),
                        ("actuals (lenient)", res.actuals_lenient)):
            table.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn))
        console.print(table)
    if details:
        for line in res.details:
            click.echo(line, err=as_json)
    if min_f1 is not None and res.targets.f1 < min_f1:
        click.echo(f"strict target F1 {res.targets.f1:.3f} is below --min-f1 {min_f1}", err=True)
        sys.exit(1)
