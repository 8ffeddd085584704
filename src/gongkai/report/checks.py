"""Consistency rules of the annual report (勾稽关系 and more), as issues.

Each rule has a stable id (``applications.balance``), a severity, the cell it concerns
(``where``) and a Chinese message that quotes the numbers.  A rule is skipped where a
cell it needs is unstated: the reader has already said why that cell is empty.

=========================== ======== ==================================================
rule                        severity what
=========================== ======== ==================================================
applications.balance        error    per column: 一 + 二 = （七）总计 + 四 (the official rule)
applications.row_total      error    per row: 总计 = the six applicant columns
applications.outcome_total  error    per column: （七）总计 = the sum of the outcome rows
appeals.total               error    table 四: each 总计 = 维持 + 纠正 + 其他 + 尚未审结
format.single_other         warning  a 2021-format table 三 with the single 2019 （六） row
format.2019_columns         warning  table 二 in the 2019 format in a report on 2021 or later
cells.blank                 warning  cells of a printed row left blank
text.applications_count     warning  numbers stated in the text differ from table 三
text.other_agency           warning  another place's name in the text (copied text?)
previous.carried_over       error    二、上年结转 ≠ last year's 四、结转下年度继续办理
previous.in_force           info     现行有效 ≠ last year's 现行有效 + 制发 − 废止
previous.year               warning  the "previous" report is not for the year before
=========================== ======== ==================================================
"""

from __future__ import annotations

import re

from . import taxonomy as tx
from .model import AnnualReport, Issue
from .names import agency_core

_DIRECTIONS = "东南西北中上下前后左右"
_RECEIVED = re.compile(r"(?:收到|受理|接到|接收|新收)([^。；;，,\d]{0,20}?)(\d+)\s*件")
_CLOSED = re.compile(r"(?:办结|已答复|按要求答复|按时答复|答复办结|办理完毕|答复)([^。；;，,\d]{0,8}?)(\d+)\s*件")
# The table 三 cell each count in the text is checked against, and the words naming it in the
# text.applications_count message (gongkai.corpus.flags links the message back to the cell by them).
TEXT_COUNT_CELLS = {"applications.new.total": "本年新收申请", "applications.total.total": "办理结果总计",
                    "applications.carried_forward.total": "结转下年度继续办理"}
_FORWARD = re.compile(r"(\d+)\s*件[^。；;，,\d]{0,4}?(?:转接至|结转至|结转到|转入|转至|顺延至)|(?:结转下一?年度?|转下一?年度?)[^。；;，,\d]{0,8}?(\d+)\s*件")


def check_report(report: AnnualReport, *, previous: AnnualReport | None = None) -> list[Issue]:
    """Run every rule on ``report``; new issues are added to ``report.issues`` and returned."""
    found: list[Issue] = []
    for rule in (_balance, _row_totals, _outcome_totals, _appeal_totals, _format_rules, _blank_cells,
                 _text_numbers, _other_agency):
        found.extend(rule(report))
    if previous is not None:
        found.extend(_against_previous(report, previous))
    for issue in found:
        report.add_issue(issue.rule, issue.severity, issue.where, issue.message)
    return found


def _column_label(column: str) -> str:
    return tx.APPLICANT_COLUMNS[column].label


def _row(report: AnnualReport, key: str) -> dict:
    return report.applications.get(key) or {}


def _balance(report: AnnualReport):
    for column in tx.APPLICANT_COLUMN_KEYS:
        new, carried = _row(report, "new").get(column), _row(report, "carried_over").get(column)
        total, forward = _row(report, "total").get(column), _row(report, "carried_forward").get(column)
        if None in (new, carried, total, forward):
            continue
        if new + carried != total + forward:
            yield Issue(
                "applications.balance", "error", f"applications.{column}",
                f"表三「{_column_label(column)}」列：第一项加第二项之和({new + carried})不等于第三项加第四项之和"
                f"({total + forward})（本年新收{new}+上年结转{carried}，办理结果总计{total}+结转下年度{forward}）")


