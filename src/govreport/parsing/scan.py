"""One scan per zone, handed out piece by piece (issue 13): extraction reads clauses and commitments read
sentences, and a regex (or automaton) call per piece cost more than the matching itself. A zone is scanned once;
each piece gets the matches inside it, found by bisection.

A piece gets exactly what a scan of the piece alone finds, provided the pattern has no lookaround: a match inside
the piece is also the first match a scan stopping at the piece's end finds there. Only a match that straddles a
piece's edge ("5\\n%", "1,2345") can differ; that piece is then scanned on its own, so the result is the same
and the work stays linear (each piece is rescanned at most once)."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
Finder = Callable[[str, int, int], list[T]]  # (text, start, end) -> what a scan of text[start:end] finds, in order


class ZoneScan(Generic[T]):
    """What ``find`` finds over text[start:end], handed out per piece by ``within``."""

    def __init__(self, find: Finder[T], span: Callable[[T], tuple[int, int]], text: str, start: int, end: int):
        self.find, self.text = find, text
        self.found = find(text, start, end)
        spans = [span(x) for x in self.found]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether anything found overlaps text[start:end]; when not, a scan of that piece alone finds nothing
        either, so a caller may pass the piece by."""
        return bisect_right(self.ends, start) < bisect_left(self.starts, end)

    def within(self, start: int, end: int) -> list[T]:
        i, j = bisect_right(self.ends, start), bisect_left(self.starts, end)  # the matches overlapping the piece
        if i < j and (self.starts[i] < start or self.ends[j - 1] > end):
            return self.find(self.text, start, end)
        return self.found[i:j]


def regex_matches(pattern: re.Pattern[str]) -> Finder[re.Match[str]]:
    return lambda text, start, end: list(pattern.finditer(text, start, end))


def regex_spans(pattern: re.Pattern[str]) -> Finder[tuple[int, int]]:
    return lambda text, start, end: [m.span() for m in pattern.finditer(text, start, end)]


def match_zone(pattern: re.Pattern[str], text: str, start: int, end: int) -> ZoneScan[re.Match[str]]:
    """The matches of a lookaround-free ``pattern`` over a zone."""
    return ZoneScan(regex_matches(pattern), re.Match.span, text, start, end)


def span_zone(find: Finder[tuple[int, int]], text: str, start: int, end: int) -> ZoneScan[tuple[int, int]]:
    """Spans found over a zone (by an automaton, or ``regex_spans``)."""
    return ZoneScan(find, lambda s: s, text, start, end)
