"""Spreadsheet files to numbered rows of text: CSV (UTF-8 with or without BOM, GBK/GB18030) and XLSX.

The one reader behind every import that is not the ledger's column reader (the table 二
register, the disclosure catalogue); the ledger shares its encoding rules and cell text.
Rows keep the numbers a spreadsheet shows, so an error can name the row the user sees.
No Django.

    for number, cells in sheet_rows(data)[0]:
        ...
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time
from xml.etree.ElementTree import ParseError

from lxml.etree import XMLSyntaxError

from gongkai import archives
from gongkai.errors import GongkaiError
from gongkai.limits import rows_exceeded

# One limit on a CSV cell for the whole process (the csv module's is global): a 正文 cell of the
# catalogue may be long, and every reader — ledger, register, catalogue — then behaves the same.
CSV_CELL_CHARS = 16 * 1024 * 1024
csv.field_size_limit(CSV_CELL_CHARS)

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # legacy .xls, or an encrypted .xlsx
PREFIX_BYTES = 1 << 16

# What a damaged workbook raises while its rows are read: openpyxl opens the archive at once but
# reads each sheet's XML lazily, so damage inside a sheet only shows during the row loop.
DAMAGED_XLSX = (ParseError, XMLSyntaxError, KeyError, ValueError, *archives.READ_ERRORS)
DAMAGED_XLSX_MESSAGE = "xlsx 工作簿已损坏：读到第 {row} 行附近时无法继续"

Row = tuple[int, list[str | None]]  # (the spreadsheet's row number, cells as text; None when blank)


class UnreadableSheet(GongkaiError):
    """The file is not a CSV or XLSX file that can be read (message in Chinese)."""


def _decode_error_line(data: bytes, error: UnicodeDecodeError) -> int:
    return data[: error.start].count(b"\n") + 1


def choose_encoding(data: bytes) -> str:
    """UTF-8 (BOM or not) when the first 64 KiB are valid UTF-8, else GBK's superset GB18030.

    A file whose first part is UTF-8 Chinese and whose later part is not has two encodings
    and is refused rather than guessed.
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise UnreadableSheet("文件是 UTF-16 编码（Excel 的「Unicode 文本」），请另存为 UTF-8 或 GBK 编码的 CSV")
    prefix = data[:PREFIX_BYTES]
    if b"\x00" in prefix:
        raise UnreadableSheet("不是 CSV 文本文件，也不是 xlsx 工作簿")
    if len(data) > PREFIX_BYTES:
        prefix = prefix[: prefix.rfind(b"\n") + 1] or prefix
    try:
        prefix.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as error:
        if not prefix[: error.start].isascii():
            line = _decode_error_line(prefix, error)
            raise UnreadableSheet(f"文件编码不一致：前面是 UTF-8，第 {line} 行起不是 UTF-8") from None
        return "gb18030"


def decode_all(data: bytes, encoding: str) -> tuple[str, str]:
    """The whole text (a BOM dropped), and the encoding that decoded it."""
    try:
        return str(data, "utf-8-sig" if encoding == "utf-8" else encoding), encoding
    except UnicodeDecodeError as error:
        line = _decode_error_line(data, error)
        if encoding == "utf-8" and not data[: error.start].isascii():
            raise UnreadableSheet(f"文件编码不一致：前面是 UTF-8，第 {line} 行起不是 UTF-8") from None
        if encoding == "utf-8":
            return decode_all(data, "gb18030")
        raise UnreadableSheet(f"无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（第 {line} 行）") from None


def cell_text(value) -> str | None:
    """An XLSX cell as the text a CSV export would hold: dates ISO 8601, whole numbers without .0."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return text if text.strip() else None


def header_positions(headers: list[str], key_of: Callable[[str], str | None],
                     label_of: Callable[[str], str]) -> dict[str, int]:
    """Column key -> 0-based position for the headers ``key_of`` knows; a column given twice is refused.

    ``label_of(key)`` is the column's official header, named in the message.
    """
    positions: dict[str, int] = {}
    for position, header in enumerate(headers):
        key = key_of(header or "")
        if key is None:
            continue
        if key in positions:
            first = positions[key]
            raise UnreadableSheet(f"第 {first + 1} 列「{headers[first]}」和第 {position + 1} 列「{header}」是同一列"
                                  f"（{label_of(key)}），只能有一个")
        positions[key] = position
    return positions


def rows_check(row: int) -> None:
    """Stop reading at the first row past ``limits.read_limits().max_rows``."""
    reason = rows_exceeded(row)
    if reason:
        raise UnreadableSheet(reason)


def workbook_size_check(source) -> None:
    """Refuse a workbook (bytes or an open file) that unpacks to more than the limit, before openpyxl inflates it."""
    try:
        with zipfile.ZipFile(source if hasattr(source, "seek") else io.BytesIO(source)) as archive:
            archives.uncompressed_size_check(archive, "xlsx 工作簿")
    except archives.ArchiveTooLarge as error:
        raise UnreadableSheet(error.message) from None
    except archives.OPEN_ERRORS:
        pass  # openpyxl names the damage


def sheet_rows(data: bytes) -> list[list[Row]]:
    """The non-blank rows of every sheet (a CSV file is one sheet), numbered as a spreadsheet shows them.

    Within ``limits.read_limits()``: a sheet past the row limit, or a workbook unpacking to more than allowed,
    is refused with the limit named.
    """
    if not data.strip():
        raise UnreadableSheet("文件是空的")
    if data[:4] == ZIP_MAGIC:
        return _xlsx_sheets(data)
    if data[:4] == OLE_MAGIC:
        raise UnreadableSheet("这是旧版 Excel（.xls）或加密的工作簿，请另存为 .xlsx 或 CSV")
    text, _ = decode_all(data, choose_encoding(data))
    rows, number = [], 0
    try:
        # newline="": the csv module itself splits rows at \r\n, \n or a lone \r (old Mac files).
        for record in csv.reader(io.StringIO(text, newline="")):
            number += 1  # one spreadsheet row per record, even when a quoted cell spans lines
            rows_check(number)
            cells = [cell if cell.strip() else None for cell in record]
            if any(cells):
                rows.append((number, cells))
    except csv.Error as error:
        raise UnreadableSheet(f"第 {number + 1} 行不是有效的 CSV（{error}）") from None
    return [rows]


def _xlsx_sheets(data: bytes) -> list[list[Row]]:
    import openpyxl

    workbook_size_check(data)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken archive
        raise UnreadableSheet("无法打开 xlsx 工作簿：文件已损坏，或不是 xlsx 格式") from None
    try:
        sheets = []
        for sheet in workbook.worksheets:
            rows, number = [], 0
            try:
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                    rows_check(number)
                    cells = [cell_text(value) for value in values]
                    if any(cells):
                        rows.append((number, cells))
            except DAMAGED_XLSX:
                raise UnreadableSheet(DAMAGED_XLSX_MESSAGE.format(row=number + 1)) from None
            sheets.append(rows)
        if not sheets:
            raise UnreadableSheet("工作簿没有工作表")
        return sheets
    finally:
        workbook.close()
