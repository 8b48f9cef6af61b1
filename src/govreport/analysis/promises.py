"""Promises kept: each quantified commitment of a plan year beside the best-matching achievement the next
year's report claims (bigram overlap of the object, same unit, similar action)."""

from __future__ import annotations

import re

from govreport.model import Commitment, Report


def _bigrams(s: str) -> set[str]:
    s = re.sub(r"\s", "", s)
    return {s[i : i + 2] for i in range(len(s) - 1)} or {s}


def similarity(a: Commitment, b: Commitment) -> float:
    """How likely two quantified statements speak of the same thing: object/action bigram overlap, same unit."""
    if (a.unit or "") != (b.unit or ""):
        return 0.0
    x, y = _bigrams(a.object), _bigrams(b.object)
    obj = len(x & y) / len(x | y)
    act = 1.0 if a.action == b.action else 0.5 if (set(a.action) & set(b.action)) else 0.0
    return round(0.8 * obj + 0.2 * act, 3)


def match_promises(plan: Report, review: Report, threshold: float = 0.35) -> list[dict]:
    """Each commitment of ``plan`` (for year Y) beside the best-matching achievement of ``review`` (reviewing Y)."""
    rows = []
    for c in plan.commitments:
        best, score = None, 0.0
        for a in review.achievements:
            s = similarity(c, a)
            if s > score:
                best, score = a, s
        matched = best is not None and score >= threshold
        rows.append({
            "year": plan.plan_year, "region": plan.region.name, "action": c.action, "object": c.object,
            "promised": c.value, "unit": c.unit, "qualifier": c.qualifier, "strength": c.strength,
            "promise": plan.text[c.sentence[0] : c.sentence[1]] if c.sentence else c.text,
            "achieved": best.value if matched else None,
            "result": review.text[best.sentence[0] : best.sentence[1]] if matched and best.sentence else None,
            "ratio": round(best.value / c.value, 3) if matched and c.value else None,
            "confidence": score if matched else 0.0,
        })
    return rows
