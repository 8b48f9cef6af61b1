"""Stage 5, sections: the heading tree and the kind of each section. (WIP)"""

from __future__ import annotations

from govreport.model import Report, Section


def find_sections(text: str) -> list[Section]:
    return []


def classify(report: Report) -> None:
    return None
