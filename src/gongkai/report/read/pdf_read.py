"""A PDF → the text of its pages: the text layer rebuilt from its geometry, scans through OCR.

Each page with a text layer is read by ``pdf_geometry`` + ``grid``.  A page without
one (a scan: images and no characters), or whose only text is invisible (a scanner's
own OCR laid over the image), is rendered and read by OCR (``ocr``); the pages so
read are listed, so the report can say which numbers came from OCR.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import UnreadableFile
from .grid import page_text

MAX_PDF_PAGES = 300
# OCR costs seconds a page: an annual report has a few dozen pages at most.
MAX_OCR_PAGES = 40
# Characters a page must have to count as having a text layer: a scan may carry a
# stray page number or a stamp's text, but not a table.
_MIN_TEXT_CHARS = 20


@dataclass
class ReadPages:
    """Text of each page joined by form feeds, and what OCR read (page numbers from 1)."""

    pages: list[str]
    ocr_pages: list[int] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\f".join(self.pages)


def read_pdf(data: bytes) -> ReadPages:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        reason = "需要密码" if "password" in str(error).lower() else "已损坏，无法读取"
        raise UnreadableFile(f"PDF 文件{reason}") from None
    try:
        count = len(document)
        if count > MAX_PDF_PAGES:
            raise UnreadableFile(f"PDF 页数过多（{count} 页），上限为 {MAX_PDF_PAGES} 页")
        if count == 0:
            raise UnreadableFile("PDF 文件中没有页面")
        return _read_pages(document, count)
    except UnreadableFile:
        raise
    except pdfium.PdfiumError as error:
        raise UnreadableFile(f"PDF 文件已损坏，无法读取：{error}") from None
    finally:
        document.close()


def _read_pages(document, count: int) -> ReadPages:
    from .pdf_geometry import page_geometry

    result = ReadPages([])
    scans = []
    for index in range(count):
        page = document[index]
        try:
            geometry = page_geometry(page)
            chars = sum(len(piece.text) for piece in geometry.pieces)
            if geometry.images and (chars < _MIN_TEXT_CHARS or geometry.hidden_text):
                scans.append(index)
                result.pages.append("")
            else:
                result.pages.append(page_text(geometry.pieces, geometry.segments))
        finally:
            page.close()
    if len(scans) > MAX_OCR_PAGES:
        raise UnreadableFile(f"扫描页过多（{len(scans)} 页），文字识别上限为 {MAX_OCR_PAGES} 页")
    if scans:
        from . import ocr

        for index in scans:
            result.pages[index] = ocr.read_pdf_page(document, index)
            result.ocr_pages.append(index + 1)
    if not any(text.strip() for text in result.pages):
        raise UnreadableFile("PDF 没有可读的文字（没有文字层，也没有可识别的扫描页）")
    return result
