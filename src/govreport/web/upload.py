"""Uploads: a size limit enforced while the body streams in, and a file type decided by content, not by name.

The parser picks its reader from the file suffix, so an upload is saved under the suffix its *bytes* show
(``%PDF-`` → .pdf, a zip holding word/document.xml → .docx, decodable text with tags → .html, other text →
.txt); anything else is refused before it reaches the parser.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Awaitable, Callable
from typing import Any

Receive = Callable[[], Awaitable[dict[str, Any]]]

MB = 1024 * 1024
DEFAULT_LIMIT = 50 * MB
FORM_OVERHEAD = 64 * 1024  # multipart boundaries and the small form fields around the file
HTML_TAG = re.compile(rb"<(?:!doctype|html|head|body|p|div|br|span|table|h[1-6])\b", re.I)
REFUSED_MAGIC = {
    b"\xd0\xcf\x11\xe0": "a legacy Word/Excel file (.doc/.xls): save it as .docx",
    b"\x89PNG": "an image (PNG), not a report text",
    b"\xff\xd8\xff": "an image (JPEG), not a report text",
    b"GIF8": "an image (GIF), not a report text",
    b"{\\rtf": "an RTF file: save it as .docx or .txt",
    b"\x1f\x8b": "a gzip archive: unpack it first",
    b"Rar!": "a RAR archive: unpack it first",
    b"7z\xbc\xaf": "a 7z archive: unpack it first",
}


class UploadError(Exception):
    """A refused upload; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def limited(receive: Receive, limit: int) -> Receive:
    """Wrap an ASGI ``receive`` so that reading more than ``limit`` body bytes stops the upload at once
    (a client may send no Content-Length, or a false one)."""
    seen = 0

    async def wrapped() -> dict[str, Any]:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise UploadError(413, f"upload larger than the limit of {limit / MB:g} MB")
        return message

    return wrapped


def _is_text(data: bytes) -> bool:
    """Decodable text without NULs (UTF-8, UTF-16 with BOM, or GB18030 as older Chinese files are)."""
    sample = data[: 256 * 1024]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            if exc.start >= len(sample) - 4:  # a multi-byte character cut by the sample boundary
                return True
    return False


def sniff(data: bytes) -> str:
    """The suffix the content shows (.pdf .docx .html .txt); UploadError(415) for anything else."""
    if not data:
        raise UploadError(400, "empty file")
    if data.startswith(b"%PDF-"):
        return ".pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            raise UploadError(415, "a damaged zip/docx file") from None
        if "word/document.xml" in names:
            return ".docx"
        raise UploadError(415, "a zip archive that is not a .docx document")
    for magic, what in REFUSED_MAGIC.items():
        if data.startswith(magic):
            raise UploadError(415, f"unsupported file type: {what}")
    if not _is_text(data):
        raise UploadError(415, "unsupported file type: not text, .docx, .pdf or .html")
    return ".html" if HTML_TAG.search(data[:8192]) else ".txt"


def display_name(filename: str | None) -> str:
    """A safe name to show for an upload: the last path component, control characters removed, bounded."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name[:200] or "upload"
