"""Ledger files to columns of text: CSV (UTF-8 with or without BOM, GBK/GB18030) and XLSX.

Every cell stays text (``None`` for an empty cell) until ``parse.py`` reads it, so a bad
value can be reported exactly as written.  Large CSV files go through pyarrow's
multithreaded reader: Python's csv module alone takes several times longer than the whole
table 三 computation on a million rows (see bench/bench_ledger.py).  Files pyarrow cannot
split exactly as a spreadsheet would number them (blank lines, rows of the wrong width)
are read with the csv module instead, so row numbers are always the ones a user sees.
"""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import mmap
import os
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from gongkai.sheets import (
    DAMAGED_XLSX,
    DAMAGED_XLSX_MESSAGE,
    OLE_MAGIC,
    PREFIX_BYTES,
    ZIP_MAGIC,
    UnreadableSheet,
    choose_encoding,
    decode_all,
    header_positions,
    rows_check,
    workbook_size_check,
)
from gongkai.sheets import cell_text as _cell_text

from .columns import COLUMNS, DATE_KEYS, REQUIRED_KEYS, column_for_header
from .errors import RowError, UnreadableLedger

HEADER_SEARCH_ROWS = 10  # a title row or two may stand above the header


@dataclass
class RawLedger:
    """A ledger as text columns, one per known column key (other columns are named, not read)."""

    path: str
    kind: str  # "csv" or "xlsx"
    encoding: str | None
    headers: list[str]  # every header of the file, in file order
    fields: dict[str, int]  # column key -> position in headers
    columns: dict[str, pa.Array]  # column key -> cells as text, null when empty
    first_row: int  # spreadsheet row number of the first record
    row_numbers: list[int] | None = None  # explicit row numbers when records are not consecutive
    errors: list[RowError] = field(default_factory=list)  # rows wider than the header

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def column(self, key: str) -> pa.Array | None:
        return self.columns.get(key)

    def header(self, key: str) -> str:
        position = self.fields.get(key)
        return self.headers[position] if position is not None else COLUMNS[key].header

    def row_number(self, index: int) -> int:
        return self.row_numbers[index] if self.row_numbers is not None else self.first_row + index

    @property
    def extra_headers(self) -> list[str]:
        known = set(self.fields.values())
        return [h for i, h in enumerate(self.headers) if i not in known and h]


def read_ledger_file(path: str | Path) -> RawLedger:
    path = Path(path)
    try:
        data = _map_file(path)
    except FileNotFoundError:
        raise UnreadableLedger("文件不存在", path=str(path)) from None
    except IsADirectoryError:
        raise UnreadableLedger("这是目录，不是台账文件", path=str(path)) from None
    except OSError as error:
        raise UnreadableLedger(f"无法读取文件（{error.strerror}）", path=str(path)) from None
    try:
        magic = data[:4]
        if magic == ZIP_MAGIC:
            return _read_xlsx(path)
        if magic == OLE_MAGIC:
            raise UnreadableLedger("这是旧版 Excel（.xls）或加密的工作簿，请另存为 .xlsx 或 CSV")
        return _read_csv(path, data)
    except UnreadableLedger as error:
        error.path = error.path or str(path)
        raise


