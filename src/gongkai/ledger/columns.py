"""The columns of a ledger (../shared/spec/ledger.md): English key, Chinese header, and kind.

Headers are matched exactly (after folding spaces, full-width forms and case), in either
language and in any order; other columns are kept and ignored.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

DATE = "date"
TEXT = "text"


@dataclass(frozen=True)
class LedgerColumn:
    key: str
    header: str  # the Chinese header of the spec
    required: bool = False
    kind: str = TEXT


COLUMN_LIST = (
    LedgerColumn("id", "申请编号", required=True),
    LedgerColumn("received", "收到申请日期", required=True, kind=DATE),
    LedgerColumn("applicant_type", "申请人类型", required=True),
    LedgerColumn("closed", "办结日期", kind=DATE),
    LedgerColumn("outcome", "办理结果"),
    LedgerColumn("channel", "申请方式"),
    LedgerColumn("correction_requested", "补正告知日期", kind=DATE),
    LedgerColumn("correction_received", "补正收到日期", kind=DATE),
    LedgerColumn("consultation_start", "征求意见开始日期", kind=DATE),
    LedgerColumn("consultation_end", "征求意见结束日期", kind=DATE),
    LedgerColumn("extension_days", "延期工作日数"),
)
COLUMNS = {column.key: column for column in COLUMN_LIST}
DATE_KEYS = tuple(column.key for column in COLUMN_LIST if column.kind == DATE)
REQUIRED_KEYS = tuple(column.key for column in COLUMN_LIST if column.required)


def _fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


_BY_HEADER = {_fold(name): column.key for column in COLUMN_LIST for name in (column.key, column.header)}


def column_for_header(header: str) -> str | None:
    """The column key a header names (``收到申请日期`` or ``received``), or None for other columns."""
    return _BY_HEADER.get(_fold(header or ""))
