"""Stage 6, extract: targets of the plan year and actuals of the review year, each grounded in a span. (WIP)"""

from __future__ import annotations

from govreport.lexicon import Lexicon
from govreport.model import Report


def fill_values(report: Report, lex: Lexicon) -> None:
    return None
