"""Write a real PDF with a CJK text layer (pdfium's page-object API and a system CJK font), for reader tests."""

from __future__ import annotations

import ctypes
from pathlib import Path

FONTS = [Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
         Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")]


def cjk_font() -> Path | None:
    return next((f for f in FONTS if f.exists()), None)


def make_pdf(lines: list[str], path: Path, per_page: int = 40) -> Path:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    font_path = cjk_font()
    if font_path is None:
        raise RuntimeError("no CJK font on this machine")
    pdf = pdfium.PdfDocument.new()
    data = font_path.read_bytes()
    buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    font = raw.FPDFText_LoadFont(pdf, buf, len(data), raw.FPDF_FONT_TRUETYPE, 1)
    for start in range(0, len(lines), per_page):
        page = pdf.new_page(595, 842)
        y = 800
        for line in lines[start : start + per_page]:
            obj = raw.FPDFPageObj_CreateTextObj(pdf, font, 11)
            text = (line + "\x00").encode("utf-16-le")
            raw.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(text), ctypes.POINTER(raw.FPDF_WCHAR)))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 40, y)
            raw.FPDFPage_InsertObject(page, obj)
            y -= 19
        obj = raw.FPDFPageObj_CreateTextObj(pdf, font, 9)  # a page-number footer the reader must drop
        number = (f"- {start // per_page + 1} -\x00").encode("utf-16-le")
        raw.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(number), ctypes.POINTER(raw.FPDF_WCHAR)))
        raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 280, 30)
        raw.FPDFPage_InsertObject(page, obj)
        raw.FPDFPage_GenerateContent(page)
    pdf.save(str(path))
    return path


def blank_pdf(path: Path) -> Path:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    pdf.save(str(path))
    return path