def _row_totals(report: AnnualReport):
    for key in report.application_row_keys():
        row = _row(report, key)
        parts = [row.get(column) for column in tx.APPLICANT_PARTS]
        total = row.get("total")
        if total is None or None in parts:
            continue
        if sum(parts) != total:
            yield Issue(
                "applications.row_total", "error", f"applications.{key}.total",
                f"{tx.cell_label('applications', key)}：六类申请人之和({sum(parts)})不等于总计({total})")


def _outcome_totals(report: AnnualReport):
    outcome_keys = report.outcome_keys()
    for column in tx.APPLICANT_COLUMN_KEYS:
        parts = [_row(report, key).get(column) for key in outcome_keys]
        total = _row(report, "total").get(column)
        if total is None or None in parts:
            continue
        if sum(parts) != total:
            yield Issue(
                "applications.outcome_total", "error", f"applications.total.{column}",
                f"表三「{_column_label(column)}」列：各项办理结果之和({sum(parts)})不等于（七）总计({total})")


def _appeal_totals(report: AnnualReport):
    for block in tx.APPEAL_BLOCK_KEYS:
        row = report.appeals.get(block) or {}
        parts = [row.get(column) for column in tx.APPEAL_PARTS]
        total = row.get("total")
        if total is None or None in parts:
            continue
        if sum(parts) != total:
            yield Issue(
                "appeals.total", "error", f"appeals.{block}.total",
                f"表四「{tx.APPEAL_BLOCKS[block].label}」：结果维持、结果纠正、其他结果、尚未审结之和({sum(parts)})"
                f"不等于总计({total})")


def _format_rules(report: AnnualReport):
    if report.format == "2021" and report.single_other:
        yield Issue("format.single_other", "warning", "applications",
                    "表三「（六）其他处理」只有一行（2019年旧格式）；2021年格式应分为逾期不补正、逾期未缴费、其他三项")
    if report.format == "2019" and report.year is not None and report.year >= tx.FIRST_YEAR_OF_2021_FORMAT:
        yield Issue("format.2019_columns", "warning", "proactive_2019",
                    f"{report.year}年度报告应使用2021年格式（国办公开办函〔2021〕30号），本报告表二仍为2019年格式")


def blank_cells(report: AnnualReport) -> list[tuple[str, str, str]]:
    """(table, row, column) of every printed cell left without a number, tables in printed order."""
    tables = [("applications", report.applications), ("appeals", report.appeals)]
    if report.format == "2021":
        tables.insert(0, ("proactive", report.proactive))
    elif report.proactive_2019:
        tables.insert(0, ("proactive_2019", report.proactive_2019))
    return [(table, row, column) for table, rows in tables for row, values in rows.items() if values
            for column, value in values.items() if value is None]


def _blank_cells(report: AnnualReport):
    by_table: dict[str, list[str]] = {}
    for table, row, column in blank_cells(report):
        by_table.setdefault(table, []).append(tx.cell_label(table, row, column))
    for table, blank in by_table.items():
        if blank:
            shown = "、".join(blank[:5]) + ("等" if len(blank) > 5 else "")
            yield Issue("cells.blank", "warning", table, f"有 {len(blank)} 个单元格没有数字：{shown}")


def _prose(report: AnnualReport) -> str:
    return "\n".join(report.sections.get(key) or "" for key in tx.PROSE_SECTIONS)


