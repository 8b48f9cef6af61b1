"""Stage 1, read: any input file -> decoded source texts (one per file, or one per csv/jsonl row).

Formats are chosen by suffix, then checked against the bytes (a .txt that is really a docx is read as a
docx). Text is decoded by BOM, strict UTF-8, UTF-16 without BOM, strict GB18030, then charset-normalizer; a
few bad bytes are replaced with a warning instead of failing. csv/jsonl corpora are streamed row by row, so a
corpus of any size never sits in memory at once. Problems with a whole file raise GovreportError; a bad row
of a corpus is yielded as a GovreportError and the next rows go on.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import json
import os
import re
import stat
import sys
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govreport.model import GovreportError

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class SourceText:
    """The decoded text of one input unit, before normalisation."""

    path: str
    sha256: str  # of the raw file
    format: str  # txt | html | docx | pdf | tmx | csv | jsonl | xlsx
    text: str
    encoding: str | None = None
    row: int | None = None  # 1-based data row of a csv/jsonl corpus
    meta: dict[str, Any] = field(default_factory=dict)  # the row's other columns
    warnings: list[str] = field(default_factory=list)


def read(path: str | os.PathLike[str], *, text_column: str | None = None,
         max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[SourceText | GovreportError]:
    """Yield the source texts in ``path`` (``-``: standard input); raise GovreportError for an unusable file."""
    name = str(path)
    if name == "-":
        raw = sys.stdin.buffer.read(max_bytes + 1)
        if len(raw) > max_bytes:
            raise GovreportError(STDIN, f"input too large (> {_size(max_bytes)} limit; raise it with --max-bytes)")
        if not raw:
            raise GovreportError(STDIN, "empty input")
        yield _unit(STDIN, _kind(Path(""), raw[:8]), raw)
        return
    p = Path(path)
    mode = _mode(name)
    if stat.S_ISDIR(mode):
        raise GovreportError(name, "is a directory (pass it to `govreport parse`, which walks directories)")
    if not stat.S_ISREG(mode):  # opening a FIFO would wait for a writer forever
        what = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "not a regular file"
        raise GovreportError(name, f"{what}; pipe its content in with `-` instead")
    try:
        size = p.stat().st_size
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise GovreportError(name, f"cannot read: {_reason(exc)}") from None
    if size == 0:
        raise GovreportError(name, "empty file")
    kind = _kind(p, head)
    if kind in ("csv", "jsonl", "xlsx"):
        yield from _corpus(p, kind, text_column, max_bytes)
        return
    if size > max_bytes:
        raise GovreportError(name, f"file too large ({_size(size)} > {_size(max_bytes)} limit; raise it with --max-bytes)")
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise GovreportError(name, f"cannot read: {_reason(exc)}") from None
    yield _unit(name, kind, raw, max_bytes)


STDIN = "<stdin>"


def _unit(name: str, kind: str, raw: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText:
    """The text of one whole file's bytes, read as ``kind``."""
    sha = hashlib.sha256(raw).hexdigest()
    if kind == "docx":
        return SourceText(name, sha, "docx", _docx_text(name, raw, max_bytes))
    if kind == "pdf":
        return SourceText(name, sha, "pdf", _pdf_text(name, raw, max_bytes))
    if kind == "tmx":
        return SourceText(name, sha, "tmx", _tmx_text(name, raw))
    if kind == "doc":
        raise GovreportError(name, "legacy .doc format is not supported; save it as .docx")
    text, encoding, warnings = decode(name, raw)
    if kind == "html":
        text = html_article(text)
    return SourceText(name, sha, kind, text, encoding, warnings=warnings)


def _reason(exc: OSError) -> str:
    return "permission denied" if isinstance(exc, PermissionError) else (exc.strerror or str(exc)).lower()


def _mode(name: str) -> int:
    """The file type bits of ``name``, following links; a one-line error for each way a path can be unusable."""
    if "\n" in name or len(name) > 4096:  # report text passed where a path belongs: no path looks like this
        raise GovreportError(f"{name[:20]}…", "this is text, not a file path: parse text with govreport.parse_text()")
    try:
        return os.stat(name).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise GovreportError(name, "symbolic link loop (the link points back to itself)") from None
        if exc.errno == errno.ENOENT and os.path.islink(name):
            raise GovreportError(name, f"broken symbolic link (to {os.readlink(name)}, which does not exist)") from None
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            raise GovreportError(name, "no such file") from None
        raise GovreportError(name, f"cannot read: {_reason(exc)}") from None


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 1e6 else f"{n / 1e3:.0f} kB"


