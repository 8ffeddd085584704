"""Numbers read by OCR are kept only where the table's own arithmetic confirms them.

OCR misreads a digit without a sign (71 as 11).  A misread number breaks every sum it
is part of, so a number is confirmed when at least one of the table's equations that
contains it holds with every one of its cells known — and holds for more than the
number itself: in ``14 0 0 0 0 0 14`` the row says only that the two 14s are equal, and
the same glyphs misread the same way (11 … 11) would still agree, so a non-zero number
is not confirmed by an equation whose other side holds the same number.  The equations:

- table 三: each row's six applicant columns add up to its 总计; in each column the
  outcome rows add up to （七）总计, and 本年新收 + 上年结转 = （七）总计 + 结转下年度;
- table 四: in each block 结果维持 + 结果纠正 + 其他结果 + 尚未审结 = 总计.

Table 二 has no arithmetic, so none of its numbers can be confirmed.  Every number
that is not confirmed becomes null, with an issue naming the page it was read on and
the cell.  The consistency checks are then run again on what is kept.
"""

from __future__ import annotations

from .. import taxonomy as tx
from ..checks import check_report
from ..model import AnnualReport
from .text import find_cue, fold_width

# The rules of check_report computed from the cells (re-run once OCR'd cells are dropped).
_CELL_RULES = ("applications.balance", "applications.row_total", "applications.outcome_total", "appeals.total",
               "cells.blank")

_TABLE_CUES = {
    "proactive": ("第二十条", "规章", "行政许可", "行政事业性收费"),
    "applications": ("本年新收", "上年结转", "予以公开", "不予公开", "无法提供", "不予处理", "结转下年度"),
    "appeals": ("行政复议", "结果维持", "未经复议直接起诉", "复议后起诉"),
}


def ocr_tables(pages: list[str], ocr_pages: list[int]) -> dict[str, list[int]]:
    """Tables (二 ``proactive``, 三 ``applications``, 四 ``appeals``) printed on OCR'd pages → those pages."""
    found: dict[str, list[int]] = {}
    for number in ocr_pages:
        folded = fold_width(pages[number - 1])
        for table, cues in _TABLE_CUES.items():
            if any(find_cue(folded, (cue,)) for cue in cues):
                found.setdefault(table, []).append(number)
    return found


def keep_confirmed(report: AnnualReport, tables: dict[str, list[int]]) -> int:
    """Null every OCR'd number the arithmetic does not confirm; returns how many were nulled."""
    nulled = 0
    if "applications" in tables:
        nulled += _applications(report, _pages(tables["applications"]))
    if "appeals" in tables:
        nulled += _appeals(report, _pages(tables["appeals"]))
    if "proactive" in tables:
        nulled += _proactive(report, _pages(tables["proactive"]))
    if nulled:
        report.sync_shared_decisions()
        report.issues = [issue for issue in report.issues if issue.rule not in _CELL_RULES]
        fresh = AnnualReport.from_json(report.to_json())
        fresh.issues = []
        for issue in check_report(fresh):
            if issue.rule in _CELL_RULES:
                report.add_issue(issue.rule, issue.severity, issue.where, issue.message)
    return nulled


def _pages(numbers: list[int]) -> str:
    return "、".join(str(n) for n in numbers)


def _confirmed_by(terms: list[tuple[tuple[str, str], int, object]]) -> set[tuple[str, str]]:
    """The cells an equation ``sum(sign * value) == 0`` confirms (none if it does not hold)."""
    values = [value for _, _, value in terms]
    if None in values or sum(sign * value for _, sign, value in terms) != 0:
        return set()
    return {cell for cell, sign, value in terms
            if value == 0 or not any(s == -sign and v == value for _, s, v in terms)}


def _applications(report: AnnualReport, pages: str) -> int:
    rows = {key: report.applications.get(key) for key in report.application_row_keys()}
    rows = {key: row for key, row in rows.items() if row}

    def term(key, column, sign):
        return (key, column), sign, rows.get(key, {}).get(column)

    equations = [[term(key, c, 1) for c in tx.APPLICANT_PARTS] + [term(key, "total", -1)] for key in rows]
    for column in tx.APPLICANT_COLUMN_KEYS:
        equations.append([term(k, column, 1) for k in report.outcome_keys()] + [term("total", column, -1)])
        equations.append([term("new", column, 1), term("carried_over", column, 1), term("total", column, -1),
                          term("carried_forward", column, -1)])
    confirmed: set[tuple[str, str]] = set()
    for equation in equations:
        confirmed |= _confirmed_by(equation)
    nulled = 0
    for key, row in rows.items():
        for column, value in row.items():
            if value is None:
                _blank(report, f"applications.{key}.{column}", pages, tx.cell_label("applications", key, column))
            elif (key, column) not in confirmed:
                row[column] = None
                nulled += 1
                _issue(report, f"applications.{key}.{column}", pages,
                       tx.cell_label("applications", key, column), value)
    return nulled


def _appeals(report: AnnualReport, pages: str) -> int:
    nulled = 0
    for block in tx.APPEAL_BLOCK_KEYS:
        row = report.appeals.get(block) or {}
        confirmed = _confirmed_by([((block, c), 1, row.get(c)) for c in tx.APPEAL_PARTS]
                                  + [((block, "total"), -1, row.get("total"))])
        for column, value in row.items():
            if value is None:
                _blank(report, f"appeals.{block}.{column}", pages, tx.cell_label("appeals", block, column))
            elif (block, column) not in confirmed:
                row[column] = None
                nulled += 1
                _issue(report, f"appeals.{block}.{column}", pages, tx.cell_label("appeals", block, column), value)
    return nulled


def _proactive(report: AnnualReport, pages: str) -> int:
    table = "proactive" if report.format == "2021" else "proactive_2019"
    rows = report.proactive if table == "proactive" else report.proactive_2019
    nulled = 0
    for key, row in (rows or {}).items():
        for column, value in (row or {}).items():
            if value is not None:
                row[column] = None
                nulled += 1
                _issue(report, f"{table}.{key}.{column}", pages, tx.cell_label(table, key, column), value,
                       why="表二没有可以核对的勾稽关系")
    return nulled


def _blank(report: AnnualReport, where: str, pages: str, label: str) -> None:
    """A cell the scan gave no number for: blank in the report, or a number OCR did not see."""
    if not any(where == issue.where or where.startswith(issue.where + ".") for issue in report.issues
               if issue.rule.startswith(("read.", "structure.", "ocr."))):
        report.add_issue("ocr.blank", "warning", where, f"第{pages}页（扫描件，文字识别）{label}：没有识别出数字，留空")


def _issue(report: AnnualReport, where: str, pages: str, label: str, value, *, why: str = "表内勾稽关系无法印证") -> None:
    report.add_issue("ocr.unconfirmed", "warning", where,
                     f"第{pages}页（扫描件，文字识别）{label}：识别为「{value:g}」，{why}，留空")
