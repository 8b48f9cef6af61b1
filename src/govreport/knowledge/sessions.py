"""National People's Congress sessions as shipped facts (data/national_sessions.tsv).

A State Council report copied without its header still has a meeting date, a session and a speaker: they are
public record. The table holds every NPC session 1954-2026 with the date the government work report was
delivered, who delivered it (a vice premier for some early plan reports) and the year its plan is for. The
parser asks it only for what the text does not state; see docs/records.md.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Session:
    year: int
    term: int
    number: int
    text: str  # 第十三届全国人民代表大会第二次会议
    meeting_date: str  # the day the report was delivered (first day when it took two)
    speaker: str
    speaker_title: str
    plan_year: int
    source: str


@functools.lru_cache(maxsize=1)
def sessions() -> tuple[Session, ...]:
    """Sessions at which a government work report was delivered (sessions without one are listed in the file
    with empty date and speaker, and are left out here)."""
    with resources.files("govreport.data").joinpath("national_sessions.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    return tuple(
        Session(int(r["year"]), int(r["npc_term"]), int(r["session_no"]), r["session"], r["meeting_date"], r["speaker"],
                r["speaker_title"], int(r["plan_year"]), r["source"])
        for r in rows if r["meeting_date"] and r["speaker"]
    )


def find(term: int | None = None, number: int | None = None, meeting_year: int | None = None,
         plan_year: int | None = None) -> Session | None:
    """The one session matching the most specific key given: term and number, else the meeting year, else the
    plan year. Ambiguous keys (two sessions planning 1983) give None: a guess would be a wrong fact."""
    if term is not None and number is not None:
        hits = [s for s in sessions() if (s.term, s.number) == (term, number)]
    elif meeting_year is not None:
        hits = [s for s in sessions() if int(s.meeting_date[:4]) == meeting_year]
    elif plan_year is not None:
        hits = [s for s in sessions() if s.plan_year == plan_year]
    else:
        hits = []
    return hits[0] if len(hits) == 1 else None
