"""Bytes of a published report → text whose table rows read in order.

Each format becomes plain text in which a table row's label comes before its numbers:
HTML and DOCX tables become tab-separated lines (an empty cell becomes ``EMPTY_CELL``,
so a blank number stays blank), PDF pages are rebuilt from their
characters' positions and ruling lines (``grid``), scanned pages and images from
what OCR reads (``ocr``), legacy .doc/.wps
go through LibreOffice.  Everything is bounded: an oversized file, a zip bomb or a
document that takes too long is refused with a clear reason.
"""

from __future__ import annotations

import html
import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile

from ... import archives
from ..errors import UnreadableFile
from .pdf_read import MAX_PDF_PAGES, ReadPages  # noqa: F401 - the page limit lives with the PDF reader
from .text import EMPTY_CELL

MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
LIBREOFFICE_TIMEOUT_SECONDS = 120

KINDS = ("text", "html", "docx", "pdf", "doc", "json", "image")
_TEXT_SUFFIXES = {".txt": "text", ".md": "text", ".markdown": "text", ".csv": "text", ".tsv": "text",
                  ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
                  ".docx": "docx", ".pdf": "pdf", ".doc": "doc", ".wps": "doc", ".json": "json"}
_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".tif", ".tiff")
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")


def sniff(data: bytes, filename: str | None = None) -> str:
    """The kind of document, from its first bytes (the file name only breaks ties)."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    suffix = os.path.splitext(filename or "")[1].lower()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{") and suffix in ("", ".json"):
        return "json"
    lowered = stripped[:2048].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in head.lower() \
            or b"<body" in lowered or b"<div" in lowered[:200] or b"<p" in lowered[:20]:
        return "html"
    if suffix in (".pdf", ".docx", ".doc", ".wps", *_IMAGE_SUFFIXES):
        # The name promises a binary format the bytes do not have.
        raise UnreadableFile(f"文件扩展名为 {suffix}，但内容不是该格式（可能已损坏或被改名）")
    return _TEXT_SUFFIXES.get(suffix, "text")


def extract(data: bytes, kind: str) -> ReadPages:
    """The document's text, page by page, with the pages read by OCR (scans and images)."""
    if kind == "pdf" or kind == "image":
        _check_size(data)
        if kind == "image":
            from .ocr import read_image

            return read_image(data)
        from .pdf_read import read_pdf

        return read_pdf(data)
    return ReadPages([to_text(data, kind)])


def _check_size(data: bytes) -> None:
    if len(data) > MAX_INPUT_BYTES:
        raise UnreadableFile(f"文件过大（{len(data) // (1024 * 1024)} MB），上限为 {MAX_INPUT_BYTES // (1024 * 1024)} MB")


def to_text(data: bytes, kind: str) -> str:
    if kind in ("pdf", "image"):
        return extract(data, kind).text
    if len(data) > MAX_INPUT_BYTES:
        raise UnreadableFile(f"文件过大（{len(data) // (1024 * 1024)} MB），上限为 {MAX_INPUT_BYTES // (1024 * 1024)} MB")
    if kind == "text":
        from .decode import decode_text
        from .text import markdown_tables_to_cells

        return markdown_tables_to_cells(decode_text(data))
    if kind == "html":
        return html_to_text(data)
    if kind == "docx":
        return docx_to_text(data)
    if kind == "doc":
        return doc_to_text(data)
    raise UnreadableFile(f"不支持的文件类型：{kind}")


# ---------------------------------------------------------------- HTML

_BLOCK_TAGS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "section", "article", "header",
               "footer", "table", "tr", "blockquote", "pre", "ul", "ol", "dl", "dt", "dd", "hr", "title"}
_SKIP_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
              "head", "select", "button", "input", "textarea"}


def html_to_text(data: bytes | str) -> str:
    from lxml import etree, html

    from .decode import decode_html

    source = decode_html(data) if isinstance(data, bytes) else data
    try:
        root = html.document_fromstring(source)
    except (etree.ParserError, ValueError) as error:
        raise UnreadableFile(f"无法解析 HTML：{error}") from None
    title = root.find(".//title")
    title = title.text if title is not None else None
    # Scripts, styles and embedded frames are never part of the report.
    etree.strip_elements(root, *_SKIP_TAGS, with_tail=False)
    parts: list[str] = []
    if title:
        parts.append(title.strip() + "\n")
    _walk_html(root.find("body") if root.find("body") is not None else root, parts)
    return "".join(parts)


