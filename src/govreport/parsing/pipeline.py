"""The whole pipeline, in one place:

    read -> normalise (offset map) -> split -> join broken lines -> metadata -> sections -> extract -> confidence

Each stage is a small module of pure functions; this file only wires them together.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from govreport import __version__
from govreport.parsing import commitments
from govreport.parsing import confidence
from govreport.knowledge import divisions
from govreport.parsing import extract
from govreport.parsing import metadata
from govreport.parsing import sections
from govreport.parsing import split
from govreport.parsing import validate
from govreport.knowledge.lexicon import Lexicon, load_lexicon
from govreport.model import GovreportError, Report, Source
from govreport.parsing.normalize import Normalized, join_broken_lines, normalize, to_simplified
from govreport.parsing.read import DEFAULT_MAX_BYTES, SourceText, read

PARSER_VERSION = __version__
NOT_A_REPORT = "not a government work report"


def parse(path: str | os.PathLike[str], *, lexicon: str | None = None, text_column: str | None = None) -> list[Report]:
    """Parse one file into its reports (several for a compilation or a csv/jsonl corpus).

    Raises GovreportError when the file cannot be used at all."""
    reports: list[Report] = []
    errors: list[GovreportError] = []
    for item in iter_parse_file(path, lexicon=lexicon, text_column=text_column):
        (errors if isinstance(item, GovreportError) else reports).append(item)
    if errors and not reports:
        raise errors[0]
    return reports


def iter_parse_file(
    path: str | os.PathLike[str], *, lexicon: str | None = None, text_column: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Report | GovreportError]:
    """The reports of one file, streamed; a bad row of a corpus yields its error and the next rows go on.

    A file-level problem (missing, corrupt, not a report) is yielded as a single GovreportError."""
    lex = load_lexicon(lexicon)
    not_reports: list[GovreportError] = []  # rows of a corpus file that are not reports: said once, at the end
    any_report = False
    try:
        for unit in read(path, text_column=text_column, max_bytes=max_bytes):
            if isinstance(unit, GovreportError):
                yield unit
                continue
            try:
                reports = parse_source(unit, lex)
            except GovreportError as exc:
                if unit.row and exc.message.startswith(NOT_A_REPORT):
                    not_reports.append(exc)
                else:
                    yield exc
                continue
            any_report = any_report or bool(reports)
            yield from reports
    except GovreportError as exc:
        yield exc
    if len(not_reports) == 1:
        yield not_reports[0]
    elif not_reports:
        rows = ", ".join(str(e.path.rsplit("row ", 1)[-1].rstrip(")")) for e in not_reports[:10])
        more = f" and {len(not_reports) - 10} more" if len(not_reports) > 10 else ""
        what = f"{len(not_reports)} rows are" if any_report else f"none of its {len(not_reports)} rows is"
        yield GovreportError(str(path), f"{NOT_A_REPORT}: {what} a report (rows {rows}{more})")


def iter_parse(
    paths: Iterable[str | os.PathLike[str]], *, lexicon: str | None = None, text_column: str | None = None
) -> Iterator[Report | GovreportError]:
    """Stream reports from many files (directories are walked); a bad file yields its error and the rest go on."""
    for path in expand_paths(paths):
        yield from iter_parse_file(path, lexicon=lexicon, text_column=text_column)


def parse_text(text: str, path: str = "<text>", *, lexicon: str | None = None) -> list[Report]:
    """Parse a report given as a string (tests, notebooks, the web upload)."""
    lex = load_lexicon(lexicon)
    import hashlib

    unit = SourceText(path, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(), "txt", text, "utf-8")
    return parse_source(unit, lex)


SUPPORTED_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".docx", ".pdf", ".csv", ".tsv", ".jsonl", ".ndjson", ".xlsx", ".tmx"}


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[str]:
    """Files as given (``-`` is standard input); directories walked (sorted) for files with a supported suffix."""
    for p in paths:
        path = Path(p)
        try:
            is_dir = str(p) != "-" and path.is_dir()
        except OSError:  # a name too long, a permission: read() reports it for this path alone
            is_dir = False
        if is_dir:
            for sub in sorted(path.rglob("*")):
                if sub.is_file() and sub.suffix.lower() in SUPPORTED_SUFFIXES and not sub.name.startswith("."):
                    yield str(sub)
        else:
            yield str(p)


def parse_source(unit: SourceText, lex: Lexicon) -> list[Report]:
    """One decoded input text (a file, or one row of a corpus) -> its reports, numbered 1..n (`source.part`)."""
    doc, traditional = to_simplified(normalize(unit.text))
    if traditional:
        unit.warnings.append(f"text in traditional characters: {traditional} characters read as simplified")
    if not doc.text.strip():
        raise GovreportError(_where(unit), "empty file (no text)")
    kind = split.report_kind(doc.text)
    parts, file_warnings = split.split_reports(doc.text, kind)
    if not parts:
        raise GovreportError(_where(unit), f"{NOT_A_REPORT} (no report structure found)")
    reports = []
    for start, end in parts:
        report = build_report(doc.slice(start, end), unit, lex)
        for w in unit.warnings:
            report.warn(w)
        if kind == "fragment" and report.kind == "full":
            report.kind = "fragment"
        reports.append(report)
    for i, report in enumerate(reports, 1):
        report.source.part, report.source.parts = i, len(reports)
    split.check_against_contents(doc.text, reports)
    for report in reports:
        for w in file_warnings:
            report.warn(w)
        confidence.fill_confidence(report, lex)  # last: it reads the report's final kind and warnings
    return reports


def build_report(part: Normalized, unit: SourceText, lex: Lexicon) -> Report:
    """Run the per-report stages over one report's normalised text."""
    doc = join_broken_lines(part)
    report = Report(
        source=Source(
            path=unit.path,
            sha256=unit.sha256,
            format=unit.format,
            encoding=unit.encoding,
            row=unit.row,
            meta=dict(unit.meta),
        ),
        text=doc.text,
        offsets=doc.offsets,
        versions={"parser": PARSER_VERSION, "lexicon": lex.version, "divisions": divisions.VINTAGE},
    )
    report.sections = sections.find_sections(report.text)
    sections.classify(report)
    metadata.fill_metadata(report, lex)
    extract.fill_values(report, lex)
    commitments.fill_commitments(report, lex)
    validate.check_report(report)
    split.check_complete(report)
    return report


def _where(unit: SourceText) -> str:
    return f"{unit.path} (row {unit.row})" if unit.row else unit.path
