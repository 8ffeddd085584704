"""What can be wrong with a ledger: the file as a whole, or single rows.

A file that cannot be read as a ledger (encoding, format, missing required column) raises
``UnreadableLedger`` (exit code 2).  Problems of single rows are collected as ``RowError``
values, each naming its row, column and value in Chinese, and raise ``LedgerHasErrors``
(exit code 1) when a result would depend on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import GongkaiError


@dataclass(frozen=True)
class RowError:
    """One bad cell: ``row`` is the row number a spreadsheet shows (the header is row 1)."""

    row: int
    column: str  # the column's header as written in the file
    value: str  # the cell as written; "" for an empty cell
    message: str
    rule: str = ""  # stable id, e.g. "date.impossible"
    column_index: int = 0  # position of the column in the file, for ordering
    index: int = -1  # position of the record among the ledger's records (0-based)

    def sort_key(self) -> tuple[int, int]:
        return (self.row, self.column_index)

    def __str__(self) -> str:
        shown = f"「{self.value}」" if self.value else "（空）"
        return f"第 {self.row} 行「{self.column}」列{shown}：{self.message}"


ROW_ERRORS_SHOWN = 200  # a page lists this many; a file of 400,000 bad rows must not make a 37 MB page


def row_errors_first(errors: list[RowError], shown: int = ROW_ERRORS_SHOWN) -> tuple[list[RowError], int]:
    """The first ``shown`` errors, and how many more there are."""
    return errors[:shown], max(0, len(errors) - shown)


class LedgerError(GongkaiError):
    """A ledger could not be read or used; ``exit_code`` 2 unless a subclass says otherwise."""


class UnreadableLedger(LedgerError):
    """The file cannot be read as a ledger: not a table, unknown encoding, missing required columns."""


class LedgerHasErrors(LedgerError):
    """Rows with errors stand in the way of a result; ``errors`` lists every one."""

    exit_code = 1

    def __init__(self, errors: list[RowError], *, path: str | None = None, purpose: str = "生成报告"):
        self.errors = sorted(errors, key=RowError.sort_key)
        first = self.errors[0]
        super().__init__(
            f"台账有 {len(self.errors)} 处错误，无法{purpose}；第一处：{first}（用 gongkai ledger check 查看全部）",
            path=path,
        )
