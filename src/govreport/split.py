"""Stage 3, split: one normalised file text -> the character ranges of the reports it holds. (WIP)"""

from __future__ import annotations

from govreport.model import Report


def split_reports(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    return [(0, len(text))], []


def check_against_contents(text: str, reports: list[Report], warnings: list[str]) -> None:
    return None


def check_complete(report: Report) -> None:
    return None
