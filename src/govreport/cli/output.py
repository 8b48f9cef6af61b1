"""The human summary of a record: what `govreport parse --format table` (and `make demo`) prints."""

from __future__ import annotations

from typing import IO, Any

from rich.console import Console
from rich.table import Table


def _value(v: dict[str, Any]) -> str:
    if v.get("value") is None:
        return "—"
    shown = f"{v['value']:g}" if isinstance(v["value"], (int, float)) else str(v["value"])
    if v.get("high") is not None:
        shown += f"–{v['high']:g}"
    return shown + (v.get("unit") or "")


def print_report(record: dict[str, Any], out: IO[str]) -> None:
    """One report: a header line of metadata, its targets with evidence, then its warnings."""
    console = Console(file=out, width=None if out.isatty() else 120, highlight=False)
    src, reg = record["source"], record["region"]
    where = src["path"] + (f" row {src['row']}" if src.get("row") else "") + f" [{src['part']}/{src['parts']}]"
    console.rule(f"[bold]{record.get('title') or '(untitled report)'}[/bold]")
    console.print(
        f"{where}\n{reg.get('name') or '?'} ({reg.get('level') or '?'}, code {reg.get('code') or '?'}"
        f"{', ' + reg['prefecture'] if reg.get('prefecture') else ''}{', ' + reg['province'] if reg.get('province') and reg.get('province') != reg.get('name') else ''})"
        f" · delivered {record.get('meeting_date') or '?'} · {(record.get('congress') or {}).get('text') or ''}"
        f" · {((record.get('speaker') or {}).get('title') or '')} {((record.get('speaker') or {}).get('name') or '')}"
        f" · reviews {record.get('review_year')} → plans {record.get('plan_year')}"
        f" · {len(record.get('targets', []))} targets, {len(record.get('actuals', []))} actuals"
    )
    if record.get("targets"):
        table = Table(title="main targets", title_justify="left")
        for name in ("indicator", "measure", "value", "qualifier", "modifier"):
            table.add_column(name, overflow="fold")
        table.add_column("evidence", overflow="fold")
        for v in record["targets"]:
            table.add_row(v.get("indicator") or "?", v["measure"], _value(v),
                          v["qualifier"] if v.get("value") is not None else (v.get("relation") or ""),
                          v.get("modifier") or "", v["text"])
        console.print(table)
    for w in record.get("warnings", []):
        console.print(f"[yellow]warning:[/yellow] {w}")
    console.print()
