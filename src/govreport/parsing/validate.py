"""Plausibility checks on a finished Report: an impossible number becomes a warning, never a crash downstream.

A 20-digit typo parses to an integer no database column holds (DuckDB DOUBLE via pyarrow refuses ints
>= 2^63), and 309 digits parse to ``inf``, which strict JSON readers reject. Numbers here are dropped from
``value`` (the evidence text and ``number_text`` keep them as written) when they are not finite or not
below 2^53, the largest magnitude a double stores exactly: far above any real report quantity (China's GDP
is about 1.3e14 yuan), so nothing real is lost. Years, congress terms and sessions are checked against the
ranges a work report can have.
"""

from __future__ import annotations

import math

from govreport.model import Report

EXACT = 2**53
YEARS = range(1949, 2201)
ORDINALS = range(1, 100)  # 第N届 / 第N次会议


def plausible_number(value: float | int | None) -> bool:
    return value is None or (math.isfinite(value) and abs(value) < EXACT)


def check_report(report: Report) -> None:
    """Drop implausible numbers and years from ``report`` in place, with one warning each."""
    for kind, items in (("target", report.targets), ("actual", report.actuals)):
        for v in items:
            if not (plausible_number(v.value) and plausible_number(v.high)):
                report.warn(f"implausible {kind} value dropped: {v.text[:80]}")
                v.value = v.high = None
    for c in report.commitments + report.achievements:
        if not plausible_number(c.value):
            report.warn(f"implausible number dropped: {c.number_text[:40]}")
            c.value = None
    if report.livelihood is not None and not plausible_number(report.livelihood.count):
        report.warn(f"implausible livelihood-project count dropped: {report.livelihood.text[:80]}")
        report.livelihood.count = None
    for field in ("review_year", "plan_year"):
        year = getattr(report, field)
        if year is not None and year not in YEARS:
            report.warn(f"implausible {field.replace('_', ' ')} dropped: {str(year)[:40]}")
            setattr(report, field, None)
    for field in ("term", "session"):
        number = getattr(report.congress, field)
        if number is not None and number not in ORDINALS:
            report.warn(f"implausible congress {field} dropped: {str(number)[:40]}")
            setattr(report.congress, field, None)
