"""Stage 2, normalise: clean text while keeping an offset map back to the input text.

MINIMAL PLACEHOLDER: being replaced by the full normaliser.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Normalized:
    """Normalised text and, for every character of it, the index of its origin in the input text."""

    text: str
    offsets: list[int]

    def slice(self, start: int, end: int) -> "Normalized":
        return Normalized(self.text[start:end], self.offsets[start:end])


def normalize(raw: str) -> Normalized:
    """Character-level clean-up of a whole input text."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return Normalized(text, list(range(len(text))))


def join_broken_lines(doc: Normalized) -> Normalized:
    """Join hard line breaks inside sentences (run per report, after splitting)."""
    return doc
