"""Stage 4, metadata: title, kind, region, date, congress, speaker, review and plan years. (WIP)"""

from __future__ import annotations

from govreport.lexicon import Lexicon
from govreport.model import Report


def fill_metadata(report: Report, lex: Lexicon) -> None:
    return None
