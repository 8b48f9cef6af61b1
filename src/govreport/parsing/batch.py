"""Many files parsed as one batch, for `parse`, `check` and anything else that streams records: each file's
reports become plain dicts (picklable, so worker processes can send them), and whatever goes wrong with one
file (an error, an internal bug, the time budget) becomes error lines for that file while the batch goes on."""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterator
from typing import Any

from govreport.model import GovreportError
from govreport.parsing.pipeline import iter_parse_file
from govreport.parsing.workers import DEFAULT_BUDGET, OverBudget, run_pool, time_budget

Item = tuple[str, list[dict[str, Any]], list[str]]  # path, report dicts, error lines


def _parse_one(args: tuple[str, str | None, str | None, int, bool, float]) -> Item:
    """Worker: one file -> plain dicts (picklable) and error lines; never raises."""
    path, lexicon, text_column, max_bytes, with_text, budget = args
    reports, errors = [], []
    try:
        with time_budget(budget):
            for item in iter_parse_file(path, lexicon=lexicon, text_column=text_column, max_bytes=max_bytes):
                if isinstance(item, GovreportError):
                    errors.append(str(item))
                else:
                    reports.append(item.to_dict(include_text=with_text))
    except OverBudget as exc:
        reports, errors = [], [f"{path}: {exc}"]
    except KeyboardInterrupt:
        raise
    except Exception as exc:  # a parser bug must not stop the batch
        detail = traceback.format_exc() if os.environ.get("GOVREPORT_DEBUG") else ""
        errors.append(f"{path}: internal error: {type(exc).__name__}: {exc} (set GOVREPORT_DEBUG=1 for details)"
                      + ("\n" + detail if detail else ""))
    return path, reports, errors


def run(paths: list[str], jobs: int, lexicon: str | None, text_column: str | None, max_bytes: int,
        with_text: bool, budget: float = DEFAULT_BUDGET) -> Iterator[Item]:
    """Results per file, in input order, streamed from ``jobs`` worker processes."""
    args = ((p, lexicon, text_column, max_bytes, with_text, budget) for p in paths)
    if jobs <= 1:
        yield from map(_parse_one, args)
        return
    yield from run_pool(_parse_one, args, jobs, path_of=lambda a: a[0])
