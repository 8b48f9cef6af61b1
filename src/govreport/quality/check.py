"""`govreport check`: how far to trust a corpus that has no gold.

For each corpus (each PATH given) it parses every report and measures what a researcher needs before building a
panel: the share of reports whose region resolved to an official code, whose plan year and meeting date were
read, whose targets paragraph was found (or whose warnings say why not), and which have a GDP target or say they
set none; how many targets and actuals each report yields; the warnings grouped by kind; and the reports that
need a look first. Every figure is computed from the parsed records, so it holds for any corpus.
"""

from __future__ import annotations

import json
import re
import statistics
import sys
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import click

# Each check: a name shown to the user and a test on one report record (a Report.to_dict()).
CHECKS: dict[str, str] = {
    "region": "region resolved to an official code",
    "plan_year": "plan year read",
    "meeting_date": "meeting date read",
    "meeting_date_accounted": "meeting date read, or the text states none",
    "targets_found": "targets paragraph found",
    "targets_accounted": "targets found, or a warning says why not",
    "gdp": "GDP target (older: GNP, 工农业总产值; a figure or relative), or says it sets none",
    "targets_all_read": "every figure of the targets paragraph read (else a warning names the rest)",
}
# the checks a report fails when something is wrong with it (the others are shares for information: a copy
# without a date line has no meeting date to read)
ACCOUNTED = ("region", "plan_year", "meeting_date_accounted", "targets_accounted", "gdp")
NO_TARGETS_REASONS = ("main-targets paragraph", "truncated", "only part of a report")
KIND_NOISE = re.compile(r"[\u3400-\u9fff]+|\d+(?:\.\d+)?|'[^']*'|“[^”]*”|…[^)）]*|\([^)]*\)|（[^）]*）")


def report_checks(rec: dict[str, Any], headline: tuple[str, ...] = ("gdp",)) -> dict[str, bool]:
    """The pass/fail of every check for one report record; ``headline`` are the output indicators that count
    as a GDP target (older reports set theirs on GNP or 工农业总产值)."""
    warnings = rec.get("warnings") or []
    targets = rec.get("targets") or []
    found = any(t.get("value") is not None for t in targets)
    return {
        "region": bool((rec.get("region") or {}).get("code")),
        "plan_year": rec.get("plan_year") is not None,
        "meeting_date": rec.get("meeting_date") is not None,
        "meeting_date_accounted": rec.get("meeting_date") is not None
        or any(w.startswith(("no meeting date: the text has no date line", "no meeting date: the header dates"))
               for w in warnings),
        "targets_found": found,
        "targets_accounted": found or any(r in w for w in warnings for r in NO_TARGETS_REASONS),
        # a figure, a relative target (高于全省平均水平), or the report's word that it sets none
        "gdp": any(t.get("indicator") in headline and (t.get("value") is not None or t.get("relation"))
                   for t in targets),
        "targets_all_read": found and not any("not read as targets" in w for w in warnings),
    }


def warning_kind(warning: str) -> str:
    """A warning with its particulars (names, figures, quotes) taken out, so like warnings count together."""
    return " ".join(KIND_NOISE.sub(" ", warning).split()).strip(" :;,") or warning[:40]


@dataclass
class Coverage:
    """What ``check`` found in one corpus."""

    corpus: str
    headline: tuple[str, ...] = ("gdp",)
    reports: int = 0
    refused: list[str] = field(default_factory=list)
    passed: Counter = field(default_factory=Counter)
    targets: list[int] = field(default_factory=list)
    actuals: list[int] = field(default_factory=list)
    warning_kinds: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)
    worst: list[tuple[int, str, list[str]]] = field(default_factory=list)  # (failed checks, report, failures)

    def add(self, rec: dict[str, Any]) -> None:
        self.reports += 1
        results = report_checks(rec, self.headline)
        self.passed.update(name for name, ok in results.items() if ok)
        self.targets.append(sum(1 for t in rec.get("targets") or [] if t.get("value") is not None))
        self.actuals.append(len(rec.get("actuals") or []))
        self.warning_kinds.update({warning_kind(w) for w in rec.get("warnings") or []})
        self.kinds[rec.get("kind") or "full"] += 1
        failed = [CHECKS[name] for name, ok in results.items() if not ok and name in ACCOUNTED]
        if failed:
            src = rec.get("source") or {}
            where = src.get("path", "?") + (f" (row {src['row']})" if src.get("row") else "")
            if (src.get("parts") or 1) > 1:
                where += f" [{src.get('part')}/{src.get('parts')}]"
            self.worst.append((len(failed), where, failed))

    def share(self, name: str) -> float:
        return self.passed[name] / self.reports if self.reports else 0.0

    def as_dict(self, worst: int) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "reports": self.reports,
            "refused": self.refused,
            "kinds": dict(self.kinds),
            "shares": {name: round(self.share(name), 4) for name in CHECKS},
            "targets_per_report": _spread(self.targets),
            "actuals_per_report": _spread(self.actuals),
            "reports_without_targets": sum(1 for n in self.targets if n == 0),
            "warnings_by_kind": dict(self.warning_kinds.most_common()),
            "worst": [{"report": w, "failed": f} for _, w, f in self.worst_first()[:worst]],
        }

    def worst_first(self) -> list[tuple[int, str, list[str]]]:
        return sorted(self.worst, key=lambda item: (-item[0], item[1]))


