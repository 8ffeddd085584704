"""Reading a register file: documents (规章、行政规范性文件) or yearly figures, CSV or XLSX.

This module only reads and checks; ``services.register_import`` stores.  Headers may be
Chinese or English, in any order, below a title row or two; CSV may be UTF-8 (with or
without BOM) or GBK/GB18030.  Files are read by ``gongkai.sheets`` and dates
parsed by ``gongkai.ledger`` so a register file is read exactly like a ledger.  Every bad cell
becomes a ``RowError`` (row number as a spreadsheet shows it, the column's header as
written, the value) and none of them stops the reading, so a user sees every problem at
once.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from gongkai.errors import GongkaiError
from gongkai.ledger.errors import RowError
from gongkai.ledger.values import BadValue, parse_date
from gongkai.sheets import UnreadableSheet, header_positions, sheet_rows

HEADER_SEARCH_ROWS = 10
DOCUMENTS = "documents"
FIGURES = "figures"
KINDS = (DOCUMENTS, FIGURES)
EARLIEST_YEAR, LATEST_YEAR = 2008, 2099  # the 条例 took effect in 2008


class UnreadableRegister(GongkaiError):
    """The file cannot be read as a register: format, encoding, missing columns (exit code 2)."""


class RegisterHasErrors(GongkaiError):
    """Rows with errors: nothing was imported; ``errors`` lists every one (exit code 1)."""

    exit_code = 1

    def __init__(self, errors: list[RowError], *, path: str | None = None):
        self.errors = sorted(errors, key=RowError.sort_key)
        super().__init__(f"文件有 {len(self.errors)} 处错误，未导入任何一行；第一处：{self.errors[0]}", path=path)


@dataclass(frozen=True)
class RegisterColumn:
    key: str
    header: str  # the Chinese header shown in messages and templates
    aliases: tuple[str, ...] = ()
    required: bool = False


DOCUMENT_COLUMNS = (
    RegisterColumn("kind", "类别", ("kind", "类型", "文件类别"), required=True),
    RegisterColumn("title", "名称", ("title", "文件名称", "标题"), required=True),
    RegisterColumn("document_number", "文号", ("document_number", "doc_number", "发文字号")),
    RegisterColumn("issued_on", "制发日期", ("issued_on", "issued", "发布日期", "成文日期"), required=True),
    RegisterColumn("repealed_on", "废止日期", ("repealed_on", "repealed", "失效日期")),
)
FIGURE_COLUMNS = (
    RegisterColumn("year", "年度", ("year",), required=True),
    RegisterColumn("licensing_decisions", "行政许可", ("licensing_decisions", "licensing", "行政许可本年处理决定数量")),
    RegisterColumn("penalty_decisions", "行政处罚", ("penalty_decisions", "penalty", "行政处罚本年处理决定数量")),
    RegisterColumn("coercion_decisions", "行政强制", ("coercion_decisions", "coercion", "行政强制本年处理决定数量")),
    RegisterColumn("fees_amount_10k_yuan", "收费金额（万元）",
                   ("fees_amount_10k_yuan", "fees", "行政事业性收费", "本年收费金额（万元）", "收费金额（单位：万元）",
                    "行政事业性收费本年收费金额（万元）", "收费金额")),
)
COLUMNS = {DOCUMENTS: DOCUMENT_COLUMNS, FIGURES: FIGURE_COLUMNS}

KIND_WORDS = {"规章": "rules", "rules": "rules", "rule": "rules",
              "行政规范性文件": "normative_documents", "规范性文件": "normative_documents",
              "normative_documents": "normative_documents", "normative_document": "normative_documents"}


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).lower()


def _column_for_header(kind: str, header: str) -> RegisterColumn | None:
    folded = _fold(header)
    for column in COLUMNS[kind]:
        if folded in {_fold(name) for name in (column.key, column.header, *column.aliases)}:
            return column
    return None


@dataclass
class RegisterRow:
    row: int  # spreadsheet row number
    values: dict[str, object]  # column key -> parsed value (None when blank)


@dataclass
class RegisterFile:
    path: str
    kind: str
    rows: list[RegisterRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header as written
    positions: dict[str, int] = field(default_factory=dict)  # column key -> 0-based position

    def error(self, row: int, key: str, value, message: str, rule: str) -> None:
        self.errors.append(RowError(row, self.headers.get(key, key), "" if value is None else str(value), message,
                                    rule, self.positions.get(key, 0)))


# ---------------------------------------------------------------- file to text records

def read_records(path: str | Path) -> list[tuple[int, list[str | None]]]:
    """The first sheet's non-blank records as (spreadsheet row number, cells as text or None)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise UnreadableRegister("文件不存在", path=str(path)) from None
    except IsADirectoryError:
        raise UnreadableRegister("这是目录，不是文件", path=str(path)) from None
    except OSError as error:
        raise UnreadableRegister(f"无法读取文件（{error.strerror}）", path=str(path)) from None
    try:
        return sheet_rows(data)[0]
    except UnreadableSheet as error:
        raise UnreadableRegister(error.message, path=str(path)) from None


