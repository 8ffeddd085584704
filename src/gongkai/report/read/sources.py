"""Bytes of a published report → text whose table rows read in order.

Each format becomes plain text in which a table row's label comes before its numbers:
HTML and DOCX tables become tab-separated lines (an empty cell becomes ``EMPTY_CELL``,
so a blank number stays blank), PDF pages become their text layer, legacy .doc/.wps
go through LibreOffice.  Everything is bounded: an oversized file, a zip bomb or a
document that takes too long is refused with a clear reason.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile

from ..errors import UnreadableFile
from .text import EMPTY_CELL

MAX_INPUT_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_PDF_PAGES = 300
LIBREOFFICE_TIMEOUT_SECONDS = 120

KINDS = ("text", "html", "docx", "pdf", "doc", "json")
_TEXT_SUFFIXES = {".txt": "text", ".md": "text", ".markdown": "text", ".csv": "text", ".tsv": "text",
                  ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html",
                  ".docx": "docx", ".pdf": "pdf", ".doc": "doc", ".wps": "doc", ".json": "json"}


def sniff(data: bytes, filename: str | None = None) -> str:
    """The kind of document, from its first bytes (the file name only breaks ties)."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "doc"
    suffix = os.path.splitext(filename or "")[1].lower()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{") and suffix in ("", ".json"):
        return "json"
    lowered = stripped[:2048].lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<table" in head.lower() \
            or b"<body" in lowered or b"<div" in lowered[:200] or b"<p" in lowered[:20]:
        return "html"
    if suffix in (".pdf", ".docx", ".doc", ".wps"):
        # The name promises a binary format the bytes do not have.
        raise UnreadableFile(f"文件扩展名为 {suffix}，但内容不是该格式（可能已损坏或被改名）")
    return _TEXT_SUFFIXES.get(suffix, "text")


def to_text(data: bytes, kind: str) -> str:
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
    if kind == "pdf":
        return pdf_to_text(data)
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

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _check_zip(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
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


def docx_to_text(data: bytes) -> str:
    """Paragraphs and table rows of the document body, in order.

    Merged cells are read once: a horizontally merged cell is one ``w:tc`` with a
    ``gridSpan``; a vertically merged cell continues in ``w:tc`` elements marked
    ``vMerge`` without ``restart``, which carry no text of their own and are skipped.
    """
    from lxml import etree

    archive = _check_zip(data)
    try:
        xml = archive.read("word/document.xml")
        root = etree.fromstring(xml, parser=etree.XMLParser(resolve_entities=False, huge_tree=False))
    except (etree.XMLSyntaxError, KeyError, zipfile.BadZipFile, OSError) as error:
        raise UnreadableFile(f"DOCX 内容无法解析：{error}") from None
    body = root.find(f"{_W}body")
    if body is None:
        raise UnreadableFile("DOCX 中没有正文")
    parts: list[str] = []
    _docx_blocks(body, parts)
    return "".join(parts)


def _docx_blocks(container, parts: list[str]) -> None:
    for child in container:
        if child.tag == f"{_W}p":
            parts.append(_docx_paragraph_text(child) + "\n")
        elif child.tag == f"{_W}tbl":
            _docx_table(child, parts)
        elif child.tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _docx_blocks(content, parts)


def _docx_paragraph_text(paragraph) -> str:
    texts = []
    for node in paragraph.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
        if node.tag == f"{_W}t":
            texts.append(node.text or "")
        else:
            texts.append(" ")
    return "".join(texts)


def _docx_table(table, parts: list[str]) -> None:
    parts.append("\n")
    for row in table.iter(f"{_W}tr"):
        if row.getparent() is not table:
            continue  # rows of nested tables are read with their cell
        cells = []
        for cell in row.findall(f"{_W}tc"):
            merge = cell.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(f"{_W}val") not in ("restart",):
                continue  # continuation of a vertically merged cell
            paragraphs = [_docx_paragraph_text(p) for p in cell.iter(f"{_W}p")]
            text = " ".join(p.strip() for p in paragraphs if p.strip())
            cells.append(text or EMPTY_CELL)
        if cells:
            parts.append("\t".join(cells) + "\n")
    parts.append("\n")


# ---------------------------------------------------------------- PDF

def pdf_to_text(data: bytes) -> str:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise UnreadableFile(f"PDF 页数过多（{len(pdf.pages)} 页），上限为 {MAX_PDF_PAGES} 页")
            pages = []
            for page in pdf.pages:
                # layout=True keeps columns aligned, so a blank cell shows as a gap
                pages.append(page.extract_text(layout=True, x_tolerance=1.5, y_tolerance=3) or "")
                page.flush_cache()
    except UnreadableFile:
        raise
    except (PDFSyntaxError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise UnreadableFile(f"PDF 文件已损坏，无法读取：{type(error).__name__}") from None
    except Exception as error:  # noqa: BLE001 - pdfminer raises many undocumented types on broken files
        raise UnreadableFile(f"PDF 文件无法读取：{type(error).__name__}") from None
    text = "\f".join(pages)
    if not text.strip():
        raise UnreadableFile("PDF 没有文字层（可能是扫描件），需要先做文字识别")
    return text


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
