"""Stage 1, read: any input file -> decoded source texts (one per file, or one per csv/jsonl row).

MINIMAL PLACEHOLDER: being replaced by the full reader (encodings, html, docx, pdf, csv, jsonl).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govreport.model import GovreportError


@dataclass
class SourceText:
    """The decoded text of one input unit, before normalisation."""

    path: str
    sha256: str  # of the raw file
    format: str  # txt | html | docx | pdf | csv | jsonl
    text: str
    encoding: str | None = None
    row: int | None = None  # 1-based data row of a csv/jsonl corpus
    meta: dict[str, Any] = field(default_factory=dict)  # the row's other columns
    warnings: list[str] = field(default_factory=list)


def read(path: str | Path, *, text_column: str | None = None) -> Iterator[SourceText]:
    """Yield the source texts in ``path``; raise GovreportError for an unusable file."""
    p = Path(path)
    if not p.exists():
        raise GovreportError(str(path), "no such file")
    raw = p.read_bytes()
    yield SourceText(str(path), hashlib.sha256(raw).hexdigest(), "txt", raw.decode("utf-8", "replace"), "utf-8")