# ---------------------------------------------------------------- records to rows

def read_register(path: str | Path, kind: str) -> RegisterFile:
    """Read and check every row of a register file of ``kind`` (``documents`` or ``figures``)."""
    if kind not in KINDS:
        raise UnreadableRegister(f"未知的登记簿类型「{kind}」，应为 documents 或 figures")
    records = read_records(path)
    result = RegisterFile(str(path), kind)
    header_at = _find_header(records, kind)
    if header_at is None:
        missing = "、".join(c.header for c in COLUMNS[kind] if c.required)
        what = "规章和行政规范性文件" if kind == DOCUMENTS else "年度数据"
        raise UnreadableRegister(f"找不到{what}的表头：必需的列为 {missing}（中文或英文列名，顺序不限）", path=str(path))
    headers = records[header_at][1]
    labels = {column.key: column.header for column in COLUMNS[kind]}

    def key_of(header: str) -> str | None:
        column = _column_for_header(kind, header)
        return column.key if column else None

    try:
        result.positions = header_positions(headers, key_of, labels.__getitem__)
    except UnreadableSheet as error:
        raise UnreadableRegister(error.message, path=str(path)) from None
    result.headers = {key: headers[position].strip() for key, position in result.positions.items()}
    if kind == FIGURES and len(result.positions) == 1:
        raise UnreadableRegister("年度数据文件除「年度」外至少要有一列数据（行政许可、行政处罚、行政强制、收费金额（万元））",
                                 path=str(path))
    parse = _document_row if kind == DOCUMENTS else _figures_row
    for number, cells in records[header_at + 1:]:
        texts = {key: (cells[pos].strip() if pos < len(cells) and cells[pos] else None)
                 for key, pos in result.positions.items()}
        if not any(texts.values()):
            continue  # a row with text only in unknown columns (a note) is not a record
        parsed = parse(result, number, texts)
        if parsed is not None:
            result.rows.append(RegisterRow(number, parsed))
    _check_duplicates(result)
    return result


def register_kind_of(path: str | Path) -> str:
    """``documents`` or ``figures``, from the file's header row."""
    records = read_records(path)
    for kind in KINDS:
        if _find_header(records, kind) is not None:
            return kind
    raise UnreadableRegister("找不到表头：规章和行政规范性文件需要 类别、名称、制发日期 列；年度数据需要 年度 列",
                             path=str(path))


def _find_header(records, kind: str) -> int | None:
    required = {c.key for c in COLUMNS[kind] if c.required}
    for index, (_, cells) in enumerate(records[:HEADER_SEARCH_ROWS]):
        found = {column.key for cell in cells if (column := _column_for_header(kind, cell or ""))}
        if required <= found:
            return index
    return None


def _date(result: RegisterFile, row: int, key: str, text: str | None, *, required: bool) -> date | None:
    if text is None:
        if required:
            result.error(row, key, None, f"必须填写{result.headers[key]}", "value.missing")
        return None
    try:
        return parse_date(text)
    except BadValue as error:
        result.error(row, key, text, error.message, error.rule)
        return None