def _text_numbers(report: AnnualReport):
    prose = report.sections.get("overview") or ""
    new = _row(report, "new").get("total")
    carried = _row(report, "carried_over").get("total")
    total = _row(report, "total").get("total")
    forward = _row(report, "carried_forward").get("total")
    if new is not None:
        for match in _RECEIVED.finditer(prose):
            if not re.search(r"申请|办件|依申请", match.group(1)) or "提案" in match.group(1) or "建议" in match.group(1):
                continue
            stated = int(match.group(2))
            allowed = {new} | ({new + carried} if carried is not None else set())
            if stated not in allowed:
                yield Issue("text.applications_count", "warning", "sections.overview",
                            f"正文称「{match.group(0)}」，但表三{TEXT_COUNT_CELLS['applications.new.total']}为{new}件"
                            + (f"（加上年结转共{new + carried}件）" if carried else ""))
            break
    if total is not None:
        for match in _CLOSED.finditer(prose):
            if "提案" in match.group(0) or "建议" in match.group(0):
                continue
            stated = int(match.group(2))
            if stated != total:
                yield Issue("text.applications_count", "warning", "sections.overview",
                            f"正文称「{match.group(0)}」，但表三{TEXT_COUNT_CELLS['applications.total.total']}为{total}件")
            break
    if forward is not None:
        for match in _FORWARD.finditer(prose):
            stated = int(match.group(1) or match.group(2))
            if stated != forward:
                yield Issue("text.applications_count", "warning", "sections.overview",
                            f"正文称「{match.group(0)}」，但表三{TEXT_COUNT_CELLS['applications.carried_forward.total']}为{forward}件")
            break


def _other_agency(report: AnnualReport):
    if not report.agency:
        return
    prose = _prose(report)
    core = agency_core(report.agency)
    seen = set()
    for index, char in enumerate(core):
        if char not in _DIRECTIONS:
            continue
        others = _DIRECTIONS.replace(char, "")
        pattern = re.escape(core[:index]) + f"[{others}]" + re.escape(core[index + 1:])
        for match in re.finditer(pattern, prose):
            name = match.group(0)
            if name in seen or name in report.agency:
                continue
            seen.add(name)
            context = prose[max(0, match.start() - 8):match.end() + 8].replace("\n", " ")
            yield Issue("text.other_agency", "warning", "sections",
                        f"正文出现「{name}」（…{context}…），与本单位「{report.agency}」不同，可能是照抄其他单位报告的文字")
    kind = "镇" if report.agency.endswith(("镇", "乡")) else "街道" if "街道" in report.agency else None
    wrong = {"镇": ("我街道", "本街道", "全街道"), "街道": ("我镇", "本镇", "全镇", "我乡", "本乡")}.get(kind, ())
    for word in wrong:
        if word in prose:
            yield Issue("text.other_agency", "warning", "sections",
                        f"正文出现「{word}」，而本单位是「{report.agency}」，可能是照抄其他单位报告的文字")


def _against_previous(report: AnnualReport, previous: AnnualReport):
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        yield Issue("previous.year", "warning", "year",
                    f"用于比对的上年报告是{previous.year}年度的，而本报告是{report.year}年度的")
    carried_over = _row(report, "carried_over")
    forward = previous.applications.get("carried_forward") or {}
    for column in tx.APPLICANT_COLUMN_KEYS:
        this, last = carried_over.get(column), forward.get(column)
        if this is None or last is None or this == last:
            continue
        yield Issue("previous.carried_over", "error", f"applications.carried_over.{column}",
                    f"表三「{_column_label(column)}」列：本年「上年结转」为{this}件，"
                    f"上年报告「结转下年度继续办理」为{last}件，两者应相等")
    if report.format == "2021" and previous.format == "2021":
        for key in ("rules", "normative_documents"):
            now, before = report.proactive.get(key) or {}, previous.proactive.get(key) or {}
            values = (before.get("in_force"), now.get("issued"), now.get("repealed"), now.get("in_force"))
            if None in values:
                continue
            expected = values[0] + values[1] - values[2]
            if expected != values[3]:
                yield Issue("previous.in_force", "info", f"proactive.{key}.in_force",
                            f"表二「{tx.PROACTIVE_2021[key].label}」现行有效{values[3]}件，"
                            f"上年现行有效{values[0]}+本年制发{values[1]}−本年废止{values[2]}={expected}件"
                            "（清理或废止以前年度文件时可能不等）")