def _walk_html(element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag == "table":
        parts.append("\n")
        for row in element.iter("tr"):
            cells = []
            for cell in row:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                text = " ".join(cell.text_content().split())
                cells.append(text or EMPTY_CELL)
            if cells:
                parts.append("\t".join(cells) + "\n")
        _tail(element, parts)
        return
    if tag in _BLOCK_TAGS:
        parts.append("\n")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk_html(child, parts)
    if tag in _BLOCK_TAGS:
        parts.append("\n")
    _tail(element, parts)


def _tail(element, parts: list[str]) -> None:
    if element.tail:
        parts.append(element.tail)


# ---------------------------------------------------------------- DOCX

def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except archives.OPEN_ERRORS:
        raise UnreadableFile("DOCX 文件已损坏（不是有效的 zip 压缩包）") from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        if total > MAX_UNZIPPED_BYTES or (info.compress_size and info.file_size / info.compress_size > 1000
                                          and info.file_size > 10 * 1024 * 1024):
            raise UnreadableFile("DOCX 解压后体积异常（可能是 zip 炸弹），拒绝读取")
    if "word/document.xml" not in archive.namelist():
        raise UnreadableFile("不是 Word 文档（压缩包中没有 word/document.xml）")
    return archive


# One scan over document.xml finds everything the reader needs, in document order: text
# runs, tabs and breaks, paragraph/cell/row/table boundaries and vertical-merge marks.
# A regex scan instead of an XML tree keeps DOCX reading at the cost of decompression.
_DOCX_TOKENS = re.compile(
    r"<w:t(?:\s[^>]*)?>(?P<text>[^<]*)</w:t>"
    r"|<w:(?:tab|br|cr)(?:\s[^>]*)?/>(?P<space>)"
    r"|<w:vMerge(?P<merge>[^>]*)/>"
    r"|<mc:Fallback\b.*?</mc:Fallback>(?P<fallback>)"
    r"|<(?P<close>/?)w:(?P<tag>tbl|tr|tc|p)(?=[\s>/])[^>]*?(?P<empty>/?)>",
    re.DOTALL,
)


def docx_to_text(data: bytes) -> str:
    """Paragraphs and table rows of the document body, in order.

    Merged cells are read once: a horizontally merged cell is one ``w:tc`` with a
    ``gridSpan``; a vertically merged cell continues in ``w:tc`` elements marked
    ``vMerge`` without ``restart``, which carry no text of their own and are skipped.
    A nested table's text stays inside the cell that holds it.
    """
    archive = _check_zip(data)
    try:
        xml = archive.read("word/document.xml").decode("utf-8")
    except archives.READ_ERRORS:
        raise UnreadableFile("DOCX 文件已损坏：正文无法解压") from None
    except (KeyError, UnicodeDecodeError) as error:
        raise UnreadableFile(f"DOCX 内容无法解析：{type(error).__name__}") from None
    if "<w:body" not in xml:
        raise UnreadableFile("DOCX 中没有正文")
    parts: list[str] = []
    depth = 0  # table nesting
    paragraph: list[str] = []
    cell: list[str] = []
    row: list[str] = []
    continuation = False
    for match in _DOCX_TOKENS.finditer(xml):
        if match.group("text") is not None:
            paragraph.append(match.group("text"))
        elif match.group("space") is not None:
            paragraph.append(" ")
        elif match.group("merge") is not None:
            if depth == 1 and 'w:val="restart"' not in match.group("merge"):
                continuation = True
        elif match.group("fallback") is not None:
            continue
        else:
            tag, closing, empty = match.group("tag"), match.group("close"), match.group("empty")
            if tag == "p" and (closing or empty):
                text = html.unescape("".join(paragraph)).strip()
                paragraph = []
                if depth:
                    if text:
                        cell.append(text)
                else:
                    parts.append(text + "\n")
            elif tag == "tbl":
                depth += -1 if closing else 1
                if depth == 0 and closing or depth == 1 and not closing:
                    parts.append("\n")
            elif depth != 1:
                continue
            elif tag == "tc" and not closing:
                cell, continuation = [], False
            elif tag == "tc" and closing:
                if not continuation:
                    row.append(" ".join(cell) or EMPTY_CELL)
            elif tag == "tr" and closing:
                if row:
                    parts.append("\t".join(row) + "\n")
                row = []
    return "".join(parts)


# ---------------------------------------------------------------- PDF

# ---------------------------------------------------------------- .doc / .wps via LibreOffice

def libreoffice_binary() -> str | None:
    for name in ("soffice", "libreoffice"):
        path = shutil.which(name)
        if path:
            return path
    return None


def doc_to_text(data: bytes) -> str:
    binary = libreoffice_binary()
    if binary is None:
        raise UnreadableFile("读取 .doc/.wps 需要 LibreOffice（soffice），本机未安装；请安装 libreoffice-writer 或先另存为 .docx")
    with tempfile.TemporaryDirectory(prefix="gongkai-doc-") as folder:
        source = os.path.join(folder, "report.doc")
        with open(source, "wb") as handle:
            handle.write(data)
        profile = "file://" + os.path.join(folder, "profile")
        command = [binary, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                   "--convert-to", "docx:MS Word 2007 XML", "--outdir", folder, source]
        try:
            subprocess.run(command, capture_output=True, timeout=LIBREOFFICE_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            raise UnreadableFile("LibreOffice 转换 .doc 超时") from None
        target = os.path.join(folder, "report.docx")
        if not os.path.exists(target):
            raise UnreadableFile("LibreOffice 无法转换该 .doc/.wps 文件（可能已损坏）")
        with open(target, "rb") as handle:
            return docx_to_text(handle.read())
