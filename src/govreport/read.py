"""Stage 1, read: any input file -> decoded source texts (one per file, or one per csv/jsonl row).

Formats are chosen by suffix, then checked against the bytes (a .txt that is really a docx is read as a
docx). Text is decoded by BOM, strict UTF-8, UTF-16 without BOM, strict GB18030, then charset-normalizer; a
few bad bytes are replaced with a warning instead of failing. csv/jsonl corpora are streamed row by row, so a
corpus of any size never sits in memory at once. Problems with a whole file raise GovreportError; a bad row
of a corpus is yielded as a GovreportError and the next rows go on.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from govreport.model import GovreportError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
MAX_MEMBER_BYTES = 32 * 1024 * 1024  # decompressed archive member (word/document.xml of a report is ~1 MB)
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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


def read(path: str | os.PathLike[str], *, text_column: str | None = None,
         max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceText | GovreportError]:
    """Yield the source texts in ``path``; raise GovreportError for an unusable file."""
    name = str(path)
    p = Path(path)
    if not p.exists():
        raise GovreportError(name, "no such file")
    if p.is_dir():
        raise GovreportError(name, "is a directory (pass it to `govreport parse`, which walks directories)")
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(8)
    except PermissionError:
        raise GovreportError(name, "cannot read: permission denied") from None
    except OSError as exc:
        raise GovreportError(name, f"cannot read: {exc.strerror or exc}") from None
    if size == 0:
        raise GovreportError(name, "empty file")
    kind = _kind(p, head)
    if kind in ("csv", "jsonl"):
        yield from _corpus(p, kind, text_column, max_bytes)
        return
    if size > max_bytes:
        raise GovreportError(name, f"file too large ({_size(size)} > {_size(max_bytes)} limit; raise it with --max-bytes)")
    raw = p.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    if kind == "docx":
        yield SourceText(name, sha, "docx", _docx_text(name, raw))
    elif kind == "pdf":
        yield SourceText(name, sha, "pdf", _pdf_text(name, raw))
    elif kind == "doc":
        raise GovreportError(name, "legacy .doc format is not supported; save it as .docx")
    else:
        text, encoding, warnings = decode(name, raw)
        if kind == "html":
            text = html_article(text)
        yield SourceText(name, sha, kind, text, encoding, warnings=warnings)


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def _kind(p: Path, head: bytes) -> str:
    """The format from the bytes first, the suffix second."""
    suffix = p.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix == ".docx":
        return "docx"  # not a zip: _docx_text says it is corrupt
    if suffix == ".pdf":
        return "pdf"
    return "txt"


# --- text decoding ---------------------------------------------------------------------------------------

BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode(name: str, raw: bytes) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings); never fails on a bad byte, but refuses binary data."""
    for bom, enc in BOMS:
        if raw.startswith(bom):
            text = raw[len(bom):].decode(enc.replace("-sig", ""), errors="replace")
            return _check_text(name, text), enc, _replaced(text)
    sample = raw[:4000]
    if sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without a BOM: every other byte is NUL
        enc = "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
        text = raw.decode(enc, errors="replace")
        return _check_text(name, text), enc, _replaced(text)
    for enc in ("utf-8", "gb18030"):
        try:
            return _check_text(name, raw.decode(enc)), enc, []
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    enc = best.encoding if best is not None else "utf-8"
    if enc.lower().replace("_", "") in ("gb2312", "gbk", "hz"):
        enc = "gb18030"
    try:
        text = raw.decode(enc, errors="replace")
    except LookupError:
        enc, text = "utf-8", raw.decode("utf-8", errors="replace")
    return _check_text(name, text), enc, _replaced(text)


def _replaced(text: str) -> list[str]:
    n = text.count("\ufffd")
    return [f"{n} undecodable bytes replaced (U+FFFD)"] if n else []


CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _check_text(name: str, text: str) -> str:
    sample = text[:20000]
    controls = len(CONTROL.findall(sample))
    bad = sample.count("\ufffd") + sample.count("\x00")
    if sample and (controls + bad) > max(8, len(sample) // 20):
        raise GovreportError(name, "binary file, not text")
    return text


# --- html -------------------------------------------------------------------------------------------------

NOISE_TAGS = ("script", "style", "nav", "header", "footer", "aside", "form", "noscript", "iframe", "button", "select")
NOISE_ATTR = re.compile(r"nav|menu|footer|breadcrumb|share|sidebar|comment|related|copyright|banner|toolbar|crumb",
                        re.I)
BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "section", "article", "table",
              "blockquote", "pre", "ul", "ol", "dd", "dt", "center"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def html_article(markup: str) -> str:
    """The article of a web page as text, one line per block element; navigation and footers dropped."""
    import lxml.html

    try:
        root = lxml.html.document_fromstring(markup)
    except (ValueError, lxml.etree.ParserError):
        return markup
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        attrs = " ".join(filter(None, (el.get("class"), el.get("id"))))
        if el.tag in NOISE_TAGS or (attrs and NOISE_ATTR.search(attrs) and el.tag not in ("body", "html")):
            parent = el.getparent()
            if parent is not None:
                el.drop_tree()
    best, best_score = root, 0.0
    for el in root.iter("div", "article", "section", "td", "main", "body"):
        paragraphs = [c for c in el if isinstance(c.tag, str) and c.tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6",
                                                                              "div", "span", "br", "font")]
        cjk = sum(len(CJK.findall(c.text_content())) for c in paragraphs) + len(CJK.findall(el.text or ""))
        score = cjk - 0.3 * len(el.findall(".//a"))
        if score > best_score:
            best, best_score = el, score
    lines: list[str] = []
    _flatten(best, lines, [])
    return "\n".join(line.strip() for line in "".join(lines).split("\n") if line.strip())


def _flatten(el: Any, out: list[str], stack: list[str]) -> None:
    if not isinstance(el.tag, str):
        if el.tail:
            out.append(el.tail)
        return
    block = el.tag in BLOCK_TAGS
    if block:
        out.append("\n")
    if el.text:
        out.append(el.text)
    for child in el:
        _flatten(child, out, stack)
    if el.tag in ("td", "th"):
        out.append(" ")
    if block:
        out.append("\n")
    if el.tail:
        out.append(el.tail)


# --- docx -------------------------------------------------------------------------------------------------


def _docx_text(name: str, raw: bytes) -> str:
    """Paragraph text of word/document.xml: one line per w:p, tabs and breaks kept, deleted text skipped."""
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            xml = read_member(zf, "word/document.xml", name)
    except zipfile.BadZipFile:
        raise GovreportError(name, "corrupt docx (not a valid zip archive)") from None
    except KeyError:
        raise GovreportError(name, "corrupt docx (no word/document.xml inside)") from None
    except (OSError, EOFError, zipfile.LargeZipFile, NotImplementedError) as exc:
        raise GovreportError(name, f"corrupt docx ({exc})") from None
    try:
        root = ElementTree.fromstring(xml)
    except ElementTree.ParseError as exc:
        raise GovreportError(name, f"corrupt docx (bad XML: {exc})") from None
    lines: list[str] = []
    for para in root.iter(W + "p"):
        parts: list[str] = []
        for el in para.iter():
            if el.tag == W + "t" and el.text:
                parts.append(el.text)
            elif el.tag == W + "tab":
                parts.append("\t")
            elif el.tag in (W + "br", W + "cr"):
                parts.append("\n")
        lines.append("".join(parts))
    for deleted in root.iter(W + "del"):  # tracked deletions are not part of the text
        for t in deleted.iter(W + "delText"):
            t.text = ""
    text = "\n".join(lines)
    if not text.strip():
        raise GovreportError(name, "docx holds no text")
    return text