def _document_row(result: RegisterFile, row: int, texts: dict) -> dict | None:
    errors_before = len(result.errors)
    kind_text = texts.get("kind")
    kind = KIND_WORDS.get(_fold(kind_text or ""))
    if kind is None:
        shown = "必须填写类别" if kind_text is None else "无法识别的类别"
        result.error(row, "kind", kind_text, f"{shown}，应为 规章 或 行政规范性文件", "kind.unknown")
    title = texts.get("title")
    if title is None:
        result.error(row, "title", None, "必须填写名称", "value.missing")
    elif len(title) > 300:
        result.error(row, "title", title[:20] + "…", "名称超过 300 字", "value.too_long")
    number = texts.get("document_number") or ""
    if len(number) > 100:
        result.error(row, "document_number", number[:20] + "…", "文号超过 100 字", "value.too_long")
    issued_on = _date(result, row, "issued_on", texts.get("issued_on"), required=True)
    repealed_on = _date(result, row, "repealed_on", texts.get("repealed_on"), required=False)
    if issued_on and repealed_on and repealed_on < issued_on:
        result.error(row, "repealed_on", texts["repealed_on"], f"废止日期早于制发日期 {issued_on:%Y-%m-%d}",
                     "date.before_issued")
    if len(result.errors) > errors_before:
        return None
    return {"kind": kind, "title": title, "document_number": number, "issued_on": issued_on,
            "repealed_on": repealed_on}


_INTEGER = re.compile(r"\d+(?:\.0*)?")
_AMOUNT = re.compile(r"\d+(?:\.\d+)?")


def _figures_row(result: RegisterFile, row: int, texts: dict) -> dict | None:
    errors_before = len(result.errors)
    values: dict[str, object] = {}
    year_text = texts.get("year")
    clean = unicodedata.normalize("NFKC", year_text or "").strip().removesuffix("年")
    if year_text is None:
        result.error(row, "year", None, "必须填写年度", "value.missing")
    elif not re.fullmatch(r"\d{4}", clean) or not EARLIEST_YEAR <= int(clean) <= LATEST_YEAR:
        result.error(row, "year", year_text, f"年度应为 {EARLIEST_YEAR}—{LATEST_YEAR} 之间的四位年份", "year.invalid")
    else:
        values["year"] = int(clean)
    for key in ("licensing_decisions", "penalty_decisions", "coercion_decisions"):
        if key not in result.positions:
            continue
        text = texts.get(key)
        clean = unicodedata.normalize("NFKC", text or "").replace(",", "").strip()
        if text is None:
            values[key] = None  # blank: not stated, not zero
        elif clean.startswith("-"):
            result.error(row, key, text, "数量不能为负数", "number.negative")
        elif not _INTEGER.fullmatch(clean):
            result.error(row, key, text, "应为非负整数", "number.format")
        else:
            values[key] = int(Decimal(clean))
    if "fees_amount_10k_yuan" in result.positions:
        text = texts.get("fees_amount_10k_yuan")
        clean = unicodedata.normalize("NFKC", text or "").replace(",", "").strip()
        if text is None:
            values["fees_amount_10k_yuan"] = None
        elif clean.startswith("-"):
            result.error(row, "fees_amount_10k_yuan", text, "金额不能为负数", "number.negative")
        elif not _AMOUNT.fullmatch(clean):
            result.error(row, "fees_amount_10k_yuan", text, "应为以万元计的金额，如 12.5", "number.format")
        else:
            try:
                amount = Decimal(clean).quantize(Decimal("0.0001"))
            except InvalidOperation:
                amount = None
            if amount is None or amount != Decimal(clean) or amount >= Decimal(10) ** 10:
                result.error(row, "fees_amount_10k_yuan", text, "金额最多保留 4 位小数、不超过 10 位整数",
                             "number.precision")
            else:
                values["fees_amount_10k_yuan"] = amount
    if len(result.errors) > errors_before:
        return None
    return values


def row_key(kind: str, values: dict) -> tuple:
    """What makes two rows the same entry: 文号 (or 名称 + 制发日期 without one); the 年度 for figures."""
    if kind == FIGURES:
        return (values["year"],)
    if values["document_number"]:
        return ("number", _fold(values["document_number"]))
    return ("title", values["title"].strip(), values["issued_on"])


def _check_duplicates(result: RegisterFile) -> None:
    seen: dict[tuple, int] = {}
    kept = []
    for row in result.rows:
        key = row_key(result.kind, row.values)
        if key in seen:
            if result.kind == FIGURES:
                column, value, what = "year", row.values["year"], "年度"
            elif key[0] == "number":
                column, value, what = "document_number", row.values["document_number"], "文号"
            else:
                column, value, what = "title", row.values["title"], "名称和制发日期"
            result.error(row.row, column, value, f"与第 {seen[key]} 行的{what}重复", "row.duplicate")
            continue
        seen[key] = row.row
        kept.append(row)
    result.rows = kept