def _kind(p: Path, head: bytes) -> str:
    """The format from the bytes first, the suffix second."""
    suffix = p.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return "xlsx" if suffix in (".xlsx", ".xlsm") else "docx"
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
    if suffix == ".tmx":
        return "tmx"
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

XML_PER_TEXT = 4  # an archive member may unpack to this many times --max-bytes (markup around the text)


class _CappedStream(io.RawIOBase):
    """A read-only stream that stops with a one-line error once more than ``cap`` bytes came out of ``inner``,
    whatever size the archive declares (a zip bomb is caught while it inflates, not after)."""

    def __init__(self, inner: Any, cap: int, name: str, what: str):
        self.inner, self.cap, self.name, self.what, self.total = inner, cap, name, what, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.inner.read(min(size, 1 << 20) if size and size > 0 else 1 << 20)
        self.total += len(data)
        if self.total > self.cap:
            raise GovreportError(self.name, f"{self.what} unpacks to more than {_size(self.cap)} "
                                            "(limit; raise it with --max-bytes)")
        return data


def _docx_text(name: str, raw: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Paragraph text of word/document.xml: one line per w:p, tabs and breaks kept, deleted text skipped.

    The XML is inflated and parsed as a stream, each paragraph dropped once read, so memory follows the text,
    not the markup; the inflated XML and the text are both capped."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(raw))
        info = zf.getinfo("word/document.xml")
    except zipfile.BadZipFile:
        raise GovreportError(name, "corrupt docx (not a valid zip archive)") from None
    except KeyError:
        raise GovreportError(name, "corrupt docx (no word/document.xml inside)") from None
    cap = XML_PER_TEXT * max_bytes
    if info.file_size > cap:
        raise GovreportError(name, f"docx unpacks to {_size(info.file_size)} (> {_size(cap)} limit; "
                                   "raise it with --max-bytes)")
    from lxml import etree

    lines: list[str] = []
    size = 0  # UTF-8 bytes of text so far, the unit of --max-bytes
    w_t = W + "t"
    pieces = {W + "tab": "\t", W + "br": "\n", W + "cr": "\n"}
    wanted = (w_t, *pieces)
    try:
        with zf.open(info) as member:
            stream = _CappedStream(member, cap, name, "docx")
            # only paragraph ends reach Python: formatting elements, however many, stay in C
            for _, para in etree.iterparse(stream, events=("end",), tag=W + "p", resolve_entities=False,
                                           no_network=True):
                line = "".join(el.text or "" if el.tag == w_t else pieces[el.tag] for el in para.iter(*wanted))
                size += len(line.encode("utf-8")) + 1
                if size > max_bytes:
                    raise GovreportError(name, f"docx text is longer than {_size(max_bytes)} "
                                               "(limit; raise it with --max-bytes)")
                lines.append(line)
                para.clear()  # a paragraph read is not needed again, nor are the ones before it
                while para.getprevious() is not None:
                    del para.getparent()[0]
    except etree.XMLSyntaxError as exc:
        raise GovreportError(name, f"corrupt docx (bad XML: {exc})") from None
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as exc:
        raise GovreportError(name, f"corrupt docx ({exc})") from None
    text = "\n".join(lines)
    if not text.strip():
        raise GovreportError(name, "docx holds no text")
    return text


# --- pdf --------------------------------------------------------------------------------------------------

PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,4}\s*/\s*\d{1,4})\s*$")