def _map_file(path: Path):
    """The file's bytes without copying them (a million-row ledger is ~100 MB)."""
    with open(path, "rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


# ---------------------------------------------------------------- headers

def _within_limits(check, value) -> None:
    """A ``gongkai.sheets`` limit check, refusing with the ledger's error type."""
    try:
        check(value)
    except UnreadableSheet as error:
        raise UnreadableLedger(error.message) from None


def _map_headers(headers: list[str]) -> dict[str, int]:
    try:
        return header_positions(headers, column_for_header, lambda key: COLUMNS[key].header)
    except UnreadableSheet as error:
        raise UnreadableLedger(error.message) from None


def _find_header(records: list[list[str]]) -> int | None:
    """Index of the first record that has every required column (title rows may precede it)."""
    for index, record in enumerate(records[:HEADER_SEARCH_ROWS]):
        keys = {column_for_header(cell or "") for cell in record}
        if all(key in keys for key in REQUIRED_KEYS):
            return index
    return None


def _missing_columns_error(records: list[list[str]], encoding_note: str = "") -> UnreadableLedger:
    first = next((r for r in records if any((c or "").strip() for c in r)), [])
    found = {column_for_header(cell or "") for cell in first}
    missing = "、".join(f"{COLUMNS[k].header}（{k}）" for k in REQUIRED_KEYS if k not in found)
    if not any(key for key in found):
        return UnreadableLedger(f"找不到台账表头：缺少必需的列 {missing}{encoding_note}")
    return UnreadableLedger(f"缺少必需的列：{missing}")


# ---------------------------------------------------------------- CSV

def _choose_encoding(data: bytes) -> str:
    """``gongkai.sheets.choose_encoding`` with the ledger's error type (pyarrow validates past the prefix)."""
    try:
        return choose_encoding(data)
    except UnreadableSheet as error:
        raise UnreadableLedger(error.message) from None


def _decode_all(data: bytes, encoding: str) -> tuple[str, str]:
    try:
        return decode_all(data, encoding)
    except UnreadableSheet as error:
        raise UnreadableLedger(error.message) from None


def _header(prefix: str, encoding: str) -> tuple[int, list[str], dict[str, int]]:
    head = _csv_records(csv.reader(io.StringIO(prefix, newline="")), HEADER_SEARCH_ROWS + 1)
    header_index = _find_header(head)
    if header_index is None:
        note = "；如果表头是中文，文件可能不是 UTF-8 或 GBK 编码" if encoding != "utf-8" else ""
        raise _missing_columns_error(head, note)
    headers = [cell.strip() for cell in head[header_index]]
    return header_index, headers, _map_headers(headers)


def _read_csv(path: Path, data: bytes) -> RawLedger:
    encoding = _choose_encoding(data)
    if encoding == "utf-8":
        header = _header(data[:PREFIX_BYTES].decode("utf-8-sig", errors="ignore"), encoding)
        try:
            return _read_csv_arrow(path, data, encoding, *header)
        except pa.ArrowInvalid:
            pass  # not UTF-8 after all, or rows of the wrong width: the exact reader below says which
    text, encoding = _decode_all(data, encoding)
    header = _header(text[:PREFIX_BYTES], encoding)
    if encoding != "utf-8":
        try:
            return _read_csv_arrow(path, text.encode("utf-8"), encoding, *header)
        except pa.ArrowInvalid:
            pass
    return _read_csv_rows(path, text, encoding, *header)


def _read_csv_arrow(path, data, encoding, header_index, headers, fields) -> RawLedger:
    names = [f"c{i}" for i in range(len(headers))]
    wanted = {key: names[position] for key, position in fields.items()}
    end = len(data)
    while end and data[end - 1] in b"\r\n \t":
        end -= 1  # trailing blank lines are harmless; any other blank line must fail below
    table = pacsv.read_csv(
        pa.BufferReader(pa.py_buffer(memoryview(data)[:end])),
        read_options=pacsv.ReadOptions(column_names=names, skip_rows=header_index + 1, block_size=1 << 22),
        parse_options=pacsv.ParseOptions(
            # Without quotes no value can hold a newline, and pyarrow splits the file faster.
            newlines_in_values=data.find(b'"') >= 0,
            # A blank line inside the file is then read as a record of nulls, which
            # _drop_blank_records leaves out while every later row keeps its spreadsheet number.
            ignore_empty_lines=False,
        ),
        convert_options=pacsv.ConvertOptions(
            include_columns=list(wanted.values()),
            column_types={name: pa.string() for name in wanted.values()},
            null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
        ),
    )
    _within_limits(rows_check, header_index + 1 + table.num_rows)  # pyarrow reads it all fast; count after
    columns = {key: table.column(name).combine_chunks() for key, name in wanted.items()}
    ledger = RawLedger(str(path), "csv", encoding, headers, fields, columns, first_row=header_index + 2)
    return _drop_blank_records(ledger)


def _csv_records(reader, limit: int | None = None):
    """Records of ``reader`` (all, or the first ``limit`` as a list); a malformed one is named by its first line."""
    def records():
        start = reader.line_num + 1  # the line the record being read begins on
        try:
            for record in reader:
                yield record
                start = reader.line_num + 1
        except csv.Error as error:
            raise UnreadableLedger(f"CSV 第 {start} 行起无法读取（{error}），请检查这一行的引号是否成对") from None

    if limit is None:
        return records()
    return list(itertools.islice(records(), limit))


def _read_csv_rows(path, text, encoding, header_index, headers, fields) -> RawLedger:
    width = len(headers)
    cells: list[list[str | None]] = [[] for _ in range(width)]
    numbers: list[int] = []
    errors: list[RowError] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    _csv_records(reader, header_index + 1)
    row = header_index + 1
    for record in _csv_records(reader):
        row += 1  # one spreadsheet row per record, even when a quoted cell spans lines
        _within_limits(rows_check, row)
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > width:
            extra = [cell for cell in record[width:] if cell.strip()]
            if extra:
                errors.append(RowError(row, f"第 {width + 1} 列", extra[0],
                                       f"这一行有 {len(record)} 项，比表头的 {width} 列多", "row.too_wide", width, len(numbers)))
        numbers.append(row)
        for position in range(width):
            value = record[position] if position < len(record) else ""
            cells[position].append(value if value != "" else None)
    columns = {key: pa.array(cells[position], pa.string()) for key, position in fields.items()}
    return RawLedger(str(path), "csv", encoding, headers, fields, columns, first_row=header_index + 2,
                     row_numbers=numbers, errors=errors)


def _drop_blank_records(ledger: RawLedger) -> RawLedger:
    """Leave out records with no cell filled (",,,," lines), keeping the others' row numbers."""
    if not len(ledger):
        return ledger
    columns = list(ledger.columns.values())
    if min(column.null_count for column in columns) == 0:
        return ledger  # some column is filled in every record: nothing to drop
    blank = pc.is_null(columns[0])
    for column in columns[1:]:
        blank = pc.and_(blank, pc.is_null(column))
    if not pc.any(blank).as_py():
        return ledger
    keep = pc.invert(blank)
    ledger.row_numbers = pc.add(pc.indices_nonzero(keep), ledger.first_row).to_pylist()
    ledger.columns = {key: pc.filter(column, keep) for key, column in ledger.columns.items()}
    return ledger


# ---------------------------------------------------------------- XLSX

def _read_xlsx(path: Path) -> RawLedger:
    import openpyxl

    # A file object rather than the path, so a workbook saved as .csv or .txt still opens.
    with open(path, "rb") as handle:
        _within_limits(workbook_size_check, handle)
        handle.seek(0)
        try:
            workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - openpyxl raises many types for a broken archive
            raise UnreadableLedger("无法打开 xlsx 工作簿：文件已损坏，或不是 xlsx 格式") from None
        try:
            first_records = None
            for sheet in workbook.worksheets:  # the first sheet that has a ledger header
                head = [[_cell_text(v) for v in values]
                        for _, values in itertools.islice(_sheet_rows(sheet, 1), HEADER_SEARCH_ROWS)]
                first_records = first_records if first_records is not None else head
                header_index = _find_header(head)
                if header_index is not None:
                    return _sheet_to_ledger(path, sheet, head[header_index], header_index, workbook.epoch)
            raise _missing_columns_error(first_records or [])
        finally:
            workbook.close()


def _sheet_rows(sheet, first_row: int):
    """(row number, values) from ``first_row`` on; damage in the sheet's XML is named by its row."""
    row = first_row - 1
    try:
        for row, values in enumerate(sheet.iter_rows(min_row=first_row, values_only=True), start=first_row):
            _within_limits(rows_check, row)
            yield row, values
    except DAMAGED_XLSX:
        raise UnreadableLedger(DAMAGED_XLSX_MESSAGE.format(row=row + 1)) from None


def _sheet_to_ledger(path: Path, sheet, header_cells, header_index: int, epoch) -> RawLedger:
    from openpyxl.utils.datetime import from_excel

    headers = [(cell or "").strip() for cell in header_cells]
    while headers and not headers[-1]:
        headers.pop()
    fields = _map_headers(headers)
    date_positions = {fields[key] for key in DATE_KEYS if key in fields}
    width = len(headers)
    cells: list[list[str | None]] = [[] for _ in range(width)]
    numbers: list[int] = []
    errors: list[RowError] = []
    # read-only worksheets yield every row, empty ones included, so counting gives sheet rows.
    for row, values in _sheet_rows(sheet, header_index + 2):
        texts = []
        for position, value in enumerate(values[:width]):
            if position in date_positions and isinstance(value, (int, float)) and not isinstance(value, bool):
                # A date typed as a number in a cell without date format: convert with the
                # workbook's own epoch (1900 or 1904) rather than assume one.
                with contextlib.suppress(ValueError, OverflowError):
                    value = from_excel(value, epoch)
            texts.append(_cell_text(value))
        if not any(t and t.strip() for t in texts):
            continue
        extra = [v for v in values[width:] if _cell_text(v)]
        if extra:
            errors.append(RowError(row, f"第 {width + 1} 列", _cell_text(extra[0]),
                                   f"这一行在表头之外还有内容（表头只有 {width} 列）", "row.too_wide", width, len(numbers)))
        numbers.append(row)
        for position in range(width):
            cells[position].append(texts[position] if position < len(texts) else None)
    columns = {key: pa.array(cells[position], pa.string()) for key, position in fields.items()}
    return RawLedger(str(path), "xlsx", None, headers, fields, columns, first_row=header_index + 2,
                     row_numbers=numbers, errors=errors)