def _spread(counts: list[int]) -> dict[str, float]:
    if not counts:
        return {"mean": 0, "median": 0, "min": 0, "max": 0}
    return {"mean": round(statistics.fmean(counts), 2), "median": statistics.median(counts), "min": min(counts),
            "max": max(counts)}


def check_corpus(path: str, jobs: int = 1, lexicon: str | None = None, text_column: str | None = None) -> Coverage:
    """Parse every report under ``path`` and measure its coverage."""
    from govreport.parsing.batch import run  # the same streaming, per-file-error-tolerant runner as `parse`
    from govreport.knowledge.lexicon import load_lexicon
    from govreport.parsing.pipeline import expand_paths
    from govreport.parsing.read import DEFAULT_MAX_BYTES

    cov = Coverage(path, load_lexicon(lexicon).headline_output)
    files = list(expand_paths([path]))
    for _, records, errors in run(files, jobs, lexicon, text_column, DEFAULT_MAX_BYTES, False):
        cov.refused.extend(errors)
        for rec in records:
            cov.add(rec)
    return cov


def _print(cov: Coverage, worst: int, out: Any) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(file=out, width=120)
    kinds = ", ".join(f"{n} {k}" for k, n in cov.kinds.most_common())
    console.print(f"[bold]{cov.corpus}[/bold]: {cov.reports} reports ({kinds}); {len(cov.refused)} files refused")
    table = Table("check", "share", "reports", title="coverage")
    for name, label in CHECKS.items():
        table.add_row(label, f"{cov.share(name):.1%}", f"{cov.passed[name]}/{cov.reports}")
    console.print(table)
    t, a = _spread(cov.targets), _spread(cov.actuals)
    console.print(f"targets per report: mean {t['mean']}, median {t['median']}, max {t['max']}; "
                  f"{sum(1 for n in cov.targets if n == 0)} reports without a numeric target")
    console.print(f"actuals per report: mean {a['mean']}, median {a['median']}, max {a['max']}")
    if cov.warning_kinds:
        wt = Table("warning", "reports", title="warnings by kind")
        for kind, n in cov.warning_kinds.most_common():
            wt.add_row(kind, str(n))
        console.print(wt)
    for line in cov.refused:
        console.print(f"refused: {line}", markup=False)
    if cov.worst and worst:
        console.print(f"[bold]reports to look at first[/bold] ({min(worst, len(cov.worst))} of {len(cov.worst)}):")
        for _, where, failed in cov.worst_first()[:worst]:
            console.print(f"  {where}: {'; '.join(failed)}", markup=False)


@click.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--jobs", "-j", default=1, show_default=True, help="Worker processes.")
@click.option("--worst", default=10, show_default=True, help="How many of the weakest reports to list.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--min-share", type=float, default=None,
              help="Exit 1 when any coverage share of any corpus is below this (0-1), for CI.")
@click.option("--lexicon", type=click.Path(exists=True, dir_okay=False), help="Extra indicator lexicon (TOML).")
@click.option("--text-column", help="Column holding the report text in csv/jsonl/xlsx corpora.")
def check_cmd(paths: tuple[str, ...], jobs: int, worst: int, as_json: bool, min_share: float | None,
              lexicon: str | None, text_column: str | None) -> None:
    """Coverage of corpora without gold: each PATH is one corpus (a folder or a file)."""
    results = [check_corpus(p, jobs, lexicon, text_column) for p in paths]
    if as_json:
        json.dump([c.as_dict(worst) for c in results], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for cov in results:
            _print(cov, worst, sys.stdout)
    if min_share is not None:
        low = [(c.corpus, name, c.share(name)) for c in results for name in CHECKS
               if name in ACCOUNTED and c.share(name) < min_share]
        if low:
            for corpus, name, share in low:
                click.echo(f"error: {corpus}: {CHECKS[name]} {share:.1%} is below --min-share {min_share:.0%}",
                           err=True)
            sys.exit(1)
