"""Is the confidence honest? Reliability of the values' confidence against gold, and the Brier score.

Each numeric target of a record is right when it matches a gold target strictly (evaluate.value_key with
strict=True: indicator, measure, scaled value, high, qualifier; a gold value matches one record value at
most, in record order), else wrong. Gold lists every numeric target of the targets paragraph but only the
headline actuals, so an actual is judged only against a headline of its own indicator and measure: right when
it matches one, wrong when the gold's headline for that indicator and measure is another figure (a repeat, a
milestone 突破3万亿元 beside the exact figure, a sub-total); an actual of an indicator the gold's headlines do not
name is not judged.

The reliability table bins values by confidence and shows, per bin, the mean predicted confidence beside the
observed precision: a calibrated score has them close. The Brier score (mean squared error of the confidence
against right = 1 / wrong = 0) is shown beside that of a constant predictor giving every value the observed
precision, the best a score without features can do.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from govreport.knowledge.lexicon import Lexicon, load_lexicon
from govreport.quality.evaluate import _load_jsonl, pair, value_key

EDGES = (0.0, 0.3, 0.5, 0.7, 0.8, 0.9, 0.95, 1.0)  # most values score high: finer bins where they are


@dataclass(frozen=True)
class Judged:
    """One numeric target or actual of a record, judged against the gold."""

    doc: str
    part: int
    kind: str  # target | actual
    idx: int  # index into the record's targets or actuals
    confidence: float | None
    right: bool


@dataclass(frozen=True)
class Bin:
    low: float
    high: float
    n: int
    mean_confidence: float
    precision: float


def judge(gold: list[dict[str, Any]], records: list[dict[str, Any]], lex: Lexicon | None = None) -> list[Judged]:
    """Every numeric target and every judgeable actual of the records that have a gold report."""
    lex = lex or load_lexicon()
    judged = []
    for g, rec in pair(gold, records):
        if rec is None:
            continue
        for kind, table in (("target", "targets"), ("actual", "actuals")):
            left = Counter(value_key(t, lex, True) for t in g.get(table, []))
            headline = {(t.get("indicator"), t.get("measure")) for t in g.get(table, [])}
            for i, t in enumerate(rec.get(table, [])):
                key = value_key(t, lex, True)
                if t.get("value") is None or (kind == "actual" and not left[key]
                                              and (t.get("indicator"), t.get("measure")) not in headline):
                    continue
                right = left[key] > 0
                left[key] -= right
                judged.append(Judged(g["doc"], int(g.get("part") or 0), kind, i, t.get("confidence"), right))
    return judged


def reliability(judged: list[Judged], edges: tuple[float, ...] = EDGES) -> list[Bin]:
    """One row per non-empty confidence bin [low, high) (the last bin includes 1.0)."""
    bins = []
    for k, (low, high) in enumerate(zip(edges, edges[1:])):
        last = k == len(edges) - 2
        inside = [j for j in judged if j.confidence is not None
                  and low <= j.confidence and (j.confidence < high or (last and j.confidence <= high))]
        if inside:
            bins.append(Bin(low, high, len(inside), sum(j.confidence for j in inside) / len(inside),
                            sum(j.right for j in inside) / len(inside)))
    return bins


def brier(judged: list[Judged]) -> tuple[float, float]:
    """(Brier score of the confidence, Brier score of the constant predictor = observed precision)."""
    scored = [j for j in judged if j.confidence is not None]
    if not scored:
        return float("nan"), float("nan")
    rate = sum(j.right for j in scored) / len(scored)
    model = sum((j.confidence - j.right) ** 2 for j in scored) / len(scored)
    constant = sum((rate - j.right) ** 2 for j in scored) / len(scored)
    return model, constant


def summary(judged: list[Judged]) -> dict[str, Any]:
    """The reliability table and Brier scores of one set of judged values, as plain data."""
    model, constant = brier(judged)
    return {"values": len(judged), "unscored": sum(j.confidence is None for j in judged),
            "precision": round(sum(j.right for j in judged) / len(judged), 4) if judged else None,
            "brier": round(model, 4), "brier_constant": round(constant, 4),
            "bins": [{"low": b.low, "high": b.high, "n": b.n, "mean_confidence": round(b.mean_confidence, 4),
                      "precision": round(b.precision, 4)} for b in reliability(judged)]}


def tables(per_file: dict[str, list[Judged]]) -> dict[str, dict[str, Any]]:
    """Summaries of targets and of actuals, over all gold files and per file: {"targets, overall": ...}."""
    out = {}
    for kind in ("target", "actual"):
        out[f"{kind}s, overall"] = summary([j for js in per_file.values() for j in js if j.kind == kind])
        out.update({f"{kind}s, {name}": summary([j for j in js if j.kind == kind]) for name, js in per_file.items()})
    return out


@click.command("calibrate")
@click.argument("gold", nargs=-1, required=True, type=click.Path())
@click.option("--records", "-r", "records", multiple=True, required=True, type=click.Path(),
              help="Records (`govreport parse` JSON lines) holding the gold's reports; repeat for several files.")
@click.option("--json", "as_json", is_flag=True, help="Print the tables as JSON.")
def calibrate_cmd(gold: tuple[str, ...], records: tuple[str, ...], as_json: bool) -> None:
    """Reliability of the values' confidence against GOLD files: predicted confidence vs observed precision."""
    recs = [r for path in records for r in _load_jsonl(path)]
    lex = load_lexicon()
    result = tables({Path(g).name: judge(_load_jsonl(g), recs, lex) for g in gold})
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for name, t in result.items():
        if not t["values"]:
            continue
        table = Table("confidence", "values", "mean confidence", "observed precision", title_justify="left",
                      title=f"{name}: {t['values']} values, precision {t['precision']}, Brier {t['brier']} "
                            f"(constant predictor {t['brier_constant']})")
        for b in t["bins"]:
            table.add_row(f"{b['low']:.2f}–{b['high']:.2f}", str(b["n"]), f"{b['mean_confidence']:.3f}",
                          f"{b['precision']:.3f}")
        console.print(table)
        if t["unscored"]:
            console.print(f"{t['unscored']} values carry no confidence (records from an older parser)")
