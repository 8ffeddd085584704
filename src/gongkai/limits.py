"""How much one file may make a reader do: rows of a sheet, bytes unpacked from a ZIP. No Django.

Every reader of uploaded files — ``sheets`` (register, catalogue), the ledger reader, the
catalogue's attachment ZIP, the DOCX report reader — asks ``read_limits()`` here, so one
setting bounds them all.  The defaults suit the command line (an operator's own files: no
row limit, a ZIP may unpack to 1 GiB); the web site applies stricter ones around every
request (``gongkai.web.upload_limits``):

    with read_limits_applied(ReadLimits(max_rows=10_000, max_uncompressed_bytes=200 * MB)):
        sheet_rows(data)  # UnreadableSheet("文件超过 10000 行的上限 …") on row 10,001
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    max_rows: int | None = None  # rows of one sheet, counted as the spreadsheet numbers them
    max_uncompressed_bytes: int | None = 1024 * MB  # all entries of one ZIP (XLSX, DOCX), as declared


COMMAND_LINE = ReadLimits()
_current: ContextVar[ReadLimits | None] = ContextVar("gongkai_read_limits", default=None)


def read_limits() -> ReadLimits:
    return _current.get() or COMMAND_LINE


@contextlib.contextmanager
def read_limits_applied(limits: ReadLimits):
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


def rows_exceeded(row: int) -> str | None:
    """The Chinese reason when spreadsheet row ``row`` is past the row limit, else None."""
    limit = read_limits().max_rows
    if limit is None or row <= limit:
        return None
    return f"文件超过 {limit} 行的上限（读到第 {row} 行），请拆分成几个文件分别导入"


def megabytes(size: int) -> str:
    return f"{size / MB:.1f}".removesuffix(".0") + " MB"


def uncompressed_exceeded(total: int, what: str) -> str | None:
    limit = read_limits().max_uncompressed_bytes
    if limit is None or total <= limit:
        return None
    return f"{what}解压后有 {megabytes(total)}，超过上限 {megabytes(limit)}，不予读取"