def read_member(zf: zipfile.ZipFile, member: str, name: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
    """One archive member, inflated block by block and refused past ``limit`` bytes: the size an archive
    declares can lie, and a small file can inflate to gigabytes (a zip bomb)."""
    out = bytearray()
    with zf.open(member) as fh:
        while block := fh.read(1 << 20):
            out += block
            if len(out) > limit:
                raise GovreportError(name, f"{member} inflates to more than {_size(limit)}; refused (zip bomb?)")
    return bytes(out)


# --- pdf --------------------------------------------------------------------------------------------------

PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$")


def _pdf_text(name: str, raw: bytes) -> str:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise GovreportError(name, "PDF is encrypted (password protected)") from None
        raise GovreportError(name, f"corrupt PDF ({exc})") from None
    pages = []
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        pdf.close()
    chars = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if chars < 20 * max(1, len(pages)):
        raise GovreportError(name, "PDF has no text layer (scanned image?); run OCR first")
    lines = [line for p in pages for line in p.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if not PAGE_NUMBER.match(line))


# --- corpora ----------------------------------------------------------------------------------------------


def _corpus(p: Path, kind: str, text_column: str | None, max_bytes: int) -> Iterator[SourceText | GovreportError]:
    name = str(p)
    sha = _sha256(p)
    rows = _csv_rows(p, name) if kind == "csv" else _jsonl_rows(p, name)
    for number, row in rows:
        where = f"{name} (row {number})"
        if isinstance(row, GovreportError):
            yield row
            continue
        if text_column is not None and text_column not in row:
            raise GovreportError(name, f"no column {text_column!r} (columns: {', '.join(map(str, row))})")
        column = text_column or _longest_text(row)
        text = row.get(column) if column else None
        if not isinstance(text, str) or not text.strip():
            yield GovreportError(where, "empty text")
            continue
        if len(text) > max_bytes:
            yield GovreportError(where, f"text too large ({len(text) / 1e6:.1f} M characters)")
            continue
        meta = {k: v for k, v in row.items() if k != column}
        yield SourceText(name, sha, kind, text, "utf-8", row=number, meta=meta)


def _sha256(p: Path) -> str:
    digest = hashlib.sha256()
    with open(p, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _longest_text(row: dict[str, Any]) -> str | None:
    texts = [(len(v), k) for k, v in row.items() if isinstance(v, str)]
    return max(texts)[1] if texts else None


def _open_text(p: Path) -> io.TextIOWrapper:
    with open(p, "rb") as fh:
        sample = fh.read(65536)
    enc = "utf-8-sig"
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # not just a character cut at the sample's end
            enc = "gb18030"
    return open(p, encoding=enc, errors="replace", newline="")


def _csv_rows(p: Path, name: str) -> Iterator[tuple[int, dict[str, Any] | GovreportError]]:
    csv.field_size_limit(2**31 - 1)
    with _open_text(p) as fh:
        dialect = "excel-tab" if p.suffix.lower() == ".tsv" else "excel"
        reader = csv.DictReader(fh, dialect=dialect)
        if not reader.fieldnames:
            raise GovreportError(name, "csv has no header row")
        try:
            for number, row in enumerate(reader, 1):
                yield number, {k: v for k, v in row.items() if k is not None}
        except csv.Error as exc:
            raise GovreportError(name, f"malformed csv ({exc})") from None


def _jsonl_rows(p: Path, name: str) -> Iterator[tuple[int, dict[str, Any] | GovreportError]]:
    with _open_text(p) as fh:
        number = 0
        for line in fh:
            if not line.strip():
                continue
            number += 1
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, GovreportError(f"{name} (row {number})", f"invalid JSON ({exc.msg})")
                continue
            if not isinstance(row, dict):
                yield number, GovreportError(f"{name} (row {number})", "a row must be a JSON object")
                continue
            yield number, row