def _pdf_text(name: str, raw: bytes, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(raw)
    except pdfium.PdfiumError as exc:
        msg = str(exc).lower()
        if "password" in msg:
            raise GovreportError(name, "PDF is encrypted (password protected)") from None
        raise GovreportError(name, f"corrupt PDF ({exc})") from None
    pages = []
    length = 0
    try:
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
            length += len(pages[-1].encode("utf-8"))
            if length > max_bytes:  # compressed content streams can hold far more text than the file's size
                raise GovreportError(name, f"PDF text is longer than {_size(max_bytes)} "
                                           "(limit; raise it with --max-bytes)")
    finally:
        pdf.close()
    chars = sum(len(re.sub(r"\s", "", p)) for p in pages)
    if chars < 20 * max(1, len(pages)):
        raise GovreportError(name, "PDF has no text layer (scanned image?); run OCR first")
    lines = [line for p in pages for line in p.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return "\n".join(line for line in lines if not PAGE_NUMBER.match(line))


def _tmx_text(name: str, raw: bytes) -> str:
    """The Chinese side of a translation memory (TMX, aligned sentence by sentence), one segment a line: the
    official translations of the national reports come this way; the other language is not report text."""
    from lxml import etree

    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    segments: list[str] = []
    try:
        for _, el in etree.iterparse(io.BytesIO(raw), tag="tuv", resolve_entities=False, no_network=True):
            code = (el.get(lang) or el.get("lang") or "").lower()
            if code.startswith("zh"):
                seg = el.find("seg")
                text = "".join(seg.itertext()).strip() if seg is not None else ""
                if text:
                    segments.append(text)
            el.clear()
    except etree.XMLSyntaxError as exc:
        raise GovreportError(name, f"corrupt TMX ({exc.msg})") from None
    if not segments:
        raise GovreportError(name, "TMX file has no Chinese (zh) segments")
    return "\n".join(segments)


# --- corpora ----------------------------------------------------------------------------------------------


def _corpus(p: Path, kind: str, text_column: str | None, max_bytes: int) -> Iterator[SourceText | GovreportError]:
    name = str(p)
    sha = _sha256(p)
    rows = {"csv": _csv_rows, "jsonl": _jsonl_rows, "xlsx": _xlsx_rows}[kind](p, name, max_bytes)
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


MIN_REPORT_CHARS = 1000  # the shortest real report is several thousand characters; a manifest's notes are not


def manifest_reason(path: str | os.PathLike[str]) -> str | None:
    """Why a csv/tsv looks like a manifest (a table about files) rather than a corpus of report texts, or None.

    Judged on the first data row: a corpus row holds a whole report in one cell; a MANIFEST.tsv beside the
    reports holds file names, hashes and notes, and would otherwise fail row by row."""
    p = Path(path)
    if p.suffix.lower() not in (".csv", ".tsv"):
        return None
    try:
        for _number, row in _csv_rows(p, str(p), DEFAULT_MAX_BYTES):
            if isinstance(row, GovreportError):
                return None
            longest = max((len(v) for v in row.values() if isinstance(v, str)), default=0)
            if longest >= MIN_REPORT_CHARS:
                return None
            return f"a table, not report texts (longest cell of row 1 has {longest} characters)"
    except (GovreportError, OSError):
        return None  # unreadable: let the parser report it
    return "a table with no rows"


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


def _csv_rows(p: Path, name: str, max_bytes: int) -> Iterator[tuple[int, dict[str, Any] | GovreportError]]:
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


XLSX_UNPACK_FACTOR = 4  # an .xlsx may unpack to this many times --max-bytes; more is refused (a zip bomb)


def _xlsx_rows(p: Path, name: str, max_bytes: int) -> Iterator[tuple[int, dict[str, Any] | GovreportError]]:
    """Rows of every sheet of an Excel workbook, the first row of each sheet its header; streamed (read-only)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(p) as zf:
            unpacked = sum(info.file_size for info in zf.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise GovreportError(name, f"corrupt xlsx ({exc})") from None
    if unpacked > XLSX_UNPACK_FACTOR * max_bytes:
        raise GovreportError(name, f"xlsx unpacks to {_size(unpacked)} (> {_size(XLSX_UNPACK_FACTOR * max_bytes)} "
                                   "limit; raise it with --max-bytes)")
    try:
        book = load_workbook(p, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise GovreportError(name, f"corrupt xlsx ({type(exc).__name__})") from None
    number = 0
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                continue
            keys = [str(h) if h is not None else f"column {i + 1}" for i, h in enumerate(header)]
            for values in rows:
                if not any(v is not None and str(v).strip() for v in values):
                    continue
                number += 1
                row = {k: v for k, v in zip(keys, values) if v is not None}
                if len(book.worksheets) > 1:
                    row["sheet"] = sheet.title
                yield number, row
    finally:
        book.close()
    if number == 0:
        raise GovreportError(name, "xlsx has no data rows")


def _jsonl_rows(p: Path, name: str, max_bytes: int) -> Iterator[tuple[int, dict[str, Any] | GovreportError]]:
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
